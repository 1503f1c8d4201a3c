import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import type { Member, Workspace } from "../../src/sales/deps.js";
import type { FocusItem } from "../../src/sales/focus/focus-service.js";
import type { SalesService } from "../../src/sales/sales-service.js";
import {
  createTestSales,
  type FixedClock,
  runText,
  seedMember,
  seedRep,
  seedWorkspace,
} from "../fixtures/sales.js";
import { openTestDatabase } from "../support/db.js";

/** `kind subject value`: one item as the test reads it, value in whole euros. */
const brief = (i: FocusItem) =>
  `${i.kind} ${i.deal ? `#${i.deal.number}` : i.customer} ${Number(i.value) / 100}`;

/** Completes every open reminder of the workspace: the follow-ups logging a deal sets. */
async function clearReminders(sales: SalesService, ws: Workspace, members: Member[]) {
  for (const m of members)
    for (const r of (await sales.reminders.listReminders(ws, m)).items)
      await sales.reminders.completeReminder(ws, m, r.id);
}

/** A deal logged on `day` at 10:00 UTC, as its owner. */
async function logOn(
  sales: SalesService,
  clock: FixedClock,
  ws: Workspace,
  owner: Member,
  day: string,
  deal: { euros: number; customer: string; stage?: "qualified" | "proposal" | "negotiation"; close?: string },
) {
  clock.set(`${day}T10:00:00Z`);
  const { deal: logged } = await sales.deals.logDeal(ws, owner, {
    amount: BigInt(deal.euros * 100),
    customer: deal.customer,
    stage: deal.stage,
    closeDate: deal.close,
  });
  return logged;
}

/** A deal won on `day` (logged that day too). */
async function wonOn(
  sales: SalesService,
  clock: FixedClock,
  ws: Workspace,
  owner: Member,
  day: string,
  euros: number,
  customer: string,
) {
  const deal = await logOn(sales, clock, ws, owner, day, { euros, customer });
  await sales.deals.winDeal(ws, owner, deal.number);
  return deal;
}

describe("focus", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db.close());

  it("GIVEN a dozen things to do of every kind THEN the list is the ten most valuable, each once, ties by kind then number", async () => {
    const { sales, clock } = createTestSales(db);
    const ws = await seedWorkspace(sales, { timezone: "Europe/Paris" });
    const alice = await seedRep(sales, ws, "alice");
    const bob = await seedRep(sales, ws, "bob");
    const log = (day: string, deal: Parameters<typeof logOn>[5], owner = alice) =>
      logOn(sales, clock, ws, owner, day, deal);

    // Today is Wednesday 18 November 2026 in Paris; the week (Monday) ends before the 23rd; stalled:
    // no activity since 4 November (14 days); dormant: no win since 20 August (90 days).
    const a = await log("2026-11-12", {
      euros: 20_000,
      customer: "Acme",
      stage: "proposal",
      close: "2026-11-10",
    });
    const b = await log("2026-11-13", {
      euros: 40_000,
      customer: "Bolt",
      stage: "negotiation",
      close: "2026-11-22",
    });
    const c = await log("2026-10-01", { euros: 100_000, customer: "Cyan" });
    const d = await log("2026-10-01", {
      euros: 16_000,
      customer: "Dune",
      stage: "qualified",
      close: "2026-11-01",
    });
    const e = await log("2026-11-16", {
      euros: 30_000,
      customer: "Echo",
      stage: "proposal",
      close: "2026-12-20",
    });
    const f = await log("2026-10-01", {
      euros: 8_000,
      customer: "Fjord",
      stage: "negotiation",
      close: "2026-11-21",
    });
    const g = await log("2026-10-02", { euros: 20_000, customer: "Gale" });
    const h = await log("2026-10-02", { euros: 20_000, customer: "Hale" });
    await log("2026-10-02", { euros: 10_000, customer: "Iris" }); // stalled, 1,000: the eleventh
    await log("2026-11-16", { euros: 50_000, customer: "Jade", stage: "proposal", close: "2026-11-23" }); // next week
    await log("2026-10-01", { euros: 900_000, customer: "Kilo", stage: "negotiation" }, bob); // bob's
    const gone = await log("2026-10-01", { euros: 500_000, customer: "Lima", stage: "negotiation" });
    await sales.deals.deleteDeal(ws, (await sales.members.listMembers(ws))[0] as Member, gone.number);
    await wonOn(sales, clock, ws, alice, "2026-05-04", 50_000, "Initech"); // dormant
    await wonOn(sales, clock, ws, alice, "2026-06-01", 3_000, "Umbrella"); // dormant, with a follow-up
    await wonOn(sales, clock, ws, alice, "2026-10-20", 12_000, "Globex"); // a recent customer
    await clearReminders(sales, ws, [alice, bob]);

    clock.set("2026-11-17T10:00:00Z");
    await sales.reminders.createReminder(
      ws,
      alice,
      { kind: "deal", number: f.number },
      "2026-11-17",
      "call back",
    );
    clock.set("2026-11-18T08:00:00Z");
    await sales.reminders.createReminder(
      ws,
      alice,
      { kind: "deal", number: e.number },
      "2026-11-18",
      "send quote",
    );
    await sales.reminders.createReminder(
      ws,
      alice,
      { kind: "customer", name: "Globex" },
      "2026-11-18",
      "upsell",
    );
    await sales.reminders.createReminder(
      ws,
      alice,
      { kind: "customer", name: "Umbrella" },
      "2026-11-18",
      "hello",
    );
    await sales.reminders.createReminder(
      ws,
      alice,
      { kind: "deal", number: c.number },
      "2026-11-19",
      "later",
    );

    const list = await sales.focus.focusList(ws, alice, { scope: "member", member: alice });
    expect(list.map(brief)).toEqual([
      "dormant Initech 50000", // won 50,000
      `closing #${b.number} 30000`, // 40,000 × 75%
      `followup #${e.number} 15000`, // 30,000 × 50%, due today
      "followup Globex 12000", // won 12,000, due today
      `overdue #${a.number} 10000`, // 20,000 × 50%: ties with #c, overdue before stalled
      `stalled #${c.number} 10000`, // 100,000 × 10%; its follow-up is due tomorrow
      `followup #${f.number} 6000`, // 8,000 × 75%: stalled, closing this week, but a follow-up is due
      `overdue #${d.number} 4000`, // 16,000 × 25%: overdue and stalled
      "followup Umbrella 3000", // dormant, with a follow-up due
      `stalled #${g.number} 2000`, // 20,000 × 10%: ties with #h, the lower number first
    ]);
    expect(h.number).toBeGreaterThan(g.number);
    const followup = list.find((i) => i.kind === "followup" && i.deal?.number === e.number);
    expect(followup?.reminder?.text).toBe("send quote");
    expect(list.every((i) => i.member.id === alice.id)).toBe(true);
  });

  it("GIVEN week_start sunday THEN the week ends on Saturday, in the workspace's zone", async () => {
    const { sales, clock } = createTestSales(db);
    const ws0 = await seedWorkspace(sales, { timezone: "America/New_York" });
    const admin = (await sales.members.listMembers(ws0))[0] as Member;
    const ws = await sales.workspaces.setConfig(ws0, admin, "week_start", "sunday");
    const alice = await seedRep(sales, ws, "alice");
    const sat = await logOn(sales, clock, ws, alice, "2026-11-16", {
      euros: 1_000,
      customer: "Sat",
      stage: "proposal",
      close: "2026-11-21",
    });
    await logOn(sales, clock, ws, alice, "2026-11-16", {
      euros: 1_000,
      customer: "Sun",
      stage: "proposal",
      close: "2026-11-22",
    });
    const tue = await logOn(sales, clock, ws, alice, "2026-11-16", {
      euros: 1_000,
      customer: "Tue",
      stage: "proposal",
      close: "2026-11-17",
    });
    await clearReminders(sales, ws, [alice]);
    // 03:00 UTC on the 18th is still the 17th in New York: Tuesday's deal is due today, not overdue.
    clock.set("2026-11-18T03:00:00Z");
    const me = { scope: "member", member: alice } as const;
    expect((await sales.focus.focusList(ws, alice, me)).map(brief)).toEqual([
      `closing #${sat.number} 500`,
      `closing #${tue.number} 500`,
    ]);
    clock.set("2026-11-18T06:00:00Z");
    expect((await sales.focus.focusList(ws, alice, me)).map(brief)).toEqual([
      `overdue #${tue.number} 500`,
      `closing #${sat.number} 500`,
    ]);
  });

  it("GIVEN teams THEN a rep sees their own, a manager their team, an admin anyone; others are refused", async () => {
    const { sales, clock } = createTestSales(db);
    const ws = await seedWorkspace(sales);
    const admin = (await sales.members.listMembers(ws))[0] as Member;
    const fresh = async (name: string) => (await sales.members.findMember(ws, name)) as Member;
    const north = await sales.members.addToTeam(ws, admin, "North", [
      await seedRep(sales, ws, "alice"),
      await seedRep(sales, ws, "bob"),
      await seedMember(sales, ws, "maud", "manager"),
    ]);
    await sales.members.addToTeam(ws, admin, "South", [await seedMember(sales, ws, "otto", "manager")]);
    const carol = await seedRep(sales, ws, "carol");
    const a = await fresh("alice");
    const b = await fresh("bob");
    const m = await fresh("maud");
    const o = await fresh("otto");
    const mine = async (owner: Member, euros: number, customer: string) =>
      logOn(sales, clock, ws, owner, "2026-10-01", { euros, customer });
    const da = await mine(a, 1_000, "A");
    const db2 = await mine(b, 2_000, "B");
    const dc = await mine(carol, 3_000, "C");
    await clearReminders(sales, ws, [a, b, carol]);
    clock.set("2026-11-18T10:00:00Z");
    const team = { scope: "team", team: north } as const;
    expect((await sales.focus.focusList(ws, m, team)).map((i) => [i.deal?.number, i.member.name])).toEqual([
      [db2.number, "bob"],
      [da.number, "alice"],
    ]);
    expect((await sales.focus.focusList(ws, m, { scope: "member", member: a })).length).toBe(1);
    expect((await sales.focus.focusList(ws, admin, { scope: "company" })).map((i) => i.deal?.number)).toEqual(
      [dc.number, db2.number, da.number],
    );
    await expect(sales.focus.focusList(ws, a, { scope: "member", member: b })).rejects.toMatchObject({
      key: "error.forbidden_member",
    });
    await expect(sales.focus.focusList(ws, o, { scope: "member", member: a })).rejects.toMatchObject({
      key: "error.forbidden_member",
    });
    await expect(sales.focus.focusList(ws, o, team)).rejects.toMatchObject({ key: "error.forbidden_team" });
    await expect(sales.focus.focusList(ws, m, { scope: "company" })).rejects.toMatchObject({
      key: "error.forbidden_manager",
    });
    await expect(sales.focus.focusList(ws, a, team)).rejects.toMatchObject({ key: "error.forbidden_team" });
  });

  it("GIVEN the shell THEN /focus hints each action on its own line; bad input changes nothing; another workspace's deals never show", async () => {
    const { sales, clock } = createTestSales(db);
    const ws = await seedWorkspace(sales);
    const other = await seedWorkspace(sales);
    const alice = await seedRep(sales, ws, "alice");
    const bob = await seedRep(sales, ws, "bob");
    const stranger = await seedRep(sales, other, "alice");
    await logOn(sales, clock, other, stranger, "2026-10-01", { euros: 90_000, customer: "Elsewhere" });
    for (const [customer, close] of [
      ["Acme", "2026-11-20"],
      ["Bolt", "2026-11-02"],
      ["Cyan", undefined],
      ["Dune", "2026-11-19"],
      ["Echo", "2026-11-21"],
    ] as const)
      await logOn(sales, clock, ws, alice, "2026-10-01", {
        euros: 10_000,
        customer,
        stage: "proposal",
        close,
      });
    await clearReminders(sales, ws, [alice]);
    clock.set("2026-11-18T10:00:00Z");
    const text = await runText(sales, ws, alice, "/focus");
    expect(text).toBe(
      [
        "🎯 Focus for alice · Nov 18, 2026",
        "  1. #2 Bolt was expected to close Nov 2, 2026 · €5,000 weighted",
        "  2. #1 Acme is expected to close Nov 20, 2026 · €5,000 weighted",
        "  3. #4 Dune is expected to close Nov 19, 2026 · €5,000 weighted",
        "  4. #5 Echo is expected to close Nov 21, 2026 · €5,000 weighted",
        "  5. #3 Cyan has been quiet since Oct 1, 2026 · €5,000 weighted",
        "  [1. Update close date: /deal edit #2 close:<date>]",
        "  [2. Mark won: /deal won #1]",
        "  [3. Mark won: /deal won #4]",
        "  [4. Mark won: /deal won #5]",
        "  [5. Plan a call: /remind #3 tomorrow Call back]",
      ].join("\n"),
    );
    expect(await runText(sales, ws, alice, "/focus bogus")).toContain("“bogus” is not understood");
    expect(await runText(sales, ws, alice, "/focus @bob team")).toContain("Ask for one list");
    expect(await runText(sales, ws, alice, "/focus @bob")).toBe(
      "! Only an admin or bob's manager can do that.",
    );
    expect(await runText(sales, ws, bob, "/focus")).toContain("Nothing needs you today");
  });
});
