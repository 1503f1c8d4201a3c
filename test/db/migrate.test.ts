import { createHash } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../src/db/client.js";
import { MIGRATIONS_DIR, MigrationError, migrate, readMigrations } from "../../src/db/migrate.js";
import { type EmptyDatabase, openEmptyDatabase as openEmpty } from "../support/db.js";

/** Prisma's advisory lock id for `migrate deploy`; the runner must take the same one. */
const PRISMA_MIGRATION_LOCK_ID = 72707369;

/** The migration folders, read independently of the runner. */
const MIGRATION_NAMES = readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

interface MigrationRow {
  id: string;
  checksum: string;
  finished_at: Date | null;
  migration_name: string;
  logs: string | null;
  rolled_back_at: Date | null;
  started_at: Date;
  applied_steps_count: number;
}

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A database with nothing in it (openTestDatabase migrates, these tests must not), closed after each test. */
async function openEmptyDatabase(): Promise<EmptyDatabase> {
  const empty = await openEmpty();
  cleanups.push(empty.close);
  return empty;
}

/** A copy of the real migrations folder plus `extra` migrations (name -> SQL). */
function migrationsDirWith(extra: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "closer-migrations-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  for (const [name, script] of Object.entries(extra)) writeMigration(dir, name, script);
  return dir;
}

function writeMigration(dir: string, name: string, script: string): void {
  mkdirSync(join(dir, name), { recursive: true });
  writeFileSync(join(dir, name, "migration.sql"), script);
}

function sha256Of(dir: string, name: string): string {
  return createHash("sha256")
    .update(readFileSync(join(dir, name, "migration.sql")))
    .digest("hex");
}

async function migrationRows(db: Database): Promise<MigrationRow[]> {
  return db.sql.query<MigrationRow>(`SELECT * FROM "_prisma_migrations" ORDER BY started_at, migration_name`);
}

async function tableExists(db: Database, table: string): Promise<boolean> {
  const [row] = await db.sql.query<{ exists: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS exists`, [
    `"${table}"`,
  ]);
  return row?.exists === true;
}

async function columnExists(db: Database, table: string, column: string): Promise<boolean> {
  const rows = await db.sql.query(
    `SELECT 1 FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = $1 AND column_name = $2`,
    [table, column],
  );
  return rows.length === 1;
}

describe("migrate()", () => {
  it("GIVEN an empty database THEN it applies every migration folder, in name order", async () => {
    const { db } = await openEmptyDatabase();

    expect(MIGRATION_NAMES.length).toBeGreaterThan(0);
    expect(await migrate(db.sql)).toEqual(MIGRATION_NAMES);
    expect(await tableExists(db, "deal")).toBe(true);
  });

  it("GIVEN a migrated database WHEN it runs again THEN it applies nothing and records nothing", async () => {
    const { db } = await openEmptyDatabase();
    await migrate(db.sql);
    const before = await migrationRows(db);

    expect(await migrate(db.sql)).toEqual([]);
    expect(await migrationRows(db)).toEqual(before);
  });

  it("THEN _prisma_migrations has the columns and types prisma migrate deploy creates", async () => {
    const { db } = await openEmptyDatabase();
    await migrate(db.sql);

    const columns = await db.sql.query(
      `SELECT column_name::text, data_type::text, character_maximum_length::int AS length,
              is_nullable::text AS nullable, column_default::text AS "default"
       FROM information_schema.columns
       WHERE table_schema = current_schema() AND table_name = '_prisma_migrations'
       ORDER BY ordinal_position`,
    );
    expect(columns).toEqual([
      { column_name: "id", data_type: "character varying", length: 36, nullable: "NO", default: null },
      { column_name: "checksum", data_type: "character varying", length: 64, nullable: "NO", default: null },
      {
        column_name: "finished_at",
        data_type: "timestamp with time zone",
        length: null,
        nullable: "YES",
        default: null,
      },
      {
        column_name: "migration_name",
        data_type: "character varying",
        length: 255,
        nullable: "NO",
        default: null,
      },
      { column_name: "logs", data_type: "text", length: null, nullable: "YES", default: null },
      {
        column_name: "rolled_back_at",
        data_type: "timestamp with time zone",
        length: null,
        nullable: "YES",
        default: null,
      },
      {
        column_name: "started_at",
        data_type: "timestamp with time zone",
        length: null,
        nullable: "NO",
        default: "now()",
      },
      {
        column_name: "applied_steps_count",
        data_type: "integer",
        length: null,
        nullable: "NO",
        default: "0",
      },
    ]);
    const keys = await db.sql.query(
      `SELECT i.relname::text AS name, a.attname::text AS column
       FROM pg_index ix
       JOIN pg_class i ON i.oid = ix.indexrelid
       JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = ANY(ix.indkey::int2[])
       WHERE ix.indrelid = '"_prisma_migrations"'::regclass`,
    );
    expect(keys).toEqual([{ name: "_prisma_migrations_pkey", column: "id" }]);
  });

  it("THEN each migration has one row as prisma migrate deploy writes it", async () => {
    const { db } = await openEmptyDatabase();
    await migrate(db.sql);

    const rows = await migrationRows(db);
    expect(rows.map((r) => r.migration_name)).toEqual(MIGRATION_NAMES);
    for (const row of rows) {
      expect(row, row.migration_name).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
        checksum: sha256Of(MIGRATIONS_DIR, row.migration_name),
        finished_at: expect.any(Date),
        migration_name: row.migration_name,
        logs: null,
        rolled_back_at: null,
        started_at: expect.any(Date),
        applied_steps_count: 1,
      });
      expect(row.finished_at?.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
    }
  });

  it("GIVEN a new migration folder THEN the next run applies it, and only it", async () => {
    const { db } = await openEmptyDatabase();
    await migrate(db.sql);
    const dir = migrationsDirWith({
      "29990101000000_add_x": `-- AlterTable\nALTER TABLE "workspace" ADD COLUMN "x" TEXT;\n`,
    });

    expect(await migrate(db.sql, readMigrations(dir))).toEqual(["29990101000000_add_x"]);
    expect(await columnExists(db, "workspace", "x")).toBe(true);
    const rows = await migrationRows(db);
    expect(rows).toHaveLength(MIGRATION_NAMES.length + 1);
    expect(rows.at(-1)).toMatchObject({
      migration_name: "29990101000000_add_x",
      checksum: sha256Of(dir, "29990101000000_add_x"),
      finished_at: expect.any(Date),
      applied_steps_count: 1,
      logs: null,
    });
    expect(await migrate(db.sql, readMigrations(dir))).toEqual([]);
  });

  it("GIVEN a migration whose last statement has no semicolon THEN it is applied, as Prisma would", async () => {
    const { db } = await openEmptyDatabase();
    const dir = migrationsDirWith({ "29990101000000_add_x": `ALTER TABLE "workspace" ADD COLUMN "x" TEXT` });

    expect(await migrate(db.sql, readMigrations(dir))).toEqual([...MIGRATION_NAMES, "29990101000000_add_x"]);
    expect(await columnExists(db, "workspace", "x")).toBe(true);
  });

  describe("GIVEN a migration that fails", () => {
    const broken = "29990101000000_broken";
    const after = "29990101000001_after";
    const brokenSql = [
      `CREATE TABLE "x_probe" ("id" INTEGER);`,
      `ALTER TABLE "workspace" ADD COLUMN "x" TEXT;`,
      `SELECT * FROM "no_such_table";`,
      "",
    ].join("\n");
    const afterSql = `CREATE TABLE "after_probe" ("id" INTEGER);\n`;

    it("THEN it rejects with a MigrationError naming the migration and the database error", async () => {
      const { db } = await openEmptyDatabase();
      const dir = migrationsDirWith({ [broken]: brokenSql, [after]: afterSql });

      const run = migrate(db.sql, readMigrations(dir));
      await expect(run).rejects.toThrow(MigrationError);
      await expect(run).rejects.toThrow(/29990101000000_broken failed: .*no_such_table/);
    });

    it("THEN its row keeps the logs, no finished_at, and later migrations are not applied", async () => {
      const { db } = await openEmptyDatabase();
      const dir = migrationsDirWith({ [broken]: brokenSql, [after]: afterSql });
      await migrate(db.sql, readMigrations(dir)).catch(() => {});

      const rows = await migrationRows(db);
      expect(rows.map((r) => r.migration_name)).toEqual([...MIGRATION_NAMES, broken]);
      expect(rows.at(-1)).toMatchObject({
        migration_name: broken,
        checksum: sha256Of(dir, broken),
        finished_at: null,
        rolled_back_at: null,
        applied_steps_count: 0,
        logs: expect.stringContaining("no_such_table"),
      });
      expect(await tableExists(db, "after_probe")).toBe(false);
    });

    it("THEN none of its statements changed the schema", async () => {
      const { db } = await openEmptyDatabase();
      const dir = migrationsDirWith({ [broken]: brokenSql });
      await migrate(db.sql, readMigrations(dir)).catch(() => {});

      expect(await tableExists(db, "x_probe")).toBe(false);
      expect(await columnExists(db, "workspace", "x")).toBe(false);
      // The earlier migrations of the same run stay applied.
      expect(await tableExists(db, "workspace")).toBe(true);
    });

    it("THEN the next run refuses to go on, even once the file is fixed", async () => {
      const { db } = await openEmptyDatabase();
      const dir = migrationsDirWith({ [broken]: brokenSql, [after]: afterSql });
      await migrate(db.sql, readMigrations(dir)).catch(() => {});
      const rowsBefore = await migrationRows(db);
      writeMigration(dir, broken, `SELECT 1;\n`);

      const run = migrate(db.sql, readMigrations(dir));
      await expect(run).rejects.toThrow(MigrationError);
      await expect(run).rejects.toThrow(
        "migration 29990101000000_broken failed earlier; fix the database, then mark it rolled back",
      );
      expect(await migrationRows(db)).toEqual(rowsBefore);
      expect(await tableExists(db, "after_probe")).toBe(false);
    });

    it("WHEN it is marked rolled back (prisma migrate resolve --rolled-back) THEN the next run applies it anew", async () => {
      const { db } = await openEmptyDatabase();
      const dir = migrationsDirWith({ [broken]: brokenSql, [after]: afterSql });
      await migrate(db.sql, readMigrations(dir)).catch(() => {});
      await db.sql.query(
        `UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = $1 AND finished_at IS NULL`,
        [broken],
      );
      writeMigration(dir, broken, `ALTER TABLE "workspace" ADD COLUMN "x" TEXT;\n`);

      expect(await migrate(db.sql, readMigrations(dir))).toEqual([broken, after]);
      const rows = (await migrationRows(db)).filter((r) => r.migration_name === broken);
      expect(rows).toMatchObject([
        { finished_at: null, rolled_back_at: expect.any(Date), checksum: expect.any(String) },
        { finished_at: expect.any(Date), rolled_back_at: null, checksum: sha256Of(dir, broken), logs: null },
      ]);
      expect(await columnExists(db, "workspace", "x")).toBe(true);
    });
  });

  it("GIVEN runners started together THEN each migration is applied exactly once", async () => {
    const { db, url } = await openEmptyDatabase();

    if (db.kind === "pglite") {
      // One connection in one process: the sequential equivalent.
      expect(await migrate(db.sql)).toEqual(MIGRATION_NAMES);
      expect(await migrate(db.sql)).toEqual([]);
    } else {
      if (!url) throw new Error("a PostgreSQL test database has a URL");
      const other = await openDatabase(url);
      cleanups.push(() => other.close());
      // Hold Prisma's own lock, as a concurrent `prisma migrate deploy` would, so that all
      // runners are certainly waiting on it together before any of them goes on.
      const holder = new pg.Client({ connectionString: url });
      await holder.connect();
      cleanups.push(() => holder.end());
      await holder.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATION_LOCK_ID]);

      // Two handles on the same database, and two pool connections of the first.
      const runs = [migrate(db.sql), migrate(db.sql), migrate(other.sql)].map((p) =>
        p.then(
          (applied) => ({ applied }),
          (error: unknown) => ({ error }),
        ),
      );
      await waitForLockWaiters(holder, 3);
      expect(await tableExists(db, "_prisma_migrations")).toBe(false);
      await holder.query("SELECT pg_advisory_unlock($1)", [PRISMA_MIGRATION_LOCK_ID]);
      const results = await Promise.all(runs);

      expect(results.filter((r) => "error" in r)).toEqual([]);
      const applied = results.flatMap((r) => ("applied" in r ? r.applied : []));
      expect(applied.sort()).toEqual(MIGRATION_NAMES);
    }
    const rows = await migrationRows(db);
    expect(rows.map((r) => r.migration_name)).toEqual(MIGRATION_NAMES);
    expect(rows.every((r) => r.finished_at !== null && r.applied_steps_count === 1)).toBe(true);
  });
});

/** Polls pg_locks (no sleeping) until `count` sessions wait for Prisma's lock in this database. */
async function waitForLockWaiters(client: pg.Client, count: number): Promise<void> {
  for (;;) {
    const { rows } = await client.query<{ waiting: number }>(
      `SELECT count(*)::int AS waiting FROM pg_locks
       WHERE locktype = 'advisory' AND NOT granted AND objid = $1
         AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [PRISMA_MIGRATION_LOCK_ID],
    );
    if ((rows[0]?.waiting ?? 0) >= count) return;
  }
}
