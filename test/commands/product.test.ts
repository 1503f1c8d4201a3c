import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
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

/** A reply as the shell prints it: its title, then each line indented. */
const printed = (title: string, ...lines: string[]) => [title, ...lines.map((l) => `  ${l}`)].join("\n");

async function given(locale: "en" | "fr" = "en") {
  clock.set("2026-11-18T10:00:00Z");
  const ws = await seedWorkspace(sales, { timezone: "Europe/Paris", locale });
  const admin = await seedMember(sales, ws, "admin", "admin");
  const manager = await seedMember(sales, ws, "maria", "manager");
  const alice = await seedMember(sales, ws, "alice", "rep");
  // French spaces (narrow and no-break) read as plain ones, so expectations stay legible.
  const say = async (who: typeof admin, line: string) =>
    (await runText(sales, ws, who, line)).replace(/[\u202f\u00a0]/g, " ");
  return { ws, admin, manager, alice, say };
}

describe("/closer product", () => {
  it("GIVEN a manager adding, renaming and retiring products THEN the catalogue lists them, prices exact, retired ones apart", async () => {
    const { manager, alice, say } = await given();
    expect(await say(manager, '/closer product add "Pro plan" 1.2k')).toBe(
      "Product Pro plan · €1,200.00 added",
    );
    expect(await say(manager, "/closer product add Setup fee 99.50")).toBe(
      "Product Setup fee · €99.50 added",
    );
    expect(await say(manager, "/closer product add Consulting")).toBe("Product Consulting added");
    expect(await say(manager, '/closer product rename "setup FEE" "Onboarding"')).toBe(
      "Product Setup fee is now called Onboarding",
    );
    expect(await say(manager, "/closer product retire consulting")).toBe(
      printed(
        "Product Consulting retired",
        "It stays on the deals that carry it and in their figures; it goes on no new deal.",
      ),
    );
    // Everyone reads the catalogue.
    expect(await say(alice, "/closer product list")).toBe(
      printed("Products", "Onboarding · €99.50", "Pro plan · €1,200.00", "Retired: Consulting"),
    );
  });

  it("GIVEN a rep THEN adding, renaming or retiring a product is refused and the catalogue is unchanged", async () => {
    const { ws, manager, alice, say } = await given();
    await say(manager, '/closer product add "Pro plan" 100');
    const refusal = "! Only a manager or an admin can change the product catalogue.";
    expect(await say(alice, '/closer product add "Other" 5')).toBe(refusal);
    expect(await say(alice, '/closer product rename "Pro plan" "Mine"')).toBe(refusal);
    expect(await say(alice, '/closer product retire "Pro plan"')).toBe(refusal);
    const { active, retired } = await sales.products.listProducts(ws);
    expect(active.map((p) => p.name)).toEqual(["Pro plan"]);
    expect(retired).toEqual([]);
  });

  it("GIVEN a duplicate name, folded, an unknown product or a second retirement THEN each is refused by name", async () => {
    const { ws, admin, say } = await given();
    await say(admin, '/closer product add "Pro plan" 100');
    await say(admin, "/closer product add Legacy");
    await say(admin, "/closer product retire Legacy");
    expect(await say(admin, '/closer product add "PRO  plan." 5')).toBe(
      "! There is already a product “Pro plan”.",
    );
    expect(await say(admin, "/closer product add legacy")).toBe(
      "! There is already a product “Legacy”; it is retired.",
    );
    expect(await say(admin, '/closer product rename Legacy "Pro plan"')).toBe(
      "! There is already a product “Pro plan”.",
    );
    expect(await say(admin, "/closer product retire Nope")).toBe(
      "! There is no product “Nope”. /closer product list lists them.",
    );
    expect(await say(admin, "/closer product retire legacy")).toBe("! Product “Legacy” is already retired.");
    expect(await say(admin, '/closer product add "!!!"')).toBe(
      "! A product name needs at least one letter or digit.",
    );
    expect((await sales.products.listProducts(ws)).active.map((p) => [p.name, p.price])).toEqual([
      ["Pro plan", 10_000n],
    ]);
  });

  it("GIVEN two workspaces THEN a product of one is unknown in the other", async () => {
    const a = await given();
    const b = await given();
    await a.say(a.admin, '/closer product add "Pro plan" 100');
    expect(await b.say(b.admin, "/closer product list")).toBe(
      printed("Products", 'No product yet. A manager adds one: /closer product add "Pro plan" 49'),
    );
    expect(await b.say(b.alice, '/deal log 5k Acme product:"Pro plan"')).toBe(
      "! There is no product “Pro plan”. /closer product list lists them.",
    );
  });

  it("GIVEN a French workspace THEN the catalogue speaks French and reads prices and keys in French", async () => {
    const { admin, alice, say } = await given("fr");
    expect(await say(admin, '/closer product add "Pro plan" 1 200,50')).toBe(
      "Produit Pro plan · 1 200,50 € ajouté",
    );
    expect(await say(admin, "/closer product add Installation")).toBe("Produit Installation ajouté");
    expect(await say(alice, '/deal log Acme produits:"Pro plan, Installation"')).toBe(
      '! Le produit « Installation » n’a pas de prix catalogue, le montant de l’affaire ne peut donc pas être calculé : indiquez-le, par exemple /deal log 12k Acme produit:"Installation".',
    );
    expect(await say(alice, '/deal log Acme produit:"pro PLAN"')).toContain("Produits : Pro plan");
    expect(await say(alice, "/closer product retire Installation")).toBe(
      "! Seul un manager ou un admin peut modifier le catalogue des produits.",
    );
  });
});
