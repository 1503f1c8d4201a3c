import type { Clock } from "../clock.js";
import { Prisma, type PrismaClient } from "../generated/prisma/client.js";
import type { Platform } from "../generated/prisma/enums.js";
import type { Logger } from "../logger.js";
import { mergedReply } from "../messages/merged-reply.js";
import type { Reply } from "../messages/reply.js";
import type { Metrics } from "../metrics.js";
import type { Workspace } from "../sales/deps.js";
import { quietHoursEnd } from "../sales/workspaces/quiet-hours.js";
import { localeOf } from "../sales/workspaces/workspace-service.js";
import {
  type Destination,
  heldByQuietHours,
  MAX_MERGED,
  mergeablePrefix,
  payloadReply,
  QUIET_HOURS_EXEMPT_KINDS,
} from "./outbox.js";
import { DeliveryError, type DeliveryPort, type OutboundMessage } from "./port.js";

export interface DispatcherOptions {
  db: PrismaClient;
  /** The platforms this process can post to; rows of other platforms are left to another process. */
  ports: Partial<Record<Platform, DeliveryPort>>;
  clock: Clock;
  log: Logger;
  /** Rows claimed at once. */
  batchSize?: number;
  /** Destinations served at the same time. */
  concurrency?: number;
  /** How long a claim lasts: a process that stops mid-send leaves its rows to others after it. */
  leaseMs?: number;
  /** Tries before a row is marked failed. */
  maxAttempts?: number;
  /** Wait between polls when the outbox is empty. */
  pollMs?: number;
  metrics?: Metrics | undefined;
}

/** A claimed outbox row. */
export interface ClaimedRow {
  id: number;
  workspace_id: number;
  dedupe_key: string;
  kind: string;
  destination: string;
  payload: unknown;
  attempts: number;
  /** The end of the quiet hours that held the row; null when none did. */
  quiet_until: Date | null;
  /** Its own id when the row leads a merged message (see `groupOf`). */
  merged_into: number | null;
}

/** What one claimed row sends: its message, and the rows that message carries (the row first). */
export interface Outgoing {
  message: OutboundMessage;
  group: number[];
}

/** How long the platform asked us to wait ("come back in n seconds"), when it did. */
function pacedWait(error: unknown): number | undefined {
  return error instanceof DeliveryError && error.retryable ? error.retryAfterMs : undefined;
}

/** Exponential backoff from 2 s, at most 15 min. */
export function backoffMs(attempt: number): number {
  return Math.min(2_000 * 2 ** Math.max(0, attempt - 1), 15 * 60_000);
}

/**
 * The outbox dispatcher: claims due rows with `FOR UPDATE SKIP LOCKED` (so replicas share the work
 * and never send one row twice at once), posts them through the platform ports, and records the
 * message reference, or the error and when to try again.
 *
 * Pacing lives in the database, so it holds across replicas: a claim takes at most one row per
 * destination, its first due one, and none of a destination that a row holds (`hold_until`: the
 * lease while a row is being sent, then the port's least interval or the platform's Retry-After).
 *
 * Quiet hours: a channel post due inside its workspace's quiet hours is put back until they end, and
 * the posts they held together for one channel go out as one message when a kind is mergeable.
 */
export function createDispatcher(options: DispatcherOptions) {
  const { db, ports, clock, log } = options;
  const batchSize = options.batchSize ?? 100;
  const concurrency = options.concurrency ?? 16;
  const leaseMs = options.leaseMs ?? 60_000;
  const maxAttempts = options.maxAttempts ?? 10;
  const pollMs = options.pollMs ?? 500;
  const platforms = Object.keys(ports) as Platform[];

  /**
   * Claims up to `batchSize` due rows of our platforms, at most one per destination: attempts + 1,
   * and a lease in place of the due time that also holds the destination while the row is sent.
   *
   * Only a destination's first due row (by id) is a candidate, so the row lock on it is the
   * destination's lock: a replica claiming at the same moment skips it, and has no other row of that
   * destination to take. Once the claim commits, the lease in `hold_until` keeps the others off.
   * Rows a merged message carries (`merged_into` another row) are never claimed, nor wait ahead of
   * others: their lead stands for them.
   *
   * The plan this is written for (2,000 destinations due at once): the due rows in the order of
   * (status, next_attempt_at), stopping at the limit; the first-row test on (workspace_id, status,
   * destination, id); the held destinations read once through `hold_until` into a hashed NOT IN.
   */
  async function claim(limit = batchSize): Promise<ClaimedRow[]> {
    if (platforms.length === 0) return [];
    const now = clock.now();
    const lease = new Date(now.getTime() + leaseMs);
    return db.$queryRaw<ClaimedRow[]>(Prisma.sql`
      UPDATE outbox o SET attempts = o.attempts + 1, next_attempt_at = ${lease}, hold_until = ${lease}
      FROM (
        SELECT r.id FROM outbox r JOIN workspace w ON w.id = r.workspace_id
        WHERE r.status = 'pending' AND r.next_attempt_at <= ${now}
          AND w.platform IN (${Prisma.join(platforms.map((p) => Prisma.sql`${p}::"Platform"`))})
          AND (r.merged_into IS NULL OR r.merged_into = r.id)
          AND NOT EXISTS (
            SELECT 1 FROM outbox e
            WHERE e.workspace_id = r.workspace_id AND e.status = 'pending'
              AND e.destination = r.destination AND e.id < r.id AND e.next_attempt_at <= ${now}
              AND (e.merged_into IS NULL OR e.merged_into = e.id))
          AND (r.workspace_id, r.destination) NOT IN (
            SELECT h.workspace_id, h.destination FROM outbox h WHERE h.hold_until > ${now})
        ORDER BY r.next_attempt_at
        LIMIT ${limit}
        FOR UPDATE OF r SKIP LOCKED
      ) due
      WHERE o.id = due.id
      RETURNING o.id, o.workspace_id, o.dedupe_key, o.kind, o.destination, o.payload, o.attempts,
        o.quiet_until, o.merged_into`);
  }

  /**
   * Records a try: sent with its reference, or the error and when to try again. Either way the row
   * holds its destination for the port's interval from now, or as long as the platform asked.
   */
  async function record(
    row: ClaimedRow,
    group: number[],
    platform: Platform,
    port: DeliveryPort,
    outcome: { ref: string } | { error: unknown },
  ): Promise<void> {
    const now = clock.now();
    // "Come back in n seconds" is the platform's pace, not a failed try: it does not use up an attempt.
    const paced = "error" in outcome ? pacedWait(outcome.error) : undefined;
    const holdUntil = new Date(now.getTime() + (paced ?? port.minIntervalMs));
    if ("ref" in outcome) {
      // Every row a merged message carries is recorded sent with the one reference.
      await db.outbox.updateMany({
        where: { id: { in: group } },
        data: { status: "sent", sentAt: now, messageRef: outcome.ref, lastError: null, holdUntil },
      });
      options.metrics?.notifications.inc({ platform, kind: row.kind, outcome: "sent" }, group.length);
    } else {
      const error = outcome.error;
      const message = error instanceof Error ? error.message : String(error);
      const retryable = error instanceof DeliveryError ? error.retryable : true;
      const failed = !retryable || (paced === undefined && row.attempts >= maxAttempts);
      const wait = paced ?? backoffMs(row.attempts);
      if (failed && group.length > 1)
        await db.outbox.updateMany({
          where: { id: { in: group.slice(1) } },
          data: { status: "failed", lastError: message.slice(0, 500) },
        });
      await db.outbox.update({
        where: { id: row.id },
        data: {
          status: failed ? "failed" : "pending",
          lastError: message.slice(0, 500),
          nextAttemptAt: failed ? now : new Date(now.getTime() + wait),
          holdUntil,
          ...(paced !== undefined ? { attempts: row.attempts - 1 } : {}),
        },
      });
      options.metrics?.notifications.inc({ platform, kind: row.kind, outcome: failed ? "failed" : "retry" });
      log[failed ? "error" : "warn"](
        { key: row.dedupe_key, attempt: row.attempts, retryInMs: failed ? undefined : wait, err: message },
        failed ? "notification failed" : "notification will be retried",
      );
    }
    if (holdUntil > now) {
      // The destination's other rows show when they may go, and leave the due range until then.
      await db.outbox.updateMany({
        where: {
          workspaceId: row.workspace_id,
          destination: row.destination,
          status: "pending",
          id: { not: row.id },
          nextAttemptAt: { lt: holdUntil },
        },
        data: { nextAttemptAt: holdUntil },
      });
    }
  }

  /**
   * Puts a row the quiet hours hold back until `end`, uncounted, with the destination's other due
   * rows they hold; the destination is free at once for what they do not hold (the digest).
   */
  async function hold(row: ClaimedRow, end: Date): Promise<void> {
    await db.$transaction([
      db.outbox.update({
        where: { id: row.id },
        data: { attempts: row.attempts - 1, nextAttemptAt: end, quietUntil: end, holdUntil: null },
      }),
      db.outbox.updateMany({
        where: {
          workspaceId: row.workspace_id,
          destination: row.destination,
          status: "pending",
          mergedInto: null,
          kind: { notIn: [...QUIET_HOURS_EXEMPT_KINDS] },
          nextAttemptAt: { lte: clock.now() },
        },
        data: { nextAttemptAt: end, quietUntil: end },
      }),
    ]);
    log.debug({ key: row.dedupe_key, until: end }, "notification held by quiet hours");
  }

  /**
   * The rows one claimed row's message carries, the row first. A row the quiet hours held, of a
   * mergeable kind, leads the held rows of its kind due for the same destination (up to MAX_MERGED),
   * and the group is written down (`merged_into`) before anything is sent: a resend after a crash
   * carries the same rows under the same key, so the platform finds the first post.
   */
  async function groupOf(row: ClaimedRow): Promise<number[]> {
    const prefix = mergeablePrefix(row.dedupe_key);
    if (!row.quiet_until || !prefix) return [row.id];
    if (row.merged_into !== row.id) {
      const held = await db.outbox.findMany({
        where: {
          workspaceId: row.workspace_id,
          destination: row.destination,
          status: "pending",
          mergedInto: null,
          quietUntil: { not: null },
          dedupeKey: { startsWith: prefix },
          nextAttemptAt: { lte: clock.now() },
          id: { gt: row.id },
        },
        orderBy: { id: "asc" },
        take: MAX_MERGED - 1,
        select: { id: true, payload: true },
      });
      // A held row that is not a message goes alone, and fails as such.
      const ids = [row.id, ...held.filter((h) => payloadReply(h.payload)).map((h) => h.id)];
      await db.outbox.updateMany({
        where: { id: { in: ids }, status: "pending", mergedInto: null },
        data: { mergedInto: row.id },
      });
    }
    const carried = await db.outbox.findMany({
      where: { mergedInto: row.id, id: { not: row.id } },
      orderBy: { id: "asc" },
      select: { id: true },
    });
    return [row.id, ...carried.map((c) => c.id)];
  }

  /** The message a claimed row sends, and the rows it carries: the row's own, or the group's merged. */
  async function prepare(ws: Workspace, row: ClaimedRow): Promise<Outgoing> {
    const group = await groupOf(row);
    let reply: Reply | undefined;
    if (group.length === 1) reply = payloadReply(row.payload);
    else {
      const rows = await db.outbox.findMany({
        where: { id: { in: group } },
        orderBy: { id: "asc" },
        select: { payload: true },
      });
      const replies = rows.map((r) => payloadReply(r.payload)).filter((r): r is Reply => r !== undefined);
      reply = mergedReply(replies, replies[0]?.locale ?? localeOf(ws));
    }
    if (!reply) throw new DeliveryError("the stored payload is not a message", false);
    return {
      group,
      message: {
        workspace: ws,
        destination: row.destination as Destination,
        reply,
        dedupeKey: row.dedupe_key,
        attempt: row.attempts,
      },
    };
  }

  /** Sends one claimed row (and the rows its message carries) and records the outcome. */
  async function send(ws: Workspace, port: DeliveryPort, row: ClaimedRow): Promise<void> {
    let outcome: { ref: string } | { error: unknown };
    let group = [row.id];
    try {
      const outgoing = await prepare(ws, row);
      group = outgoing.group;
      outcome = { ref: await port.deliver(outgoing.message) };
    } catch (error) {
      outcome = { error };
    }
    await record(row, group, ws.platform, port, outcome);
  }

  /** Claims one batch (one row per destination) and delivers it; returns how many rows it claimed. */
  async function dispatchOnce(): Promise<number> {
    const rows = await claim();
    if (rows.length === 0) return 0;
    const workspaces = new Map(
      (
        await db.workspace.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.workspace_id))] } } })
      ).map((w) => [w.id, w]),
    );
    const queue = [...rows];
    const worker = async () => {
      for (let row = queue.shift(); row; row = queue.shift()) {
        const ws = workspaces.get(row.workspace_id);
        const port = ws && ports[ws.platform];
        if (!ws || !port) continue;
        try {
          const quietEnd = heldByQuietHours(row.kind, row.destination)
            ? quietHoursEnd(ws.quietHours, ws.timezone, clock.now())
            : null;
          if (quietEnd) await hold(row, quietEnd);
          else await send(ws, port, row);
        } catch (error) {
          // Recording failed (the database went away): the lease runs out and the row is tried again.
          log.error({ err: error, workspaceId: ws.id }, "dispatch failed");
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
    return rows.length;
  }

  let running: Promise<void> | undefined;
  let stopping = false;
  let wakeUp: (() => void) | undefined;

  async function loop() {
    while (!stopping) {
      let claimed = 0;
      try {
        claimed = await dispatchOnce();
      } catch (error) {
        log.error({ err: error }, "dispatcher poll failed");
      }
      if (claimed === 0 && !stopping)
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollMs);
          wakeUp = () => {
            clearTimeout(timer);
            resolve();
          };
        });
    }
  }

  return {
    claim,
    /** What a claimed row would send, its merge group written down (tests stop a process here). */
    prepare,
    dispatchOnce,
    /** Delivers everything due now; resolves when nothing due is left (rows put off for later stay). */
    async drain(): Promise<void> {
      while ((await dispatchOnce()) > 0) {}
    },
    /** Polls the outbox until `stop`. */
    start() {
      stopping = false;
      running ??= loop().finally(() => {
        running = undefined;
      });
    },
    /** Delivers now instead of at the next poll (after something was queued in this process). */
    wake() {
      wakeUp?.();
    },
    async stop() {
      stopping = true;
      wakeUp?.();
      await running;
    },
  };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;
