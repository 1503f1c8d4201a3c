import { openDatabase } from "../../src/db/client.js";
import type { Owner } from "./hubspot-file.js";

/**
 * What the import may change in a workspace, read in one go: a dry run must leave it as it was,
 * and a second commit of the same file must leave it as the first commit did.
 */
export interface Fingerprint {
  deals: number;
  customers: number;
  members: number;
  events: number;
  /** Sum of the deals' amounts in cents, as text (a bigint). */
  amount: string;
  /** The latest `updated_at` of a deal, ISO; none without deals. */
  lastUpdate: string | null;
}

/**
 * Creates the benchmark's workspace (currency EUR, locale en, time zone UTC) and the file's owners
 * as its members with their emails, the first one admin, in SQL on a migrated database. PGlite
 * holds its directory for one process: the database is closed again before the import runs.
 */
export async function createWorkspace(url: string, owners: readonly Owner[]): Promise<number> {
  const db = await openDatabase(url);
  try {
    const [ws] = await db.sql.query<{ id: number }>(
      `INSERT INTO workspace (platform, external_id, name, currency, locale, timezone, updated_at)
       VALUES ('shell', 'bench-import', 'Bench import', 'EUR', 'en', 'UTC', now()) RETURNING id`,
    );
    if (!ws) throw new Error("the workspace was not created");
    await db.sql.query(
      `INSERT INTO member (workspace_id, platform_user_id, display_name, email, role)
       SELECT $1, 'bench-' || n, name, email, (CASE WHEN n = 1 THEN 'admin' ELSE 'rep' END)::"Role"
       FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS o(name, email, n)`,
      [ws.id, owners.map((o) => o.name), owners.map((o) => o.email)],
    );
    return ws.id;
  } finally {
    await db.close();
  }
}

/** Reads the workspace's {@link Fingerprint}. */
export async function readFingerprint(url: string, workspaceId: number): Promise<Fingerprint> {
  const db = await openDatabase(url);
  try {
    const [row] = await db.sql.query<{
      deals: number;
      customers: number;
      members: number;
      events: number;
      amount: string;
      last_update: Date | string | null;
    }>(
      `SELECT (SELECT count(*)::int FROM deal WHERE workspace_id = $1) AS deals,
              (SELECT count(*)::int FROM customer WHERE workspace_id = $1) AS customers,
              (SELECT count(*)::int FROM member WHERE workspace_id = $1) AS members,
              (SELECT count(*)::int FROM deal_event WHERE workspace_id = $1) AS events,
              (SELECT coalesce(sum(amount), 0)::text FROM deal WHERE workspace_id = $1) AS amount,
              (SELECT max(updated_at) FROM deal WHERE workspace_id = $1) AS last_update`,
      [workspaceId],
    );
    if (!row) throw new Error("no fingerprint");
    const last = row.last_update;
    return {
      deals: row.deals,
      customers: row.customers,
      members: row.members,
      events: row.events,
      amount: row.amount,
      lastUpdate: last === null ? null : new Date(last).toISOString(),
    };
  } finally {
    await db.close();
  }
}
