import type { Db, Member, SalesDeps, Workspace } from "../deps.js";
import { assertAdmin } from "../permissions.js";

export interface OutboxStatus {
  pending: number;
  failed: number;
  sent: number;
  lastError: { key: string; error: string; at: Date } | null;
}

/** What the workspace's outbox holds: pending, failed and sent rows, and the latest error. Admins only. */
async function outboxStatus(db: Db, ws: Workspace): Promise<OutboxStatus> {
  const counts = await db.outbox.groupBy({
    by: ["status"],
    where: { workspaceId: ws.id },
    _count: { _all: true },
  });
  const count = (status: string) => counts.find((c) => c.status === status)?._count._all ?? 0;
  const last = await db.outbox.findFirst({
    where: { workspaceId: ws.id, lastError: { not: null }, status: { not: "sent" } },
    orderBy: { nextAttemptAt: "desc" },
    select: { dedupeKey: true, lastError: true, nextAttemptAt: true },
  });
  return {
    pending: count("pending"),
    failed: count("failed"),
    sent: count("sent"),
    lastError: last?.lastError
      ? { key: last.dedupeKey, error: last.lastError, at: last.nextAttemptAt }
      : null,
  };
}

/**
 * The notification queue as an admin sees it (`/closer status`, `/closer retry`): what is pending,
 * failed and sent, and failed rows put back. Delivering the queue is notify/'s work, not the service's.
 */
export function createOutboxService({ db, clock }: SalesDeps) {
  return {
    async status(ws: Workspace, actor: Member): Promise<OutboxStatus> {
      assertAdmin(ws, actor);
      return outboxStatus(db, ws);
    },

    /** Puts the workspace's failed notifications back in the queue; returns how many. Admins only. */
    async retryFailed(ws: Workspace, actor: Member): Promise<number> {
      assertAdmin(ws, actor);
      const { count } = await db.outbox.updateMany({
        where: { workspaceId: ws.id, status: "failed" },
        data: { status: "pending", attempts: 0, nextAttemptAt: clock.now() },
      });
      return count;
    },
  };
}
