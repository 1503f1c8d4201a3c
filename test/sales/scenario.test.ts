import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import type { Member, Workspace } from "../../src/sales/deps.js";
import { periodContaining } from "../../src/sales/periods/period.js";
import type { SalesService } from "../../src/sales/sales-service.js";
import { COMPANY as EVERYONE } from "../../src/sales/scope.js";
import { calendarOf } from "../../src/sales/workspaces/workspace-service.js";
import {
  createTestSales,
  type FixedClock,
  seedDeal,
  seedMember,
  seedRep,
  seedWorkspace,
} from "../fixtures/sales.js";
import { openTestDatabase } from "../support/db.js";

const k = (euros: number) => BigInt(euros * 100);

/**
 * One month of a small team, built through the service with the clock moved to each event:
 *
 * | #  | owner | customer | amount | created    | then                                  |
 * |----|-------|----------|--------|------------|---------------------------------------|
 * | 1  | bob   | Wayne    | 12k    | Mar 1      | won Mar 10                            |
 * | 2  | bob   | Stark    | 15k    | Oct 1      | qualified 25%, untouched since        |
 * | 3  | bob   | Initech  | 30k    | Oct 20     | won Nov 12 (23 days), referral        |
 * | 4  | alice | Acme     | 10k    | Nov 2      | won Nov 10 (8 days), website          |
 * | 5  | alice | Globex   | 20k    | Nov 5      | proposal 50%, expected Nov 25         |
 * | 6  | bob   | ACME     | 5k     | Nov 6      | lost Nov 15, price, website           |
 * | 7  | bob   | Hooli    | 40k    | Nov 7      | negotiation 75%, expected 2027-01-10  |
 * | 8  | alice | Umbrella | 8k     | Nov 16     | lead 10%, no expected date            |
 *
 * "Now" is Wednesday 2026-11-18 10:00 UTC.
 */
async function buildScenario(sales: SalesService, clock: FixedClock) {
  const ws = await seedWorkspace(sales);
  const admin = await seedMember(sales, ws, "admin", "admin");
  const alice = await seedRep(sales, ws, "alice");
  const bob = await seedRep(sales, ws, "bob");
  const at = async <T>(iso: string, fn: () => Promise<T>) => {
    clock.set(iso);
    return fn();
  };
  await at("2026-03-01T10:00:00Z", () =>
    seedDeal(sales, ws, bob, { amount: k(12000), customer: "Wayne", stage: "proposal" }),
  );
  await at("2026-03-10T10:00:00Z", () => sales.deals.winDeal(ws, bob, 1));
  await at("2026-10-01T10:00:00Z", () =>
    seedDeal(sales, ws, bob, { amount: k(15000), customer: "Stark", stage: "qualified" }),
  );
  await at("2026-10-20T10:00:00Z", () =>
    seedDeal(sales, ws, bob, { amount: k(30000), customer: "Initech", source: "referral" }),
  );
  await at("2026-11-02T10:00:00Z", () =>
    seedDeal(sales, ws, alice, { amount: k(10000), customer: "Acme", source: "website" }),
  );
  await at("2026-11-05T10:00:00Z", () =>
    seedDeal(sales, ws, alice, {
      amount: k(20000),
      customer: "Globex",
      stage: "proposal",
      closeDate: "2026-11-25",
    }),
  );
  await at("2026-11-06T10:00:00Z", () =>
    seedDeal(sales, ws, bob, { amount: k(5000), customer: "ACME", source: "website" }),
  );
  await at("2026-11-07T10:00:00Z", () =>
    seedDeal(sales, ws, bob, {
      amount: k(40000),
      customer: "Hooli",
      stage: "negotiation",
      closeDate: "2027-01-10",
    }),
  );
  await at("2026-11-10T10:00:00Z", () => sales.deals.winDeal(ws, alice, 4));
  await at("2026-11-12T10:00:00Z", () => sales.deals.winDeal(ws, bob, 3));
  await at("2026-11-15T10:00:00Z", () => sales.deals.loseDeal(ws, bob, 6, "price"));
  await at("2026-11-16T10:00:00Z", () =>
    seedDeal(sales, ws, alice, { amount: k(8000), customer: "Umbrella" }),
  );
  clock.set("2026-11-18T10:00:00Z");
  return { ws, admin, alice, bob };
}

describe("a month of a small team", () => {
  let db: Database;
  let sales: SalesService;
  let clock: FixedClock;
  let ws: Workspace;
  let admin: Member;
  let alice: Member;
  let bob: Member;

  beforeAll(async () => {
    db = await openTestDatabase();
    ({ sales, clock } = createTestSales(db));
    ({ ws, admin, alice, bob } = await buildScenario(sales, clock));
  });
  afterAll(() => db.close());

  const month = () => periodContaining("month", clock.now(), calendarOf(ws));

  it("GIVEN the month THEN every company KPI matches its definition", async () => {
    expect(await sales.kpis.computeKpis(ws, month(), EVERYONE)).toEqual({
      wonRevenue: k(40000),
      wonCount: 2,
      averageDeal: k(20000),
      lostCount: 1,
      winRate: 2 / 3,
      newCount: 5,
      newAmount: k(83000),
      openCount: 4,
      openPipeline: k(83000),
      // #5 20k × 50% + #8 8k × 10% (no date: this period) + #2 15k × 25% (no date); #7 closes in January.
      weightedPipeline: k(14550),
      salesCycleDays: 15.5,
    });
  });

  it("GIVEN one rep THEN the KPIs cover only their deals", async () => {
    const kpis = await sales.kpis.computeKpis(ws, month(), { scope: "member", member: alice });
    expect(kpis).toMatchObject({
      wonRevenue: k(10000),
      wonCount: 1,
      lostCount: 0,
      winRate: 1,
      newCount: 3,
      newAmount: k(38000),
      openCount: 2,
      openPipeline: k(28000),
      weightedPipeline: k(10800),
      salesCycleDays: 8,
    });
  });

  it("GIVEN last month THEN nothing of November counts and the March win is outside it", async () => {
    const october = periodContaining("month", new Date("2026-10-15T00:00:00Z"), calendarOf(ws));
    const kpis = await sales.kpis.computeKpis(ws, october, EVERYONE);
    expect(kpis).toMatchObject({
      wonCount: 0,
      wonRevenue: 0n,
      averageDeal: null,
      winRate: null,
      newCount: 2,
      newAmount: k(45000),
    });
  });

  it("GIVEN lost deals THEN lost reasons are grouped with their amounts", async () => {
    expect(await sales.kpis.lostReasons(ws, month(), EVERYONE)).toEqual([
      { reason: "price", count: 1, amount: k(5000) },
    ]);
  });

  it("GIVEN lead sources THEN their conversion is won / closed with revenue", async () => {
    expect(await sales.kpis.sourceConversion(ws, month(), EVERYONE)).toEqual([
      { source: "referral", won: 1, lost: 0, winRate: 1, revenue: k(30000) },
      { source: "website", won: 1, lost: 1, winRate: 0.5, revenue: k(10000) },
    ]);
  });

  it("GIVEN the month THEN the leaderboard ranks by revenue, or by deals with revenue breaking ties", async () => {
    const byRevenue = (await sales.leaderboard.leaderboard(ws, month(), "revenue")).items;
    expect(byRevenue.map((r) => [r.rank, r.name, r.revenue, r.deals])).toEqual([
      [1, "bob", k(30000), 1],
      [2, "alice", k(10000), 1],
    ]);
    const byDeals = (await sales.leaderboard.leaderboard(ws, month(), "deals")).items;
    expect(byDeals.map((r) => r.name)).toEqual(["bob", "alice"]);
  });

  it("GIVEN the month THEN the forecast adds the weighted pipeline closing before its end to the wins", async () => {
    const f = await sales.forecast.forecast(ws, month(), EVERYONE, null);
    const elapsed = (17 * 24 + 10) / (30 * 24);
    expect(f.won).toBe(k(40000));
    expect(f.elapsed).toBeCloseTo(elapsed, 10);
    expect(f.runRate).toBe(BigInt(Math.round(4_000_000 / elapsed)));
    expect(f.weightedOpen).toBe(k(14550));
    expect(f.weighted).toBe(k(54550));
  });

  it("GIVEN customers THEN one customer per folded name, with history, revenue and status", async () => {
    const acme = await sales.customers.customerHistory(ws, "acme.");
    expect(acme.customer.name).toBe("Acme");
    expect(acme.deals.map((d) => d.number)).toEqual([6, 4]);
    expect(acme.revenue).toBe(k(10000));
    expect(acme.status).toBe("customer");
    expect(acme.lastOrder?.toISOString()).toBe("2026-11-10T10:00:00.000Z");
    expect(acme.events.map((e) => [e.deal.number, e.kind, e.stage])).toEqual([
      [6, "stage", "lost"],
      [4, "stage", "won"],
      [6, "created", "lead"],
      [4, "created", "lead"],
    ]);
    const wayne = await sales.customers.customerHistory(ws, "WAYNE");
    expect(wayne.status).toBe("dormant");
  });

  it("GIVEN customer lists THEN dormant ones have an old win only, prospects an open deal and no win", async () => {
    const dormant = (await sales.customers.listCustomers(ws, "dormant")).items;
    expect(dormant.map((c) => c.name)).toEqual(["Wayne"]);
    const prospects = (await sales.customers.listCustomers(ws, "prospects")).items;
    expect(prospects.map((c) => c.name)).toEqual(["Globex", "Hooli", "Stark", "Umbrella"]);
    expect((await sales.customers.listCustomers(ws, "all")).total).toBe(7);
  });

  it("GIVEN open deals THEN those without an event for 14 days are stalled", async () => {
    const stalled = (await sales.reminders.stalledDeals(ws)).items;
    expect(stalled.map((s) => [s.number, s.customer, s.ownerId])).toEqual([[2, "Stark", bob.id]]);
    expect(await sales.reminders.stalledDeals(ws, { scope: { scope: "member", member: alice } })).toEqual({
      items: [],
      total: 0,
    });
  });

  it("GIVEN logged deals THEN each open one got its follow-up three working days later, and closed ones are done", async () => {
    const due = (await sales.reminders.listReminders(ws, alice, clock.now())).items;
    // #5 Globex, logged Thu Nov 5, due Tue Nov 10; #7 Umbrella, logged Mon Nov 16, is due Thu Nov 19.
    expect(due.map((r) => [r.deal?.number, r.dueAt.toISOString()])).toEqual([
      [5, "2026-11-10T00:00:00.000Z"],
    ]);
    const all = (await sales.reminders.listReminders(ws, alice)).items;
    expect(all.map((r) => [r.deal?.number, r.dueAt.toISOString(), r.origin])).toEqual([
      [5, "2026-11-10T00:00:00.000Z", "followup"],
      [8, "2026-11-19T00:00:00.000Z", "followup"],
    ]);
  });

  it("GIVEN goals THEN progress, pace and milestones follow the won deals", async () => {
    const set = await sales.goals.setGoal(
      ws,
      admin,
      { scope: "member", member: alice },
      "revenue",
      "month",
      k(20000),
    );
    expect(set.actual).toBe(k(10000));
    expect(set.attainment).toBe(0.5);
    expect(set.pace).toBeCloseTo(0.5 / ((17 * 24 + 10) / (30 * 24)), 10);
    expect(set.reached).toEqual([0.5]);
    expect(set.next).toBe(0.75);
    await sales.goals.setGoal(ws, admin, { scope: "company" }, "revenue", "month", k(100000));
    await sales.goals.setGoal(ws, admin, { scope: "company" }, "deals", "quarter", 10n);

    const mine = await sales.goals.progressForMember(ws, alice);
    expect(mine.map((p) => [p.goal.scope, p.goal.metric, p.goal.periodKind, p.actual])).toEqual([
      ["member", "revenue", "month", k(10000)],
      ["company", "revenue", "month", k(40000)],
      ["company", "deals", "quarter", 2n],
    ]);
  });

  it("GIVEN a win THEN the milestones it crosses are reported once per goal and threshold", async () => {
    clock.set("2026-11-18T11:00:00Z");
    const { crossings } = await sales.deals.winDeal(ws, alice, 5);
    expect(crossings.map((c) => [c.progress.goal.scope, c.progress.goal.metric, c.threshold])).toEqual([
      ["member", "revenue", 0.75],
      ["member", "revenue", 1],
      ["member", "revenue", 1.5],
      ["company", "revenue", 0.5],
    ]);
  });

  it("GIVEN the month's wins THEN awards name top revenue, most deals, biggest deal, goal crushers and most improved", async () => {
    const awards = await sales.awards.computeAwards(ws, month());
    // alice and bob both won 30k; the tie goes to the one with more deals.
    expect(awards.topRevenue).toMatchObject({ name: "alice", revenue: k(30000), deals: 2 });
    expect(awards.mostDeals).toMatchObject({ name: "alice", deals: 2 });
    expect(awards.biggestDeal).toMatchObject({
      name: "bob",
      number: 3,
      customer: "Initech",
      amount: k(30000),
    });
    expect(awards.goalCrushers.map((c) => [c.name, c.attainment])).toEqual([["alice", 1.5]]);
    expect(awards.mostImproved).toMatchObject({ name: "alice", revenue: k(30000), previous: 0n });
  });
});
