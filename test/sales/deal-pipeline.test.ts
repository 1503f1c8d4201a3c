import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
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

describe("/deal list open", () => {
  it("GIVEN open deals THEN they come by expected close date, undated last, with stage, amount and weighted value, overdue marked", async () => {
    clock.set("2026-11-18T10:00:00Z");
    const ws = await seedWorkspace(sales);
    const admin = await seedMember(sales, ws, "admin", "admin");
    const alice = await seedRep(sales, ws, "alice");
    const bob = await seedRep(sales, ws, "bob");
    await seedDeal(sales, ws, alice, { amount: 1_000_000n, customer: "Undated" });
    await seedDeal(sales, ws, alice, {
      amount: 1_200_000n,
      customer: "Later",
      stage: "proposal",
      closeDate: "2026-12-15",
    });
    await seedDeal(sales, ws, alice, {
      amount: 400_000n,
      customer: "Overdue",
      stage: "negotiation",
      closeDate: "2026-11-10",
    });
    await seedDeal(sales, ws, alice, {
      amount: 300_000n,
      customer: "Won",
      stage: "won",
      closeDate: "2026-11-01",
    });
    await seedDeal(sales, ws, bob, {
      amount: 800_000n,
      customer: "Bobs",
      stage: "qualified",
      closeDate: "2026-11-30",
    });

    expect(await runText(sales, ws, alice, "/deal list open")).toBe(
      [
        "Open pipeline: mine",
        "  ⚠️ overdue Nov 10, 2026 · #3 Overdue · negotiation (75%) · €4,000 · weighted €3,000 · alice",
        "  Dec 15, 2026 · #2 Later · proposal (50%) · €12,000 · weighted €6,000 · alice",
        "  no date · #1 Undated · lead (10%) · €10,000 · weighted €1,000 · alice",
      ].join("\n"),
    );
    expect(await runText(sales, ws, admin, "/deal list open @bob")).toBe(
      [
        "Open pipeline: bob",
        "  Nov 30, 2026 · #5 Bobs · qualified (25%) · €8,000 · weighted €2,000 · bob",
      ].join("\n"),
    );
    expect((await runText(sales, ws, admin, "/deal list open all")).split("\n")).toHaveLength(5);
    expect(await runText(sales, ws, admin, "/deal list all open")).toBe(
      await runText(sales, ws, admin, "/deal list open all"),
    );
    expect(await runText(sales, ws, admin, "/deal list open")).toBe("Open pipeline: mine\n  No open deals.");
    expect(await runText(sales, ws, admin, "/deal list open all extra")).toContain(
      "“extra” is not understood here",
    );
  });

  it("GIVEN more open deals than the list shows THEN it says how many more", async () => {
    clock.set("2026-11-18T10:00:00Z");
    const ws = await seedWorkspace(sales, { locale: "fr" });
    const alice = await seedRep(sales, ws, "alice");
    for (let i = 1; i <= 27; i++) await seedDeal(sales, ws, alice, { amount: 100_000n, customer: `C${i}` });
    const lines = (await runText(sales, ws, alice, "/deal list ouvertes")).split("\n");
    expect(lines[0]).toBe("Portefeuille en cours\u202f: les miennes");
    expect(lines).toHaveLength(27);
    expect(lines.at(-1)).toBe("  … et 2 autres");
  });
});

describe("/deal find", () => {
  it("GIVEN words THEN titles, customers and notes match whatever their case and accents, newest first, this workspace only", async () => {
    clock.set("2026-11-18T10:00:00Z");
    const ws = await seedWorkspace(sales);
    const other = await seedWorkspace(sales);
    const alice = await seedRep(sales, ws, "alice");
    const stranger = await seedRep(sales, other, "stranger");
    await seedDeal(sales, ws, alice, { amount: 100_000n, customer: "Café Étoile" });
    await seedDeal(sales, ws, alice, { amount: 200_000n, customer: "Globex", title: "ETOILE rollout" });
    await seedDeal(sales, ws, alice, { amount: 300_000n, customer: "Initech" });
    await sales.deals.addNote(ws, alice, 3, "Met their partner from étoile");
    await seedDeal(sales, ws, alice, { amount: 400_000n, customer: "Hooli" });
    await seedDeal(sales, other, stranger, { amount: 100_000n, customer: "Etoile elsewhere" });

    expect(await runText(sales, ws, alice, "/deal find etoile")).toBe(
      [
        "Deals matching “etoile”",
        "  #3 Initech · €3,000 · lead (10%) · alice",
        "  #2 Globex · €2,000 · lead (10%) · alice",
        "  #1 Café Étoile · €1,000 · lead (10%) · alice",
      ].join("\n"),
    );
    expect(await runText(sales, ws, alice, "/deal find 100%")).toBe(
      "Deals matching “100%”\n  No deal matches “100%”.",
    );
    expect(await runText(sales, ws, alice, "/deal find")).toContain("What should be found?");
  });

  it("GIVEN many matches THEN the list is cut with the count of the rest", async () => {
    clock.set("2026-11-18T10:00:00Z");
    const ws = await seedWorkspace(sales);
    const alice = await seedRep(sales, ws, "alice");
    for (let i = 1; i <= 18; i++)
      await seedDeal(sales, ws, alice, { amount: 100_000n, customer: `Acme ${i}` });
    const lines = (await runText(sales, ws, alice, "/deal find acme")).split("\n");
    expect(lines[1]).toBe("  #18 Acme 18 · €1,000 · lead (10%) · alice");
    expect(lines.at(-1)).toBe("  …and 3 more");
  });
});
