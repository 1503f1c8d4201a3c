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

/** Stops a `listen`: no more payloads are handed on once it resolves. */
export type Unlisten = () => Promise<void>;

export interface Database {
  readonly kind: "pglite" | "postgres";
  readonly prisma: PrismaClient;
  readonly sql: SqlDriver;
  /**
   * Hands on the payload of every `NOTIFY` on `channel` committed by anyone on this database (every
   * replica on PostgreSQL), from one connection of its own; `onError` hears a lost connection,
   * which is set up again a moment later (notifications sent meanwhile are missed).
   */
  listen(
    channel: string,
    onPayload: (payload: string) => void,
    onError?: (error: unknown) => void,
  ): Promise<Unlisten>;
  close(): Promise<void>;
}

export const DEFAULT_PGLITE_DIR = "./data/pglite";

/** Prisma's own advisory lock id for migrations, so `prisma migrate deploy` and we exclude each other. */
const MIGRATION_LOCK_ID = 72707369;

/**
 * How long Closer waits on the database before a command fails (and its user is told nothing was
 * saved): a few seconds, never the minutes a stopped or hung server would otherwise take.
 */
export interface DatabaseTimeouts {
  /** Waiting for a pooled connection, or for a new one to be set up (pg `connectionTimeoutMillis`). */
  acquireMs: number;
  /** Server side: a statement running longer is cancelled by PostgreSQL (`statement_timeout`). */
  statementMs: number;
  /** Client side: a statement not answered by then fails and its connection is dropped (pg `query_timeout`). */
  queryMs: number;
  /** Prisma's interactive transactions: waiting to start one (`maxWait`), and the whole of it (`timeout`). */
  transactionMaxWaitMs: number;
  transactionMs: number;
}

/**
 * Waiting for a connection, pooled or new. A burst queues commands for the pool's ten connections
 * for seconds (bench/ack: 4.6 s at 50 in flight on one workspace), and each is answered, late, as
 * long as it is not failed: only 10 s of waiting means the database is down. The acknowledgement
 * does not wait for it, and the answer may come until Slack's response_url (30 min) or Discord's
 * interaction token (15 min) expires.
 */
const ACQUIRE_TIMEOUT_MS = 10_000;
/** Our slowest statements (KPIs over 1,000,000 deals) take < 0.5 s: one 10× slower is stuck on a lock or a runaway plan. */
const STATEMENT_TIMEOUT_MS = 5000;
/** The server's own cancel plus a round trip, so a slow statement is cancelled cleanly first; this fires only on silence. */
const QUERY_TIMEOUT_MS = 6000;
/** A connection (10 s) and its BEGIN: a transaction that cannot start by then fails like any statement would. */
const TRANSACTION_MAX_WAIT_MS = 11_000;
/** A command's transaction is a few statements of milliseconds; this lets one run to its statement limit, then rolls back. */
const TRANSACTION_TIMEOUT_MS = 10_000;

export const DATABASE_TIMEOUTS: Readonly<DatabaseTimeouts> = Object.freeze({
  acquireMs: ACQUIRE_TIMEOUT_MS,
  statementMs: STATEMENT_TIMEOUT_MS,
  queryMs: QUERY_TIMEOUT_MS,
  transactionMaxWaitMs: TRANSACTION_MAX_WAIT_MS,
  transactionMs: TRANSACTION_TIMEOUT_MS,
});

/** The database could not be reached when it was opened; its message names it, without credentials. */
export class DatabaseUnreachableError extends Error {
  override readonly name = "DatabaseUnreachableError";
}

/** A database URL fit for a log line: no password, no query string (it may carry one, or key files). */
export function displayUrl(url: string): string {
  if (!URL.canParse(url)) return "DATABASE_URL (not a URL)";
  const shown = new URL(url);
  shown.password = "";
  shown.search = "";
  shown.hash = "";
  return shown.toString();
}

/**
 * Opens the database a URL names: unset means PGlite in ./data/pglite, `pglite://memory` an
 * in-memory PGlite, `pglite:///abs/dir` PGlite in that directory, `postgres://…` PostgreSQL, whose
 * first connection is made here: a server that cannot be reached is a DatabaseUnreachableError.
 */
export async function openDatabase(
  url: string | undefined,
  timeouts: Partial<DatabaseTimeouts> = {},
  options: OpenOptions = {},
): Promise<Database> {
  const limits = { ...DATABASE_TIMEOUTS, ...timeouts };
  if (url?.startsWith("postgres")) return openPostgres(url, limits);
  if (url === "pglite://memory") return openPglite(undefined, limits, options.pgliteSnapshot);
  const dir = url ? new URL(url).pathname : DEFAULT_PGLITE_DIR;
  mkdirSync(resolve(dir), { recursive: true });
  return openPglite(resolve(dir), limits);
}

export interface OpenOptions {
  /**
   * A test seam: an in-memory PGlite starts from this data directory (a PGlite `dumpDataDir`
   * tarball) instead of running initdb, which costs seconds each time.
   */
  pgliteSnapshot?: Blob;
}

/** Prisma's interactive transactions; their defaults (2 s, 5 s) are shorter than a statement may take. */
function transactionOptions(limits: DatabaseTimeouts) {
  return { maxWait: limits.transactionMaxWaitMs, timeout: limits.transactionMs };
}

/** PGlite's own default is 128 MB of buffers, most of its memory; 32 MB serves the KPI queries as fast. */
const PGLITE_SHARED_BUFFERS = "32MB";

/** What PGlite starts with: its defaults and our settings (bench/startup opens PGlite alone with them). */
export function pgliteStartParams(defaults: readonly string[]): string[] {
  return [...defaults, "-c", `shared_buffers=${PGLITE_SHARED_BUFFERS}`];
}

/*
 * PGlite gets no statement timeout: it runs in this process, so it cannot hang apart from it, and it
 * enforces none (no timer interrupts in its WASM build: `SET statement_timeout = 1000` lets
 * `pg_sleep(3)` finish). Its transactions still wait and last no longer than PostgreSQL's.
 */
async function openPglite(
  dir: string | undefined,
  limits: DatabaseTimeouts,
  snapshot?: Blob,
): Promise<Database> {
  // Loaded only when used: a PostgreSQL deployment does not carry the embedded database in memory.
  const { PGlite } = await import("@electric-sql/pglite");
  // PGlite reads and compiles its WASM in the background from here: Prisma loads meanwhile. One
  // options object: `new PGlite(undefined, options)` ignores its options.
  const pglite = new PGlite({
    dataDir: dir,
    startParams: pgliteStartParams(PGlite.defaultStartParams),
    loadDataDir: snapshot,
  });
  const [, { PrismaClient }, { PrismaPGlite }] = await Promise.all([
    pglite.waitReady,
    import("../generated/prisma/client.js"),
    import("pglite-prisma-adapter"),
  ]);
  const prisma = new PrismaClient({
    adapter: new PrismaPGlite(pglite),
    transactionOptions: transactionOptions(limits),
  });
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
    // PGlite is one connection in this process: a NOTIFY committed through Prisma is heard here.
    async listen(channel, onPayload) {
      return pglite.listen(channel, onPayload);
    },
    async close() {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}

/**
 * Statement texts prepared by name, at most, in a process. Closer sends a few hundred distinct
 * texts (its builders vary in shape, not in values): past this bound, new ones run unnamed, so a
 * builder that varied with its values could not fill the server's memory.
 */
const PREPARED_STATEMENTS = 1000;

/**
 * Names each statement text, so that each connection parses it once and, after five runs, may keep
 * a generic plan: the KPI, digest and focus statements then skip their planning, most of a 1–3 ms
 * statement (bench/RESULTS.md). The same text gets the same name on every connection; past `limit`
 * texts the name is empty, an unnamed statement. A connection pooler in front of PostgreSQL must
 * keep prepared statements (PgBouncer 1.21+ with `max_prepared_statements`).
 */
export function preparedNames(limit: number): (query: { sql: string }) => string {
  const names = new Map<string, string>();
  return ({ sql }) => {
    const known = names.get(sql);
    if (known !== undefined || names.size >= limit) return known ?? "";
    const name = `closer_${names.size + 1}`;
    names.set(sql, name);
    return name;
  };
}

/** Why a first connection failed, in a few words: a system error's code, else the server's message. */
function reasonOf(error: unknown): string {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const text = typeof message === "string" ? message : "";
  if (typeof code === "string" && /^E[A-Z]+$/.test(code)) return code;
  return [typeof code === "string" ? code : "", text].filter(Boolean).join(" ") || String(error);
}

/** The parts of pg's client the pool's release hook reads; `_getActiveQuery` is pg's own, not in its types. */
interface ReleasedClient {
  _getActiveQuery?: () => unknown;
  end(): Promise<void>;
}

async function openPostgres(url: string, limits: DatabaseTimeouts): Promise<Database> {
  // Loaded only when used, as PGlite is: the driver and its adapter cost the embedded start ~40 ms.
  const [{ default: driver }, { PrismaPg }, { PrismaClient }] = await Promise.all([
    import("pg"),
    import("@prisma/adapter-pg"),
    import("../generated/prisma/client.js"),
  ]);
  // What serves users: every wait on the server is bounded (DatabaseTimeouts).
  // Prisma's adapter sends an instant as "2026-11-18 10:00:00", without an offset, which the server
  // reads in the session's time zone: a server whose time zone is not UTC would shift every instant.
  const utc = "-c TimeZone=UTC";
  const pool = new driver.Pool({
    connectionString: url,
    options: utc,
    max: 10,
    connectionTimeoutMillis: limits.acquireMs,
    statement_timeout: limits.statementMs,
    query_timeout: limits.queryMs,
    // A transaction left open longer than Prisma allows one was abandoned: the server ends it, and its locks.
    idle_in_transaction_session_timeout: limits.transactionMs,
    keepAlive: true,
  });
  // An idle client that errors (server restart) must not crash the process.
  pool.on("error", () => {});
  // A transaction whose statement outlived query_timeout comes back still waiting for the server
  // (its ROLLBACK never left, queued behind that statement). Reused, the connection would run the
  // next caller's statements inside the abandoned transaction once the server answers: end it.
  pool.on("release", (err: Error | undefined, client: ReleasedClient) => {
    if (!err && client._getActiveQuery?.()) void client.end().catch(() => {});
  });
  // Scripts, migrations and the migration lock: no statement or query timeout, as a migration may
  // rightly run for minutes and a second replica waits for the lock while the first migrates.
  const unbounded = {
    connectionString: url,
    options: utc,
    connectionTimeoutMillis: limits.acquireMs,
    keepAlive: true,
  };
  const scripts = new driver.Pool({ ...unbounded, max: 2 });
  scripts.on("error", () => {});
  try {
    (await pool.connect()).release();
  } catch (error) {
    await Promise.all([pool.end(), scripts.end()]).catch(() => {});
    throw new DatabaseUnreachableError(`database unreachable at ${displayUrl(url)} (${reasonOf(error)})`);
  }
  const prisma = new PrismaClient({
    adapter: new PrismaPg(pool, { statementNameGenerator: preparedNames(PREPARED_STATEMENTS) }),
    transactionOptions: transactionOptions(limits),
  });
  const onClient = (client: pg.ClientBase | pg.Pool): SqlDriver => ({
    async exec(script) {
      await client.query(script);
    },
    async query<T>(text: string, params: unknown[] = []) {
      return (await client.query(text, params)).rows as T[];
    },
    // Its own connection, outside the pools: a runner waiting for the lock holds no pooled one.
    async withLock(fn) {
      const conn = new driver.Client(unbounded);
      conn.on("error", () => {});
      await conn.connect();
      try {
        await conn.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_ID]);
        try {
          return await fn(onClient(conn));
        } finally {
          await conn.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_ID]);
        }
      } finally {
        await conn.end();
      }
    },
  });
  return {
    kind: "postgres",
    prisma,
    sql: onClient(scripts),
    listen: (channel, onPayload, onError) =>
      listenOn(() => new driver.Client(unbounded), channel, onPayload, onError),
    async close() {
      await prisma.$disconnect();
      await Promise.all([pool.end(), scripts.end()]);
    },
  };
}

/** How long a lost LISTEN connection waits before it is set up again. */
const RELISTEN_MS = 1000;

/**
 * LISTEN on a connection of its own (a pooled one would be handed to others), set up again when it
 * is lost, until the returned function stops it.
 */
async function listenOn(
  connect: () => pg.Client,
  channel: string,
  onPayload: (payload: string) => void,
  onError: (error: unknown) => void = () => {},
): Promise<Unlisten> {
  let stopped = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  const open = async () => {
    const conn = connect();
    client = conn;
    conn.on("notification", (n) => {
      if (n.channel === channel && !stopped) onPayload(n.payload ?? "");
    });
    conn.on("error", (error) => {
      if (stopped || client !== conn) return;
      onError(error);
      client = undefined;
      void conn.end().catch(() => {});
      retry = setTimeout(() => void open().catch(lost), RELISTEN_MS);
    });
    await conn.connect();
    // A channel name is an identifier: quoted, as LISTEN takes no parameter.
    await conn.query(`LISTEN "${channel.replaceAll('"', '""')}"`);
  };
  const lost = (error: unknown) => {
    if (stopped) return;
    onError(error);
    retry = setTimeout(() => void open().catch(lost), RELISTEN_MS);
  };
  await open();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    await client?.end().catch(() => {});
  };
}
