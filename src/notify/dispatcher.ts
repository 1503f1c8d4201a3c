import type { Clock } from "../clock.js";
import { Prisma, type PrismaClient } from "../generated/prisma/client.js";
import type { Platform } from "../generated/prisma/enums.js";
import { groupBy } from "../group-by.js";
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
 */
export function createDispatcher(options: DispatcherOptions) {
  const { db, ports, clock, log } = options;
  const batchSize = options.batchSize ?? 100;
  const concurrency = options.concurrency ?? 16;
  const leaseMs = options.leaseMs ?? 60_000;
  const maxAttempts = options.maxAttempts ?? 10;
  const pollMs = options.pollMs ?? 500;
  const platforms = Object.keys(ports) as Platform[];
  /** When each destination last received a message (clock ms), for the per-destination interval. */
  const lastSent = new Map<string, number>();

  /** Claims up to `batchSize` due rows of our platforms: attempts + 1 and a lease in place of the due time. */
  async function claim(limit = batchSize): Promise<ClaimedRow[]> {
    if (platforms.length === 0) return [];
    const now = clock.now();
    return db.$queryRaw<ClaimedRow[]>(Prisma.sql`
      UPDATE outbox o SET attempts = o.attempts + 1, next_attempt_at = ${new Date(now.getTime() + leaseMs)}
      FROM (
        SELECT r.id FROM outbox r JOIN workspace w ON w.id = r.workspace_id
        WHERE r.status = 'pending' AND r.next_attempt_at <= ${now}
          AND w.platform::text IN (${Prisma.join(platforms)})
        ORDER BY r.next_attempt_at, r.id
        LIMIT ${limit}
        FOR UPDATE OF r SKIP LOCKED
      ) due
      WHERE o.id = due.id
      RETURNING o.id, o.workspace_id, o.dedupe_key, o.kind, o.destination, o.payload, o.attempts`);
  }

  async function record(
    row: ClaimedRow,
    platform: Platform,
    outcome: { ref: string } | { error: unknown },
  ): Promise<void> {
    const now = clock.now();
    if ("ref" in outcome) {
      await db.outbox.update({
        where: { id: row.id },
        data: { status: "sent", sentAt: now, messageRef: outcome.ref, lastError: null },
      });
      options.metrics?.notifications.inc({ platform, kind: row.kind, outcome: "sent" });
      return;
    }
    const error = outcome.error;
    const message = error instanceof Error ? error.message : String(error);
    // "Come back in n seconds" is the platform's pace, not a failed try: it does not use up an attempt.
    const paced = pacedWait(error);
    const retryable = error instanceof DeliveryError ? error.retryable : true;
    const failed = !retryable || (paced === undefined && row.attempts >= maxAttempts);
    const wait = paced ?? backoffMs(row.attempts);
    await db.outbox.update({
      where: { id: row.id },
      data: {
        status: failed ? "failed" : "pending",
        lastError: message.slice(0, 500),
        nextAttemptAt: failed ? now : new Date(now.getTime() + wait),
        ...(paced !== undefined ? { attempts: row.attempts - 1 } : {}),
      },
    });
    options.metrics?.notifications.inc({ platform, kind: row.kind, outcome: failed ? "failed" : "retry" });
    log[failed ? "error" : "warn"](
      { key: row.dedupe_key, attempt: row.attempts, retryInMs: failed ? undefined : wait, err: message },
      failed ? "notification failed" : "notification will be retried",
    );
  }

  /** Gives a claimed row back, due at `at`, without counting the attempt. */
  async function release(row: ClaimedRow, at: Date): Promise<void> {
    await db.outbox.update({
      where: { id: row.id },
      data: { attempts: row.attempts - 1, nextAttemptAt: at },
    });
  }

  /** Sends one destination's rows in order, keeping the port's interval between them. */
  async function sendGroup(ws: Workspace, port: DeliveryPort, rows: ClaimedRow[]): Promise<void> {
    const dest = `${ws.id}|${rows[0]?.destination}`;
    for (const [i, row] of rows.entries()) {
      const free = (lastSent.get(dest) ?? Number.NEGATIVE_INFINITY) + port.minIntervalMs;
      if (clock.now().getTime() < free) {
        for (const later of rows.slice(i)) await release(later, new Date(free));
        return;
      }
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
        lastSent.set(dest, clock.now().getTime());
        outcome = { ref };
      } catch (error) {
        outcome = { error };
      }
      await record(row, ws.platform, outcome);
      const paced = "error" in outcome ? pacedWait(outcome.error) : undefined;
      if (paced !== undefined) {
        // The platform said when to come back: the destination's later rows wait with this one, uncounted.
        const at = new Date(clock.now().getTime() + paced);
        for (const later of rows.slice(i + 1)) await release(later, at);
        return;
      }
    }
  }

  /** Claims one batch and delivers it; returns how many rows it claimed. */
  async function dispatchOnce(): Promise<number> {
    const rows = await claim();
    if (rows.length === 0) return 0;
    if (lastSent.size > 10_000) {
      // Only the last second matters: forget destinations quiet for a minute.
      const old = clock.now().getTime() - 60_000;
      for (const [dest, at] of lastSent) if (at < old) lastSent.delete(dest);
    }
    const workspaces = new Map(
      (
        await db.workspace.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.workspace_id))] } } })
      ).map((w) => [w.id, w]),
    );
    const queue = [...groupBy(rows, (row) => `${row.workspace_id}|${row.destination}`).values()];
    const worker = async () => {
      for (let group = queue.shift(); group; group = queue.shift()) {
        const ws = workspaces.get(group[0]?.workspace_id ?? -1);
        const port = ws && ports[ws.platform];
        if (!ws || !port) continue;
        try {
          await sendGroup(ws, port, group);
        } catch (error) {
          // Recording failed (the database went away): the lease runs out and the rows are tried again.
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
