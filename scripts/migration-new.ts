import { mkdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { readMigrations } from "../src/db/migrate.js";
import { openSchemaEngine, type SchemaEngine } from "./schema-engine.js";

/**
 * `npm run migration:new <name>`: writes `prisma/migrations/<UTC yyyymmddhhmmss>_<name>/migration.sql`,
 * the SQL that takes the database the migrations build to the one schema.prisma declares, computed by
 * Prisma's own schema engine offline (its shadow database is an in-memory PGlite).
 */

const PRISMA_DIR = fileURLToPath(new URL("../prisma/", import.meta.url));

/** snake_case, as the existing migrations are named; it becomes a directory name. */
const MIGRATION_NAME = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;
const MAX_NAME_LENGTH = 60;

export interface NextMigrationInput {
  name: string;
  now: Date;
  /** Holds schema.prisma and migrations/. */
  prismaDir: string;
}

export type NextMigration =
  | { kind: "written"; path: string; script: string }
  | { kind: "unchanged" }
  | { kind: "refused"; reason: string };

/** Why `name` cannot be the next migration at `now`, or undefined when it can. */
export function refuseMigration({ name, now, prismaDir }: NextMigrationInput): string | undefined {
  if (!MIGRATION_NAME.test(name) || name.length > MAX_NAME_LENGTH) {
    return `${JSON.stringify(name)} is not a migration name: use snake_case (lowercase letters, digits, underscores; starting with a letter; at most ${MAX_NAME_LENGTH} characters), e.g. add_deal_source`;
  }
  const last = readMigrations(join(prismaDir, "migrations")).at(-1)?.name;
  // The runner applies migrations in name order: a new one must sort after every existing one.
  if (last !== undefined && utcTimestamp(now) <= last.slice(0, 14)) {
    return `the clock (${now.toISOString()}) is not after the last migration, ${last}: a new migration must sort last`;
  }
  return undefined;
}

/**
 * Writes the migration from the migrations folder to schema.prisma under `<timestamp>_<name>`, or
 * nothing when there is no change to make.
 */
export async function writeNextMigration(
  engine: SchemaEngine,
  input: NextMigrationInput,
): Promise<NextMigration> {
  const reason = refuseMigration(input);
  if (reason !== undefined) return { kind: "refused", reason };
  const migrationsDir = join(input.prismaDir, "migrations");
  const schemaPath = join(input.prismaDir, "schema.prisma");
  const script = await engine.diff(
    { migrations: migrationsDir },
    { schema: { path: schemaPath, text: readFileSync(schemaPath, "utf8") } },
  );
  if (script === undefined) return { kind: "unchanged" };
  const dir = join(migrationsDir, `${utcTimestamp(input.now)}_${input.name}`);
  mkdirSync(dir);
  const path = join(dir, "migration.sql");
  writeFileSync(path, script);
  return { kind: "written", path, script };
}

/** `yyyymmddhhmmss` in UTC, the prefix Prisma gives migration directories. */
function utcTimestamp(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d{3}Z$/, "")
    .replace(/\D/g, "");
}

async function main(args: string[]): Promise<number> {
  const [name] = args;
  if (name === undefined || args.length > 1) {
    console.error("usage: npm run migration:new <name>   (snake_case, e.g. add_deal_source)");
    return 2;
  }
  const input = { name, now: new Date(), prismaDir: PRISMA_DIR };
  // Checked before the engine starts: its database takes seconds to open.
  const reason = refuseMigration(input);
  if (reason !== undefined) {
    console.error(`Not written: ${reason}.`);
    return 1;
  }
  const engine = await openSchemaEngine();
  try {
    const outcome = await writeNextMigration(engine, input);
    switch (outcome.kind) {
      case "refused":
        console.error(`Not written: ${outcome.reason}.`);
        return 1;
      case "unchanged":
        console.log("Nothing to change: the migrations already build what prisma/schema.prisma declares.");
        return 0;
      case "written":
        console.log(
          `Wrote ${relative(process.cwd(), outcome.path)}; review it (data backfills are yours):\n`,
        );
        console.log(outcome.script);
        return 0;
    }
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 1;
  } finally {
    await engine.close();
  }
}

// Run as a command (`tsx scripts/migration-new.ts`), not when a test imports it; the module's URL is
// the file's real path, so a checkout reached through a symlink still runs.
if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
