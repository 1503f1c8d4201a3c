import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
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

describe("/deal edit", () => {
  it("GIVEN fields changed THEN each is an event with its old and new value, and the customer is found by folded name", async () => {
    clock.set("2026-11-18T10:00:00Z");
    const ws = await seedWorkspace(sales);
    const alice = await seedRep(sales, ws, "alice");
    const acme = await seedDeal(sales, ws, alice, { amount: 100_000n, customer: "ACME Corp." });
    await seedDeal(sales, ws, alice, { amount: 1_200_000n, customer: "Globex", closeDate: "2026-12-01" });

    expect(
      await runText(
        sales,
        ws,
        alice,
        '/deal edit #2 15k customer:"acme corp" title:"Renewal" source:referral close:2026-12-20',
      ),
    ).toBe(
      [
        "Deal #2 edited",
        "  #2 ACME Corp. · €15,000 · lead (10%) · alice",
        "  Amount: €12,000.00 → €15,000.00",
        "  Customer: Globex → ACME Corp.",
        "  Title: none → Renewal",
        "  Source: none → referral",
        "  Expected close: Dec 1, 2026 → Dec 20, 2026",
        "  [Won: /deal won #2] [Lost: /deal lost #2] [Move to qualified: /deal stage #2 qualified]",
      ].join("\n"),
    );
    const deal = await sales.deals.getDeal(ws, 2);
    expect(deal).toMatchObject({ customerId: acme.customerId, amount: 1_500_000n, title: "Renewal" });
    expect(deal.expectedCloseDate?.toISOString().slice(0, 10)).toBe("2026-12-20");

    await runText(sales, ws, alice, '/deal edit #2 customer:"Initech"');
    const customers = await sales.customers.listCustomers(ws, "all");
    expect(customers.items.map((c) => c.name)).toEqual(["ACME Corp.", "Globex", "Initech"]);

    const history = (await sales.deals.showDeal(ws, 2)).events.slice(1);
    expect(history.map((e) => [e.kind, e.previousAmount, e.amount, e.oldValue, e.newValue])).toEqual([
      ["amount", 1_200_000n, 1_500_000n, null, null],
      ["customer", null, null, "Globex", "ACME Corp."],
      ["title", null, null, null, "Renewal"],
      ["source", null, null, null, "referral"],
      ["close", null, null, "2026-12-01", "2026-12-20"],
      ["customer", null, null, "ACME Corp.", "Initech"],
    ]);
  });

  it("GIVEN nothing to change THEN it is refused and nothing is written", async () => {
    clock.set("2026-11-18T10:00:00Z");
    const ws = await seedWorkspace(sales);
    const alice = await seedRep(sales, ws, "alice");
    await seedDeal(sales, ws, alice, { amount: 100_000n, customer: "Acme", title: "Pilot" });
    expect(await runText(sales, ws, alice, "/deal edit #1")).toBe(
      [
        '! Nothing to change: give a new amount, customer:"…", title:"…", source:, close: or products:"…", for example /deal edit #12 15k.',
        '  Usage: /deal edit <#n> [amount] [customer:"…"] [title:"…"] [source:<src>] [close:<date>] [products:"<product, …>"]',
      ].join("\n"),
    );
    expect(await runText(sales, ws, alice, '/deal edit #1 1000 customer:"acme" title:"Pilot"')).toBe(
      "! Deal #1 already has these values; nothing was changed.",
    );
    expect(await runText(sales, ws, alice, '/deal edit #1 12k titel:"Big"')).toContain(
      "“titel:Big” is not an option of this command: did you mean title:?",
    );
    expect((await sales.deals.showDeal(ws, 1)).events).toHaveLength(1);
  });

  it("GIVEN who edits THEN the owner, their manager and an admin may, another rep may not", async () => {
    clock.set("2026-11-18T10:00:00Z");
    const ws = await seedWorkspace(sales);
    const admin = await seedMember(sales, ws, "admin", "admin");
    const alice = await seedRep(sales, ws, "alice");
    const bob = await seedRep(sales, ws, "bob");
    const boss = await seedMember(sales, ws, "boss", "manager");
    await seedDeal(sales, ws, alice, { amount: 100_000n, customer: "Acme" });
    expect(await runText(sales, ws, bob, "/deal edit #1 2k")).toBe(
      "! Only alice, their manager or an admin can change this deal.",
    );
    for (const [who, amount] of [
      [alice, "2k"],
      [boss, "3k"],
      [admin, "4k"],
    ] as const) {
      expect(await runText(sales, ws, who, `/deal edit #1 ${amount}`)).toContain("Deal #1 edited");
    }
    expect((await sales.deals.getDeal(ws, 1)).amount).toBe(400_000n);
  });

  it("GIVEN a won deal's amount corrected THEN the figures move", async () => {
    clock.set("2026-11-18T10:00:00Z");
    const ws = await seedWorkspace(sales);
    const boss = await seedMember(sales, ws, "boss", "manager");
    const alice = await seedRep(sales, ws, "alice");
    await seedDeal(sales, ws, alice, { amount: 1_200_000n, customer: "Acme", stage: "won" });
    await runText(sales, ws, boss, "/deal edit #1 15k");
    const month = periodContaining("month", clock.now(), calendarOf(ws));
    expect((await sales.kpis.computeKpis(ws, month, COMPANY)).wonRevenue).toBe(1_500_000n);
    expect((await sales.leaderboard.leaderboard(ws, month, "revenue")).items[0]?.revenue).toBe(1_500_000n);
  });
});

describe("a deal's history", () => {
  it("GIVEN a win that changes the amount, a reassignment and a loss THEN /deal show says from what to what, in English and French", async () => {
    clock.set("2026-11-18T10:00:00Z");
    for (const locale of ["en", "fr"] as const) {
      const ws = await seedWorkspace(sales, { locale });
      const admin = await seedMember(sales, ws, "admin", "admin");
      const alice = await seedRep(sales, ws, "alice");
      const bob = await seedRep(sales, ws, "bob");
      await seedDeal(sales, ws, alice, { amount: 1_200_000n, customer: "Acme" });
      await seedDeal(sales, ws, alice, { amount: 500_000n, customer: "Globex" });
      await runText(sales, ws, alice, '/deal won #1 15k note:"CFO on board"');
      await runText(sales, ws, admin, "/deal assign #2 @bob");
      await runText(sales, ws, bob, '/deal lost #2 reason:competitor note:"cheaper offer"');
      await runText(sales, ws, admin, "/deal edit #2 close:2026-12-01");
      const one = await runText(sales, ws, alice, "/deal show #1");
      const two = await runText(sales, ws, alice, "/deal show #2");
      if (locale === "en") {
        expect(one).toContain(
          "Nov 18, 2026 · alice moved it to won, amount €12,000.00 → €15,000.00: CFO on board",
        );
        expect(two).toContain("Nov 18, 2026 · admin reassigned it: alice → bob");
        expect(two).toContain("Nov 18, 2026 · bob marked it lost (competitor): cheaper offer");
        expect(two).toContain("Nov 18, 2026 · admin changed the expected close date: none → Dec 1, 2026");
      } else {
        expect(one).toContain(
          "18 nov. 2026 · alice l’a passée à gagnée, montant 12\u202f000,00\u00a0€ → 15\u202f000,00\u00a0€\u202f: CFO on board",
        );
        expect(two).toContain("18 nov. 2026 · admin l’a réattribuée\u202f: alice → bob");
        expect(two).toContain("18 nov. 2026 · bob l’a marquée perdue (concurrent)\u202f: cheaper offer");
        expect(two).toContain(
          "18 nov. 2026 · admin a changé la date de clôture prévue\u202f: (aucune valeur) → 1er déc. 2026",
        );
      }
    }
  });
});
