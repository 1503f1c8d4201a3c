import type { Command, CommandContext } from "../commands/command.js";
import { readCommandLine, runCommand } from "../commands/execute.js";
import { AppError, isAppError } from "../errors.js";
import type { Platform } from "../generated/prisma/enums.js";
import type { Logger } from "../logger.js";
import { type Locale, translator } from "../messages/i18n.js";
import { errorReply, type Reply } from "../messages/reply.js";
import type { CommandOutcome, Metrics } from "../metrics.js";

/** What a platform hands the edge: who is asking, in which language to refuse if that fails, and what to run. */
export interface EdgeRequest {
  /** The workspace and member behind the request, and the context its command runs in. */
  identify(): Promise<CommandContext>;
  /**
   * The language of a refusal when `identify` itself fails: the user's or the guild's, when known,
   * or read from the platform only then (the database may be what failed).
   */
  locale?: Locale | (() => Promise<Locale | undefined>) | undefined;
  /** A command line (typed, or a button's), or a command with its raw options (Discord, a form). */
  input: { line: string } | { command: Command<unknown>; raw: Record<string, unknown> };
  /**
   * Claims the platform's request id before anything else: false for a redelivery, which is not
   * run again (the edge then answers null). A claim that fails is answered as any failure is.
   */
  claim?: () => Promise<boolean>;
  /**
   * Ask before running a command that declares a confirmation (`/deal delete`): set for commands
   * typed on a platform with buttons; the button that confirms runs without it.
   */
  ask?: boolean;
}

export interface EdgeAnswer {
  /** Undefined when the request could not be tied to a workspace and member. */
  ctx: CommandContext | undefined;
  reply: Reply;
  command: Command<unknown> | undefined;
}

export interface EdgeOptions {
  platform: Platform;
  log: Logger;
  metrics?: Metrics | undefined;
}

export interface Edge {
  /** A request with a claim: null when it was claimed before. */
  (request: EdgeRequest & { claim: () => Promise<boolean> }): Promise<EdgeAnswer | null>;
  (request: EdgeRequest): Promise<EdgeAnswer>;
}

/**
 * The one funnel every platform's commands go through, and the one place their errors are caught:
 * input errors and the service's errors are answered with their localised message, anything else is
 * logged with its context and answered with the localised "nothing was saved". It never throws, and
 * counts and times each command by platform, command name and outcome.
 */
export function createEdge({ platform, log, metrics }: EdgeOptions): Edge {
  const edge = async (request: EdgeRequest): Promise<EdgeAnswer | null> => {
    const started = performance.now();
    let ctx: CommandContext | undefined;
    let command: Command<unknown> | undefined;
    let reply: Reply;
    let outcome: CommandOutcome = "ok";
    let locale: Locale | undefined;
    try {
      if (request.claim && !(await request.claim())) return null;
      ctx = await request.identify();
      // A removed member is known, but no longer acts: every command of theirs is refused.
      if (!ctx.actor.active) throw new AppError("forbidden", "error.member_removed_self");
      if ("line" in request.input) {
        const line = readCommandLine(ctx, request.input.line);
        command = line.command;
        reply = line.ok ? await runCommand(ctx, line.command, line.raw, request) : line.reply;
      } else {
        command = request.input.command;
        reply = await runCommand(ctx, command, request.input.raw, request);
      }
      if (reply.tone === "error") outcome = "refused";
    } catch (error) {
      locale = ctx?.locale ?? (await refusalLocale(request)) ?? "en";
      const t = translator(locale);
      if (isAppError(error)) {
        outcome = "refused";
        reply = errorReply(t(error.key, error.params));
      } else {
        outcome = "error";
        log.error(
          {
            err: error,
            platform,
            command: command?.name,
            workspaceId: ctx?.workspace.id,
            memberId: ctx?.actor.id,
          },
          "command failed",
        );
        reply = errorReply(t("error.generic"));
      }
    }
    // The command's registered name, never what the user typed: labels stay a small fixed set.
    const labels = { platform, command: command?.name ?? "unknown" };
    metrics?.commands.inc({ ...labels, outcome });
    metrics?.commandDuration.observe(labels, (performance.now() - started) / 1000);
    return { ctx, reply: { ...reply, locale: ctx?.locale ?? locale }, command };
  };
  return edge as Edge;
}

async function refusalLocale({ locale }: EdgeRequest): Promise<Locale | undefined> {
  if (typeof locale !== "function") return locale;
  return locale().catch(() => undefined);
}
