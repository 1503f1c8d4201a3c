import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { translate } from "../../src/messages/i18n.js";
import { createTestSales, run, seedDeal, seedMember, seedWorkspace } from "../fixtures/sales.js";
import { openTestDatabase } from "../support/db.js";

describe("/closer export deals", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db.close());

  it("GIVEN a manager who leads no team THEN they export every member's deals, as the file the reply carries", async () => {
    const { sales } = createTestSales(db);
    const ws = await seedWorkspace(sales);
    const manager = await seedMember(sales, ws, "mia", "manager");
    const rep = await seedMember(sales, ws, "rob", "rep");
    await seedDeal(sales, ws, rep, { amount: 150_000n, customer: "Umbrella" });
    await seedDeal(sales, ws, manager, { amount: 99n, customer: "Cyberdyne" });
    const reply = await run(sales, ws, manager, "/closer export deals");
    expect(reply.visibility).toBe("ephemeral");
    expect(reply.lines).toEqual(["closer-deals-all.csv: 2 deals", "Every member's deals."]);
    expect(reply.file?.name).toBe("closer-deals-all.csv");
    expect(reply.file?.type).toBe("text/csv; charset=utf-8");
    const deals: Record<string, string>[] = parse(reply.file?.content ?? Buffer.alloc(0), {
      bom: true,
      columns: true,
    });
    expect(deals.map((d) => [d.customer, d.owner, d.amount])).toEqual([
      ["Umbrella", "rob", "1500.00"],
      ["Cyberdyne", "mia", "0.99"],
    ]);
  });

  it("GIVEN deals over 10 MiB THEN the export is refused, pointing to the server's command or a shorter period", async () => {
    const { sales } = createTestSales(db);
    const ws = await seedWorkspace(sales, { locale: "fr" });
    const admin = await seedMember(sales, ws, "admin", "admin");
    const title = "x".repeat(1024 * 1024);
    for (let i = 0; i < 11; i++)
      await seedDeal(sales, ws, admin, { amount: 1000n, customer: "Big Files", title });
    const reply = await run(sales, ws, admin, "/closer export deals");
    expect(reply.tone).toBe("error");
    expect(reply.file).toBeUndefined();
    expect(reply.lines).toEqual([
      translate("fr", "export.too_large", { size: 10, command: "closer export deals" }),
    ]);
    expect(reply.lines[0]).toContain(
      "plus qu’un message ne peut en porter\u202f: choisissez une période plus courte",
    );
    const lastMonth = await run(sales, ws, admin, "/closer export deals mois dernier");
    expect(lastMonth.lines[0]).toBe("closer-deals-2026-10.csv\u202f: 0 affaire");
  });
});
