import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import type { Workspace } from "../../src/sales/deps.js";
import type { SalesService } from "../../src/sales/sales-service.js";
import { createTestSales, type FixedClock, runText, seedMember, seedWorkspace } from "../fixtures/sales.js";
import { openTestDatabase } from "../support/db.js";

let db: Database;
let sales: SalesService;
let clock: FixedClock;

beforeAll(async () => {
  db = await openTestDatabase();
  ({ sales, clock } = createTestSales(db));
});
afterAll(() => db.close());

/** A catalogue of three: Pro plan at €1,000, Setup at €200, Consulting without a price. */
async function given() {
  clock.set("2026-11-18T10:00:00Z");
  const ws = await seedWorkspace(sales, { timezone: "Europe/Paris" });
  const admin = await seedMember(sales, ws, "admin", "admin");
  const alice = await seedMember(sales, ws, "alice", "rep");
  await sales.products.addProduct(ws, admin, "Pro plan", 100_000n);
  await sales.products.addProduct(ws, admin, "Setup", 20_000n);
  await sales.products.addProduct(ws, admin, "Consulting");
  const say = (line: string) => runText(sales, ws, alice, line);
  return { ws, admin, alice, say };
}

/** Each deal's amount and its lines (product, amount), by number. */
async function dealsOf(ws: Workspace) {
  const deals = await db.prisma.deal.findMany({
    where: { workspaceId: ws.id },
    include: { products: { include: { product: true }, orderBy: { position: "asc" } } },
    orderBy: { number: "asc" },
  });
  return deals.map((d) => ({
    number: d.number,
    amount: d.amount,
    lines: d.products.map((l) => [l.product.name, l.amount]),
  }));
}

describe("deals that carry products", () => {
  it("GIVEN products without an amount THEN the deal's amount is the sum of their list prices", async () => {
    const { ws, say } = await given();
    const reply = await say('/deal log Acme products:"Pro plan, setup"');
    expect(reply).toContain("Deal #1 logged");
    expect(reply).toContain("Products: Pro plan, Setup");
    expect(await dealsOf(ws)).toEqual([
      {
        number: 1,
        amount: 120_000n,
        lines: [
          ["Pro plan", 100_000n],
          ["Setup", 20_000n],
        ],
      },
    ]);
  });

  it("GIVEN one product and an amount THEN its line takes the deal's amount; several keep their list prices", async () => {
    const { ws, say } = await given();
    await say('/deal log 900 Acme product:"Pro plan"');
    await say('/deal log 5k Globex products:"Pro plan, Consulting"');
    await say("/deal log 3k Initech product:Consulting");
    expect(await dealsOf(ws)).toEqual([
      { number: 1, amount: 90_000n, lines: [["Pro plan", 90_000n]] },
      {
        number: 2,
        amount: 500_000n,
        lines: [
          ["Pro plan", 100_000n],
          ["Consulting", null],
        ],
      },
      { number: 3, amount: 300_000n, lines: [["Consulting", 300_000n]] },
    ]);
  });

  it("GIVEN an unknown, a retired or an unpriced product without an amount THEN it is refused by name and nothing is written", async () => {
    const { ws, admin, say } = await given();
    await sales.products.retireProduct(ws, admin, "Setup");
    expect(await say('/deal log 5k Acme products:"Pro plan, Gold"')).toBe(
      "! There is no product “Gold”. /closer product list lists them.",
    );
    expect(await say('/deal log 5k Acme products:"Pro plan, setup"')).toBe(
      "! Product “Setup” is retired: it goes on no new deal.",
    );
    expect(await say('/deal log Acme products:"Pro plan, Consulting"')).toBe(
      '! Product “Consulting” has no list price, so the deal\'s amount cannot be summed: type it, for example /deal log 12k Acme product:"Consulting".',
    );
    expect(await say('/deal log Acme products:","')).toMatch(/^! Name between 1 and 20 products/);
    expect(await say("/deal log")).toMatch(/^! An amount is missing/);
    expect(await dealsOf(ws)).toEqual([]);
    expect(await db.prisma.customer.count({ where: { workspaceId: ws.id } })).toBe(0);
  });

  it("GIVEN /deal edit products THEN the lines are replaced, the amount summed, and the history and /deal show say so", async () => {
    const { ws, say } = await given();
    await say('/deal log 900 Acme product:"Pro plan"');
    clock.set("2026-11-19T10:00:00Z");
    const edited = await say('/deal edit #1 products:"Pro plan, Setup"');
    expect(edited).toContain("Amount: €900.00 → €1,200.00");
    expect(edited).toContain("Products: Pro plan → Pro plan, Setup");
    expect(await say('/deal edit #1 products:"pro plan, SETUP"')).toBe(
      "! Deal #1 already has these values; nothing was changed.",
    );
    // Unpriced products keep the deal's amount.
    await say("/deal edit #1 products:Consulting");
    expect(await dealsOf(ws)).toEqual([{ number: 1, amount: 120_000n, lines: [["Consulting", 120_000n]] }]);
    const shown = await say("/deal show #1");
    expect(shown).toContain("Products: Consulting · €1,200.00");
    expect(shown).toContain("alice changed the products: Pro plan → Pro plan, Setup");
    expect(shown).toContain("alice changed the products: Pro plan, Setup → Consulting");
    const events = await db.prisma.dealEvent.findMany({ where: { workspaceId: ws.id, kind: "products" } });
    expect(events.map((e) => [e.oldValue, e.newValue])).toEqual([
      ["Pro plan", "Pro plan, Setup"],
      ["Pro plan, Setup", "Consulting"],
    ]);
  });

  it("GIVEN a product retired after a deal took it THEN an edit may keep it there but not add it to another deal", async () => {
    const { ws, admin, say } = await given();
    await say('/deal log Acme products:"Pro plan, Setup"');
    await say('/deal log 900 Globex product:"Pro plan"');
    await sales.products.retireProduct(ws, admin, "Setup");
    expect(await say('/deal edit #1 products:"Setup, Consulting"')).toContain(
      "Products: Pro plan, Setup → Setup, Consulting",
    );
    expect(await say('/deal edit #2 products:"Pro plan, Setup"')).toBe(
      "! Product “Setup” is retired: it goes on no new deal.",
    );
    expect((await dealsOf(ws)).map((d) => d.lines.map(([name]) => name))).toEqual([
      ["Setup", "Consulting"],
      ["Pro plan"],
    ]);
  });

  it("GIVEN another rep's deal THEN editing its products is refused and its lines stay", async () => {
    const { ws, say } = await given();
    await say('/deal log 900 Acme product:"Pro plan"');
    const bob = await seedMember(sales, ws, "bob", "rep");
    expect(await runText(sales, ws, bob, "/deal edit #1 products:Setup")).toMatch(/^! /);
    expect(await dealsOf(ws)).toEqual([{ number: 1, amount: 90_000n, lines: [["Pro plan", 90_000n]] }]);
  });
});
