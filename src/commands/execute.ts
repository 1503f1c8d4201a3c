import type { z } from "zod";
import { isMessageKey, type Locale, type Translate } from "../messages/i18n.js";
import { errorReply, type Reply } from "../messages/reply.js";
import type { Command, CommandContext, ParseContext } from "./command.js";
import { shown } from "./grammar/fields.js";
import { tokenizeLine } from "./grammar/tokenize.js";
import type { MemberRef, Token } from "./grammar/tokens.js";
import { fold, KEY_WORDS, type KeyWord, optionNamed } from "./grammar/words.js";
import { selectCommand } from "./registry.js";
import { usageOf } from "./usage.js";

/** One localised sentence for one problem zod found, naming the field in the user's language. */
export function describeIssue(t: Translate, issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys")
    return t("input.unexpected", { value: shown(issue.keys.join(" ")) });
  const top = String(issue.path[0] ?? "?");
  const label = `field.${top}`;
  const field = isMessageKey(label) ? t(label) : top;
  const params = "params" in issue && issue.params ? (issue.params as Record<string, string | number>) : {};
  if (isMessageKey(issue.message)) return t(issue.message, { field, ...params });
  return t("input.invalid", { field });
}

/** One localised sentence for the first problem zod found. */
export function describeIssues(t: Translate, error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? describeIssue(t, issue) : t("input.invalid", { field: "?" });
}

/** A refusal of a command's input: what is wrong, then how the command is written. */
function refusal(
  ctx: Pick<CommandContext, "t" | "locale">,
  command: Command<unknown>,
  sentence: string,
): Reply {
  return errorReply(`${sentence}\n${ctx.t("input.usage", { usage: usageOf(command, ctx.locale) })}`);
}

/** Edits (insertions, deletions, substitutions) from `a` to `b`. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      const same = a[i - 1] === b[j - 1] ? 0 : 1;
      next[j] = Math.min((row[j] ?? 0) + 1, (next[j - 1] ?? 0) + 1, (row[j - 1] ?? 0) + same);
    }
    row = next;
  }
  return row[b.length] ?? 0;
}

/**
 * The option key a mistyped key most likely means, as written in `locale`: the nearest of the
 * command's named options, in English or French, by two edits at most (`stge:` → `stage:`,
 * `étpae:` → `étape:`).
 */
function closestOption(command: Command<unknown>, key: string, locale: Locale): string | undefined {
  const names = Object.entries(command.options)
    .filter(([, o]) => o.named)
    .map(([name]) => name);
  const [best] = names
    .flatMap((name) => [name, ...KEY_WORDS.french(name as KeyWord)].map((w) => ({ name, w })))
    .map(({ name, w }) => ({ name, distance: editDistance(fold(key), fold(w)) }))
    .filter((c) => c.distance <= 2 && c.distance < c.name.length)
    .sort((a, b) => a.distance - b.distance);
  return best && KEY_WORDS.word(best.name as KeyWord, locale);
}

/** A command line as read: the command it names and its raw input, or the refusal of a line that names none. */
export type CommandLine =
  | { ok: true; command: Command<unknown>; raw: Record<string, unknown> }
  | { ok: false; command: Command<unknown> | undefined; reply: Reply };

/** A named value as its option reads it: a mention for a member option (`for:@alice`), else the text. */
function namedValue(command: Command<unknown>, token: Extract<Token, { kind: "option" }>): unknown {
  if (command.options[token.key]?.kind !== "user") return token.value;
  const name = token.value.replace(/^@/, "");
  return token.ref ?? { platformUserId: name.toLowerCase(), displayName: name };
}

/**
 * Reads a slash command typed as text (`/deal log 12k Acme stage:proposal`) into its command and
 * raw input: positional words through the command's `fromText`, `name:value` options by name. An
 * option the command does not declare is refused, never dropped.
 */
export function readCommandLine(
  ctx: Pick<CommandContext, "t" | "locale" | "parse">,
  line: string,
): CommandLine {
  const match = /^\/([a-z]+)(?:\s+([\s\S]*))?$/i.exec(line.trim());
  const slash = match?.[1]?.toLowerCase() ?? "";
  const { tokens, unclosed } = tokenizeLine(match?.[2] ?? "");
  const selected = selectCommand(slash, tokens);
  if (!selected) {
    const first = tokens[0]?.kind === "word" ? ` ${shown(tokens[0].text)}` : "";
    const reply = errorReply(ctx.t("error.unknown_command", { command: `/${shown(slash)}${first}` }));
    return { ok: false, command: undefined, reply };
  }
  const { command, args } = selected;
  const refuse = (sentence: string): CommandLine => ({
    ok: false,
    command,
    reply: refusal(ctx, command, sentence),
  });
  if (unclosed !== undefined) return refuse(ctx.t("input.unclosed_quote", { value: shown(unclosed) }));
  const named: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  for (const token of args) {
    if (token.kind !== "option") continue;
    const value = shown(`${token.key}:${token.value}`);
    // A French key (`étape:`) is its English twin's option.
    const key = optionNamed(token.key, Object.keys(command.options));
    if (key === undefined) {
      const option = closestOption(command, token.key, ctx.locale);
      return refuse(
        option ? ctx.t("input.unknown_option", { value, option }) : ctx.t("input.unexpected", { value }),
      );
    }
    if (Object.hasOwn(named, key)) return refuse(ctx.t("input.repeated_option", { key: shown(token.key) }));
    named[key] = token.value;
    values[key] = namedValue(command, { ...token, key });
  }
  const positional = args.filter((t) => t.kind !== "option");
  const raw = command.fromText(positional, named, ctx.parse);
  for (const [key, value] of Object.entries(values)) if (raw[key] === undefined) raw[key] = value;
  return {
    ok: true,
    command,
    raw: Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)),
  };
}

/** Validates raw input against a command's schema, for the workspace's locale. */
export function validate(command: Command<unknown>, raw: unknown, p: ParseContext) {
  return command.input(p).safeParse(raw);
}

/**
 * Validates raw input (from text, Discord options, a button or a form) with the command's strict
 * schema and runs it. Input errors come back as a refusal with the command's usage; errors of the
 * service are thrown, for the platform's edge to answer. With `ask`, a command that declares a
 * confirmation is not run: the answer is its question, with a button that runs it.
 */
export async function runCommand(
  ctx: CommandContext,
  command: Command<unknown>,
  raw: unknown,
  options: { ask?: boolean | undefined } = {},
): Promise<Reply> {
  const parsed = validate(command, raw, ctx.parse);
  if (!parsed.success) return refusal(ctx, command, describeIssues(ctx.t, parsed.error));
  if (options.ask && command.confirm) {
    const question = command.confirm(ctx, parsed.data);
    return {
      visibility: "ephemeral",
      title: question.title,
      lines: question.lines,
      actions: [
        {
          id: "confirm",
          label: ctx.t("confirm.yes"),
          command: command.name,
          value: question.value,
          style: "danger",
        },
      ],
    };
  }
  const run = (c: CommandContext) => command.run(c, parsed.data);
  // A member the command adds must not outlive a refusal: when it names one the workspace does not
  // know yet, the whole command is one transaction, which the refusal rolls back.
  const named = membersNamed(command, parsed.data).map((m) => m.platformUserId);
  const known = named.length === 0 || (await ctx.sales.members.knowsAll(ctx.workspace, named));
  return { visibility: command.visibility, ...(await (known ? run(ctx) : ctx.transaction(run))) };
}

/** The members a command's input names through its member options, as they were mentioned. */
function membersNamed(command: Command<unknown>, input: unknown): MemberRef[] {
  const values = input as Record<string, MemberRef | MemberRef[] | undefined>;
  return Object.entries(command.options).flatMap(([name, option]) =>
    option.kind === "user" ? [values[name] ?? []].flat() : [],
  );
}
