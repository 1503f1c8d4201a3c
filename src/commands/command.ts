import { z } from "zod";
import type { MessageKey } from "../messages/catalog/keys.js";
import type { Formatter } from "../messages/format.js";
import type { Locale, Translate } from "../messages/i18n.js";
import type { Reply } from "../messages/reply.js";
import type { Member, Workspace } from "../sales/deps.js";
import { type Calendar, localDate } from "../sales/periods/period.js";
import type { SalesService } from "../sales/sales-service.js";
import { nothingMore } from "./grammar/fields.js";
import { leftover, type MemberRef, type Token } from "./grammar/tokens.js";
import type { Vocabulary } from "./grammar/words.js";

/** What parsing needs to know about the workspace: how amounts and dates are written there. */
export interface ParseContext {
  locale: Locale;
  currency: string;
  timezone: string;
  weekStart: "monday" | "sunday";
  /** Month (1-12) in which the fiscal year starts: quarters and years are counted from it. */
  fiscalYearStart: number;
  /** Schemas read only its local date: a command's schema is built once per day and settings. */
  now: Date;
}

/** Everything a command runs with; built by each platform at its edge. */
export interface CommandContext {
  sales: SalesService;
  workspace: Workspace;
  actor: Member;
  locale: Locale;
  t: Translate;
  fmt: Formatter;
  cal: Calendar;
  parse: ParseContext;
  /** Finds or creates the member a mention names (each platform knows how): for commands that act on them. */
  resolveMember(ref: MemberRef): Promise<Member>;
  /** The member a mention names, never created: for commands that only read (`/kpi month @x`). */
  findMember(ref: MemberRef): Promise<Member>;
  /**
   * Runs `work` with this context inside one database transaction: the members it adds and all it
   * changes commit together when it returns, or not at all when it throws.
   */
  transaction<R>(work: (ctx: CommandContext) => Promise<R>): Promise<R>;
  /** The platform's id for this request, so a redelivered request changes nothing twice. */
  requestId?: string | undefined;
}

/** The types an option's value has on Discord, whose application commands are typed. */
export type OptionKind = "string" | "integer" | "boolean" | "user";

/**
 * One option of a command, declared once. From it come the Discord option (name, type, required,
 * choices, autocomplete, descriptions in English and French), the text grammar's `name:value` key,
 * the usage line in each language, the label naming it in an error (`field.<name>`), and the zod
 * schema its value goes through on every path.
 */
export interface Option<T = unknown, Required extends boolean = boolean> {
  kind: OptionKind;
  required: Required;
  /** Catalog key of its description: Discord's option description. */
  description: MessageKey;
  /** Written `name:value` in the text form; otherwise in its place among the words (`fromText` reads it). */
  named: boolean;
  /** The values Discord offers as choices, each written in the user's language by its vocabulary. */
  choices?: Vocabulary;
  /** How usage lines show the value (catalog key of a placeholder such as `<amount>`); else its choices. */
  placeholder?: MessageKey;
  /** Options of one group are alternatives: usage shows them together, `<@rep|team:<name>|company>`. */
  group?: { name: string; required: boolean };
  /** Suggestions as the user types on Discord: customer names, open deals or periods. */
  autocomplete?: "customer" | "deal" | "period";
  schema: (p: ParseContext) => z.ZodType<T>;
}

export type Options = Record<string, Option>;

/** A command's answer; its visibility is the command's own (errors are always private). */
export type Answer = Omit<Reply, "visibility">;

type ValueOf<O> = O extends Option<infer T> ? T : never;

/** The input a command's options parse to: a required option's value, an optional one's or undefined. */
export type InputOf<O extends Options> = {
  [K in keyof O as O[K] extends Option<unknown, true> ? K : never]: ValueOf<O[K]>;
} & {
  [K in keyof O as O[K] extends Option<unknown, true> ? never : K]?: ValueOf<O[K]> | undefined;
};

/**
 * A command, declared once: its name as typed (`deal log`), its options, who sees its answer, how
 * its words read as options, and what it does. Slack text, Discord options, buttons and forms all
 * end in `run`, through the same strict schema.
 */
export interface Command<Input = unknown> {
  /** The words that select it after the slash: `deal log`, `goal`, `closer config set`. */
  name: string;
  /** Catalog key of what it does: Discord's (sub)command description. */
  description: MessageKey;
  /** Public answers are for the channel; the others only for the user. Platforms decide deferral by it. */
  visibility: Reply["visibility"];
  options: Options;
  /** Discord's name for it under its slash command (`show` for `/goal`), or false for text only. */
  discord?: { sub: string } | false;
  /**
   * The raw input of its text form: reads the positional tokens (and, where it takes both forms,
   * the named options) into values keyed by option name. Named options it leaves undefined are
   * filled from their `name:value` tokens.
   */
  fromText(tokens: Token[], named: Record<string, string>, p: ParseContext): Record<string, unknown>;
  /** The input schema: the options' schemas in a strict object (an unread key is refused), refined. */
  input(p: ParseContext): z.ZodType<Input>;
  // Method syntax on purpose: the registry holds commands of every input type as Command<unknown>.
  run(ctx: CommandContext, input: Input): Promise<Answer>;
  /**
   * What to ask before running it, where the platform can ask with a button (Slack, Discord): a
   * question, and the arguments the confirming button runs the command with. The shell never asks.
   */
  confirm?(ctx: CommandContext, input: Input): Confirmation;
}

/** A question asked before a command runs: its title, its lines, the arguments of the command once confirmed. */
export interface Confirmation {
  title: string;
  lines: string[];
  value: string;
}

/** The key under which the text form passes words no option took: any is an error quoting them. */
const EXTRA = "extra";

/**
 * Declares a command: its schema is the strict object of its options' schemas (plus `extra`, the
 * words the text form could not place), optionally refined by `refine` across options.
 */
export function defineCommand<const O extends Options, Refined = InputOf<O>>(command: {
  name: string;
  description: MessageKey;
  visibility: Reply["visibility"];
  options: O;
  discord?: { sub: string } | false;
  fromText?: (tokens: Token[], named: Record<string, string>, p: ParseContext) => Record<string, unknown>;
  refine?: (schema: z.ZodType<InputOf<O>>, p: ParseContext) => z.ZodType<Refined>;
  run: (ctx: CommandContext, input: Refined) => Promise<Answer>;
  confirm?: (ctx: CommandContext, input: Refined) => Confirmation;
}): Command<Refined> {
  const build = (p: ParseContext): z.ZodType<Refined> => {
    const shape = Object.fromEntries(
      Object.entries(command.options).map(([name, o]) => [
        name,
        o.required ? o.schema(p) : o.schema(p).optional(),
      ]),
    );
    const strict = z
      .strictObject({ ...shape, [EXTRA]: nothingMore })
      .transform(({ [EXTRA]: _, ...rest }) => rest as InputOf<O>);
    return command.refine ? command.refine(strict, p) : (strict as unknown as z.ZodType<Refined>);
  };
  // Building a schema costs fifty times parsing with it (zod compiles each object schema), and every
  // command asks for one: kept per workspace settings and local day.
  const schemas = new Map<string, z.ZodType<Refined>>();
  const input = (p: ParseContext): z.ZodType<Refined> => {
    const key = `${p.locale}|${p.currency}|${p.timezone}|${p.weekStart}|${p.fiscalYearStart}|${localDate(p.now, p.timezone)}`;
    let schema = schemas.get(key);
    if (!schema) {
      if (schemas.size >= 1000) schemas.clear();
      schema = build(p);
      schemas.set(key, schema);
    }
    return schema;
  };
  return {
    name: command.name,
    description: command.description,
    visibility: command.visibility,
    options: command.options,
    ...(command.discord === undefined ? {} : { discord: command.discord }),
    // A command that reads no words in place refuses any it is given.
    fromText: command.fromText ?? ((tokens) => ({ [EXTRA]: leftover(tokens) })),
    input,
    run: command.run,
    ...(command.confirm ? { confirm: command.confirm } : {}),
  };
}
