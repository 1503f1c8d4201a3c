import { z } from "zod";
import type { Tx, Workspace } from "../../sales/deps.js";

/** The PostgreSQL channel wins are announced on to every replica's screens. */
export const WIN_CHANNEL = "closer_wins";

/** What a win's notification carries: ids only, so no figure travels outside the database. */
export const WinSignal = z.object({
  workspace: z.number().int().positive(),
  deal: z.number().int().positive(),
  number: z.number().int().positive(),
});
export type WinSignal = z.infer<typeof WinSignal>;

/**
 * Tells every replica's screens of a win, from inside the win's transaction: PostgreSQL delivers a
 * NOTIFY at commit, and never when the transaction rolls back, so a screen celebrates only wins
 * that happened.
 */
export async function signalWin(tx: Tx, ws: Workspace, deal: { id: number; number: number }): Promise<void> {
  const payload: WinSignal = { workspace: ws.id, deal: deal.id, number: deal.number };
  await tx.$executeRaw`SELECT pg_notify(${WIN_CHANNEL}, ${JSON.stringify(payload)})`;
}

/** A notification's payload as a win, or undefined when it is not one (another sender on the channel). */
export function parseWinSignal(payload: string): WinSignal | undefined {
  try {
    const parsed = WinSignal.safeParse(JSON.parse(payload));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
