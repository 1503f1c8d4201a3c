import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import type { Member } from "../../src/sales/deps.js";
import type { SalesService } from "../../src/sales/sales-service.js";
import {
  createTestSales,
  type FixedClock,
  runText,
  seedDeal,
  seedMember,
  seedRep,
  seedWorkspace,
} from "../fixtures/sales.js";
import { openTestDatabase } from "../support/db.js";

let db: Database;
let sales: SalesService;
let clock: FixedClock;

beforeAll(async () => {
  db = await openTestDatabase();
  ({ sales, clock } = createTestSales(db));
});
afterAll(() => db.close());

/** The lines of a reply after its "History:" line. */
const historyOf = (text: string) =>
  text.split("\n").slice(text.split("\n").findIndex((l) => l.includes("History:")) + 1);

describe("histories with activities", () => {
  it("GIVEN events and activities interleaved, one entered for an earlier day THEN /deal show and /customer list them in time order", async () => {
    clock.set("2026-11-02T09:00:00Z");
    const ws = await seedWorkspace(sales);
    const alice = await seedRep(sales, ws, "alice");
    const bob = await seedRep(sales, ws, "bob");
    await seedDeal(sales, ws, alice, { amount: 1_000_000n, customer: "Acme" }); // Nov 2: created
    clock.set("2026-11-04T09:00:00Z");
    await runText(sales, ws, alice, "/log call #1 intro"); // Nov 4
    clock.set("2026-11-06T09:00:00Z");
    await runText(sales, ws, alice, "/deal stage #1 proposal"); // Nov 6
    clock.set("2026-11-09T09:00:00Z");
    await runText(sales, ws, bob, "/log demo Acme for the IT team"); // Nov 9, about no deal
    await runText(sales, ws, alice, "/log meeting #1 at:2026-11-05 kick-off"); // entered Nov 9, held Nov 5
    clock.set("2026-11-10T09:00:00Z");
    await runText(sales, ws, alice, "/deal note #1 budget approved"); // Nov 10

    const deal = historyOf(await runText(sales, ws, alice, "/deal show #1"));
    expect(deal).toEqual([
      expect.stringMatching(/Nov 2, 2026 · alice logged it/),
      "  Nov 4, 2026 · alice · call: intro",
      "  Nov 5, 2026 · alice · meeting: kick-off",
      "  Nov 6, 2026 · alice moved it to proposal",
      "  Nov 10, 2026 · alice: budget approved",
      expect.stringMatching(/^ {2}\[Won/),
    ]);
    const customer = historyOf(await runText(sales, ws, alice, "/customer Acme")).slice(0, 6);
    expect(customer).toEqual([
      expect.stringMatching(/Nov 10, 2026 · #1 alice: budget approved/),
      "  Nov 9, 2026 · bob · demo: for the IT team",
      expect.stringMatching(/Nov 6, 2026 · #1 moved to proposal by alice/),
      "  Nov 5, 2026 · #1 · alice · meeting: kick-off",
      "  Nov 4, 2026 · #1 · alice · call: intro",
      expect.stringMatching(/Nov 2, 2026 · #1 logged by alice/),
    ]);
  });
});

describe("/kpi activity", () => {
  /**
   * November 2026 in UTC. alice (North): 2 calls, a meeting and a demo in November, a call in
   * October; 2 deals won in November. bob: an email, no win. carol (North): no activity, 1 win.
   * Company: 5 activities, 3 wins, 1.67 activities per won deal; North: 4 and 3.
   */
  async function november() {
    clock.set("2026-10-30T10:00:00Z");
    const ws = await seedWorkspace(sales);
    const admin = (await sales.members.findMember(ws, "admin")) as Member;
    const [alice, bob, carol] = [
      await seedRep(sales, ws, "alice"),
      await seedRep(sales, ws, "bob"),
      await seedRep(sales, ws, "carol"),
    ];
    await runText(sales, ws, admin, "/closer team add North @alice @carol");
    for (const [rep, customer] of [
      [alice, "Acme"],
      [alice, "Globex"],
      [carol, "Initech"],
      [bob, "Umbrella"],
    ] as const)
      await seedDeal(sales, ws, rep, { amount: 100_000n, customer });
    await runText(sales, ws, alice, "/log call #1"); // October: not counted
    clock.set("2026-11-10T10:00:00Z");
    for (const line of ["/log call #1", "/log call #2", "/log meeting #1", "/log demo Globex"])
      await runText(sales, ws, alice, line);
    await runText(sales, ws, bob, "/log email #4");
    for (const [rep, n] of [
      [alice, 1],
      [alice, 2],
      [carol, 3],
    ] as const)
      await sales.deals.winDeal(ws, rep, n);
    await sales.deals.winDeal(ws, bob, 4, { closedOn: "2026-10-31" }); // October: not counted
    clock.set("2026-11-20T10:00:00Z");
    return { ws, admin, alice };
  }

  it("GIVEN the hand-worked month THEN activities per rep and kind, wins, and activities per won deal", async () => {
    const { ws, admin } = await november();
    const k = await sales.activities.activityKpis(
      ws,
      { start: new Date("2026-11-01T00:00:00Z"), end: new Date("2026-12-01T00:00:00Z") },
      { scope: "company" },
    );
    expect(k.rows.map((r) => [r.name, r.call, r.meeting, r.email, r.demo, r.total, r.won])).toEqual([
      ["alice", 2, 1, 0, 1, 4, 2],
      ["bob", 0, 0, 1, 0, 1, 0],
      ["carol", 0, 0, 0, 0, 0, 1],
    ]);
    expect(k.totals).toEqual({ call: 2, meeting: 1, email: 1, demo: 1, total: 5, won: 3 });
    const text = await runText(sales, ws, admin, "/kpi activity month");
    expect(text).toContain("Activity · This month · company");
    expect(text).toContain("2 calls · 1 meeting · 1 email · 1 demo");
    expect(text).toContain("Activities per won deal: 1.7");
    expect(text).toContain(
      [
        "  Rep    Calls  Meetings  Emails  Demos  Total  Won  Per win",
        "  -----  -----  --------  ------  -----  -----  ---  -------",
        "  alice  2      1         0       1      4      2    2",
        "  bob    0      0         1       0      1      0    –",
        "  carol  0      0         0       0      0      1    0",
      ].join("\n"),
    );
    const north = await runText(sales, ws, admin, "/kpi activity team:North");
    expect(north).toContain("2 calls · 1 meeting · 0 emails · 1 demo");
    expect(north).not.toContain("bob");
    const mine = await runText(sales, ws, admin, "/kpi activité @bob mois");
    expect(mine).toContain("0 calls · 0 meetings · 1 email · 0 demos");
    expect(await runText(sales, ws, admin, "/kpi activity 2026-09")).toContain(
      "No activity and no win in this period.",
    );
  });

  it("GIVEN a French workspace THEN the figures are in French", async () => {
    const { ws, admin } = await november();
    await runText(sales, ws, admin, "/closer config set locale fr");
    const text = await runText(sales, ws, admin, "/kpi activité mois");
    expect(text).toContain("2 appels · 1 réunion · 1 e-mail · 1 démo");
    expect(text).toContain("Activités par affaire gagnée\u202f: 1,7");
  });
});

describe("contests ranked by activities", () => {
  it("GIVEN a contest with metric:activities THEN each member scores their activities of its days, ties to whoever reached it first", async () => {
    clock.set("2026-11-30T10:00:00Z");
    const ws = await seedWorkspace(sales);
    const admin = await seedMember(sales, ws, "admin", "admin");
    const alice = await seedRep(sales, ws, "alice");
    const bob = await seedRep(sales, ws, "bob");
    await seedDeal(sales, ws, alice, { amount: 100n, customer: "Acme" });
    expect(
      await runText(
        sales,
        ws,
        admin,
        '/contest create "Call sprint" metric:activities from:2026-12-01 to:2026-12-07',
      ),
    ).toContain("Ranked by activities");
    await runText(sales, ws, alice, "/log call Acme"); // before the contest
    clock.set("2026-12-02T10:00:00Z");
    await runText(sales, ws, bob, "/log call Acme");
    await runText(sales, ws, bob, "/log email Acme");
    clock.set("2026-12-03T10:00:00Z");
    await runText(sales, ws, alice, "/log meeting Acme");
    await runText(sales, ws, alice, "/log demo Acme at:2026-12-01");
    clock.set("2026-12-08T10:00:00Z");
    await runText(sales, ws, alice, "/log call Acme"); // after
    const s = await sales.contests.showContest(ws, "Call sprint");
    expect(s.rows.map((r) => `${r.name} ${r.score} ${r.place}`)).toEqual(["bob 2 1", "alice 2 2"]);
    expect(await runText(sales, ws, alice, '/contest show "Call sprint"')).toContain("activities");
  });
});
