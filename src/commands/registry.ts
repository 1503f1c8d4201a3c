import type { MessageKey } from "../messages/catalog/keys.js";
import {
  configSet,
  configShow,
  dashboardLink,
  me,
  memberRemove,
  memberRestore,
  retry,
  role,
  status,
  teamAdd,
  teamDelete,
  teamList,
  teamRemove,
  teamRename,
  tvLink,
  tvRevoke,
} from "./closer.js";
import type { Command } from "./command.js";
import { defineCommand } from "./command.js";
import { CONTACT_COMMANDS } from "./contact.js";
import { contestCancel, contestCreate, contestList, contestShow } from "./contest.js";
import { customerList, customerMerge, customerRename, customerShow } from "./customer.js";
import {
  dealAssign,
  dealDelete,
  dealEdit,
  dealLog,
  dealLost,
  dealNote,
  dealRestore,
  dealStage,
  dealWon,
} from "./deal.js";
import { dealFind, dealList, dealShow } from "./deal-queries.js";
import { exportDeals } from "./export.js";
import { focus } from "./focus.js";
import { goalDelete, goalSet, goalShow } from "./goal.js";
import type { Token } from "./grammar/tokens.js";
import { KEY_SPELLINGS } from "./grammar/words.js";
import { forecast, kpi, leaderboard } from "./kpi.js";
import { kudos } from "./kudos.js";
import { log } from "./log.js";
import { productAdd, productList, productRename, productRetire } from "./product.js";
import { remindDone, remindList, remindSet } from "./remind.js";
import { usageOf } from "./usage.js";
import { wins } from "./wins.js";

/** The slash commands each platform registers, with the catalog key of what each is for. */
export const SLASH_COMMANDS = [
  "deal",
  "goal",
  "kpi",
  "leaderboard",
  "forecast",
  "customer",
  "contact",
  "remind",
  "contest",
  "kudos",
  "wins",
  "log",
  "focus",
  "closer",
] as const;
export type SlashCommand = (typeof SLASH_COMMANDS)[number];

export const SLASH_DESCRIPTIONS: Record<SlashCommand, MessageKey> = {
  deal: "slash.deal",
  goal: "slash.goal",
  kpi: "slash.kpi",
  leaderboard: "slash.leaderboard",
  forecast: "slash.forecast",
  customer: "slash.customer",
  contact: "slash.contact",
  remind: "slash.remind",
  contest: "slash.contest",
  kudos: "slash.kudos",
  wins: "slash.wins",
  log: "slash.log",
  focus: "slash.focus",
  closer: "slash.closer",
};

const DEAL_COMMANDS = [
  dealLog,
  dealWon,
  dealLost,
  dealStage,
  dealNote,
  dealShow,
  dealList,
  dealAssign,
  dealEdit,
  dealDelete,
  dealRestore,
  dealFind,
];

/** `/deal` alone: a form where the platform has one (Slack), else the deal commands' usage. */
export const dealForm = defineCommand({
  name: "deal",
  description: "command.deal",
  visibility: "ephemeral",
  discord: false,
  options: {},
  async run(ctx) {
    return {
      title: ctx.t("help.deal_title"),
      lines: DEAL_COMMANDS.map((c) => usageOf(c as Command<unknown>, ctx.locale)),
    };
  },
});

export const help = defineCommand({
  name: "closer help",
  description: "command.help",
  visibility: "ephemeral",
  options: {},
  async run(ctx) {
    return {
      title: ctx.t("help.title"),
      lines: COMMANDS.filter((c) => c !== dealForm).map((c) => usageOf(c, ctx.locale)),
    };
  },
});

/** Every command, in the order help lists them. */
export const COMMANDS: Command<unknown>[] = [
  ...DEAL_COMMANDS,
  dealForm,
  goalSet,
  goalShow,
  goalDelete,
  kpi,
  leaderboard,
  forecast,
  customerList,
  customerRename,
  customerMerge,
  customerShow,
  ...CONTACT_COMMANDS,
  remindList,
  remindDone,
  remindSet,
  log,
  contestCreate,
  contestList,
  contestShow,
  contestCancel,
  kudos,
  wins,
  focus,
  help,
  configShow,
  configSet,
  role,
  memberRemove,
  memberRestore,
  teamAdd,
  teamRemove,
  teamRename,
  teamDelete,
  teamList,
  productAdd,
  productList,
  productRename,
  productRetire,
  status,
  me,
  retry,
  exportDeals,
  tvLink,
  tvRevoke,
  dashboardLink,
] as Command<unknown>[];

const BY_NAME = new Map(COMMANDS.map((c) => [c.name, c]));

export function commandNamed(name: string): Command<unknown> | undefined {
  return BY_NAME.get(name);
}

/** The slash command a command belongs to: the first word of its name. */
export function slashOf(command: Command<unknown>): SlashCommand {
  return command.name.split(" ")[0] as SlashCommand;
}

/** Every `name:value` key the text grammar knows: the options of every command, and their French twins. */
export const OPTION_KEYS: ReadonlySet<string> = new Set([
  ...COMMANDS.flatMap((c) => Object.keys(c.options)),
  ...KEY_SPELLINGS,
]);

/**
 * The command a slash command's words select: the longest registered name that prefixes them
 * (`deal log …` before `deal`); `/closer` alone is help. Returns the remaining tokens as arguments.
 */
export function selectCommand(
  slash: string,
  tokens: Token[],
): { command: Command<unknown>; args: Token[] } | undefined {
  const words = tokens.map((t) => (t.kind === "word" ? t.text.toLowerCase() : ""));
  for (let n = Math.min(2, words.length); n >= 0; n--) {
    const command = BY_NAME.get([slash, ...words.slice(0, n)].join(" "));
    if (command) return { command, args: tokens.slice(n) };
  }
  return slash === "closer" && tokens.length === 0 ? { command: help, args: [] } : undefined;
}
