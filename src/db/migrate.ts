import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { SqlDriver } from "./client.js";

export const MIGRATIONS_DIR = new URL("../../prisma/migrations/", import.meta.url).pathname;

/** The bookkeeping table exactly as `prisma migrate deploy` creates it. */
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
);`;

export interface Migration {
  name: string;
  script: string;
  checksum: string;
}

/** Reads `<dir>/<timestamp>_<name>/migration.sql` in name order, as Prisma does. */
export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const bytes = readFileSync(join(dir, name, "migration.sql"));
      return {
        name,
        script: bytes.toString("utf8"),
        checksum: createHash("sha256").update(bytes).digest("hex"),
      };
    });
}

export class MigrationError extends Error {
  override readonly name = "MigrationError";
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/**
 * Applies pending migrations under Prisma's migration lock and records each in
 * `_prisma_migrations` as `prisma migrate deploy` would. Returns the names applied.
 */
export async function migrate(sql: SqlDriver, migrations = readMigrations()): Promise<string[]> {
  return sql.withLock(async (conn) => {
    await conn.exec(CREATE_MIGRATIONS_TABLE);
    const rows = await conn.query<AppliedRow>(
      `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`,
    );
    const failed = rows.find((r) => r.finished_at === null && r.rolled_back_at === null);
    if (failed) {
      throw new MigrationError(
        `migration ${failed.migration_name} failed earlier; fix the database, then mark it rolled back`,
      );
    }
    const done = new Set(rows.filter((r) => r.finished_at !== null).map((r) => r.migration_name));
    const applied: string[] = [];
    for (const m of migrations) {
      if (done.has(m.name)) continue;
      const id = randomUUID();
      await conn.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
         VALUES ($1, $2, $3, now(), 0)`,
        [id, m.checksum, m.name],
      );
      try {
        // The lone `;` ends a last statement written without one, which Prisma accepts.
        await conn.exec(`BEGIN;\n${m.script}\n;\nCOMMIT;`);
      } catch (error) {
        await conn.exec("ROLLBACK").catch(() => {});
        const message = error instanceof Error ? error.message : String(error);
        await conn.query(`UPDATE "_prisma_migrations" SET logs = $2 WHERE id = $1`, [id, message]);
        throw new MigrationError(`migration ${m.name} failed: ${message}`);
      }
      await conn.query(
        `UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`,
        [id],
      );
      applied.push(m.name);
    }
    return applied;
  });
}
