import type { Clock } from "../clock.js";
import { Prisma, type PrismaClient } from "../generated/prisma/client.js";
import type { Platform } from "../generated/prisma/enums.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "../metrics.js";
import type { Workspace } from "../sales/deps.js";
import { type Destination, payloadReply } from "./outbox.js";
import { DeliveryError, type DeliveryPort } from "./port.js";

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
          AND NOT EXISTS (
            SELECT 1 FROM outbox e
            WHERE e.workspace_id = r.workspace_id AND e.status = 'pending'
              AND e.destination = r.destination AND e.id < r.id AND e.next_attempt_at <= ${now})
          AND (r.workspace_id, r.destination) NOT IN (
            SELECT h.workspace_id, h.destination FROM outbox h WHERE h.hold_until > ${now})
        ORDER BY r.next_attempt_at
        LIMIT ${limit}
        FOR UPDATE OF r SKIP LOCKED
      ) due
      WHERE o.id = due.id
      RETURNING o.id, o.workspace_id, o.dedupe_key, o.kind, o.destination, o.payload, o.attempts`);
  }

  /**
   * Records a try: sent with its reference, or the error and when to try again. Either way the row
   * holds its destination for the port's interval from now, or as long as the platform asked.
   */
  async function record(
    row: ClaimedRow,
    platform: Platform,
    port: DeliveryPort,
    outcome: { ref: string } | { error: unknown },
  ): Promise<void> {
    const now = clock.now();
    // "Come back in n seconds" is the platform's pace, not a failed try: it does not use up an attempt.
    const paced = "error" in outcome ? pacedWait(outcome.error) : undefined;
    const holdUntil = new Date(now.getTime() + (paced ?? port.minIntervalMs));
    if ("ref" in outcome) {
      await db.outbox.update({
        where: { id: row.id },
        data: { status: "sent", sentAt: now, messageRef: outcome.ref, lastError: null, holdUntil },
      });
      options.metrics?.notifications.inc({ platform, kind: row.kind, outcome: "sent" });
    } else {
      const error = outcome.error;
      const message = error instanceof Error ? error.message : String(error);
      const retryable = error instanceof DeliveryError ? error.retryable : true;
      const failed = !retryable || (paced === undefined && row.attempts >= maxAttempts);
      const wait = paced ?? backoffMs(row.attempts);
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

  /** Sends one claimed row and records the outcome. */
  async function send(ws: Workspace, port: DeliveryPort, row: ClaimedRow): Promise<void> {
    let outcome: { ref: string } | { error: unknown };
    try {
      const reply = payloadReply(row.payload);
      if (!reply) throw new DeliveryError("the stored payload is not a message", false);
      const ref = await port.deliver({
        workspace: ws,
        destination: row.destination as Destination,
        reply,
        dedupeKey: row.dedupe_key,
        attempt: row.attempts,
      });
      outcome = { ref };
    } catch (error) {
      outcome = { error };
    }
    await record(row, ws.platform, port, outcome);
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
          await send(ws, port, row);
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
