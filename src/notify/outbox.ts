import { z } from "zod";
import type { Prisma } from "../generated/prisma/client.js";
import type { Reply } from "../messages/reply.js";
import type { Db, Member, SalesDeps, Workspace } from "../sales/deps.js";
import { assertAdmin } from "../sales/permissions.js";

export const NOTIFICATION_KINDS = ["win", "digest", "award", "reminders"] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * Where a notification goes: `#<channel id or name>` or `@<platform user id>` (a direct message).
 * The shell prints it as `[#wins]` or `[dm @alice]`.
 */
export type Destination = `#${string}` | `@${string}`;

export const channelOf = (id: string): Destination => `#${id}`;
export const dmOf = (platformUserId: string): Destination => `@${platformUserId}`;

/** A message to post, with the deterministic key that makes it happen once (DESIGN §5). */
export interface Notification {
  key: string;
  kind: NotificationKind;
  destination: Destination;
  reply: Reply;
}

const ReplyPayload = z.object({
  visibility: z.enum(["ephemeral", "public"]),
  tone: z.enum(["normal", "error"]).optional(),
  title: z.string().optional(),
  lines: z.array(z.string()),
  fields: z.array(z.object({ label: z.string(), value: z.string() })).optional(),
  table: z.object({ columns: z.array(z.string()), rows: z.array(z.array(z.string())) }).optional(),
});

/** The reply stored in an outbox row, or undefined when it is not one (the row then fails for good). */
export function payloadReply(payload: unknown): Reply | undefined {
  const parsed = ReplyPayload.safeParse(payload);
  return parsed.success ? parsed.data : undefined;
}

/**
 * Writes notifications into the outbox through `db` (the transaction of the change that causes
 * them). A key already there is skipped, so a retried job or a second replica adds nothing.
 * Returns how many rows were new.
 */
export async function enqueue(
  db: Db,
  ws: Workspace,
  notifications: Notification[],
  now: Date,
): Promise<number> {
  if (notifications.length === 0) return 0;
  const { count } = await db.outbox.createMany({
    data: notifications.map((n) => ({
      workspaceId: ws.id,
      dedupeKey: n.key,
      kind: n.kind,
      destination: n.destination,
      payload: n.reply as unknown as Prisma.InputJsonValue,
      createdAt: now,
      nextAttemptAt: now,
    })),
    skipDuplicates: true,
  });
  return count;
}

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

/** The outbox as the `/closer status` and `/closer retry` commands see it. */
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
