import nodeCron from "node-cron";
import type { Clock } from "../clock.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import type { Platform } from "../generated/prisma/enums.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "../metrics.js";
import type { Workspace } from "../sales/deps.js";
import { localDate } from "../sales/periods/period.js";
import { announceContests, workspacesWithContests } from "./contests.js";
import { runJob } from "./jobs.js";
import { isDue, JOBS, type JobName, slotDayAt, workOn } from "./slots.js";

/** The part of node-cron the scheduler uses: a seam, so a test can see the schedules it sets. */
export interface Cron {
  schedule(
    pattern: string,
    run: () => unknown,
    options: { timezone: string; name: string },
  ): { stop(): unknown; destroy(): unknown; getNextRun(): Date | null };
}

export interface SchedulerOptions {
  db: PrismaClient;
  /** The platforms running here: only their workspaces are scheduled. */
  platforms: Platform[];
  /** Only these workspaces (a test's own, among others in the same database); all when absent. */
  workspaceIds?: number[];
  clock: Clock;
  log: Logger;
  /** Called after a run queued notifications, so the dispatcher can deliver them now. */
  onQueued?: () => void;
  cron?: Cron;
  /** The catch-up sweep over every workspace (UTC); it also picks up new workspaces and changed times. */
  sweepPattern?: string;
  /** Workspaces worked on at the same time, however many schedules fire at once. */
  concurrency?: number;
  metrics?: Metrics | undefined;
}

/** Runs at most `max` calls of `fn` at once; the others wait their turn, in order. */
export function createLimiter(max: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      return await fn();
    } finally {
      // Hand the slot straight to the next waiter, or give it back.
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}

/** node-cron's "M H * * *" for a daily HH:MM. */
export function dailyPattern(time: string): string {
  const [hh, mm] = time.split(":").map(Number);
  return `${mm ?? 0} ${hh ?? 9} * * *`;
}

/**
 * The scheduler: one node-cron schedule per workspace at its digest time in its time zone, and a
 * sweep every few minutes. Both only ask "is today's slot past and not yet run?", so a run missed
 * while the process was down happens once when it comes back the same day, a DST change neither
 * skips nor doubles a run (a slot is a local date), and replicas share one claim per slot.
 */
export function createScheduler(options: SchedulerOptions) {
  const { db, clock, log } = options;
  const cron = options.cron ?? (nodeCron as unknown as Cron);
  const concurrency = options.concurrency ?? 4;
  const tasks = new Map<number, { pattern: string; timezone: string; task: ReturnType<Cron["schedule"]> }>();
  const busy = new Set<number>();
  // Thousands of workspaces share a digest time: their schedules fire together, and would all
  // compete for the database's connections at once. Runs take turns instead.
  const limit = createLimiter(concurrency);
  let sweepTask: ReturnType<Cron["schedule"]> | undefined;

  /** Runs every job of today's slot that is due and has not run yet; returns how many notifications it queued. */
  function runDue(ws: Workspace, done?: Set<string>): Promise<number> {
    return limit(() => runDueNow(ws, done));
  }

  async function runDueNow(ws: Workspace, done?: Set<string>): Promise<number> {
    if (busy.has(ws.id)) return 0;
    const at = clock.now();
    const day = slotDayAt(ws, at);
    busy.add(ws.id);
    let queued = 0;
    let running: JobName | undefined;
    try {
      const work = day ? workOn(ws, day) : undefined;
      for (const job of JOBS) {
        if (!day || !work || !isDue(job, work) || done?.has(`${ws.id}|${job}`)) continue;
        running = job;
        const outcome = await runJob(db, job, ws, day, at);
        options.metrics?.jobRuns.inc({ job, outcome: outcome.status });
        if (outcome.status === "queued") {
          queued += outcome.count;
          log.info({ workspaceId: ws.id, job, day, queued: outcome.count }, "job ran");
        }
      }
      running = undefined;
      // Contest announcements are due at their own times (a result missed while down, at once).
      const announced = await announceContests(db, ws, at);
      if (announced > 0) log.info({ workspaceId: ws.id, queued: announced }, "contests announced");
      queued += announced;
    } catch (error) {
      if (running) options.metrics?.jobRuns.inc({ job: running, outcome: "failed" });
      log.error({ err: error, workspaceId: ws.id, day, job: running }, "scheduled job failed");
    } finally {
      busy.delete(ws.id);
    }
    if (queued > 0) options.onQueued?.();
    return queued;
  }

  async function runDueById(id: number): Promise<void> {
    await limit(async () => {
      const ws = await db.workspace.findUnique({ where: { id } });
      if (ws) await runDueNow(ws);
    });
  }

  function schedule(ws: Workspace): void {
    const pattern = dailyPattern(ws.digestTime);
    const existing = tasks.get(ws.id);
    if (existing && existing.pattern === pattern && existing.timezone === ws.timezone) return;
    existing?.task.destroy();
    const task = cron.schedule(
      pattern,
      () => runDueById(ws.id).catch((error: unknown) => log.error({ err: error }, "scheduled run failed")),
      { timezone: ws.timezone, name: `closer-workspace-${ws.id}` },
    );
    tasks.set(ws.id, { pattern, timezone: ws.timezone, task });
  }

  /**
   * Schedules every workspace (new ones, changed times) and runs what is due and not yet run today.
   * Returns how many notifications it queued.
   */
  async function sweep(): Promise<number> {
    const workspaces = await db.workspace.findMany({
      where: {
        platform: { in: options.platforms },
        ...(options.workspaceIds ? { id: { in: options.workspaceIds } } : {}),
      },
      orderBy: { id: "asc" },
    });
    for (const ws of workspaces) schedule(ws);
    const at = clock.now();
    // One query says which of today's slots already ran, so the sweep costs little when all did.
    const since = new Date(at.getTime() - 2 * 86_400_000);
    const ran = await db.jobRun.findMany({
      where: {
        workspace: { platform: { in: options.platforms } },
        slot: { gte: new Date(`${since.toISOString().slice(0, 10)}T00:00:00Z`) },
      },
      select: { workspaceId: true, job: true, slot: true },
    });
    const today = new Map(workspaces.map((w) => [w.id, localDate(at, w.timezone)]));
    const done = new Set(
      ran
        .filter((r) => today.get(r.workspaceId) === r.slot.toISOString().slice(0, 10))
        .map((r) => `${r.workspaceId}|${r.job}`),
    );
    const contests = await workspacesWithContests(
      db,
      at,
      workspaces.map((w) => w.id),
    );
    const queue = workspaces.filter((ws) => {
      if (contests.has(ws.id)) return true;
      const day = slotDayAt(ws, at);
      if (!day) return false;
      const work = workOn(ws, day);
      return JOBS.some((job) => isDue(job, work) && !done.has(`${ws.id}|${job}`));
    });
    const counts = await Promise.all(queue.map((ws) => runDue(ws, done)));
    return counts.reduce((a, b) => a + b, 0);
  }

  return {
    runDue,
    sweep,
    /** The node-cron schedules set, by workspace id. */
    schedules: () =>
      new Map([...tasks].map(([id, t]) => [id, { pattern: t.pattern, timezone: t.timezone, task: t.task }])),
    /** Catches up what was due while the process was down, then keeps the schedules. */
    async start(): Promise<void> {
      await sweep();
      sweepTask = cron.schedule(
        options.sweepPattern ?? "*/5 * * * *",
        () => sweep().catch((error: unknown) => log.error({ err: error }, "schedule sweep failed")),
        { timezone: "UTC", name: "closer-sweep" },
      );
    },
    stop(): void {
      sweepTask?.destroy();
      for (const t of tasks.values()) t.task.destroy();
      tasks.clear();
    },
  };
}

export type Scheduler = ReturnType<typeof createScheduler>;
