import { createFixedClock } from "../../src/clock.js";
import type { Database } from "../../src/db/client.js";
import { migrate } from "../../src/db/migrate.js";
import type { Member, Workspace } from "../../src/sales/deps.js";
import { localDate, periodContaining } from "../../src/sales/periods/period.js";
import { createSalesService, type SalesService } from "../../src/sales/sales-service.js";
import { calendarOf } from "../../src/sales/workspaces/workspace-service.js";
import { type LoadTimings, loadDeals } from "./load.js";

/** The benchmark's fixed "now": a Wednesday in the middle of Q4, inside the loaded data range. */
export const BENCH_NOW = "2026-11-18T10:00:00Z";
export const BENCH_WORKSPACE = {
  platform: "shell",
  externalId: "bench-kpi",
  name: "Bench",
  timezone: "Europe/Paris",
} as const;

export interface BenchSession {
  sales: SalesService;
  workspace: Workspace;
  admin: Member;
}

/** The sales service on a fixed clock, the bench workspace and its admin (the command's actor). */
export async function openSession(db: Database): Promise<BenchSession> {
  // The bench loads history: nothing it records is announced.
  const sales = createSalesService({
    db: db.prisma,
    clock: createFixedClock(BENCH_NOW),
    onWin: async () => {},
    onKudos: async () => {},
  });
  const workspace = await sales.workspaces.ensureWorkspace(BENCH_WORKSPACE);
  const admin = await sales.members.ensureMember(workspace, {
    platformUserId: "admin",
    displayName: "admin",
  });
  return { sales, workspace, admin };
}

export interface LoadResult extends LoadTimings {
  migrateMs: number;
  totalMs: number;
  deals: number;
  dealEvents: number;
  members: number;
  customers: number;
}

/** Migrates an empty database and bulk-loads the data set into it. */
export async function buildDataset(
  db: Database,
  size: { deals: number; reps: number; customers: number; vacuum: boolean },
): Promise<LoadResult> {
  const t0 = performance.now();
  await migrate(db.sql);
  const migrateMs = performance.now() - t0;
  const { workspace: ws } = await openSession(db);
  const now = new Date(BENCH_NOW);
  const cal = calendarOf(ws);
  const timings = await loadDeals(db, {
    workspaceId: ws.id,
    reps: size.reps,
    customers: size.customers,
    deals: size.deals,
    vacuum: size.vacuum,
    now,
    monthStart: localDate(periodContaining("month", now, cal).start, ws.timezone),
    quarterStart: localDate(periodContaining("quarter", now, cal).start, ws.timezone),
  });
  const [counts] = await db.sql.query<{ deals: number; events: number; members: number; customers: number }>(
    `SELECT (SELECT count(*) FROM deal WHERE workspace_id = $1)::int AS deals,
            (SELECT count(*) FROM deal_event WHERE workspace_id = $1)::int AS events,
            (SELECT count(*) FROM member WHERE workspace_id = $1)::int AS members,
            (SELECT count(*) FROM customer WHERE workspace_id = $1)::int AS customers`,
    [ws.id],
  );
  // The load skips foreign-key triggers for speed; check by hand that every reference resolves.
  const [orphans] = await db.sql.query<{ n: number }>(
    `SELECT ((SELECT count(*) FROM deal d WHERE workspace_id = $1 AND (
               NOT EXISTS (SELECT 1 FROM member m WHERE m.id = d.owner_id)
               OR NOT EXISTS (SELECT 1 FROM customer c WHERE c.id = d.customer_id)))
          + (SELECT count(*) FROM deal_event e WHERE workspace_id = $1
               AND NOT EXISTS (SELECT 1 FROM deal d WHERE d.id = e.deal_id)))::int AS n`,
    [ws.id],
  );
  if (orphans?.n !== 0) throw new Error(`bulk load left ${orphans?.n} rows with a dangling reference`);
  return {
    migrateMs,
    ...timings,
    totalMs: performance.now() - t0,
    deals: counts?.deals ?? 0,
    dealEvents: counts?.events ?? 0,
    members: counts?.members ?? 0,
    customers: counts?.customers ?? 0,
  };
}
