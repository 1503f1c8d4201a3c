import type { Readable, Writable } from "node:stream";
import nodeCron from "node-cron";
import type { Clock } from "./clock.js";
import { systemClock } from "./clock.js";
import type { Config } from "./config.js";
import { type Database, openDatabase } from "./db/client.js";
import { migrate } from "./db/migrate.js";
import type { Platform } from "./generated/prisma/enums.js";
import type { Logger } from "./logger.js";
import { createDispatcher } from "./notify/dispatcher.js";
import type { DeliveryPort } from "./notify/port.js";
import { runShell } from "./platforms/shell/shell.js";
import { createShellPort } from "./platforms/shell/shell-port.js";
import { createSalesService, type SalesService } from "./sales/sales-service.js";
import { createScheduler } from "./scheduler/scheduler.js";

export interface App {
  db: Database;
  sales: SalesService;
  close(): Promise<void>;
}

/** Composition root, first half: config -> database (migrated) -> services. */
export async function createApp(config: Config, log: Logger, clock: Clock = systemClock): Promise<App> {
  const db = await openDatabase(config.databaseUrl);
  try {
    const applied = await migrate(db.sql);
    if (applied.length) log.info({ applied }, "migrations applied");
  } catch (error) {
    await db.close();
    throw error;
  }
  const sales = createSalesService({ db: db.prisma, clock });
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
}

interface RunningPart {
  name: string;
  stop(): Promise<unknown>;
}

/**
 * Composition root, second half: platforms -> scheduler. Runs every platform whose credentials are
 * set, until `stopped`; with none (or `closer shell`), the shell on stdin/stdout until end of input.
 */
export async function start(config: Config, log: Logger, options: StartOptions): Promise<void> {
  const app = await createApp(config, log);
  const running: RunningPart[] = [];
  const ports: Partial<Record<Platform, DeliveryPort>> = {};
  try {
    if (!options.shellOnly) {
      if (config.slack) {
        // Bolt is loaded only when Slack runs, keeping the shell's start-up fast.
        const { createSlackPlatform } = await import("./platforms/slack/slack-platform.js");
        const { createSlackPort } = await import("./platforms/slack/slack-port.js");
        const slack = createSlackPlatform({
          slack: config.slack,
          sales: app.sales,
          db: app.db.prisma,
          clock: systemClock,
          log,
        });
        const port = await slack.start(config.port);
        running.push({ name: "slack", stop: slack.stop });
        ports.slack = createSlackPort({ slack: config.slack, db: app.db.prisma, log });
        log.info({ mode: config.slack.appToken ? "socket" : "http", port }, "slack ready");
      }
      if (config.discord) {
        // discord.js too is loaded only when Discord runs.
        const { createDiscordPlatform } = await import("./platforms/discord/discord-platform.js");
        const { createDiscordPort } = await import("./platforms/discord/discord-port.js");
        const discord = createDiscordPlatform({
          discord: config.discord,
          sales: app.sales,
          db: app.db.prisma,
          clock: systemClock,
          log,
        });
        await discord.start();
        running.push({ name: "discord", stop: discord.stop });
        ports.discord = createDiscordPort(config.discord);
        log.info({ applicationId: config.discord.applicationId }, "discord ready");
      }
    }
    if (running.length === 0) {
      // The shell prints what a command caused right after its reply; its schedules run with `closer run-job`.
      const shell = createDispatcher({
        db: app.db.prisma,
        ports: { shell: createShellPort((text) => options.stdout.write(`${text}\n`)) },
        clock: systemClock,
        log,
      });
      log.info({ database: app.db.kind, platforms: ["shell"] }, "closer ready");
      await runShell({
        sales: app.sales,
        input: options.stdin,
        output: options.stdout,
        log,
        interactive: options.interactive,
        afterCommand: shell.drain,
      });
    } else {
      const dispatcher = createDispatcher({ db: app.db.prisma, ports, clock: systemClock, log });
      dispatcher.start();
      running.push({ name: "dispatcher", stop: dispatcher.stop });
      const scheduler = createScheduler({
        db: app.db.prisma,
        platforms: Object.keys(ports) as Platform[],
        clock: systemClock,
        log,
        onQueued: dispatcher.wake,
      });
      await scheduler.start();
      running.push({ name: "scheduler", stop: async () => scheduler.stop() });
      if (app.db.kind === "pglite") {
        // PGlite has no autovacuum: reclaim dead rows and refresh the planner's statistics nightly.
        const vacuum = nodeCron.schedule(
          "30 3 * * *",
          () =>
            app.db.sql
              .exec("VACUUM (ANALYZE)")
              .catch((error: unknown) => log.error({ err: error }, "vacuum failed")),
          { timezone: "UTC", name: "closer-vacuum" },
        );
        running.push({ name: "vacuum", stop: async () => vacuum.destroy() });
      }
      log.info({ database: app.db.kind, platforms: Object.keys(ports) }, "closer ready");
      await (options.stopped ?? new Promise<void>(() => {}));
    }
  } finally {
    // Last started, first stopped: the scheduler, the dispatcher, then the platforms.
    for (const part of running.reverse())
      await part.stop().catch((error: unknown) => log.error({ err: error, part: part.name }, "stop failed"));
    await app.close();
  }
}
