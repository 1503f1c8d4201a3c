import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import pg from "pg";
import { inject } from "vitest";
import { type Database, openDatabase } from "../../src/db/client.js";
import { migrate } from "../../src/db/migrate.js";
import type { PgliteSnapshots } from "./global-setup.js";

export interface EmptyDatabase {
  db: Database;
  /** Set on PostgreSQL, to open more handles on the same database. */
  url: string | undefined;
  close(): Promise<void>;
}

/**
 * A database with nothing in it: in-memory PGlite, or with TEST_DATABASE_URL a new PostgreSQL
 * database created for the caller and dropped by `close()`.
 */
export async function openEmptyDatabase(): Promise<EmptyDatabase> {
  return openDatabaseFrom("empty");
}

/**
 * A migrated database that keeps its URL, for a second handle on it (on PostgreSQL): a copy, like
 * `openTestDatabase`'s, rather than an empty one migrated by hand.
 */
export async function openMigratedDatabase(): Promise<EmptyDatabase> {
  return openDatabaseFrom("migrated");
}

/** A fresh, migrated database for one test file; `close()` drops it. */
export async function openTestDatabase(): Promise<Database> {
  const { db, close } = await openDatabaseFrom("migrated");
  // On PGlite it starts migrated (from the snapshot), and this finds nothing left to apply.
  await migrate(db.sql);
  return { ...db, close };
}

/**
 * A copy of what test/support/global-setup.ts made once per run: on PGlite a data directory, which
 * skips initdb, and for `migrated` on either backend a migrated database, which skips migrations.
 */
async function openDatabaseFrom(snapshot: keyof PgliteSnapshots): Promise<EmptyDatabase> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) {
    const file = inject("pgliteSnapshots")?.[snapshot];
    const pgliteSnapshot = file ? new Blob([readFileSync(file)]) : undefined;
    const db = await openDatabase("pglite://memory", {}, { pgliteSnapshot });
    return { db, url: undefined, close: () => db.close() };
  }
  const name = `closer_test_${randomBytes(6).toString("hex")}`;
  const template = snapshot === "migrated" ? inject("postgresTemplate") : null;
  await withAdmin(base, (c) => c.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ""}`));
  const url = new URL(base);
  url.pathname = `/${name}`;
  const db = await openDatabase(url.toString());
  return {
    db,
    url: url.toString(),
    async close() {
      await db.close();
      await withAdmin(base, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

export async function withAdmin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Holds up every platform request: each claims its id first, and a transaction here locks the table
 * of claims. Resolves once the lock is held, with what releases it (and resolves when it has).
 */
export async function holdClaims(db: Database): Promise<() => Promise<void>> {
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let locked = () => {};
  const isLocked = new Promise<void>((resolve) => {
    locked = resolve;
  });
  const holding = db.prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`LOCK TABLE processed_request IN EXCLUSIVE MODE`;
      locked();
      await held;
    },
    { timeout: 20_000 },
  );
  await Promise.race([isLocked, holding]);
  return async () => {
    release();
    await holding;
  };
}
