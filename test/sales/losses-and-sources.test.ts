import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import type { LostReason, Member, Workspace } from "../../src/sales/deps.js";
import { periodContaining } from "../../src/sales/periods/period.js";
import type { SalesService } from "../../src/sales/sales-service.js";
import type { Scope } from "../../src/sales/scope.js";
import { calendarOf } from "../../src/sales/workspaces/workspace-service.js";
import { createTestSales, seedMember, seedRep, seedWorkspace } from "../fixtures/sales.js";
import { openTestDatabase } from "../support/db.js";

/**
 * The lost reasons and the lead sources in one statement (`lossesAndSources`, what the digest and
 * the dashboard read) against each read alone, on a November worked out by hand whose ties are
 * broken by every key of each order: count then amount then reason's order for the losses, revenue
 * then wins then source's name (none first) for the sources. North is ann and bob; carol has no team.
 *
 *   #1 ann 1,000 web lost timing     #2 ann 1,000 web lost price      #3 bob 2,000 (none) lost competitor
 *   #4 carol 500 ref lost price      #5 bob 3,000 ref won             #6 ann 3,000 web won
 *   #7 bob 1,000 (none) won          #8 carol 1,000 ref lost product
 */
describe("GIVEN a November of losses and wins with ties in every key", () => {
  let db: Database;
  let sales: SalesService;
  let ws: Workspace;
  let north: Scope;

  beforeAll(async () => {
    db = await openTestDatabase();
    const made = createTestSales(db, "2026-11-10T10:00:00Z");
    sales = made.sales;
    ws = await seedWorkspace(sales, { timezone: "Europe/Paris" });
    const admin = await seedMember(sales, ws, "admin", "admin");
    const [ann, bob, carol] = [
      await seedRep(sales, ws, "ann"),
      await seedRep(sales, ws, "bob"),
      await seedRep(sales, ws, "carol"),
    ];
    await sales.members.addToTeam(ws, admin, "North", [ann, bob]);
    north = { scope: "team", team: await sales.members.findTeam(ws, "North") };
    const deals: [Member, bigint, string | undefined, LostReason | "won"][] = [
      [ann, 100_000n, "web", "timing"],
      [ann, 100_000n, "web", "price"],
      [bob, 200_000n, undefined, "competitor"],
      [carol, 50_000n, "ref", "price"],
      [bob, 300_000n, "ref", "won"],
      [ann, 300_000n, "web", "won"],
      [bob, 100_000n, undefined, "won"],
      [carol, 100_000n, "ref", "product"],
    ];
    // A customer of its own each: a customer's lead source is its deals' default.
    for (const [i, [owner, amount, source, outcome]] of deals.entries()) {
      const { deal } = await sales.deals.logDeal(ws, owner, {
        amount,
        customer: `Customer ${i + 1}`,
        source,
      });
      if (outcome === "won") await sales.deals.winDeal(ws, owner, deal.number);
      else await sales.deals.loseDeal(ws, owner, deal.number, outcome);
    }
    made.clock.set("2026-11-18T08:00:00Z");
  });
  afterAll(() => db.close());

  const november = () => periodContaining("month", new Date("2026-11-18T08:00:00Z"), calendarOf(ws));

  it("THEN the company's, from the kept sums, are in each read's order and equal each read alone", async () => {
    const both = await sales.kpis.lossesAndSources(ws, november(), { scope: "company" });
    expect(both.lost).toEqual([
      { reason: "price", count: 2, amount: 150_000n },
      { reason: "competitor", count: 1, amount: 200_000n },
      { reason: "product", count: 1, amount: 100_000n },
      { reason: "timing", count: 1, amount: 100_000n },
    ]);
    expect(both.sources).toEqual([
      { source: "ref", won: 1, lost: 2, winRate: 1 / 3, revenue: 300_000n },
      { source: "web", won: 1, lost: 2, winRate: 1 / 3, revenue: 300_000n },
      { source: null, won: 1, lost: 1, winRate: 0.5, revenue: 100_000n },
    ]);
    expect(both.lost).toEqual(await sales.kpis.lostReasons(ws, november(), { scope: "company" }));
    expect(both.sources).toEqual(await sales.kpis.sourceConversion(ws, november(), { scope: "company" }));
  });

  it("THEN a team's, from its deals, count only its members' deals, in the same orders", async () => {
    const both = await sales.kpis.lossesAndSources(ws, november(), north);
    expect(both.lost).toEqual([
      { reason: "competitor", count: 1, amount: 200_000n },
      { reason: "price", count: 1, amount: 100_000n },
      { reason: "timing", count: 1, amount: 100_000n },
    ]);
    expect(both.sources).toEqual([
      { source: "ref", won: 1, lost: 0, winRate: 1, revenue: 300_000n },
      { source: "web", won: 1, lost: 2, winRate: 1 / 3, revenue: 300_000n },
      { source: null, won: 1, lost: 1, winRate: 0.5, revenue: 100_000n },
    ]);
    expect(both.lost).toEqual(await sales.kpis.lostReasons(ws, november(), north));
    expect(both.sources).toEqual(await sales.kpis.sourceConversion(ws, november(), north));
  });
});
