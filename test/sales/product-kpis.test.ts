import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import type { SalesService } from "../../src/sales/sales-service.js";
import { createTestSales, type FixedClock, run, seedMember, seedWorkspace } from "../fixtures/sales.js";
import { openTestDatabase } from "../support/db.js";

let db: Database;
let sales: SalesService;
let clock: FixedClock;

beforeAll(async () => {
  db = await openTestDatabase();
  ({ sales, clock } = createTestSales(db));
});
afterAll(() => db.close());

/**
 * November 2026, worked by hand. Catalogue: Pro plan €1,000, Setup €200, Consulting (no price).
 *
 * | # | owner | products             | lines        | outcome                  | shares of the won amount           |
 * |---|-------|----------------------|--------------|--------------------------|------------------------------------|
 * | 1 | bob   | Pro plan             | 8,000        | won in October           | left out                           |
 * | 2 | alice | Pro plan, Setup      | 1,000 + 200  | won at 1,500 (not 1,200) | Pro 1,250, Setup 250 (by lines)    |
 * | 3 | alice | Pro plan             | 900          | won 900                  | Pro 900                            |
 * | 4 | bob   | Pro plan, Consulting | 1,000 + none | won 5,000                | Pro 2,500, Consulting 2,500 (even) |
 * | 5 | bob   | Setup                | 200          | lost, price              |                                    |
 * | 6 | alice | Pro plan             | 1,000        | lost, competitor         |                                    |
 * | 7 | alice | none                 |              | won 700                  | no product 700                     |
 * | 8 | bob   | none                 |              | lost, timing             |                                    |
 * | 9 | alice | Pro plan             | 4,000        | won, then deleted        | left out                           |
 *
 * Company: Pro plan 4,650 from 3 won of 4 closed (75%, average 1,550, lost to competitor 1);
 * Consulting 2,500, 1 of 1 (100%); Setup 250, 1 of 2 (50%, lost to price 1); no product 700, 1 of 2
 * (50%, lost to timing 1). The revenues add up to the month's 8,100.
 */
async function given() {
  clock.set("2026-10-20T10:00:00Z");
  const ws = await seedWorkspace(sales, { timezone: "Europe/Paris" });
  const admin = await seedMember(sales, ws, "admin", "admin");
  const alice = await seedMember(sales, ws, "alice", "rep");
  const bob = await seedMember(sales, ws, "bob", "rep");
  await sales.products.addProduct(ws, admin, "Pro plan", 100_000n);
  await sales.products.addProduct(ws, admin, "Setup", 20_000n);
  await sales.products.addProduct(ws, admin, "Consulting");
  const say = (who: typeof alice, line: string) => run(sales, ws, who, line);
  await say(bob, '/deal log 8k Zeta product:"Pro plan" stage:won');
  clock.set("2026-11-10T10:00:00Z");
  await say(alice, '/deal log Acme products:"Pro plan, Setup"');
  await say(alice, "/deal won #2 1.5k");
  await say(alice, '/deal log 900 Beta product:"Pro plan" stage:won');
  await say(bob, '/deal log 5k Gamma products:"Pro plan, Consulting" stage:won');
  await say(bob, "/deal log Delta product:Setup");
  await say(bob, "/deal lost #5 reason:price");
  await say(alice, '/deal log 1k Epsilon product:"Pro plan"');
  await say(alice, "/deal lost #6 reason:competitor");
  await say(alice, "/deal log 700 Eta stage:won");
  await say(bob, "/deal log 300 Theta");
  await say(bob, "/deal lost #8 reason:timing");
  await say(alice, '/deal log 4k Iota product:"Pro plan" stage:won');
  await say(admin, "/deal delete #9");
  clock.set("2026-11-25T10:00:00Z");
  return { ws, admin, alice, bob, say };
}

describe("/kpi products", () => {
  it("GIVEN the hand-worked month THEN each product's revenue, wins, win rate, average and lost reasons are as computed by hand", async () => {
    const { admin, say } = await given();
    const reply = await say(admin, "/kpi month products");
    expect(reply.title).toBe("Products · This month · company");
    expect(reply.table?.columns).toEqual(["Product", "Revenue", "Won", "Win rate", "Average", "Lost to"]);
    expect(reply.table?.rows).toEqual([
      ["Pro plan", "€4,650", "3", "75%", "€1,550", "competitor 1"],
      ["Consulting", "€2,500", "1", "100%", "€2,500", "–"],
      ["Setup", "€250", "1", "50%", "€250", "price 1"],
      ["(no product)", "€700", "1", "50%", "€700", "timing 1"],
    ]);
    // The products' revenues add up to the month's won revenue.
    const kpis = await say(admin, "/kpi month");
    expect(kpis.fields?.[0]?.value).toContain("€8,100");
  });

  it("GIVEN a rep's scope THEN only their deals count", async () => {
    const { admin, say } = await given();
    const reply = await say(admin, "/kpi month @alice products");
    expect(reply.table?.rows).toEqual([
      ["Pro plan", "€2,150", "2", "67%", "€1,075", "competitor 1"],
      ["Setup", "€250", "1", "100%", "€250", "–"],
      ["(no product)", "€700", "1", "100%", "€700", "–"],
    ]);
  });

  it("GIVEN a product renamed or retired THEN its figures stay under its current name", async () => {
    const { ws, admin, say } = await given();
    await sales.products.renameProduct(ws, admin, "Pro plan", "Pro");
    await sales.products.retireProduct(ws, admin, "Pro");
    const reply = await say(admin, "/kpi month products");
    expect(reply.table?.rows[0]).toEqual(["Pro", "€4,650", "3", "75%", "€1,550", "competitor 1"]);
  });

  it("GIVEN a French workspace and a period with nothing closed THEN it says so in French", async () => {
    clock.set("2026-11-25T10:00:00Z");
    const ws = await seedWorkspace(sales, { timezone: "Europe/Paris", locale: "fr" });
    const admin = await seedMember(sales, ws, "admin", "admin");
    const reply = await run(sales, ws, admin, "/kpi mois produits");
    expect(reply.title).toBe("Produits · Ce mois-ci · entreprise");
    expect(reply.lines).toEqual(["Rien de clôturé sur cette période."]);
  });
});
