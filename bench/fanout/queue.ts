import type { Clock } from "../../src/clock.js";
import type { PrismaClient } from "../../src/generated/prisma/client.js";
import type { Logger } from "../../src/logger.js";
import { type Cron, createScheduler } from "../../src/scheduler/scheduler.js";

/** A clock that reads `start` when made (or restarted) and then runs with real time, as the emulator's limits do. */
export interface BenchClock extends Clock {
  elapsedMs(): number;
  restart(at: Date): void;
}

export function createBenchClock(start: Date): BenchClock {
  let origin = start.getTime();
  let t0 = performance.now();
  return {
    now: () => new Date(origin + (performance.now() - t0)),
    elapsedMs: () => performance.now() - t0,
    restart(at) {
      origin = at.getTime();
      t0 = performance.now();
    },
  };
}

export interface QueueContext {
  db: PrismaClient;
  clock: BenchClock;
  log: Logger;
  concurrency: number;
  dueAt: Date;
  /** Outbox rows so far. */
  countOutbox(): Promise<number>;
  /** "scheduled job failed" lines logged so far, and the first one's error. */
  countFailures(): { failures: number; first?: string };
}

/** What `closer start` does at the due minute: node-cron fires every workspace's task at once. */
export interface CronTick {
  /** node-cron schedules the scheduler set, and how many of them fire at the due instant. */
  tasks: number;
  dueTasks: number;
  /** From firing every due task at once until all of them settled, and the outbox rows they queued. */
  tickMs: number;
  tickQueued: number;
  /** Workspaces whose run failed during the tick ("scheduled job failed"), and the first error. */
  failures: number;
  firstFailure?: string;
  /** The catch-up sweep that follows (in `closer start`, the next `*\/5` sweep, up to 5 minutes later). */
  catchUpMs: number;
  catchUpQueued: number;
}

/** Whether a daily `M H * * *` pattern in `timezone` fires at `at`. */
function firesAt(pattern: string, timezone: string, at: Date): boolean {
  const [mm, hh] = pattern.split(" ").map(Number);
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: timezone,
    hour: "numeric",
    minute: "numeric",
    hourCycle: "h23",
  }).formatToParts(at);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return part("hour") === hh && part("minute") === mm;
}

/** The scheduler's catch-up path: one `sweep()` as of the due instant runs every due job, `concurrency` workspaces at a time. */
export async function queueBySweep(ctx: QueueContext): Promise<number> {
  ctx.clock.restart(ctx.dueAt);
  const scheduler = createScheduler({
    db: ctx.db,
    platforms: ["slack"],
    clock: ctx.clock,
    log: ctx.log,
    concurrency: ctx.concurrency,
  });
  try {
    return await scheduler.sweep();
  } finally {
    scheduler.stop();
  }
}

/**
 * The scheduler's on-time path: a sweep a minute before sets one node-cron task per workspace (a
 * recording `Cron` seam stands in for node-cron), then at the due instant every task that fires is
 * run at once, as node-cron does, and then a catch-up sweep picks up what the tick did not queue.
 */
export async function queueByCron(ctx: QueueContext): Promise<CronTick> {
  const tasks: { pattern: string; timezone: string; run: () => unknown }[] = [];
  const cron: Cron = {
    schedule(pattern, run, options) {
      tasks.push({ pattern, timezone: options.timezone, run });
      return { stop() {}, destroy() {}, getNextRun: () => null };
    },
  };
  ctx.clock.restart(new Date(ctx.dueAt.getTime() - 60_000));
  const scheduler = createScheduler({
    db: ctx.db,
    platforms: ["slack"],
    clock: ctx.clock,
    log: ctx.log,
    concurrency: ctx.concurrency,
    cron,
  });
  try {
    const early = await scheduler.sweep();
    if (early !== 0) throw new Error(`the sweep a minute early queued ${early} notifications`);
    const due = tasks.filter((t) => t.pattern !== "*/5 * * * *" && firesAt(t.pattern, t.timezone, ctx.dueAt));
    ctx.clock.restart(ctx.dueAt);
    await Promise.all(due.map(async (t) => t.run()));
    const tickMs = ctx.clock.elapsedMs();
    const tickQueued = await ctx.countOutbox();
    const { failures, first } = ctx.countFailures();
    const catchUpQueued = await scheduler.sweep();
    return {
      tasks: tasks.length,
      dueTasks: due.length,
      tickMs,
      tickQueued,
      failures,
      ...(first === undefined ? {} : { firstFailure: first }),
      catchUpMs: ctx.clock.elapsedMs() - tickMs,
      catchUpQueued,
    };
  } finally {
    scheduler.stop();
  }
}
