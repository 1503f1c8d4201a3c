import { randomBytes } from "node:crypto";
import pg from "pg";
import { type Database, openDatabase } from "../../src/db/client.js";
import { migrate } from "../../src/db/migrate.js";

/**
 * A fresh, migrated database for one test file: in-memory PGlite, or with TEST_DATABASE_URL a
 * new PostgreSQL database created for this file and dropped by `close()`.
 */
export async function openTestDatabase(): Promise<Database> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) {
    const db = await openDatabase("pglite://memory");
    await migrate(db.sql);
    return db;
  }
  const name = `closer_test_${randomBytes(6).toString("hex")}`;
  await withAdmin(base, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(base);
  url.pathname = `/${name}`;
  const db = await openDatabase(url.toString());
  await migrate(db.sql);
  return {
    ...db,
    async close() {
      await db.close();
      await withAdmin(base, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

async function withAdmin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
