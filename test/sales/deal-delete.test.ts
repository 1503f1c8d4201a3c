import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import type { Member, Workspace } from "../../src/sales/deps.js";
import { periodContaining } from "../../src/sales/periods/period.js";
import type { SalesService } from "../../src/sales/sales-service.js";
import { COMPANY } from "../../src/sales/scope.js";
import { calendarOf } from "../../src/sales/workspaces/workspace-service.js";
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

const T0 = "2026-11-17T10:00:00Z";
const T1 = "2026-11-18T12:00:00Z";

/** Every figure, list and reminder a deal can count in, as of the clock's now. */
async function everything(wsId: number, bob: Member) {
  const ws = await sales.workspaces.getWorkspace(wsId);
  const month = periodContaining("month", clock.now(), calendarOf(ws));
  const far = new Date(clock.now().getTime() + 60 * 86_400_000);
  const [kpis, lost, sources, board, forecast, goals, bobGoals, digest, awards] = await Promise.all([
    sales.kpis.computeKpis(ws, month, COMPANY),
    sales.kpis.lostReasons(ws, month, COMPANY),
    sales.kpis.sourceConversion(ws, month, COMPANY),
    sales.leaderboard.leaderboard(ws, month, "revenue"),
    sales.forecast.forecast(ws, month, COMPANY, null),
    sales.goals.progress(ws, COMPANY),
    sales.goals.progressForMember(ws, bob),
    sales.digest.computeDigest(ws, null),
    sales.awards.computeAwards(ws, month),
  ]);
  const [due, bobReminders, stalled, dormant, prospects, acme, recent, pipeline, found] = await Promise.all([
    sales.reminders.dueReminders(ws, far),
    sales.reminders.listReminders(ws, bob),
    sales.reminders.stalledDeals(ws),
    sales.customers.listCustomers(ws, "dormant"),
    sales.customers.listCustomers(ws, "prospects"),
    sales.customers.customerHistory(ws, "Acme"),
    sales.deals.listDeals(ws, COMPANY),
    sales.deals.pipeline(ws, COMPANY),
    sales.deals.findDeals(ws, "champion"),
  ]);
  // Its history is compared on its own: deleting and restoring are events in it (and in its timeline).
  const {
    events,
    eventTotal,
    timeline: _timeline,
    timelineTotal: _timelineTotal,
    ...acmeWithoutEvents
  } = acme;
  const lists = {
    due,
    bobReminders,
    stalled,
    dormant,
    prospects,
    acme: acmeWithoutEvents,
    recent,
    pipeline,
    found,
  };
  return {
    figures: { kpis, lost, sources, board, forecast, goals, bobGoals, digest, awards },
    // When a row was last written is the database's clock, not ours: left out of the comparison.
    lists: JSON.parse(
      JSON.stringify(lists, (key, value) =>
        key === "updatedAt" ? undefined : typeof value === "bigint" ? `${value}n` : value,
      ),
    ) as Record<string, unknown>,
    acmeEvents: events,
    acmeEventTotal: eventTotal,
  };
}

/** alice's deals: a win today, an old win (a dormant customer), an open stalled deal, a loss. */
async function aliceDeals(ws: Workspace, alice: Member) {
  await seedDeal(sales, ws, alice, { amount: 1_000_000n, customer: "Acme", stage: "won" });
  const old = await seedDeal(sales, ws, alice, { amount: 300_000n, customer: "Old Co" });
  await sales.deals.winDeal(ws, alice, old.number, { closedOn: "2026-07-01" });
  await seedDeal(sales, ws, alice, {
    amount: 400_000n,
    customer: "Acme",
    stage: "proposal",
    closeDate: "2026-11-20",
  });
  const lost = await seedDeal(sales, ws, alice, { amount: 200_000n, customer: "Globex" });
  await sales.deals.loseDeal(ws, alice, lost.number, "price");
}

/** bob's deals, each of a kind alice has: what deleting them must take out of everything. */
async function bobDeals(ws: Workspace, bob: Member): Promise<number[]> {
  const won = await seedDeal(sales, ws, bob, { amount: 2_000_000n, customer: "Acme", source: "referral" });
  await sales.deals.winDeal(ws, bob, won.number, { note: "champion in finance" });
  const old = await seedDeal(sales, ws, bob, { amount: 600_000n, customer: "Old Co", stage: "won" });
  const open = await seedDeal(sales, ws, bob, { amount: 800_000n, customer: "Globex", stage: "negotiation" });
  const lost = await seedDeal(sales, ws, bob, { amount: 100_000n, customer: "Globex" });
  await sales.deals.loseDeal(ws, bob, lost.number, "timing");
  const prospect = await seedDeal(sales, ws, bob, { amount: 50_000n, customer: "Newco" });
  return [won.number, old.number, open.number, lost.number, prospect.number];
}

describe("deleting a deal", () => {
  it("GIVEN deals deleted THEN no figure, list, goal, digest, award or reminder counts them, and restoring brings each back", async () => {
    clock.set(T0);
    let ws = await seedWorkspace(sales);
    const admin = await seedMember(sales, ws, "admin", "admin");
    ws = await sales.workspaces.setConfig(ws, admin, "stalled_days", "1");
    const alice = await seedRep(sales, ws, "alice");
    const bob = await seedRep(sales, ws, "bob");
    for (const [scope, target] of [
      [COMPANY, 5_000_000n],
      [{ scope: "member" as const, member: alice }, 1_000_000n],
      [{ scope: "member" as const, member: bob }, 1_000_000n],
    ] as const) {
      await sales.goals.setGoal(ws, admin, scope, "revenue", "month", target);
      await sales.goals.setGoal(ws, admin, scope, "deals", "month", 4n);
    }
    await aliceDeals(ws, alice);

    clock.set(T1);
    const without = await everything(ws.id, bob);

    clock.set(T0);
    const numbers = await bobDeals(ws, bob);
    clock.set(T1);
    const withBob = await everything(ws.id, bob);
    expect(withBob.figures).not.toEqual(without.figures);
    // Each kind of list has something of bob's in it, so the comparisons below mean something.
    for (const [name, list] of Object.entries(withBob.lists)) {
      expect(list, name).not.toEqual(without.lists[name]);
    }

    for (const n of numbers) await sales.deals.deleteDeal(ws, admin, n);
    const deleted = await everything(ws.id, bob);
    expect(deleted.figures).toEqual(without.figures);
    expect(deleted.lists).toEqual(without.lists);
    expect(deleted.acmeEvents).toEqual(without.acmeEvents);

    for (const n of numbers) await sales.deals.restoreDeal(ws, admin, n);
    const restored = await everything(ws.id, bob);
    expect(restored.figures).toEqual(withBob.figures);
    expect(restored.lists).toEqual(withBob.lists);
    // The audit trail keeps both: Acme's history now also says bob's deal there was deleted and restored.
    expect(restored.acmeEventTotal).toBe(withBob.acmeEventTotal + 2);
    expect(
      restored.acmeEvents.filter((e) => e.kind === "deleted" || e.kind === "restored").map((e) => e.kind),
    ).toEqual(["restored", "deleted"]);
  });

  it("GIVEN a deleted deal THEN its number is not reused, it stays in its history, and acting on it says how to restore it", async () => {
    clock.set(T0);
    const ws = await seedWorkspace(sales);
    const boss = await seedMember(sales, ws, "boss", "manager");
    const alice = await seedRep(sales, ws, "alice");
    await seedDeal(sales, ws, alice, { amount: 100_000n, customer: "Acme" });
    await seedDeal(sales, ws, alice, { amount: 200_000n, customer: "Globex" });

    expect(await runText(sales, ws, alice, "/deal delete #2")).toBe(
      "! Only the manager of alice or an admin can delete or restore this deal.",
    );
    expect(await runText(sales, ws, boss, "/deal delete #2")).toContain("Deal #2 deleted");
    expect(await runText(sales, ws, boss, "/deal delete #2")).toBe(
      "! Deal #2 is already deleted; /deal restore #2 brings it back.",
    );
    const refusal = "! Deal #2 is deleted. A manager or an admin can bring it back with /deal restore #2.";
    for (const line of [
      "/deal won #2",
      "/deal lost #2 reason:price",
      "/deal stage #2 proposal",
      "/deal note #2 hello",
      "/deal edit #2 3k",
      "/deal assign #2 @boss",
      "/remind #2 tomorrow call them",
    ]) {
      expect(await runText(sales, ws, alice, line), line).toBe(refusal);
    }
    expect((await seedDeal(sales, ws, alice, { amount: 300_000n, customer: "Initech" })).number).toBe(3);

    const shown = await runText(sales, ws, alice, "/deal show #2");
    expect(shown).toContain("Deal #2 · Globex (deleted)");
    expect(shown).toContain("Deleted: Nov 17, 2026 by boss");
    expect(shown).toContain("Nov 17, 2026 · boss deleted it");
    expect(shown).not.toContain("[Won");
    expect(await runText(sales, ws, alice, "/deal list")).not.toContain("#2 ");

    expect(await runText(sales, ws, boss, "/deal restore #2")).toContain("Deal #2 restored");
    expect(await runText(sales, ws, boss, "/deal restore #2")).toBe(
      "! Deal #2 is not deleted; there is nothing to restore.",
    );
    expect(await runText(sales, ws, alice, "/deal show #2")).toContain("Nov 17, 2026 · boss restored it");
    expect(await runText(sales, ws, alice, "/deal list")).toContain("#2 Globex");
  });

  it("GIVEN a French workspace THEN deleting and restoring answer in French", async () => {
    clock.set(T0);
    const ws = await seedWorkspace(sales, { locale: "fr" });
    const admin = await seedMember(sales, ws, "admin", "admin");
    await seedDeal(sales, ws, admin, { amount: 100_000n, customer: "Acme" });
    expect(await runText(sales, ws, admin, "/deal delete #1")).toContain(
      "Affaire n° 1 supprimée\u202f: elle ne compte plus nulle part.",
    );
    expect(await runText(sales, ws, admin, "/deal won #1")).toBe(
      "! L’affaire n° 1 est supprimée. Un manager ou un admin peut la rétablir avec /deal restore #1.",
    );
    expect(await runText(sales, ws, admin, "/deal restore #1")).toContain("Affaire n° 1 rétablie");
  });
});
