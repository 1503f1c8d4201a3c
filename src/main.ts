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
}

/**
 * Composition root, second half: platforms -> scheduler. Runs every platform whose credentials are
 * set; with none (or `closer shell`), the shell on stdin/stdout until end of input.
 */
export async function start(config: Config, log: Logger, options: StartOptions): Promise<void> {
  const app = await createApp(config, log);
  try {
    if (!options.shellOnly) {
      for (const [name, set] of [
        ["Slack", config.slack || config.slackOAuth],
        ["Discord", config.discord],
      ] as const) {
        if (set)
          log.warn(
            `${name} credentials are set, but the ${name} platform is not available yet; running the shell`,
          );
      }
    }
    log.info({ database: app.db.kind }, "closer ready");
    await runShell({
      sales: app.sales,
      input: options.stdin,
      output: options.stdout,
      log,
      interactive: options.interactive,
    });
  } finally {
    await app.close();
  }
}
