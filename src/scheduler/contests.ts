import { announceWin } from "../announcements/celebration.js";
import { contestNotification } from "../announcements/contests.js";
import { announceKudos } from "../announcements/kudos.js";
import { createFixedClock } from "../clock.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import { enqueue } from "../notify/outbox.js";
import type { Workspace } from "../sales/deps.js";
import { createSalesService } from "../sales/sales-service.js";
import { slotInstant } from "./slots.js";

/**
 * Queues the contest announcements of a workspace due at `at` (its start, its last day, its result,
 * a cancellation; see `dueAnnouncements`), each in one transaction that claims it on the contest's
 * row: a replica, a restart or a second run finds it claimed and queues nothing, and the outbox key
 * `contest:<id>:<kind>` is unique too. A result missed while Closer was down is queued on the next
 * tick, however late. Without a channel for contests the announcement is claimed and not posted.
 * Returns how many notifications it queued.
 */
export async function announceContests(
  db: PrismaClient,
  ws: Workspace,
  at: Date,
  /** When the notifications are queued (due to be sent); `run-job --at` in the future queues now. */
  queuedAt: Date = at,
): Promise<number> {
  const sales = createSalesService({
    db,
    clock: createFixedClock(at),
    onWin: announceWin,
    onKudos: announceKudos,
  });
  const due = await sales.contests.dueAnnouncements(ws, (day) => slotInstant(ws, day));
  let queued = 0;
  for (const { kind, standings } of due) {
    const notification = contestNotification(ws, kind, standings, at);
    queued += await db.$transaction(async (tx) => {
      if (!(await sales.contests.claimAnnouncement(tx, standings.contest, kind))) return 0;
      return notification ? enqueue(tx, ws, [notification], queuedAt) : 0;
    });
  }
  return queued;
}

/**
 * The workspaces (of `ids`, or all) that may have a contest announcement due by `at`: a contest not
 * ended with its result or cancellation announced, begun by the next UTC day (a time zone ahead of
 * UTC is there already). One indexed read, so the sweep costs little when no contest runs.
 */
export async function workspacesWithContests(
  db: PrismaClient,
  at: Date,
  ids?: number[],
): Promise<Set<number>> {
  const tomorrow = new Date(`${new Date(at.getTime() + 86_400_000).toISOString().slice(0, 10)}T00:00:00Z`);
  const rows = await db.contest.findMany({
    where: {
      resultAnnouncedAt: null,
      fromDate: { lte: tomorrow },
      OR: [{ cancelledAt: null }, { startAnnouncedAt: { not: null } }],
      ...(ids ? { workspaceId: { in: ids } } : {}),
    },
    select: { workspaceId: true },
    distinct: ["workspaceId"],
  });
  return new Set(rows.map((r) => r.workspaceId));
}
