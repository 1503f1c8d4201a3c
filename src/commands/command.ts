import type { z } from "zod";
import type { Formatter } from "../messages/format.js";
import type { Locale, Translate } from "../messages/i18n.js";
import type { Reply } from "../messages/reply.js";
import type { Member, Workspace } from "../sales/deps.js";
import type { Calendar } from "../sales/periods/period.js";
import type { SalesService } from "../sales/sales-service.js";
import type { MemberRef, Token } from "./grammar/tokenize.js";

/** What parsing needs to know about the workspace: how amounts and dates are written there. */
export interface ParseContext {
  locale: Locale;
  currency: string;
  timezone: string;
  weekStart: "monday" | "sunday";
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
  /** Finds or creates the member a mention names (each platform knows how). */
  resolveMember(ref: MemberRef): Promise<Member>;
  /** The platform's id for this request, so a redelivered request changes nothing twice. */
  requestId?: string | undefined;
}

/**
 * A command: its name as typed (`deal log`), the zod schema of its input (built for the
 * workspace's locale), how to read that input from slash-command text, and what it does.
 * Slack text, Discord options and shell lines all end in `run`.
 */
export interface Command<Input = unknown> {
  name: string;
  /** Usage line for help, e.g. `/deal log <amount> <customer…> [stage:<stage>]`. */
  usage: string;
  input: (p: ParseContext) => z.ZodType<Input>;
  fromText: (tokens: Token[], p: ParseContext) => Record<string, unknown>;
  // Method syntax on purpose: the registry holds commands of every input type as Command<unknown>.
  run(ctx: CommandContext, input: Input): Promise<Reply>;
}

/** Declares a command with its input type inferred from the schema. */
export function defineCommand<S extends z.ZodType>(command: {
  name: string;
  usage: string;
  input: (p: ParseContext) => S;
  fromText: (tokens: Token[], p: ParseContext) => Record<string, unknown>;
  run: (ctx: CommandContext, input: z.output<S>) => Promise<Reply>;
}): Command<z.output<S>> {
  return command as Command<z.output<S>>;
}
