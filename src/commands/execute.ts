import type { Logger } from "pino";
import type { z } from "zod";
import { isAppError } from "../errors.js";
import { isMessageKey, type Translate } from "../messages/i18n.js";
import { errorReply, type Reply } from "../messages/reply.js";
import type { Command, CommandContext } from "./command.js";
import { shown } from "./grammar/fields.js";
import { tokenize } from "./grammar/tokenize.js";
import { selectCommand } from "./registry.js";

/** One localised sentence for one problem zod found, naming the field in the user's language. */
export function describeIssue(t: Translate, issue: z.core.$ZodIssue): string {
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

/**
 * The funnel every entry point ends in: validate raw input with the command's schema, run it,
 * and turn any failure into a reply. Input and service errors get their localised message;
 * anything else is logged and answered with the generic message. It never throws.
 */
export async function executeCommand(
  ctx: CommandContext,
  command: Command<unknown>,
  raw: unknown,
  log: Logger,
): Promise<Reply> {
  try {
    const parsed = command.input(ctx.parse).safeParse(raw);
    if (!parsed.success) {
      return errorReply(
        `${describeIssues(ctx.t, parsed.error)}\n${ctx.t("input.usage", { usage: command.usage })}`,
      );
    }
    return await command.run(ctx, parsed.data);
  } catch (error) {
    if (isAppError(error)) return errorReply(ctx.t(error.key, error.params));
    log.error(
      { err: error, command: command.name, workspaceId: ctx.workspace.id, memberId: ctx.actor.id },
      "command failed",
    );
    return errorReply(ctx.t("error.generic"));
  }
}

/** Whether a command's raw input carries an option, at its top or in a nested part (`scope.team`). */
function readsOption(raw: Record<string, unknown>, key: string): boolean {
  return (
    Object.hasOwn(raw, key) ||
    Object.values(raw).some(
      (v) => typeof v === "object" && v !== null && !Array.isArray(v) && Object.hasOwn(v, key),
    )
  );
}

/** Runs a slash command typed as text: `/deal log 12k Acme stage:proposal`. */
export async function executeText(ctx: CommandContext, line: string, log: Logger): Promise<Reply> {
  const match = /^\/([a-z]+)(?:\s+([\s\S]*))?$/i.exec(line.trim());
  const slash = match?.[1]?.toLowerCase() ?? "";
  let tokens: ReturnType<typeof tokenize>;
  try {
    tokens = tokenize(match?.[2] ?? "");
  } catch {
    tokens = [];
  }
  const selected = selectCommand(slash, tokens);
  if (!selected) {
    const first = tokens[0]?.kind === "word" ? ` ${shown(tokens[0].text)}` : "";
    return errorReply(ctx.t("error.unknown_command", { command: `/${shown(slash)}${first}` }));
  }
  let raw: Record<string, unknown>;
  try {
    raw = selected.command.fromText(selected.args, ctx.parse);
  } catch (error) {
    log.error({ err: error, command: selected.command.name }, "command text not understood");
    return errorReply(ctx.t("error.generic"));
  }
  // An option the command does not read (`note:` on /deal log) is refused, not silently dropped.
  const ignored = selected.args.find((t) => t.kind === "option" && !readsOption(raw, t.key));
  if (ignored?.kind === "option")
    return errorReply(
      `${ctx.t("input.unexpected", { value: shown(`${ignored.key}:${ignored.value}`) })}\n${ctx.t("input.usage", { usage: selected.command.usage })}`,
    );
  return executeCommand(ctx, selected.command, raw, log);
}
