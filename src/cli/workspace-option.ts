import type { PrismaClient } from "../generated/prisma/client.js";
import type { Workspace } from "../sales/deps.js";
import { UsageError } from "./usage-error.js";

/** How a workspace is named on the command line: its id, its platform's id for it, or its name. */
export function namesWorkspace(ws: Workspace, key: string): boolean {
  return String(ws.id) === key || ws.externalId === key || ws.name.toLowerCase() === key.toLowerCase();
}

/** What the user typed, quoted back without control characters, so an error cannot recolour a terminal. */
const quoted = (text: string) => `"${text.replace(/\p{Cc}/gu, "?")}"`;

/** `3 "Acme" (slack T0123)`: a workspace as a list in an error shows it. */
const shown = (ws: Workspace) => `${ws.id} ${quoted(ws.name)} (${ws.platform} ${ws.externalId})`;

/**
 * The workspace `--workspace` names: an id, a platform's id (`local`, a Slack team, a Discord
 * guild) or a name, case aside; without it, the only workspace there is. `command` names the
 * command in the errors.
 *
 * @throws UsageError when none matches, when several do, or when it is missing and there are
 *   several workspaces (or none); the message lists the workspaces there are.
 */
export async function resolveWorkspace(
  db: Pick<PrismaClient, "workspace">,
  key: string | undefined,
  command: string,
): Promise<Workspace> {
  const all = await db.workspace.findMany({ orderBy: { id: "asc" } });
  const list = () => all.map(shown).join(", ");
  if (all.length === 0) throw new UsageError(command, "there is no workspace yet");
  if (key === undefined) {
    const [only] = all;
    if (all.length === 1 && only) return only;
    throw new UsageError(command, `choose a workspace with --workspace <id or name>: ${list()}`);
  }
  const byId = all.find((ws) => String(ws.id) === key);
  const found = byId ? [byId] : all.filter((ws) => namesWorkspace(ws, key));
  const [one] = found;
  if (found.length === 1 && one) return one;
  if (found.length > 1)
    throw new UsageError(
      command,
      `several workspaces are called ${quoted(key)}, give its id: ${found.map(shown).join(", ")}`,
    );
  throw new UsageError(command, `no workspace ${quoted(key)}; there are: ${list()}`);
}
