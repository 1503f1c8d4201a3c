import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSchemaEngine, type SchemaEngine } from "../../scripts/schema-engine.js";
import type { Database } from "../../src/db/client.js";
import { MIGRATIONS_DIR, readMigrations } from "../../src/db/migrate.js";
import { openTestDatabase } from "../support/db.js";

/**
 * The hand-written migrations must build exactly what schema.prisma declares. Prisma's
 * own schema engine replays them on a shadow database (in-memory PGlite, whichever database the run
 * uses) and diffs the result against the schema, as `prisma migrate diff --from-migrations` would.
 */

const SCHEMA_PATH = fileURLToPath(new URL("../../prisma/schema.prisma", import.meta.url));
const schema = { path: SCHEMA_PATH, text: readFileSync(SCHEMA_PATH, "utf8") };

let engine: SchemaEngine;
let db: Database;
const tempDirs: string[] = [];

beforeAll(async () => {
  // Both start a PostgreSQL in WASM, the slow part of this file: side by side.
  [engine, db] = await Promise.all([openSchemaEngine(), openTestDatabase()]);
});

afterAll(async () => {
  await Promise.all([engine?.close(), db?.close()]);
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe("the migrations, replayed by Prisma's schema engine", () => {
  it("GIVEN the migrations folder and schema.prisma THEN they diff to nothing", async () => {
    expect(await engine.diff({ migrations: MIGRATIONS_DIR }, { schema })).toBeUndefined();
  });

  it("GIVEN schema.prisma with one more field and index THEN the diff adds that column and index, and nothing else", async () => {
    const text = insertAfter(
      insertAfter(schema.text, '  ownerId     Int?     @map("owner_id")\n', "  website     String?\n"),
      '  @@index([workspaceId, ownerId])\n  @@map("customer")',
      "\n  @@index([workspaceId, website])",
    );

    const script = await engine.diff({ migrations: MIGRATIONS_DIR }, { schema: { path: SCHEMA_PATH, text } });

    expect(script).toMatchInlineSnapshot(`
      "-- AlterTable
      ALTER TABLE "customer" ADD COLUMN     "website" TEXT;

      -- CreateIndex
      CREATE INDEX "customer_workspace_id_website_idx" ON "customer"("workspace_id", "website");
      "
    `);
  });

  it("GIVEN the migrations folder without deal_last_activity THEN the diff adds what that migration adds", async () => {
    const dir = migrationsCopy();
    const removed = readMigrations(dir).filter((m) => m.name >= "20261123010000_deal_last_activity");
    for (const m of removed) rmSync(join(dir, m.name), { recursive: true });

    const script = await engine.diff({ migrations: dir }, { schema });

    expect(removed[0]?.name).toBe("20261123010000_deal_last_activity");
    // One ALTER TABLE adds every missing column of a table, so later migrations' columns may come first.
    expect(script).toMatch(/ALTER TABLE "deal" ADD COLUMN[^;]*"last_activity_at" TIMESTAMPTZ\(3\) NOT NULL/);
    // Its index is now deal_stalled_idx, covering, which schema.prisma cannot declare: the diff has none.
    expect(script).not.toMatch(/CREATE INDEX [^;]*last_activity_at/);
  });

  it("GIVEN a migration that adds an index schema.prisma does not declare THEN the diff drops it", async () => {
    const dir = migrationsCopy();
    writeMigration(dir, "29991231000000_stray_index", `CREATE INDEX "deal_title_idx" ON "deal"("title");`);

    expect(await engine.diff({ migrations: dir }, { schema })).toMatchInlineSnapshot(`
      "-- DropIndex
      DROP INDEX "deal_title_idx";
      "
    `);
  });

  it("GIVEN a migration that fails THEN the engine refuses, naming the migration and the database's error", async () => {
    const dir = migrationsCopy();
    writeMigration(dir, "29991231000000_broken", `ALTER TABLE "no_such_table" ADD COLUMN "x" INTEGER;`);

    await expect(engine.diff({ migrations: dir }, { schema })).rejects.toThrow(
      /Migration `29991231000000_broken` failed to apply cleanly to the shadow database\.[\s\S]*no_such_table/,
    );
  });
});

describe("the migrations applied by our runner (src/db/migrate.ts)", () => {
  // The engine replays each script on its own; the runner wraps each in a transaction, which some
  // statements (CREATE INDEX CONCURRENTLY) refuse. This runs on PostgreSQL too when the run uses it.
  it("GIVEN a fresh database THEN every migration was applied", async () => {
    const rows = await db.sql.query<{ migration_name: string }>(
      `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL ORDER BY migration_name`,
    );
    expect(rows.map((r) => r.migration_name)).toEqual(readMigrations().map((m) => m.name));
  });
});

/** A copy of the real migrations folder, removed after the file's tests. */
function migrationsCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), "closer-drift-"));
  tempDirs.push(dir);
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

function writeMigration(dir: string, name: string, script: string): void {
  mkdirSync(join(dir, name));
  writeFileSync(join(dir, name, "migration.sql"), script);
}

/** `text` with `addition` after `anchor`; throws when the anchor is gone, so an edit cannot miss silently. */
function insertAfter(text: string, anchor: string, addition: string): string {
  const at = text.indexOf(anchor);
  if (at < 0) throw new Error(`schema.prisma no longer contains ${JSON.stringify(anchor)}`);
  return text.slice(0, at + anchor.length) + addition + text.slice(at + anchor.length);
}
