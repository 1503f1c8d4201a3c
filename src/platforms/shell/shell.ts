import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import type { Logger } from "pino";
import { commandContext } from "../../commands/context.js";
import { executeText } from "../../commands/execute.js";
import type { MemberRef } from "../../commands/grammar/tokenize.js";
import type { SalesService } from "../../sales/sales-service.js";
import { renderText } from "./render-text.js";

export const SHELL_WORKSPACE = {
  platform: "shell",
  externalId: "local",
  name: "Local",
  winsChannel: "wins",
  digestChannel: "digest",
} as const;

export interface ShellOptions {
  sales: SalesService;
  input: Readable;
  output: Writable;
  log: Logger;
  /** Show a prompt (on a terminal). */
  interactive?: boolean;
  /** Runs after each command: delivers the notifications it caused (printed after its reply). */
  afterCommand?: () => Promise<void>;
}

/**
 * The shell platform: one workspace `local`; the session starts as `admin`, `/as <name>` switches
 * member; lines starting with `/` are commands, `#` starts a comment. Resolves at end of input.
 */
export async function runShell({
  sales,
  input,
  output,
  log,
  interactive = false,
  afterCommand,
}: ShellOptions): Promise<void> {
  const write = (text: string) => output.write(`${text}\n`);
  let workspace = await sales.workspaces.ensureWorkspace(SHELL_WORKSPACE);
  const resolveMember = (ref: MemberRef) =>
    sales.members.ensureMember(workspace, {
      platformUserId: ref.platformUserId.toLowerCase(),
      displayName: ref.displayName ?? ref.platformUserId,
    });
  let actor = await resolveMember({ platformUserId: "admin", displayName: "admin" });

  const rl = createInterface({ input, terminal: false });
  const prompt = () => interactive && output.write(`${actor.displayName}> `);
  if (interactive) write("Closer shell. Type /closer help; /as <name> switches member; Ctrl-D quits.");
  prompt();
  for await (const raw of rl) {
    const line = raw.trim();
    try {
      if (line === "" || line.startsWith("#")) continue;
      const as = /^\/as\s+@?([\p{L}\p{N}._-]{1,80})$/u.exec(line);
      if (as?.[1]) {
        actor = await resolveMember({ platformUserId: as[1], displayName: as[1] });
        write(`(${actor.displayName}, ${actor.role})`);
        continue;
      }
      if (!line.startsWith("/")) {
        write("Commands start with /, for example /closer help.");
        continue;
      }
      workspace = await sales.workspaces.getWorkspace(workspace.id);
      actor = (await sales.members.findMember(workspace, actor.platformUserId)) ?? actor;
      const reply = await executeText(commandContext(sales, workspace, actor, resolveMember), line, log);
      write(renderText(reply));
      await afterCommand?.();
    } catch (error) {
      // executeText never throws; this guards the shell's own steps (e.g. the database went away).
      log.error({ err: error }, "shell line failed");
      write("! Something went wrong; nothing was saved.");
    } finally {
      prompt();
    }
  }
  if (interactive) write("");
}
