import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parsePeriod } from "../../src/commands/period.js";
import type { Database } from "../../src/db/client.js";
import type { DashboardFigures, DashboardScope } from "../../src/sales/dashboard/dashboard-service.js";
import type { Workspace } from "../../src/sales/deps.js";
import { isGoalPeriod } from "../../src/sales/goals/goal-service.js";
import type { Period } from "../../src/sales/periods/period.js";
import type { SalesService } from "../../src/sales/sales-service.js";
import { calendarOf, localeOf } from "../../src/sales/workspaces/workspace-service.js";
import { DASHBOARD_NOW, type DashboardTeam, monthOf, seedDashboardTeam } from "../fixtures/dashboard.js";
import { createTestSales } from "../fixtures/sales.js";
import { openTestDatabase } from "../support/db.js";

const COMPANY: DashboardScope = { scope: "company" };

function periodIn(ws: Workspace, text: string, now = DASHBOARD_NOW): Period {
  const read = parsePeriod(text, { ...calendarOf(ws), now: new Date(now), locale: localeOf(ws) });
  if (!read.ok) throw new Error(`not a period: ${text}`);
  return read.period;
}

/** The months' won and goals, by `YYYY-MM`, leaving out the empty ones. */
function nonEmptyMonths(f: DashboardFigures) {
  return f.months.filter((m) => m.won > 0n || m.goal !== null).map((m) => [m.month.label, m.won, m.goal]);
}

describe("dashboard figures", () => {
  let db: Database;
  let sales: SalesService;
  let team: DashboardTeam;

  beforeAll(async () => {
    db = await openTestDatabase();
    const made = createTestSales(db, DASHBOARD_NOW);
    sales = made.sales;
    team = await seedDashboardTeam(sales, made.clock);
    // Another workspace with the same history: none of it may show in the first one's figures.
    await seedDashboardTeam(sales, made.clock);
  });
  afterAll(() => db.close());

  it("GIVEN the hand-worked team THEN November's company figures are the ones worked out by hand", async () => {
    const f = await sales.dashboard.figures(team.ws, COMPANY, monthOf(team.ws, "2026-11"));

    expect(f.months.map((m) => m.month.label)).toEqual([
      "2025-12",
      ...Array.from({ length: 11 }, (_, i) => `2026-${String(i + 1).padStart(2, "0")}`),
    ]);
    // #1 (November 2025) is before the twelve months; September has #2, November #4, #5, #6.
    expect(nonEmptyMonths(f)).toEqual([
      ["2026-09", 800_000n, 1_000_000n],
      ["2026-11", 2_000_000n, 4_000_000n],
    ]);

    // Open now: #3 and #9 at lead, #10 at proposal. Created in November: #4 to #10, whose furthest
    // steps are won, won, won, qualified, negotiation, lead, proposal.
    expect(f.stages).toEqual([
      { stage: "lead", openCount: 2, openAmount: 650_000n, reached: 7, conversion: 6 / 7 },
      { stage: "qualified", openCount: 0, openAmount: 0n, reached: 6, conversion: 5 / 6 },
      { stage: "proposal", openCount: 1, openAmount: 2_000_000n, reached: 5, conversion: 4 / 5 },
      { stage: "negotiation", openCount: 0, openAmount: 0n, reached: 4, conversion: 3 / 4 },
      { stage: "won", openCount: 0, openAmount: 0n, reached: 3, conversion: null },
    ]);

    // 18 Nov 11:00 in Paris: 17 days and 11 hours of November's 30 days.
    expect(f.forecast.elapsed).toBeCloseTo(419 / 720, 12);
    expect(f.forecast.won).toBe(2_000_000n);
    // 2,000,000 / (419 / 720) = 3,436,754.17 cents.
    expect(f.forecast.runRate).toBe(3_436_754n);
    // #3 5,000 × 10 % + #9 1,500 × 10 % (no date: today) + #10 20,000 × 50 % (25 Nov).
    expect(f.forecast.weightedOpen).toBe(1_065_000n);
    expect(f.forecast.weighted).toBe(3_065_000n);
    expect(f.forecast.goal?.target).toBe(4_000_000n);

    expect(f.lost).toEqual([
      { reason: "price", count: 1, amount: 300_000n },
      { reason: "competitor", count: 1, amount: 200_000n },
    ]);
    expect(f.sources).toEqual([
      { source: "referral", won: 2, lost: 0, winRate: 1, revenue: 1_600_000n, deals: 2 },
      { source: "website", won: 1, lost: 1, winRate: 0.5, revenue: 400_000n, deals: 2 },
      { source: null, won: 0, lost: 1, winRate: 0, revenue: 0n, deals: 1 },
    ]);
    expect(f.reps.map(({ memberId: _, ...r }) => r)).toEqual([
      // #4: 2 Nov to 17 Nov.
      {
        name: "alice",
        won: 1_000_000n,
        wonCount: 1,
        lostCount: 0,
        winRate: 1,
        averageDeal: 1_000_000n,
        cycleDays: 15,
      },
      // #6: 4 Nov to 17 Nov; #8 lost.
      {
        name: "carol",
        won: 600_000n,
        wonCount: 1,
        lostCount: 1,
        winRate: 0.5,
        averageDeal: 600_000n,
        cycleDays: 13,
      },
      // #5: 3 Nov to 10 Nov; #7 lost.
      {
        name: "bob",
        won: 400_000n,
        wonCount: 1,
        lostCount: 1,
        winRate: 0.5,
        averageDeal: 400_000n,
        cycleDays: 7,
      },
    ]);
  });

  it("GIVEN team North THEN its dashboard counts alice's and bob's deals only, against the team's goals", async () => {
    const f = await sales.dashboard.figures(
      team.ws,
      { scope: "team", team: team.north },
      monthOf(team.ws, "2026-11"),
    );

    // The company's September goal is not the team's.
    expect(nonEmptyMonths(f)).toEqual([
      ["2026-09", 800_000n, null],
      ["2026-11", 1_400_000n, 2_500_000n],
    ]);
    // Created in November by alice or bob: #4 won, #5 won, #7 qualified, #9 lead, #10 proposal.
    expect(f.stages.map((s) => [s.stage, s.openCount, s.openAmount, s.reached, s.conversion])).toEqual([
      ["lead", 2, 650_000n, 5, 4 / 5],
      ["qualified", 0, 0n, 4, 3 / 4],
      ["proposal", 1, 2_000_000n, 3, 2 / 3],
      ["negotiation", 0, 0n, 2, 1],
      ["won", 0, 0n, 2, null],
    ]);
    expect(f.forecast.won).toBe(1_400_000n);
    // 1,400,000 / (419 / 720) = 2,405,727.92 cents.
    expect(f.forecast.runRate).toBe(2_405_728n);
    expect(f.forecast.weighted).toBe(2_465_000n);
    expect(f.forecast.goal?.target).toBe(2_500_000n);
    expect(f.lost).toEqual([{ reason: "price", count: 1, amount: 300_000n }]);
    expect(f.sources.map((s) => [s.source, s.deals, s.won, s.revenue])).toEqual([
      ["referral", 1, 1, 1_000_000n],
      ["website", 2, 1, 400_000n],
    ]);
    expect(f.reps.map((r) => r.name)).toEqual(["alice", "bob"]);
  });

  it("GIVEN a past month THEN its forecast is what was won, with no open deal weighted", async () => {
    const f = await sales.dashboard.figures(team.ws, COMPANY, monthOf(team.ws, "2026-09"));
    expect(f.months.at(-1)?.month.label).toBe("2026-09");
    expect(f.months[0]?.month.label).toBe("2025-10");
    expect(nonEmptyMonths(f)).toEqual([
      ["2025-11", 100_000n, null],
      ["2026-09", 800_000n, 1_000_000n],
    ]);
    expect([f.forecast.won, f.forecast.runRate, f.forecast.weighted]).toEqual([800_000n, 800_000n, 800_000n]);
    expect(f.stages.map((s) => s.reached)).toEqual([1, 1, 1, 1, 1]);
  });

  describe.each([
    ["company", () => COMPANY],
    ["team North", () => ({ scope: "team", team: team.north }) as const],
  ])("GIVEN the %s scope", (_name, scopeOf) => {
    it.each(["month", "last month", "quarter", "year", "2026-Q3", "2026-11-01..2026-11-12"])(
      "AND the period %s THEN every figure is the one /kpi, /forecast and /leaderboard give",
      async (text) => {
        const ws = team.ws;
        const scope = scopeOf();
        const period = periodIn(ws, text);
        const f = await sales.dashboard.figures(ws, scope, period);
        const kpis = await sales.kpis.computeKpis(ws, period, scope);

        for (const m of f.months) {
          expect((await sales.kpis.computeKpis(ws, m.month, scope)).wonRevenue).toBe(m.won);
        }
        expect(f.stages.reduce((n, s) => n + s.openAmount, 0n)).toBe(kpis.openPipeline);
        expect(f.stages.reduce((n, s) => n + s.openCount, 0)).toBe(kpis.openCount);
        expect(f.stages[0]?.reached).toBe(kpis.newCount);

        // What /forecast does: the period's revenue goal, when it can have one, then the forecast.
        const goals = isGoalPeriod(period) ? await sales.goals.progress(ws, scope, period) : [];
        const goal = goals.find((g) => g.goal.metric === "revenue")?.goal ?? null;
        expect(f.forecast).toEqual(await sales.forecast.forecast(ws, period, scope, goal));
        expect(f.forecast.weightedOpen).toBe(
          period.end > new Date(DASHBOARD_NOW) ? kpis.weightedPipeline : 0n,
        );

        expect(f.lost).toEqual(await sales.kpis.lostReasons(ws, period, scope));
        const sources = await sales.kpis.sourceConversion(ws, period, scope);
        expect(f.sources).toEqual(sources.map((s) => ({ ...s, deals: s.won + s.lost })));

        // Every member is active: the reps add up to the scope's KPIs.
        expect(f.reps.reduce((n, r) => n + r.won, 0n)).toBe(kpis.wonRevenue);
        expect(f.reps.reduce((n, r) => n + r.wonCount, 0)).toBe(kpis.wonCount);
        expect(f.reps.reduce((n, r) => n + r.lostCount, 0)).toBe(kpis.lostCount);
        const cycles = f.reps.flatMap((r) => (r.cycleDays === null ? [] : [r.cycleDays * r.wonCount]));
        if (kpis.salesCycleDays === null) expect(cycles).toEqual([]);
        else expect(cycles.reduce((a, b) => a + b, 0) / kpis.wonCount).toBeCloseTo(kpis.salesCycleDays, 9);

        // The leaderboard ranks the whole company: the scope's reps are its rows for their members.
        const board = await sales.leaderboard.leaderboard(ws, period, "revenue", 100);
        const winners = f.reps.filter((r) => r.wonCount > 0);
        const ids = new Set(winners.map((r) => r.memberId));
        expect(winners.map((r) => [r.memberId, r.name, r.won, r.wonCount])).toEqual(
          board.items.filter((r) => ids.has(r.memberId)).map((r) => [r.memberId, r.name, r.revenue, r.deals]),
        );
        if (scope.scope === "company") expect(winners.length).toBe(board.total);
      },
    );
  });

  it("GIVEN a removed member THEN they leave the reps, as they leave the leaderboard, and their wins still count", async () => {
    const made = createTestSales(db, DASHBOARD_NOW);
    const t = await seedDashboardTeam(made.sales, made.clock);
    await made.sales.members.removeMember(t.ws, t.admin, t.carol);
    const f = await made.sales.dashboard.figures(t.ws, COMPANY, monthOf(t.ws, "2026-11"));
    expect(f.reps.map((r) => r.name)).toEqual(["alice", "bob"]);
    expect(f.forecast.won).toBe(2_000_000n);
  });
});
