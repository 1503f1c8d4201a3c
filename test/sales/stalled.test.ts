import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { createTestSales, seedRep, seedWorkspace } from "../fixtures/sales.js";
import { openTestDatabase } from "../support/db.js";

describe("stalled deals", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db.close());

  it("GIVEN open deals in several stages THEN the quiet ones come oldest activity first, and any event wakes a deal", async () => {
    const { sales, clock } = createTestSales(db, "2026-09-01T10:00:00Z");
    const ws = await seedWorkspace(sales);
    const alice = await seedRep(sales, ws, "alice");
    const bob = await seedRep(sales, ws, "bob");
    const log = async (day: string, owner = alice, stage?: "qualified" | "proposal") => {
      clock.set(`${day}T10:00:00Z`);
      return sales.deals.logDeal(ws, owner, { amount: 100_000n, customer: `C${day}`, stage });
    };
    await log("2026-09-01"); // #1, then moved on 2026-10-10
    await log("2026-09-02", alice, "proposal"); // #2, a note on 2026-11-10 wakes it
    await log("2026-09-03", bob, "qualified"); // #3
    await log("2026-09-04"); // #4, won: never stalled
    await log("2026-11-15"); // #5, recent
    clock.set("2026-10-10T10:00:00Z");
    await sales.deals.moveStage(ws, alice, 1, "negotiation");
    clock.set("2026-10-11T10:00:00Z");
    await sales.deals.winDeal(ws, alice, 4);
    clock.set("2026-11-10T10:00:00Z");
    await sales.deals.addNote(ws, alice, 2, "called back");
    clock.set("2026-11-18T10:00:00Z");
    const stalled = (await sales.reminders.stalledDeals(ws)).items;
    expect(stalled.map((d) => [d.number, d.stage, d.lastEventAt.toISOString().slice(0, 10)])).toEqual([
      [3, "qualified", "2026-09-03"],
      [1, "negotiation", "2026-10-10"],
    ]);
    expect((await sales.reminders.stalledDeals(ws, { limit: 1 })).items.map((d) => d.number)).toEqual([3]);
    expect(
      (await sales.reminders.stalledDeals(ws, { scope: { scope: "member", member: alice } })).items.map(
        (d) => d.number,
      ),
    ).toEqual([1]);
  });
});
