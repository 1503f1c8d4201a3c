import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { refuseMigration, writeNextMigration } from "../../scripts/migration-new.js";
import { openSchemaEngine, type SchemaEngine } from "../../scripts/schema-engine.js";
import { MIGRATIONS_DIR } from "../../src/db/migrate.js";

const PRISMA_DIR = fileURLToPath(new URL("../../prisma/", import.meta.url));
const SCRIPT = fileURLToPath(new URL("../../scripts/migration-new.ts", import.meta.url));
/** After every committed migration, so a new one sorts last. */
const NOW = new Date("2099-03-04T05:06:07.890Z");

let engine: SchemaEngine;
const tempDirs: string[] = [];

beforeAll(async () => {
  engine = await openSchemaEngine();
});
afterAll(async () => {
  await engine?.close();
});
afterEach(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A scratch copy of prisma/ (schema.prisma and migrations/), removed after the test. */
function prismaCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), "closer-migration-new-"));
  tempDirs.push(dir);
  cpSync(PRISMA_DIR, dir, { recursive: true });
  return dir;
}

function migrationNames(prismaDir: string): string[] {
  return readdirSync(join(prismaDir, "migrations"), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

describe("writeNextMigration()", () => {
  it("GIVEN a field added to schema.prisma THEN it writes the migration that adds its column, after which the diff is empty", async () => {
    const prismaDir = prismaCopy();
    const schemaPath = join(prismaDir, "schema.prisma");
    const anchor = '  leadSource  String?  @map("lead_source")\n';
    const schema = readFileSync(schemaPath, "utf8");
    expect(schema).toContain(anchor);
    writeFileSync(schemaPath, schema.replace(anchor, `${anchor}  website     String?\n`));

    const outcome = await writeNextMigration(engine, { name: "customer_website", now: NOW, prismaDir });

    const path = join(prismaDir, "migrations", "20990304050607_customer_website", "migration.sql");
    expect(outcome).toEqual({ kind: "written", path, script: readFileSync(path, "utf8") });
    expect(readFileSync(path, "utf8")).toMatchInlineSnapshot(`
      "-- AlterTable
      ALTER TABLE "customer" ADD COLUMN     "website" TEXT;
      "
    `);
    const after = { schema: { path: schemaPath, text: readFileSync(schemaPath, "utf8") } };
    expect(await engine.diff({ migrations: join(prismaDir, "migrations") }, after)).toBeUndefined();
  });

  it("GIVEN schema.prisma the migrations already build THEN it says so and writes nothing", async () => {
    const prismaDir = prismaCopy();
    const before = migrationNames(prismaDir);

    expect(await writeNextMigration(engine, { name: "nothing_new", now: NOW, prismaDir })).toEqual({
      kind: "unchanged",
    });
    expect(migrationNames(prismaDir)).toEqual(before);
  });

  it("GIVEN a name that is not snake_case THEN it refuses and writes nothing", async () => {
    const prismaDir = prismaCopy();
    const before = migrationNames(prismaDir);
    writeFileSync(join(prismaDir, "schema.prisma"), "this would not even parse");

    for (const name of [
      "Add Column",
      "add-column",
      "../escape",
      "1st_change",
      "trailing_",
      "",
      "a".repeat(61),
    ]) {
      const outcome = await writeNextMigration(engine, { name, now: NOW, prismaDir });
      expect(outcome, name).toEqual({
        kind: "refused",
        reason: expect.stringContaining("is not a migration name"),
      });
    }
    expect(migrationNames(prismaDir)).toEqual(before);
  });

  it("GIVEN a clock that is not after the last migration THEN it refuses, as the new one would not sort last", () => {
    const last = migrationNames(PRISMA_DIR).at(-1) ?? "";
    const sameSecond = new Date(
      `${last.slice(0, 4)}-${last.slice(4, 6)}-${last.slice(6, 8)}T${last.slice(8, 10)}:${last.slice(10, 12)}:${last.slice(12, 14)}Z`,
    );

    expect(refuseMigration({ name: "late", now: sameSecond, prismaDir: PRISMA_DIR })).toContain(
      `is not after the last migration, ${last}`,
    );
    expect(
      refuseMigration({ name: "late", now: new Date(sameSecond.getTime() + 1000), prismaDir: PRISMA_DIR }),
    ).toBeUndefined();
  });
});

describe("the migration:new command (tsx scripts/migration-new.ts)", () => {
  it("GIVEN a bad name THEN it exits 1 with the reason, before starting the engine, and writes nothing", () => {
    const before = readdirSync(MIGRATIONS_DIR);

    const run = spawnSync(process.execPath, ["--import", "tsx", SCRIPT, "Add Column"], { encoding: "utf8" });

    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`Not written: "Add Column" is not a migration name`);
    expect(readdirSync(MIGRATIONS_DIR)).toEqual(before);
  });

  it("GIVEN no name THEN it prints its usage and exits 2", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", SCRIPT], { encoding: "utf8" });

    expect(run.status).toBe(2);
    expect(run.stderr).toContain("usage: npm run migration:new <name>");
  });
});
