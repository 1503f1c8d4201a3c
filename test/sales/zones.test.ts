import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import type { Member, Workspace } from "../../src/sales/deps.js";
import { type PeriodKind, periodContaining } from "../../src/sales/periods/period.js";
import type { SalesService } from "../../src/sales/sales-service.js";
import { COMPANY as EVERYONE } from "../../src/sales/scope.js";
import { calendarOf } from "../../src/sales/workspaces/workspace-service.js";
import { createTestSales, type FixedClock, seedDeal, seedMember, seedWorkspace } from "../fixtures/sales.js";
import { openTestDatabase } from "../support/db.js";

let db: Database;
let sales: SalesService;
let clock: FixedClock;

beforeAll(async () => {
  db = await openTestDatabase();
  ({ sales, clock } = createTestSales(db));
});
afterAll(() => db.close());

/** Logs and wins a deal at one instant. */
async function winAt(ws: Workspace, rep: Member, at: string, euros: number) {
  clock.set(at);
  const deal = await seedDeal(sales, ws, rep, { amount: BigInt(euros * 100), customer: `C${at}` });
  await sales.deals.winDeal(ws, rep, deal.number);
}

async function wonIn(ws: Workspace, kind: PeriodKind, at: string) {
  const period = periodContaining(kind, new Date(at), calendarOf(ws));
  return (await sales.kpis.computeKpis(ws, period, EVERYONE)).wonRevenue;
}

describe("KPIs follow the workspace's calendar", () => {
  it("GIVEN a win at 23:30 UTC on Oct 31 THEN Paris counts it in November (after the DST change), UTC in October", async () => {
    const paris = await seedWorkspace(sales, { timezone: "Europe/Paris" });
    const utc = await seedWorkspace(sales);
    for (const ws of [paris, utc])
      await winAt(ws, await seedMember(sales, ws, "rep", "rep"), "2026-10-31T23:30:00Z", 100);
    expect(await wonIn(paris, "month", "2026-11-10T12:00:00Z")).toBe(10_000n);
    expect(await wonIn(paris, "month", "2026-10-10T12:00:00Z")).toBe(0n);
    expect(await wonIn(utc, "month", "2026-10-10T12:00:00Z")).toBe(10_000n);
  });

  it("GIVEN New York across the March DST change THEN the day and month boundaries are local midnight", async () => {
    const ny = await seedWorkspace(sales, { timezone: "America/New_York" });
    const rep = await seedMember(sales, ny, "rep", "rep");
    await winAt(ny, rep, "2026-03-01T04:59:00Z", 1); // Feb 28, 23:59 EST
    await winAt(ny, rep, "2026-03-01T05:00:00Z", 2); // Mar 1, 00:00 EST
    await winAt(ny, rep, "2026-03-08T06:59:00Z", 4); // Mar 8, 01:59 EST, before the jump
    await winAt(ny, rep, "2026-03-08T07:00:00Z", 8); // Mar 8, 03:00 EDT, after it
    await winAt(ny, rep, "2026-03-09T03:59:00Z", 16); // Mar 8, 23:59 EDT
    await winAt(ny, rep, "2026-03-09T04:00:00Z", 32); // Mar 9, 00:00 EDT
    expect(await wonIn(ny, "month", "2026-02-15T12:00:00Z")).toBe(100n);
    expect(await wonIn(ny, "month", "2026-03-15T12:00:00Z")).toBe(6_200n);
    expect(await wonIn(ny, "today", "2026-03-08T12:00:00Z")).toBe(2_800n);
  });

  it("GIVEN a fiscal year starting in April THEN quarters and years follow it", async () => {
    const ws = await seedWorkspace(sales, { timezone: "Europe/Paris" });
    const admin = await seedMember(sales, ws, "admin", "admin");
    await sales.workspaces.setConfig(ws, admin, "fiscal_year_start", "4");
    const fiscal = await sales.workspaces.getWorkspace(ws.id);
    const rep = await seedMember(sales, fiscal, "rep", "rep");
    await winAt(fiscal, rep, "2026-03-31T21:59:00Z", 1); // Mar 31, 23:59 CEST: last quarter of FY2025
    await winAt(fiscal, rep, "2026-03-31T22:00:00Z", 2); // Apr 1, 00:00 CEST: FY2026 Q1
    await winAt(fiscal, rep, "2026-06-30T21:59:00Z", 4); // Jun 30, 23:59: still Q1
    expect(await wonIn(fiscal, "quarter", "2026-05-01T12:00:00Z")).toBe(600n);
    expect(await wonIn(fiscal, "quarter", "2026-02-01T12:00:00Z")).toBe(100n);
    expect(await wonIn(fiscal, "year", "2027-03-01T12:00:00Z")).toBe(600n);
  });

  it("GIVEN weeks starting on Sunday THEN a Sunday win belongs to the new week", async () => {
    const ws = await seedWorkspace(sales);
    const admin = await seedMember(sales, ws, "admin", "admin");
    const rep = await seedMember(sales, ws, "rep", "rep");
    await winAt(ws, rep, "2026-11-15T09:00:00Z", 1); // Sunday
    expect(await wonIn(ws, "week", "2026-11-16T09:00:00Z")).toBe(0n); // Monday weeks: last week
    await sales.workspaces.setConfig(ws, admin, "week_start", "sunday");
    expect(await wonIn(await sales.workspaces.getWorkspace(ws.id), "week", "2026-11-16T09:00:00Z")).toBe(
      100n,
    );
  });
});
