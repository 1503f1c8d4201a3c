import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { adminQuery, createScratchDatabase } from "../support/postgres.js";
import type { Backend } from "./scenario.js";

/** What the database holds after the run: every answered `/deal log` should be one deal, once. */
export interface DealCounts {
  deals: number;
  /** Distinct deal numbers, per workspace. */
  numbers: number;
  customers: number;
  reminders: number;
  workspaces: number;
  members: number;
}

const COUNTS = `SELECT count(*)::int AS deals, count(DISTINCT (workspace_id, number))::int AS numbers,
  count(DISTINCT customer_id)::int AS customers,
  (SELECT count(*)::int FROM reminder) AS reminders,
  (SELECT count(*)::int FROM workspace) AS workspaces,
  (SELECT count(*)::int FROM member) AS members
FROM deal`;

/** A database made for one scenario, and dropped after it, even on failure. */
export interface ScratchBackend {
  kind: Backend;
  /** Closer's DATABASE_URL. */
  url: string;
  /** How the report names it. */
  label: string;
  /** PostgreSQL: the database's name on the server (for `pg_stat_activity`). */
  database?: string;
  /** The counts, once Closer has stopped (PGlite is one process's at a time). */
  counts(): Promise<DealCounts>;
  /** Safe to call twice. */
  drop(): Promise<void>;
}

/**
 * PostgreSQL: a scratch database on the server `pgUrl` names. PGlite: a fresh directory under the
 * system's temporary directory, `pglite:///<dir>`, which Closer creates and migrates at start.
 */
export async function createBackend(kind: Backend, pgUrl: string, prefix: string): Promise<ScratchBackend> {
  if (kind === "postgres") {
    const db = await createScratchDatabase(pgUrl, prefix);
    return {
      kind,
      url: db.url,
      label: `a PostgreSQL database made for the scenario (${db.name}) and dropped after it`,
      database: db.name,
      async counts() {
        const [row] = await adminQuery<DealCounts>(db.url, COUNTS);
        if (!row) throw new Error("no counts");
        return row;
      },
      drop: db.drop,
    };
  }
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  return {
    kind,
    url: `pglite://${dir}`,
    label: "`pglite:///<a new temporary directory>` (PGlite in Closer's process), removed after the scenario",
    async counts() {
      const { PGlite } = await import("@electric-sql/pglite");
      const db = new PGlite(dir);
      try {
        const { rows } = await db.query<DealCounts>(COUNTS);
        if (!rows[0]) throw new Error("no counts");
        return rows[0];
      } finally {
        await db.close();
      }
    },
    async drop() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
