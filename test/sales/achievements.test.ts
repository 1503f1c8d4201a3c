import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { renderText } from "../../src/platforms/shell/render-text.js";
import { recordAchievements, streakAchievements } from "../../src/sales/achievements/achievement-service.js";
import type { Member, Workspace } from "../../src/sales/deps.js";
import type { ImportDeal } from "../../src/sales/imports/import-plan.js";
import type { SalesService } from "../../src/sales/sales-service.js";
import { createTestSales, type FixedClock, run, seedRep, seedWorkspace } from "../fixtures/sales.js";
import { openTestDatabase } from "../support/db.js";

/*
 * Achievements are earned by the change that causes them, in its transaction, in the workspace's
 * time zone and working days, each once ever; the clock is injected and moved by the tests.
 * 2026-11-18 is a Wednesday.
 */

let db: Database;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(() => db.close());

interface World {
  sales: SalesService;
  clock: FixedClock;
  ws: Workspace;
  admin: Member;
  alice: Member;
}

async function given(settings: { timezone?: string } = {}, now = "2026-11-18T10:00:00Z"): Promise<World> {
  const { sales, clock } = createTestSales(db, now);
  let ws = await seedWorkspace(sales, settings);
  const admin = await sales.members.ensureMember(ws, { platformUserId: "admin", displayName: "admin" });
  ws = await sales.workspaces.setConfig(ws, admin, "wins_channel", "wins");
  const alice = await seedRep(sales, ws, "alice");
  return { sales, clock, ws, admin, alice };
}

/** Logs a deal and wins it at `at` (the clock's instant), as alice would. */
async function win(w: World, amount: bigint, at?: string, member = w.alice) {
  if (at) w.clock.set(at);
  const { deal } = await w.sales.deals.logDeal(w.ws, member, { amount, customer: `Customer ${amount}` });
  await w.sales.deals.winDeal(w.ws, member, deal.number);
  return deal;
}

/** Logs an open deal at `at`: a change that counts for a streak. */
async function log(w: World, at: string, member = w.alice) {
  w.clock.set(at);
  return (await w.sales.deals.logDeal(w.ws, member, { amount: 10_000n, customer: "Acme" })).deal;
}

const earned = (ws: Workspace) =>
  db.prisma.achievement.findMany({ where: { workspaceId: ws.id }, orderBy: { id: "asc" } });
const kinds = async (ws: Workspace) => (await earned(ws)).map((a) => `${a.kind}:${a.occurrence}`);
const posts = (ws: Workspace) =>
  db.prisma.outbox.findMany({ where: { workspaceId: ws.id, kind: "achievement" }, orderBy: { id: "asc" } });
const postLines = async (ws: Workspace) =>
  (await posts(ws)).map((p) => (p.payload as { lines: string[] }).lines);

describe("achievements of wins", () => {
  it("GIVEN a member's first win THEN it is a first win, announced in the wins channel; the second is not", async () => {
    const w = await given();
    const first = await win(w, 100_000n);
    await win(w, 50_000n);
    expect(await kinds(w.ws)).toEqual(["first_win:first"]);
    const [post] = await posts(w.ws);
    expect(post?.destination).toBe("#wins");
    expect(post?.dedupeKey).toBe(`achievement:${w.ws.id}:member:${w.alice.id}:first_win:first`);
    expect(post?.payload).toMatchObject({
      title: "🏅 Achievement unlocked",
      lines: ["alice · First win: Customer 100000, €1,000"],
    });
    expect((await earned(w.ws))[0]).toMatchObject({
      memberId: w.alice.id,
      dealId: first.id,
      value: 100_000n,
    });
  });

  it("GIVEN wins smaller, equal and then bigger than the best THEN only the bigger is a personal best, per deal", async () => {
    const w = await given();
    await win(w, 200_000n);
    await win(w, 150_000n);
    await win(w, 200_000n, "2026-11-19T10:00:00Z");
    const best = await win(w, 250_000n, "2026-11-20T10:00:00Z");
    const better = await win(w, 300_000n, "2026-11-23T10:00:00Z");
    expect(await kinds(w.ws)).toEqual([
      "first_win:first",
      `personal_best:deal:${best.id}`,
      `personal_best:deal:${better.id}`,
    ]);
    expect((await postLines(w.ws)).at(-1)).toEqual(["alice · Personal best: Customer 300000, €3,000"]);
  });

  it("GIVEN a month beating every earlier month THEN a best month, once that month, in the workspace's time zone", async () => {
    const w = await given({ timezone: "Europe/Paris" });
    await win(w, 300_000n, "2026-10-05T10:00:00Z");
    // 23:30 UTC on 31 October is 00:30 on 1 November in Paris: November's.
    await win(w, 100_000n, "2026-10-31T23:30:00Z");
    await win(w, 150_000n, "2026-11-10T10:00:00Z");
    expect(await kinds(w.ws)).toEqual(["first_win:first"]);
    await win(w, 100_000n, "2026-11-12T10:00:00Z");
    await win(w, 100_000n, "2026-11-13T10:00:00Z");
    expect(await kinds(w.ws)).toEqual(["first_win:first", "best_month:2026-11"]);
    expect((await earned(w.ws)).at(-1)?.value).toBe(350_000n);
    expect((await postLines(w.ws)).at(-1)).toEqual(["alice · Best month ever: November 2026, €3,500 won"]);
  });

  it("GIVEN three wins on one local day across UTC midnight THEN a hat-trick for that day, once; three more the next day, another", async () => {
    const w = await given({ timezone: "America/New_York" });
    await win(w, 100_000n, "2026-11-18T15:00:00Z");
    await win(w, 100_000n, "2026-11-18T20:00:00Z");
    // 03:00 UTC on the 19th is 22:00 on the 18th in New York.
    await win(w, 100_000n, "2026-11-19T03:00:00Z");
    await win(w, 100_000n, "2026-11-19T03:30:00Z");
    expect((await kinds(w.ws)).filter((k) => k.startsWith("hat_trick"))).toEqual(["hat_trick:2026-11-18"]);
    for (const at of ["2026-11-19T14:00:00Z", "2026-11-19T15:00:00Z", "2026-11-19T16:00:00Z"]) {
      await win(w, 100_000n, at);
    }
    expect((await kinds(w.ws)).filter((k) => k.startsWith("hat_trick"))).toEqual([
      "hat_trick:2026-11-18",
      "hat_trick:2026-11-19",
    ]);
    expect((await postLines(w.ws)).at(-1)).toEqual(["alice · Hat-trick: 3 wins on Nov 19, 2026"]);
  });

  it("GIVEN a win taking a team to its goal THEN the team's achievement, with the member's, in one message", async () => {
    const w = await given();
    const team = await w.sales.members.addToTeam(w.ws, w.admin, "North", [w.alice]);
    await w.sales.goals.setGoal(w.ws, w.admin, { scope: "team", team }, "revenue", "month", 100_000n);
    await win(w, 120_000n);
    expect(await kinds(w.ws)).toEqual(["first_win:first", "team_goal:revenue:month:2026-11-01"]);
    const [post] = await posts(w.ws);
    expect(post?.payload).toMatchObject({
      title: "🏅 Achievements unlocked",
      lines: [
        "alice · First win: Customer 120000, €1,200",
        "North · Team North reached its revenue goal for November 2026",
      ],
    });
    // Reached again by the next win, it is not earned twice.
    await win(w, 10_000n);
    expect((await kinds(w.ws)).filter((k) => k.startsWith("team_goal"))).toHaveLength(1);
  });

  it("GIVEN a win recorded on an earlier day THEN it is history and earns nothing of its own", async () => {
    const w = await given();
    const { deal } = await w.sales.deals.logDeal(w.ws, w.alice, { amount: 500_000n, customer: "Acme" });
    await w.sales.deals.winDeal(w.ws, w.alice, deal.number, { closedOn: "2026-11-10" });
    expect(await kinds(w.ws)).toEqual([]);
    expect(await posts(w.ws)).toEqual([]);
    // The next win today is not a first win: she has won before.
    await win(w, 100_000n);
    expect(await kinds(w.ws)).toEqual([]);
  });
});

describe("streaks of working days", () => {
  it("GIVEN a deal logged on five working days around a weekend THEN a 5-day streak, the weekend neither counting nor breaking it", async () => {
    const w = await given();
    for (const day of ["2026-11-11", "2026-11-12", "2026-11-13", "2026-11-14", "2026-11-16"]) {
      await log(w, `${day}T10:00:00Z`);
    }
    expect(await kinds(w.ws)).toEqual([]);
    expect((await w.sales.achievements.streak(w.ws, w.alice)).days).toBe(4);
    await log(w, "2026-11-17T10:00:00Z");
    expect(await kinds(w.ws)).toEqual(["streak:2026-11-11:5"]);
    expect(await postLines(w.ws)).toEqual([
      ["alice · Streak: 5 working days in a row with a deal logged or moved"],
    ]);
    // A second change that day earns nothing more.
    await log(w, "2026-11-17T16:00:00Z");
    expect(await posts(w.ws)).toHaveLength(1);
  });

  it("GIVEN a working day with nothing THEN the streak is broken and a new one starts after it", async () => {
    const w = await given();
    for (const day of ["2026-11-09", "2026-11-10", "2026-11-12", "2026-11-13", "2026-11-16", "2026-11-17"]) {
      await log(w, `${day}T10:00:00Z`);
    }
    // Wednesday the 11th had nothing: Monday and Tuesday before it are another streak.
    expect(await w.sales.achievements.streak(w.ws, w.alice)).toEqual({
      days: 4,
      first: "2026-11-12",
      today: true,
    });
    expect(await kinds(w.ws)).toEqual([]);
    const moved = await log(w, "2026-11-18T09:00:00Z");
    expect(await kinds(w.ws)).toEqual(["streak:2026-11-12:5"]);
    // A stage move is a change too; the day is already counted.
    await w.sales.deals.moveStage(w.ws, w.alice, moved.number, "qualified");
    w.clock.set("2026-11-19T10:00:00Z");
    expect(await w.sales.achievements.streak(w.ws, w.alice)).toEqual({
      days: 5,
      first: "2026-11-12",
      today: false,
    });
    await w.sales.deals.moveStage(w.ws, w.alice, moved.number, "proposal");
    expect(await kinds(w.ws)).toEqual(["streak:2026-11-12:5"]);
    w.clock.set("2026-11-20T10:00:00Z");
    await w.sales.deals.loseDeal(w.ws, w.alice, moved.number, "price");
    expect(await w.sales.achievements.streak(w.ws, w.alice)).toEqual({
      days: 7,
      first: "2026-11-12",
      today: true,
    });
    // A day with nothing breaks it: Monday and Tuesday pass, Wednesday starts again.
    w.clock.set("2026-11-25T10:00:00Z");
    expect((await w.sales.achievements.streak(w.ws, w.alice)).days).toBe(0);
  });

  it("GIVEN a streak reaching 10 and 20 working days THEN each threshold once, keyed by the streak's first day", async () => {
    const w = await given();
    let day = new Date("2026-10-19T10:00:00Z");
    let logged = 0;
    while (logged < 20) {
      const weekday = day.getUTCDay();
      if (weekday !== 0 && weekday !== 6) {
        await log(w, day.toISOString());
        logged++;
      }
      day = new Date(day.getTime() + 86_400_000);
    }
    expect(await kinds(w.ws)).toEqual([
      "streak:2026-10-19:5",
      "streak:2026-10-19:10",
      "streak:2026-10-19:20",
    ]);
  });
});

describe("/goal", () => {
  it("GIVEN one's own goals THEN /goal ends with one's streak; someone else's goals do not show theirs", async () => {
    const w = await given();
    await w.sales.goals.setGoal(
      w.ws,
      w.admin,
      { scope: "member", member: w.alice },
      "revenue",
      "month",
      500_000n,
    );
    await log(w, "2026-11-17T10:00:00Z");
    w.clock.set("2026-11-18T10:00:00Z");
    const own = renderText(await run(w.sales, w.ws, w.alice, "/goal"));
    expect(own).toContain("🔥 Current streak: 1 working day\n  Log or move a deal today to keep it going.");
    const theirs = renderText(await run(w.sales, w.ws, w.admin, "/goal @alice"));
    expect(theirs).not.toContain("streak");
  });
});

describe("once only", () => {
  it("GIVEN the detection replayed after a restart THEN nothing is recorded or posted twice", async () => {
    const w = await given();
    for (const day of ["2026-11-12", "2026-11-13", "2026-11-16", "2026-11-17"])
      await log(w, `${day}T10:00:00Z`);
    const deal = await win(w, 100_000n, "2026-11-18T10:00:00Z");
    // Logging the deal made the fifth day; winning it, the first win: two changes, two posts.
    expect(await kinds(w.ws)).toEqual(["streak:2026-11-12:5", "first_win:first"]);
    // A new process on the same database: the same detection again finds nothing new.
    const restarted = createTestSales(db, "2026-11-18T11:00:00Z");
    // At the instant of the day's first change, as the log that made the fifth day read it.
    const then = new Date("2026-11-18T10:00:00Z");
    const again = await db.prisma.$transaction(async (tx) => {
      const streak = await streakAchievements(tx, w.ws, w.alice.id, then);
      expect(streak.map((c) => c.occurrence)).toEqual(["2026-11-12:5"]);
      return recordAchievements(
        tx,
        w.ws,
        streak.map((c) => ({ ...c, dealId: deal.id })),
        then,
      );
    });
    expect(again).toEqual([]);
    // The deal reopened and won again, through the restarted service: no second first win.
    await restarted.sales.deals.moveStage(w.ws, w.alice, deal.number, "negotiation");
    await restarted.sales.deals.winDeal(w.ws, w.alice, deal.number);
    expect(await kinds(w.ws)).toEqual(["streak:2026-11-12:5", "first_win:first"]);
    expect(await posts(w.ws)).toHaveLength(2);
  });

  it("GIVEN two replicas logging at once on a streak's fifth day, and winning a third and fourth deal at once THEN one streak and one hat-trick", async () => {
    const w = await given();
    const other = createTestSales(db, "2026-11-18T10:00:00Z");
    for (const day of ["2026-11-12", "2026-11-13", "2026-11-16", "2026-11-17"])
      await log(w, `${day}T10:00:00Z`);
    w.clock.set("2026-11-18T10:00:00Z");
    await Promise.all(
      [w.sales, other.sales].map((s) =>
        s.deals.logDeal(w.ws, w.alice, { amount: 10_000n, customer: "Acme" }),
      ),
    );
    expect((await kinds(w.ws)).filter((k) => k.startsWith("streak"))).toEqual(["streak:2026-11-12:5"]);
    await win(w, 100_000n);
    await win(w, 100_000n);
    const open = await Promise.all(
      [1, 2].map(
        async () => (await w.sales.deals.logDeal(w.ws, w.alice, { amount: 50_000n, customer: "Beta" })).deal,
      ),
    );
    await Promise.all(
      [w.sales, other.sales].map((s, i) => s.deals.winDeal(w.ws, w.alice, open[i]?.number ?? 0)),
    );
    expect((await kinds(w.ws)).filter((k) => k.startsWith("hat_trick"))).toEqual(["hat_trick:2026-11-18"]);
    const keys = (await posts(w.ws)).map((p) => p.dedupeKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.filter((k) => k.includes(":hat_trick:"))).toHaveLength(1);
  });
});

describe("switches and history", () => {
  it("GIVEN announce.achievements off THEN achievements are recorded and listed, but not posted", async () => {
    const w = await given();
    w.ws = await w.sales.workspaces.setConfig(w.ws, w.admin, "announce.achievements", "off");
    await win(w, 100_000n);
    expect(await kinds(w.ws)).toEqual(["first_win:first"]);
    expect(await posts(w.ws)).toEqual([]);
    expect(renderText(await run(w.sales, w.ws, w.alice, "/closer me"))).toContain(
      "Nov 18, 2026 · First win: Customer 100000, €1,000",
    );
  });

  it("GIVEN imported history with wins, a hat-trick and days of deals THEN no achievement, and later changes count none of it", async () => {
    const w = await given();
    const at = (d: string) => new Date(`${d}T10:00:00Z`);
    const row = (n: number, created: string, closed: string | null, amount: bigint): ImportDeal => ({
      line: n + 1,
      source: "hubspot",
      externalId: `hs-${n}`,
      title: null,
      customer: `Imported ${n}`,
      owner: { email: null, name: "alice" },
      amount,
      stage: closed ? "won" : "proposal",
      probability: closed ? 100 : 50,
      expectedCloseDate: null,
      createdAt: at(created),
      closedAt: closed ? at(closed) : null,
      lostReason: null,
      lostNote: null,
      winNote: null,
      leadSource: null,
    });
    const rows = [
      row(1, "2026-11-11", null, 10_000n),
      row(2, "2026-11-12", null, 10_000n),
      row(3, "2026-11-13", null, 10_000n),
      row(4, "2026-11-16", null, 10_000n),
      row(5, "2026-11-17", "2026-11-17", 900_000n),
      row(6, "2026-11-17", "2026-11-17", 100_000n),
      row(7, "2026-11-17", "2026-11-17", 100_000n),
    ];
    w.clock.set("2026-11-18T09:00:00Z");
    async function* batches() {
      yield rows;
    }
    const summary = await w.sales.imports.importDeals(w.ws, batches(), {
      createMembers: false,
      commit: true,
    });
    expect(summary.counts.created).toBe(7);
    expect(await kinds(w.ws)).toEqual([]);
    expect(await posts(w.ws)).toEqual([]);
    // Today's live win: not a first win (she has imported ones), no personal best (900,000 stands),
    // and the imported days are no streak.
    await win(w, 100_000n, "2026-11-18T10:00:00Z");
    expect(await kinds(w.ws)).toEqual([]);
    expect(await w.sales.achievements.streak(w.ws, w.alice)).toEqual({
      days: 1,
      first: "2026-11-18",
      today: true,
    });
  });
});
