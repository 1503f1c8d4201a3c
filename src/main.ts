import type { Readable, Writable } from "node:stream";
import type { Clock } from "./clock.js";
import { systemClock } from "./clock.js";
import type { Config } from "./config.js";
import { type Database, openDatabase } from "./db/client.js";
import { migrate } from "./db/migrate.js";
import type { Logger } from "./logger.js";
import { runShell } from "./platforms/shell/shell.js";
import { createSalesService, type SalesService } from "./sales/sales-service.js";

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

interface RunningPlatform {
  name: string;
  stop(): Promise<unknown>;
}

/**
 * Composition root, second half: platforms -> scheduler. Runs every platform whose credentials are
 * set, until `stopped`; with none (or `closer shell`), the shell on stdin/stdout until end of input.
 */
export async function start(config: Config, log: Logger, options: StartOptions): Promise<void> {
  const app = await createApp(config, log);
  const running: RunningPlatform[] = [];
  try {
    if (!options.shellOnly) {
      if (config.slack) {
        // Bolt is loaded only when Slack runs, keeping the shell's start-up fast.
        const { createSlackPlatform } = await import("./platforms/slack/slack-platform.js");
        const slack = createSlackPlatform({
          slack: config.slack,
          sales: app.sales,
          db: app.db.prisma,
          clock: systemClock,
          log,
        });
        const port = await slack.start(config.port);
        running.push({ name: "slack", stop: slack.stop });
        log.info({ mode: config.slack.appToken ? "socket" : "http", port }, "slack ready");
      }
      if (config.discord) {
        // discord.js too is loaded only when Discord runs.
        const { createDiscordPlatform } = await import("./platforms/discord/discord-platform.js");
        const discord = createDiscordPlatform({
          discord: config.discord,
          sales: app.sales,
          db: app.db.prisma,
          clock: systemClock,
          log,
        });
        await discord.start();
        running.push({ name: "discord", stop: discord.stop });
        log.info({ applicationId: config.discord.applicationId }, "discord ready");
      }
    }
    log.info({ database: app.db.kind, platforms: running.map((p) => p.name) }, "closer ready");
    if (running.length === 0) {
      await runShell({
        sales: app.sales,
        input: options.stdin,
        output: options.stdout,
        log,
        interactive: options.interactive,
      });
    } else {
      await (options.stopped ?? new Promise<void>(() => {}));
    }
  } finally {
    for (const platform of running)
      await platform.stop().catch((error: unknown) => log.error({ err: error }, "stop failed"));
    await app.close();
  }
}
