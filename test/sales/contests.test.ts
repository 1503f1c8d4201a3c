import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import type { ContestInput } from "../../src/sales/contests/contest-service.js";
import type { Member, Workspace } from "../../src/sales/deps.js";
import { periodOfDate } from "../../src/sales/periods/period.js";
import type { SalesService } from "../../src/sales/sales-service.js";
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

/** Logs a deal at one instant and, unless `open`, wins it there. */
async function dealAt(ws: Workspace, rep: Member, at: string, euros: number, open = false) {
  clock.set(at);
  const deal = await seedDeal(sales, ws, rep, { amount: BigInt(euros * 100), customer: `C${at}${euros}` });
  if (!open) await sales.deals.winDeal(ws, rep, deal.number);
}

/** A workspace with its admin and reps, on 2026-11-30 (before the contests of December). */
async function team(reps: string[], settings: { timezone?: string } = {}) {
  clock.set("2026-11-30T10:00:00Z");
  const ws = await seedWorkspace(sales, settings);
  const admin = await seedMember(sales, ws, "admin", "admin");
  const members = new Map<string, Member>();
  for (const name of reps) members.set(name, await seedMember(sales, ws, name, "rep"));
  const get = (name: string) => members.get(name) as Member;
  return { ws, admin, get };
}

const contest = (patch: Partial<ContestInput>): ContestInput => ({
  name: "December sprint",
  metric: "revenue",
  from: "2026-12-01",
  to: "2026-12-10",
  teamMode: false,
  team: null,
  ...patch,
});

/** The standings as `name score place` rows. */
async function standings(ws: Workspace, name = "December sprint") {
  const s = await sales.contests.showContest(ws, name);
  return s.rows.map((r) => `${r.name} ${r.score} ${r.place}`);
}

describe("contest scoring", () => {
  it("GIVEN wins, a deal created and deals outside the dates THEN each metric ranks by its own rule", async () => {
    const { ws, admin, get } = await team(["alice", "bob", "carol"]);
    for (const metric of ["revenue", "deals", "new_pipeline"] as const)
      await sales.contests.createContest(ws, admin, contest({ name: metric, metric }));
    await dealAt(ws, get("alice"), "2026-11-30T12:00:00Z", 900); // before: counts nowhere
    await dealAt(ws, get("alice"), "2026-12-02T12:00:00Z", 500);
    await dealAt(ws, get("bob"), "2026-12-03T12:00:00Z", 100);
    await dealAt(ws, get("bob"), "2026-12-04T12:00:00Z", 100);
    await dealAt(ws, get("carol"), "2026-12-05T12:00:00Z", 2_000, true); // created, not won
    await dealAt(ws, get("carol"), "2026-12-11T12:00:00Z", 700); // after the last day
    clock.set("2026-12-12T10:00:00Z");
    expect(await standings(ws, "revenue")).toEqual(["alice 50000 1", "bob 20000 2"]);
    expect(await standings(ws, "deals")).toEqual(["bob 2 1", "alice 1 2"]);
    expect(await standings(ws, "new_pipeline")).toEqual(["carol 200000 1", "alice 50000 2", "bob 20000 3"]);
  });

  it("GIVEN teams of different sizes THEN team against team scores each team by its members' average", async () => {
    const { ws, admin, get } = await team(["alice", "bob", "carol", "dan"]);
    await sales.members.addToTeam(ws, admin, "North", [get("alice"), get("bob"), get("carol")]);
    await sales.members.addToTeam(ws, admin, "South", [get("dan")]);
    await sales.contests.createContest(ws, admin, contest({ teamMode: true }));
    await dealAt(ws, get("alice"), "2026-12-02T12:00:00Z", 300);
    await dealAt(ws, get("bob"), "2026-12-02T13:00:00Z", 300);
    await dealAt(ws, get("dan"), "2026-12-02T14:00:00Z", 250);
    // North won 600 in all but averages 200 over its three members (carol has nothing); South 250.
    expect(await standings(ws)).toEqual(["South 25000 1", "North 20000 2"]);
  });

  it("GIVEN different goals THEN attainment ranks each member against their own goal, prorated by day", async () => {
    const { ws, admin, get } = await team(["senior", "junior", "nogoal"]);
    const december = periodOfDate("month", "2026-12-01", calendarOf(ws));
    const q4 = periodOfDate("quarter", "2026-12-01", calendarOf(ws));
    const member = (m: Member) => ({ scope: "member" as const, member: m });
    await sales.goals.setGoal(ws, admin, member(get("senior")), "revenue", december, 3_100_000n);
    await sales.goals.setGoal(ws, admin, member(get("junior")), "revenue", december, 310_000n);
    // A quarter goal as well: the month's, more specific, decides December's days.
    await sales.goals.setGoal(ws, admin, member(get("junior")), "revenue", q4, 99_000_000n);
    await sales.contests.createContest(ws, admin, contest({ metric: "attainment" }));
    await dealAt(ws, get("senior"), "2026-12-02T12:00:00Z", 6_000);
    await dealAt(ws, get("junior"), "2026-12-03T12:00:00Z", 1_000);
    await dealAt(ws, get("nogoal"), "2026-12-03T12:00:00Z", 50_000);
    // Ten days of a 31-day month: senior's target is 10 000 €, junior's 1 000 €.
    const rows = (await sales.contests.showContest(ws, "December sprint")).rows;
    expect(rows.map((r) => [r.name, Math.round(r.score * 100), r.place])).toEqual([
      ["junior", 100, 1],
      ["senior", 60, 2],
    ]);
  });

  it("GIVEN a contest across two months THEN each day carries its own month's goal", async () => {
    const { ws, admin, get } = await team(["alice"]);
    const cal = calendarOf(ws);
    const member = { scope: "member" as const, member: get("alice") };
    await sales.goals.setGoal(
      ws,
      admin,
      member,
      "revenue",
      periodOfDate("month", "2026-12-01", cal),
      3_100_000n,
    );
    await sales.goals.setGoal(
      ws,
      admin,
      member,
      "revenue",
      periodOfDate("month", "2027-01-01", cal),
      6_200_000n,
    );
    await sales.contests.createContest(
      ws,
      admin,
      contest({ metric: "attainment", from: "2026-12-30", to: "2027-01-02" }),
    );
    await dealAt(ws, get("alice"), "2026-12-31T12:00:00Z", 3_000);
    // Two December days (2 × 1 000 €) and two January days (2 × 2 000 €): 6 000 € in all.
    const [row] = (await sales.contests.showContest(ws, "December sprint")).rows;
    expect(row?.score).toBeCloseTo(0.5, 10);
  });

  it("GIVEN equal scores THEN whoever reached theirs first ranks ahead; reached at the same instant, they share the place", async () => {
    const { ws, admin, get } = await team(["alice", "bob", "carol"]);
    await sales.contests.createContest(ws, admin, contest({ metric: "deals" }));
    await dealAt(ws, get("bob"), "2026-12-02T09:00:00Z", 10);
    await dealAt(ws, get("alice"), "2026-12-02T10:00:00Z", 10);
    await dealAt(ws, get("carol"), "2026-12-02T10:00:00Z", 10);
    expect(await standings(ws)).toEqual(["bob 1 1", "alice 1 2", "carol 1 2"]);
  });

  it.each([
    // Sunday 29 March 2026: Paris jumps from 02:00 to 03:00; the day is 23 hours long.
    [
      "2026-03-29",
      "2026-03-28T22:59:59.999Z",
      "2026-03-28T23:00:00.000Z",
      "2026-03-29T21:59:59.999Z",
      "2026-03-29T22:00:00.000Z",
    ],
    // Sunday 25 October 2026: Paris goes back from 03:00 to 02:00; the day is 25 hours long.
    [
      "2026-10-25",
      "2026-10-24T21:59:59.999Z",
      "2026-10-24T22:00:00.000Z",
      "2026-10-25T22:59:59.999Z",
      "2026-10-25T23:00:00.000Z",
    ],
  ])(
    "GIVEN Paris on %s, a DST change THEN deals count from local midnight to local midnight",
    async (day, before, first, last, after) => {
      clock.set(`${day.slice(0, 8)}01T10:00:00Z`);
      const ws = await seedWorkspace(sales, { timezone: "Europe/Paris" });
      const admin = await seedMember(sales, ws, "admin", "admin");
      const rep = await seedMember(sales, ws, "rep", "rep");
      await sales.contests.createContest(ws, admin, contest({ metric: "deals", from: day, to: day }));
      await sales.contests.createContest(
        ws,
        admin,
        contest({ name: "new", metric: "new_pipeline", from: day, to: day }),
      );
      for (const [at, euros] of [
        [before, 1],
        [first, 2],
        [last, 4],
        [after, 8],
      ] as const)
        await dealAt(ws, rep, at, euros);
      expect(await standings(ws)).toEqual(["rep 2 1"]);
      expect(await standings(ws, "new")).toEqual(["rep 600 1"]);
    },
  );

  it("GIVEN a removed member and another workspace THEN neither appears in the standings", async () => {
    const { ws, admin, get } = await team(["alice", "bob"]);
    const other = await team(["alice"]);
    await sales.contests.createContest(ws, admin, contest({}));
    await sales.contests.createContest(other.ws, other.admin, contest({}));
    await dealAt(ws, get("alice"), "2026-12-02T12:00:00Z", 100);
    await dealAt(ws, get("bob"), "2026-12-02T12:00:00Z", 200);
    await dealAt(other.ws, other.get("alice"), "2026-12-02T12:00:00Z", 999);
    await sales.members.removeMember(ws, admin, get("bob"));
    expect(await standings(ws)).toEqual(["alice 10000 1"]);
  });
});

describe("contest rules", () => {
  it("GIVEN a coming contest THEN it can be redefined; once started only its prize changes", async () => {
    const { ws, admin } = await team([]);
    const created = await sales.contests.createContest(ws, admin, contest({}));
    expect(created.outcome).toBe("created");
    const redefined = await sales.contests.createContest(
      ws,
      admin,
      contest({ metric: "deals", prize: "A day off" }),
    );
    expect([redefined.outcome, redefined.contest.metric]).toEqual(["redefined", "deals"]);
    clock.set("2026-12-02T10:00:00Z");
    await expect(
      sales.contests.createContest(ws, admin, contest({ metric: "revenue" })),
    ).rejects.toMatchObject({
      key: "error.contest_rules_fixed",
    });
    await expect(
      sales.contests.createContest(ws, admin, contest({ metric: "deals", to: "2026-12-20" })),
    ).rejects.toMatchObject({ key: "error.contest_rules_fixed" });
    const prize = await sales.contests.createContest(
      ws,
      admin,
      contest({ metric: "deals", prize: "Two days off" }),
    );
    expect([prize.outcome, prize.contest.prize, prize.contest.metric]).toEqual([
      "prize_changed",
      "Two days off",
      "deals",
    ]);
  });

  it("GIVEN a manager THEN they run contests for their own team only; a rep none; an admin any", async () => {
    const { ws, admin, get } = await team(["alice", "bob", "mia", "max"]);
    await sales.members.addToTeam(ws, admin, "North", [get("alice"), get("mia")]);
    await sales.members.addToTeam(ws, admin, "South", [get("bob")]);
    const mia = await sales.members.setRole(
      ws,
      admin,
      await sales.members.getMemberById(ws, get("mia").id),
      "manager",
    );
    const max = await sales.members.setRole(ws, admin, get("max"), "manager"); // leads no team: everyone
    const north = await sales.members.findTeam(ws, "North");
    const south = await sales.members.findTeam(ws, "South");
    await expect(sales.contests.createContest(ws, get("alice"), contest({}))).rejects.toMatchObject({
      key: "error.forbidden_contest",
    });
    await expect(sales.contests.createContest(ws, mia, contest({ team: south }))).rejects.toMatchObject({
      key: "error.forbidden_contest_team",
    });
    await expect(sales.contests.createContest(ws, mia, contest({ teamMode: true }))).rejects.toMatchObject({
      key: "error.forbidden_contest_team",
    });
    // Naming no team, a manager who leads one runs it for their team.
    const own = await sales.contests.createContest(ws, mia, contest({ name: "North sprint" }));
    expect(own.contest.teamId).toBe(north.id);
    expect((await sales.contests.createContest(ws, max, contest({ name: "All" }))).contest.teamId).toBeNull();
    expect(
      (await sales.contests.createContest(ws, admin, contest({ name: "S", team: south }))).contest.teamId,
    ).toBe(south.id);
    await expect(sales.contests.cancelContest(ws, mia, "S")).rejects.toMatchObject({
      key: "error.forbidden_contest_team",
    });
    await expect(sales.contests.cancelContest(ws, get("bob"), "North sprint")).rejects.toMatchObject({
      key: "error.forbidden_contest",
    });
    expect((await db.prisma.contest.findMany({ where: { workspaceId: ws.id } })).length).toBe(3);
  });

  it("GIVEN bad dates, names or scopes THEN the contest is refused and nothing is written", async () => {
    const { ws, admin } = await team([]);
    const north = await sales.members.addToTeam(ws, admin, "North", [admin]);
    for (const [input, key] of [
      [contest({ from: "2026-11-29" }), "error.contest_past"],
      [contest({ to: "2026-11-30", from: "2026-12-01" }), "error.contest_order"],
      [contest({ to: "2027-12-10" }), "error.contest_too_long"],
      [contest({ name: "!!!" }), "error.contest_name"],
      [contest({ teamMode: true, team: north }), "error.contest_teams_scope"],
    ] as const) {
      await expect(sales.contests.createContest(ws, admin, input)).rejects.toMatchObject({ key });
    }
    expect(await db.prisma.contest.count({ where: { workspaceId: ws.id } })).toBe(0);
  });

  it("GIVEN contests THEN the list holds those running and coming, not those ended or cancelled; a cancelled one keeps its name", async () => {
    const { ws, admin } = await team([]);
    await sales.contests.createContest(
      ws,
      admin,
      contest({ name: "Short", from: "2026-11-30", to: "2026-12-01" }),
    );
    await sales.contests.createContest(
      ws,
      admin,
      contest({ name: "Long", from: "2026-12-01", to: "2026-12-31" }),
    );
    await sales.contests.createContest(
      ws,
      admin,
      contest({ name: "Later", from: "2027-01-04", to: "2027-01-08" }),
    );
    await sales.contests.createContest(
      ws,
      admin,
      contest({ name: "Dropped", from: "2026-12-05", to: "2026-12-08" }),
    );
    await sales.contests.cancelContest(ws, admin, "dropped");
    clock.set("2026-12-02T10:00:00Z");
    const list = await sales.contests.listContests(ws);
    expect(list.map((c) => `${c.contest.name} ${c.phase}`)).toEqual(["Long running", "Later upcoming"]);
    await expect(sales.contests.cancelContest(ws, admin, "Short")).rejects.toMatchObject({
      key: "error.contest_over",
    });
    await expect(sales.contests.cancelContest(ws, admin, "Dropped")).rejects.toMatchObject({
      key: "error.contest_cancelled",
    });
    await expect(sales.contests.createContest(ws, admin, contest({ name: "dropped" }))).rejects.toMatchObject(
      {
        key: "error.contest_name_taken",
      },
    );
    await expect(sales.contests.showContest(ws, "Nope")).rejects.toMatchObject({
      key: "error.contest_not_found",
    });
  });
});
