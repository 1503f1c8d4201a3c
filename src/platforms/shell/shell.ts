import { createInterface, type Interface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import type { Logger } from "pino";
import { commandContext } from "../../commands/context.js";
import type { MemberRef } from "../../commands/grammar/tokens.js";
import { speakerFor } from "../../messages/speaker.js";
import type { Metrics } from "../../metrics.js";
import { drawCharts } from "../../notify/chart-images.js";
import type { SalesService } from "../../sales/sales-service.js";
import { createEdge } from "../edge.js";
import { renderText } from "./render-text.js";
import { saveCharts, saveReplyFile } from "./save-file.js";

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
  metrics?: Metrics | undefined;
  /** Where files that replies carry are saved: the working directory by default. */
  directory?: string;
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
  metrics,
  directory = process.cwd(),
}: ShellOptions): Promise<void> {
  // The reader went away (`npm start | head -3`): the session ends quietly, as `cat` would.
  let readerGone = false;
  let rl: Interface | undefined;
  output.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    readerGone = true;
    rl?.close();
  });
  const write = (text: string) => readerGone || output.write(`${text}\n`);
  const edge = createEdge({ platform: "shell", log, metrics });
  let { workspace, member: actor } = await sales.identify(SHELL_WORKSPACE, {
    platformUserId: "admin",
    displayName: "admin",
  });
  const identityOf = async (ref: MemberRef) => ({
    platformUserId: ref.platformUserId.toLowerCase(),
    displayName: ref.displayName ?? ref.platformUserId,
  });

  // Read only from here: lines read before the loop below starts would be lost.
  rl = createInterface({ input, terminal: false });
  const prompt = () => interactive && !readerGone && output.write(`${actor.displayName}> `);
  const t = () => speakerFor(workspace).t;
  if (interactive) write(t()("shell.intro"));
  prompt();
  for await (const raw of rl) {
    const line = raw.trim();
    try {
      if (line === "" || line.startsWith("#")) continue;
      const as = /^\/as\s+@?([\p{L}\p{N}._-]{1,80})$/u.exec(line);
      if (as?.[1]) {
        workspace = await sales.workspaces.getWorkspace(workspace.id);
        const who = await identityOf({ platformUserId: as[1], displayName: as[1] });
        actor = await sales.members.ensureMember(workspace, who);
        write(t()("shell.as", { name: actor.displayName, role: t()(`role.${actor.role}`) }));
        continue;
      }
      if (!line.startsWith("/")) {
        write(t()("shell.not_a_command"));
        continue;
      }
      const { reply } = await edge({
        identify: async () => {
          workspace = await sales.workspaces.getWorkspace(workspace.id);
          actor = (await sales.members.findMember(workspace, actor.platformUserId)) ?? actor;
          return commandContext(sales, workspace, actor, identityOf);
        },
        locale: speakerFor(workspace).locale,
        input: { line },
      });
      write(renderText(reply));
      // A file (an export) or a chart is saved where the shell runs, and its path printed under the reply.
      if (reply.file)
        write(`  ${t()("shell.file_saved", { path: await saveReplyFile(directory, reply.file) })}`);
      for (const path of await saveCharts(directory, await drawCharts(reply.charts, log)))
        write(`  ${t()("shell.chart_saved", { path })}`);
      await afterCommand?.();
    } catch (error) {
      // The edge never throws; this guards the shell's own steps (switching member, delivering).
      log.error({ err: error }, "shell line failed");
      write(`! ${t()("error.generic")}`);
    } finally {
      prompt();
    }
  }
  if (interactive) write("");
}
