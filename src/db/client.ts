import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import type pg from "pg";
import type { PrismaClient } from "../generated/prisma/client.js";

export type Prisma = PrismaClient;

/** Raw SQL on the same database, for what Prisma cannot do: multi-statement scripts and locks. */
export interface SqlDriver {
  exec(script: string): Promise<void>;
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Runs `fn` on one connection holding a session-wide migration lock (advisory lock on PostgreSQL). */
  withLock<T>(fn: (conn: SqlDriver) => Promise<T>): Promise<T>;
}

export interface Database {
  readonly kind: "pglite" | "postgres";
  readonly prisma: PrismaClient;
  readonly sql: SqlDriver;
  close(): Promise<void>;
}

export const DEFAULT_PGLITE_DIR = "./data/pglite";

/** Prisma's own advisory lock id for migrations, so `prisma migrate deploy` and we exclude each other. */
const MIGRATION_LOCK_ID = 72707369;

/**
 * Opens the database a URL names: unset means PGlite in ./data/pglite, `pglite://memory` an
 * in-memory PGlite, `pglite:///abs/dir` PGlite in that directory, `postgres://…` PostgreSQL.
 */
export async function openDatabase(url: string | undefined): Promise<Database> {
  if (url?.startsWith("postgres")) return openPostgres(url);
  if (url === "pglite://memory") return openPglite(undefined);
  const dir = url ? new URL(url).pathname : DEFAULT_PGLITE_DIR;
  mkdirSync(resolve(dir), { recursive: true });
  return openPglite(resolve(dir));
}

/** PGlite's own default is 128 MB of buffers, most of its memory; 32 MB serves the KPI queries as fast. */
const PGLITE_SHARED_BUFFERS = "32MB";

/** What PGlite starts with: its defaults and our settings (bench/startup opens PGlite alone with them). */
export function pgliteStartParams(defaults: readonly string[]): string[] {
  return [...defaults, "-c", `shared_buffers=${PGLITE_SHARED_BUFFERS}`];
}

async function openPglite(dir: string | undefined): Promise<Database> {
  // Loaded only when used: a PostgreSQL deployment does not carry the embedded database in memory.
  const { PGlite } = await import("@electric-sql/pglite");
  // PGlite reads and compiles its WASM in the background from here: Prisma loads meanwhile.
  const pglite = new PGlite(dir, { startParams: pgliteStartParams(PGlite.defaultStartParams) });
  const [, { PrismaClient }, { PrismaPGlite }] = await Promise.all([
    pglite.waitReady,
    import("../generated/prisma/client.js"),
    import("pglite-prisma-adapter"),
  ]);
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  let queue: Promise<unknown> = Promise.resolve();
  const sql: SqlDriver = {
    async exec(script) {
      await pglite.exec(script);
    },
    async query<T>(text: string, params: unknown[] = []) {
      return (await pglite.query<T>(text, params)).rows;
    },
    // PGlite is one connection in this process: callers in it queue behind each other.
    withLock(fn) {
      const run = queue.then(() => fn(sql));
      queue = run.then(
        () => undefined,
        () => undefined,
      );
      return run;
    },
  };
  return {
    kind: "pglite",
    prisma,
    sql,
    async close() {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}

async function openPostgres(url: string): Promise<Database> {
  // Loaded only when used, as PGlite is: the driver and its adapter cost the embedded start ~40 ms.
  const [{ default: driver }, { PrismaPg }, { PrismaClient }] = await Promise.all([
    import("pg"),
    import("@prisma/adapter-pg"),
    import("../generated/prisma/client.js"),
  ]);
  const pool = new driver.Pool({ connectionString: url, max: 10 });
  // An idle client that errors (server restart) must not crash the process.
  pool.on("error", () => {});
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const onClient = (client: pg.PoolClient | pg.Pool): SqlDriver => ({
    async exec(script) {
      await client.query(script);
    },
    async query<T>(text: string, params: unknown[] = []) {
      return (await client.query(text, params)).rows as T[];
    },
    async withLock(fn) {
      const conn = await pool.connect();
      try {
        await conn.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_ID]);
        try {
          return await fn(onClient(conn));
        } finally {
          await conn.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_ID]);
        }
      } finally {
        conn.release();
      }
    },
  });
  return {
    kind: "postgres",
    prisma,
    sql: onClient(pool),
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
