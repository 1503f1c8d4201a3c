import { DateTime } from "luxon";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll } from "vitest";
import type { Database } from "../../src/db/client.js";
import { migrate } from "../../src/db/migrate.js";
import type { Platform } from "../../src/generated/prisma/enums.js";
import type { Member, Workspace } from "../../src/sales/deps.js";
import type { SalesService } from "../../src/sales/sales-service.js";
import { createScheduler, type Scheduler } from "../../src/scheduler/scheduler.js";
import { createTestSales, type FixedClock, seedMember, seedWorkspace } from "../fixtures/sales.js";
import { type EmptyDatabase, openMigratedDatabase } from "../support/db.js";

const MINUTE = 60_000;

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

export interface Step {
  at: Date;
  queued: number;
}

/**
 * The database, service and clock of one test file. Call it once, at the top of the file: it
 * registers the hooks that open a migrated database before the file's tests, stop every scheduler
 * made with `schedulerFor` after each test, and drop the database after them all.
 */
export function useSchedulerWorld() {
  let database: EmptyDatabase;
  let db: Database;
  let sales: SalesService;
  let clock: FixedClock;
  const running: Scheduler[] = [];

  beforeAll(async () => {
    // Not openTestDatabase: this keeps the URL a second handle needs. Starts migrated; nothing to apply.
    database = await openMigratedDatabase();
    await migrate(database.db.sql);
    db = database.db;
    ({ sales, clock } = createTestSales(db));
  });
  afterEach(() => {
    for (const scheduler of running.splice(0)) scheduler.stop();
  });
  afterAll(() => database.close());

  /** A scheduler on the test clock over the given workspaces, logging into `errors` what went wrong. */
  function schedulerFor(
    workspaces: Workspace[],
    options: { platforms?: Platform[]; onDb?: Database; onQueued?: () => void } = {},
  ): { scheduler: Scheduler; errors: LogLine[] } {
    const errors: LogLine[] = [];
    const log = pino(
      { level: "info" },
      {
        write(line: string) {
          const parsed = JSON.parse(line) as LogLine;
          if (parsed.level >= 50) errors.push(parsed);
        },
      },
    );
    const scheduler = createScheduler({
      db: (options.onDb ?? db).prisma,
      platforms: options.platforms ?? ["shell"],
      workspaceIds: workspaces.map((w) => w.id),
      clock,
      log,
      ...(options.onQueued ? { onQueued: options.onQueued } : {}),
    });
    running.push(scheduler);
    return { scheduler, errors };
  }

  /** A workspace in a zone with a digest channel and a manager, then the given settings. */
  async function seedTeam(
    timezone: string,
    settings: Record<string, string> = {},
  ): Promise<{ ws: Workspace; admin: Member; manager: Member }> {
    let ws = await seedWorkspace(sales, { timezone });
    const admin = await seedMember(sales, ws, "admin", "admin");
    for (const [key, value] of Object.entries({ digest_channel: "digest", ...settings }))
      ws = await sales.workspaces.setConfig(ws, admin, key, value);
    const manager = await seedMember(sales, ws, "maria", "manager");
    return { ws, admin, manager };
  }

  /**
   * Moves the clock from `from` (included) to `to` (excluded) and sweeps at each step: every 5 minutes
   * where `fine` says so, every `coarse` minutes elsewhere. Started on a whole hour, the steps stay on
   * whole 5 minutes, and a fine stretch is entered at most `coarse` minutes after it begins.
   */
  async function stepThrough(
    scheduler: Scheduler,
    from: Date | string,
    to: Date | string,
    fine: (at: DateTime) => boolean,
    coarse = 60,
  ): Promise<Step[]> {
    const steps: Step[] = [];
    const end = new Date(to).getTime();
    for (let at = new Date(from).getTime(); at < end; ) {
      clock.set(new Date(at));
      steps.push({ at: new Date(at), queued: await scheduler.sweep() });
      at += (fine(DateTime.fromMillis(at, { zone: "UTC" })) ? 5 : coarse) * MINUTE;
    }
    return steps;
  }

  const outboxOf = (ws: Workspace, kind?: string) =>
    db.prisma.outbox.findMany({
      where: { workspaceId: ws.id, ...(kind ? { kind } : {}) },
      orderBy: [{ createdAt: "asc" }, { dedupeKey: "asc" }],
    });

  const runsOf = (ws: Workspace, job?: string) =>
    db.prisma.jobRun.findMany({
      where: { workspaceId: ws.id, ...(job ? { job } : {}) },
      orderBy: [{ slot: "asc" }, { job: "asc" }],
    });

  return {
    get db() {
      return db;
    },
    get sales() {
      return sales;
    },
    get clock() {
      return clock;
    },
    /** Set on PostgreSQL, to open a second handle on the same database. */
    get url() {
      return database.url;
    },
    schedulerFor,
    seedTeam,
    stepThrough,
    outboxOf,
    runsOf,
  };
}

/** Whether the local time in any of the zones is within [from, to), both "HH:mm". */
export const localTimeIn =
  (zones: string[], from: string, to: string) =>
  (at: DateTime): boolean =>
    zones.some((zone) => {
      const time = at.setZone(zone).toFormat("HH:mm");
      return time >= from && time < to;
    });

/** An instant written as a local time with its offset, `2026-03-29T03:30+02:00`. */
export const instant = (local: string) => DateTime.fromISO(local, { setZone: true }).toJSDate();

export const dateOf = (d: Date) => d.toISOString().slice(0, 10);
export const localOf = (at: Date, zone: string) => DateTime.fromJSDate(at, { zone });
export const localDay = (at: Date, zone: string) => localOf(at, zone).toISODate() ?? "";

/** The digest rows of a day for a workspace with a digest channel and one manager. */
export const digestKeys = (ws: Workspace, manager: Member, day: string) => [
  `digest:${ws.id}:${day}:${manager.id}`,
  `digest:${ws.id}:${day}:channel`,
];

/** The steps that queued something, as ISO instants. */
export const queuedSteps = (steps: Step[]) =>
  steps.filter((s) => s.queued > 0).map((s) => s.at.toISOString());
