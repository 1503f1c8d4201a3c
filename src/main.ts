import type { Readable, Writable } from "node:stream";
import { announceAchievements } from "./announcements/achievements.js";
import { announceWin } from "./announcements/celebration.js";
import { announceKudos } from "./announcements/kudos.js";
import type { Clock } from "./clock.js";
import { systemClock } from "./clock.js";
import type { Config } from "./config.js";
import { type Database, openDatabase } from "./db/client.js";
import { migrate } from "./db/migrate.js";
import type { Platform } from "./generated/prisma/enums.js";
import type { Logger } from "./logger.js";
import type { Metrics } from "./metrics.js";
import { createDispatcher } from "./notify/dispatcher.js";
import { pendingByPlatform } from "./notify/outbox.js";
import type { DeliveryPort } from "./notify/port.js";
import { runShell } from "./platforms/shell/shell.js";
import { createShellPort } from "./platforms/shell/shell-port.js";
import { configuredPlatforms, type RunningPlatform } from "./platforms/table.js";
import type { OnWin } from "./sales/deals/deal-service.js";
import { createSalesService, type SalesService } from "./sales/sales-service.js";
import { signalWin } from "./web/live/win-signal.js";
import { within } from "./within.js";

/** A win is celebrated in the wins channel and on the TV screens, both only if it commits. */
const announceAndSignalWin: OnWin = async (tx, ws, win, at) => {
  await announceWin(tx, ws, win, at);
  await signalWin(tx, ws, win.deal);
};

export interface App {
  db: Database;
  sales: SalesService;
  close(): Promise<void>;
}

/**
 * Composition root, first half: config -> database (migrated) -> services; a win is announced in its
 * transaction. `opening` is the database already being opened (the CLI starts it before loading the rest).
 */
export async function createApp(
  config: Config,
  log: Logger,
  clock: Clock = systemClock,
  opening: Promise<Database> = openDatabase(config.databaseUrl),
): Promise<App> {
  const db = await opening;
  try {
    const applied = await migrate(db.sql);
    if (applied.length) log.info({ applied }, "migrations applied");
    // A migration may rewrite a table (a new column filled in), which leaves its pages out of the
    // visibility map that index-only scans need, until a vacuum. PGlite has no autovacuum.
    if (applied.length && db.kind === "pglite") await db.sql.exec("VACUUM (ANALYZE)");
  } catch (error) {
    await db.close();
    throw error;
  }
  const sales = createSalesService({
    db: db.prisma,
    clock,
    onWin: announceAndSignalWin,
    onKudos: announceKudos,
    onAchievements: announceAchievements,
    publicUrl: config.publicUrl,
  });
  return { db, sales, close: () => db.close() };
}

export interface StartOptions {
  stdin: Readable;
  stdout: Writable;
  interactive: boolean;
  /** `closer shell`: the shell platform only, whatever else is configured. */
  shellOnly?: boolean;
  /** Resolves when the process should stop (SIGINT/SIGTERM); the platforms then close. */
  stopped?: Promise<void>;
  /** Called with the HTTP server's port once it listens (tests start it on port 0). */
  onListening?: (port: number) => void;
  /** The database, already being opened. */
  database?: Promise<Database>;
}

/** How long one part may take to stop before shutdown goes on without it. */
const STOP_TIMEOUT_MS = 5000;

interface RunningPart {
  name: string;
  stop(): Promise<unknown>;
}

/**
 * Composition root, second half: platforms -> HTTP server -> dispatcher and scheduler. Runs every
 * platform whose credentials are set, until `stopped`; with none (or `closer shell`), the shell on
 * stdin/stdout until end of input. The HTTP server (health, metrics, Slack's receiver, the TV and dashboard pages) runs with any
 * platform but the shell, and with the shell too when PORT is set.
 */
export async function start(config: Config, log: Logger, options: StartOptions): Promise<void> {
  const app = await createApp(config, log, systemClock, options.database);
  const running: RunningPart[] = [];
  try {
    const entries = options.shellOnly ? [] : configuredPlatforms(config);
    const deps = { config, sales: app.sales, db: app.db.prisma, clock: systemClock, log };
    const serving = entries.length > 0 || config.portSet === true;
    // Metrics and HTTP are loaded only when they serve: the shell alone starts without them.
    const metrics = serving
      ? (await import("./metrics.js")).createMetrics({
          outboxPending: () => pendingByPlatform(app.db.prisma),
        })
      : undefined;
    const platforms: RunningPlatform[] = [];
    for (const entry of entries) platforms.push(await entry.create({ ...deps, metrics }));
    if (metrics) {
      const { createHttpServer } = await import("./http/server.js");
      const http = createHttpServer({
        port: config.port,
        log,
        metrics,
        metricsToken: config.metricsToken,
        pingDatabase: () => app.db.prisma.$queryRaw`SELECT 1`,
        checks: () => platforms.map((p) => ({ name: p.name, ready: p.ready })),
      });
      for (const p of platforms) http.mount(p.routes);
      // The TV screen and dashboard pages; their event streams end before the server closes.
      const { createWebPages } = await import("./web/pages.js");
      const web = await createWebPages({
        sales: app.sales,
        db: app.db,
        log,
        headers: { frameAncestors: config.frameAncestors },
      });
      http.mount(web.routes);
      const port = await http.listen().catch(async (error: unknown) => {
        await web.close();
        throw error;
      });
      running.push({
        name: "http",
        stop: async () => {
          await web.close();
          await http.close();
        },
      });
      log.info({ port }, "http listening");
      options.onListening?.(port);
    }
    for (const p of platforms) {
      await p.start();
      running.push({ name: p.name, stop: p.stop });
      log.info({ platform: p.name }, `${p.name} ready`);
    }
    if (platforms.length === 0) {
      await runShellUntilEnd(app, log, options, metrics);
      return;
    }
    const ports: Partial<Record<Platform, DeliveryPort>> = {};
    for (const entry of entries) ports[entry.name] = await entry.port(deps);
    const dispatcher = createDispatcher({ db: app.db.prisma, ports, clock: systemClock, log, metrics });
    dispatcher.start();
    running.push({ name: "dispatcher", stop: dispatcher.stop });
    const { createScheduler } = await import("./scheduler/scheduler.js");
    const scheduler = createScheduler({
      db: app.db.prisma,
      platforms: entries.map((e) => e.name),
      clock: systemClock,
      log,
      metrics,
      onQueued: dispatcher.wake,
    });
    await scheduler.start();
    running.push({ name: "scheduler", stop: async () => scheduler.stop() });
    if (app.db.kind === "pglite") running.push(await vacuumNightly(app, log));
    log.info({ database: app.db.kind, platforms: entries.map((e) => e.name) }, "closer ready");
    await (options.stopped ?? new Promise<void>(() => {}));
  } finally {
    // Last started, first stopped: the scheduler, the dispatcher, the platforms, then the HTTP server.
    // A part that cannot stop (a gateway gone while reconnecting) does not hold the process.
    for (const part of running.reverse()) {
      const stopped = part.stop().then(
        () => true,
        (error: unknown) => {
          log.error({ err: error, part: part.name }, "stop failed");
          return false;
        },
      );
      if ((await within(stopped, STOP_TIMEOUT_MS)) === undefined)
        log.warn({ part: part.name }, "stop timed out");
    }
    await app.close();
  }
}

/** The shell on stdin/stdout: what a command caused prints right after its reply; schedules run with `closer run-job`. */
async function runShellUntilEnd(app: App, log: Logger, options: StartOptions, metrics: Metrics | undefined) {
  const shell = createDispatcher({
    db: app.db.prisma,
    ports: {
      shell: createShellPort((text) => options.stdout.write(`${text}\n`), {
        charts: { directory: process.cwd(), log },
      }),
    },
    clock: systemClock,
    log,
    metrics,
  });
  log.info({ database: app.db.kind, platforms: ["shell"] }, "closer ready");
  await runShell({
    sales: app.sales,
    input: options.stdin,
    output: options.stdout,
    log,
    interactive: options.interactive,
    afterCommand: shell.drain,
    metrics,
  });
}

/** PGlite has no autovacuum: reclaim dead rows and refresh the planner's statistics nightly. */
async function vacuumNightly(app: App, log: Logger): Promise<RunningPart> {
  const { default: nodeCron } = await import("node-cron");
  const vacuum = nodeCron.schedule(
    "30 3 * * *",
    () =>
      app.db.sql
        .exec("VACUUM (ANALYZE)")
        .catch((error: unknown) => log.error({ err: error }, "vacuum failed")),
    { timezone: "UTC", name: "closer-vacuum" },
  );
  return { name: "vacuum", stop: async () => vacuum.destroy() };
}
