import {
  ApplicationCommandOptionType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import { GOAL_PERIODS, METRICS, PERIODS } from "../../commands/grammar/fields.js";
import type { MemberRef } from "../../commands/grammar/tokenize.js";
import type { SlashCommand } from "../../commands/registry.js";
import { LOST_REASONS, STAGES } from "../../sales/deals/stages.js";
import { CONFIG_KEYS } from "../../sales/workspaces/workspace-service.js";

/** Reads an interaction's typed options; each platform adapter provides one. */
export interface OptionReader {
  string(name: string): string | undefined;
  integer(name: string): number | undefined;
  boolean(name: string): boolean | undefined;
  user(name: string): MemberRef | undefined;
}

type OptionKind = "string" | "integer" | "boolean" | "user";

interface OptionSpec {
  name: string;
  description: string;
  kind: OptionKind;
  required?: boolean;
  choices?: readonly string[];
  /** Suggestions as the user types: customer names or open deals. */
  autocomplete?: "customer" | "deal";
}

/** One Discord (sub)command and the shared command it runs, with its options read into raw input. */
export interface DiscordCommandSpec {
  slash: SlashCommand;
  sub?: string;
  command: string;
  description: string;
  options: OptionSpec[];
  toRaw(o: OptionReader): Record<string, unknown>;
}

const str = (name: string, description: string, extra: Partial<OptionSpec> = {}): OptionSpec => ({
  name,
  description,
  kind: "string",
  ...extra,
});
const user = (name: string, description: string, required = false): OptionSpec => ({
  name,
  description,
  kind: "user",
  required,
});
const deal: OptionSpec = str("deal", "Deal number, e.g. 12", { required: true, autocomplete: "deal" });
const stage = (required = false) => str("stage", "Stage", { required, choices: STAGES });
const period = (choices: readonly string[] = PERIODS) => str("period", "Period", { choices });
const scopeOptions = [
  user("member", "A rep"),
  str("team", "A team's name"),
  { name: "company", description: "The whole company", kind: "boolean" } as OptionSpec,
];

/** `#12`, `12` -> 12; anything else stays as typed so validation explains it. */
function dealNumber(value: string | undefined): number | string | undefined {
  if (value === undefined) return undefined;
  const m = /^#?(\d{1,9})$/.exec(value.trim());
  return m?.[1] ? Number(m[1]) : value;
}

const scope = (o: OptionReader) => ({
  member: o.user("member"),
  team: o.string("team"),
  company: o.boolean("company"),
});

export const DISCORD_COMMANDS: DiscordCommandSpec[] = [
  {
    slash: "deal",
    sub: "log",
    command: "deal log",
    description: "Log a deal (no options: open the form)",
    options: [
      str("amount", "Amount, e.g. 12k or 12,000"),
      str("customer", "Customer", { autocomplete: "customer" }),
      stage(),
      str("source", "Lead source"),
      str("close", "Expected close date, e.g. 2026-12-15"),
      str("title", "Title"),
      user("for", "Owner, if not you"),
    ],
    toRaw: (o) => ({
      amount: o.string("amount"),
      customer: o.string("customer"),
      stage: o.string("stage"),
      source: o.string("source"),
      close: o.string("close"),
      title: o.string("title"),
      for: o.user("for"),
    }),
  },
  {
    slash: "deal",
    sub: "won",
    command: "deal won",
    description: "Mark a deal won",
    options: [
      deal,
      str("amount", "Final amount"),
      str("closed", "Close date, if earlier than today"),
      str("note", "How we won it"),
    ],
    toRaw: (o) => ({
      number: dealNumber(o.string("deal")),
      amount: o.string("amount"),
      closed: o.string("closed"),
      note: o.string("note"),
    }),
  },
  {
    slash: "deal",
    sub: "lost",
    command: "deal lost",
    description: "Mark a deal lost, with the reason",
    options: [
      deal,
      str("reason", "Why it was lost", { required: true, choices: LOST_REASONS }),
      str("note", "Note"),
    ],
    toRaw: (o) => ({
      number: dealNumber(o.string("deal")),
      reason: o.string("reason"),
      note: o.string("note"),
    }),
  },
  {
    slash: "deal",
    sub: "stage",
    command: "deal stage",
    description: "Move a deal to another stage",
    options: [deal, stage(true)],
    toRaw: (o) => ({ number: dealNumber(o.string("deal")), stage: o.string("stage") }),
  },
  {
    slash: "deal",
    sub: "note",
    command: "deal note",
    description: "Add a note to a deal",
    options: [deal, str("text", "The note", { required: true })],
    toRaw: (o) => ({ number: dealNumber(o.string("deal")), note: o.string("text") }),
  },
  {
    slash: "deal",
    sub: "show",
    command: "deal show",
    description: "A deal and its history",
    options: [deal],
    toRaw: (o) => ({ number: dealNumber(o.string("deal")) }),
  },
  {
    slash: "deal",
    sub: "list",
    command: "deal list",
    description: "Recent deals: yours, a rep's, a team's or everyone's",
    options: [
      str("scope", "Whose deals", { choices: ["mine", "all"] }),
      user("member", "A rep"),
      str("team", "A team"),
      stage(),
    ],
    toRaw: (o) => ({
      who: o.string("scope"),
      member: o.user("member"),
      team: o.string("team"),
      stage: o.string("stage"),
    }),
  },
  {
    slash: "deal",
    sub: "assign",
    command: "deal assign",
    description: "Hand a deal to another member",
    options: [deal, user("to", "New owner", true)],
    toRaw: (o) => ({ number: dealNumber(o.string("deal")), to: o.user("to") }),
  },
  {
    slash: "goal",
    sub: "set",
    command: "goal set",
    description: "Set the goal of a rep, a team or the company",
    options: [
      str("target", "Amount, or a number of deals with metric deals", { required: true }),
      ...scopeOptions,
      period(GOAL_PERIODS),
      str("metric", "Metric", { choices: METRICS }),
    ],
    toRaw: (o) => ({
      value: o.string("target"),
      period: o.string("period"),
      metric: o.string("metric"),
      scope: scope(o),
    }),
  },
  {
    slash: "goal",
    sub: "show",
    command: "goal",
    description: "Progress, pace and milestones",
    options: scopeOptions,
    toRaw: (o) => ({ scope: scope(o) }),
  },
  {
    slash: "kpi",
    command: "kpi",
    description: "KPIs for a period, a rep or a team",
    options: [
      period(),
      user("member", "A rep"),
      str("team", "A team"),
      str("view", "Details", { choices: ["summary", "sources", "lost"] }),
    ],
    toRaw: (o) => ({
      period: o.string("period"),
      view: o.string("view"),
      scope: { member: o.user("member"), team: o.string("team") },
    }),
  },
  {
    slash: "leaderboard",
    command: "leaderboard",
    description: "Top reps by revenue or deals won",
    options: [period(), str("metric", "Metric", { choices: METRICS })],
    toRaw: (o) => ({ period: o.string("period"), metric: o.string("metric") }),
  },
  {
    slash: "forecast",
    command: "forecast",
    description: "Weighted pipeline and run-rate against the goal",
    options: [period(["month", "quarter"]), user("member", "A rep"), str("team", "A team")],
    toRaw: (o) => ({
      period: o.string("period"),
      scope: { member: o.user("member"), team: o.string("team") },
    }),
  },
  {
    slash: "customer",
    sub: "show",
    command: "customer",
    description: "A customer's history",
    options: [str("name", "Customer", { required: true, autocomplete: "customer" })],
    toRaw: (o) => ({ name: o.string("name") }),
  },
  {
    slash: "customer",
    sub: "list",
    command: "customer list",
    description: "Customers, dormant customers or prospects",
    options: [str("kind", "Which", { choices: ["all", "dormant", "prospects"] })],
    toRaw: (o) => ({ kind: o.string("kind") }),
  },
  {
    slash: "remind",
    sub: "set",
    command: "remind",
    description: "Remind yourself about a deal or a customer",
    options: [
      str("when", "2026-12-01, tomorrow, +3d, friday, eom", { required: true }),
      str("text", "What to do", { required: true }),
      str("deal", "Deal number", { autocomplete: "deal" }),
      str("customer", "Customer", { autocomplete: "customer" }),
    ],
    toRaw: (o) => ({
      deal: dealNumber(o.string("deal")),
      customer: o.string("customer"),
      when: o.string("when"),
      text: o.string("text"),
    }),
  },
  {
    slash: "remind",
    sub: "list",
    command: "remind list",
    description: "Your open reminders",
    options: [],
    toRaw: () => ({}),
  },
  {
    slash: "remind",
    sub: "done",
    command: "remind done",
    description: "Mark a reminder done",
    options: [{ name: "id", description: "Reminder number", kind: "integer", required: true }],
    toRaw: (o) => ({ id: o.integer("id") }),
  },
  {
    slash: "closer",
    sub: "help",
    command: "closer help",
    description: "Every command",
    options: [],
    toRaw: () => ({}),
  },
  {
    slash: "closer",
    sub: "config-show",
    command: "closer config show",
    description: "The settings",
    options: [],
    toRaw: () => ({}),
  },
  {
    slash: "closer",
    sub: "config-set",
    command: "closer config set",
    description: "Change a setting (managers and admins)",
    options: [
      str("key", "Setting", { required: true, choices: CONFIG_KEYS }),
      str("value", "New value", { required: true }),
    ],
    toRaw: (o) => ({ key: o.string("key"), value: o.string("value") }),
  },
  {
    slash: "closer",
    sub: "role",
    command: "closer role",
    description: "Make a member a rep, manager or admin",
    options: [
      user("member", "Member", true),
      str("role", "Role", { required: true, choices: ["rep", "manager", "admin"] }),
    ],
    toRaw: (o) => ({ member: o.user("member"), role: o.string("role") }),
  },
  {
    slash: "closer",
    sub: "team-add",
    command: "closer team add",
    description: "Put a member in a team (created on first use)",
    options: [str("team", "Team", { required: true }), user("member", "Member", true)],
    toRaw: (o) => ({ team: o.string("team"), members: [o.user("member")].filter(Boolean) }),
  },
  {
    slash: "closer",
    sub: "team-remove",
    command: "closer team remove",
    description: "Take a member out of their team",
    options: [user("member", "Member", true)],
    toRaw: (o) => ({ members: [o.user("member")].filter(Boolean) }),
  },
  {
    slash: "closer",
    sub: "team-list",
    command: "closer team list",
    description: "Teams and members",
    options: [],
    toRaw: () => ({}),
  },
  {
    slash: "closer",
    sub: "status",
    command: "closer status",
    description: "Notifications: pending, failed, last error (admins)",
    options: [],
    toRaw: () => ({}),
  },
  {
    slash: "closer",
    sub: "retry",
    command: "closer retry",
    description: "Queue failed notifications again (admins)",
    options: [],
    toRaw: () => ({}),
  },
];

const DESCRIPTIONS: Record<SlashCommand, string> = {
  deal: "Log, move, win or lose deals",
  goal: "Goals of reps, teams and the company",
  kpi: "KPIs for a period, a rep or a team",
  leaderboard: "Top reps by revenue or deals won",
  forecast: "Weighted pipeline and run-rate against the goal",
  customer: "Customer history and lists",
  remind: "Follow-up reminders",
  closer: "Help and administration",
};

const TYPE = {
  string: ApplicationCommandOptionType.String,
  integer: ApplicationCommandOptionType.Integer,
  boolean: ApplicationCommandOptionType.Boolean,
  user: ApplicationCommandOptionType.User,
} as const;

function optionJson(o: OptionSpec) {
  return {
    type: TYPE[o.kind],
    name: o.name,
    description: o.description,
    required: o.required ?? false,
    ...(o.choices ? { choices: o.choices.map((c) => ({ name: c, value: c })) } : {}),
    ...(o.autocomplete ? { autocomplete: true } : {}),
    ...(o.kind === "integer" ? { min_value: 1 } : {}),
  };
}

/** The command set as Discord's bulk-overwrite JSON: required options first, as Discord demands. */
export function discordCommandJson(): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  const bySlash = new Map<SlashCommand, DiscordCommandSpec[]>();
  for (const spec of DISCORD_COMMANDS) bySlash.set(spec.slash, [...(bySlash.get(spec.slash) ?? []), spec]);
  const sorted = (options: OptionSpec[]) =>
    [...options].sort((a, b) => Number(b.required ?? false) - Number(a.required ?? false)).map(optionJson);
  return [...bySlash.entries()].map(([slash, specs]) => ({
    name: slash,
    description: DESCRIPTIONS[slash],
    dm_permission: false,
    options: specs.every((s) => s.sub)
      ? specs.map((s) => ({
          type: ApplicationCommandOptionType.Subcommand,
          name: s.sub ?? "",
          description: s.description,
          options: sorted(s.options),
        }))
      : sorted(specs[0]?.options ?? []),
  })) as RESTPostAPIChatInputApplicationCommandsJSONBody[];
}

export function findDiscordCommand(slash: string, sub: string | null): DiscordCommandSpec | undefined {
  return DISCORD_COMMANDS.find((s) => s.slash === slash && (s.sub ?? null) === sub);
}
