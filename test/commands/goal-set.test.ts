import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import type { SalesService } from "../../src/sales/sales-service.js";
import { createTestSales, runText, seedMember, seedWorkspace } from "../fixtures/sales.js";
import { openTestDatabase } from "../support/db.js";

/*
 * `/goal set` answers with the goal it set and, when it replaces a goal of the same scope, metric
 * and period, the target it replaced, in the workspace's locale and money.
 */

let db: Database;
let sales: SalesService;

beforeAll(async () => {
  db = await openTestDatabase();
  ({ sales } = createTestSales(db));
});
afterAll(() => db.close());

/** Intl puts no-break spaces in French money; the test reads them as plain spaces. */
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");

describe("GIVEN a goal for the company this month WHEN the admin sets another one", () => {
  it("GIVEN an English workspace THEN the answer says it replaced €40,000", async () => {
    const ws = await seedWorkspace(sales, { currency: "EUR" });
    const admin = await seedMember(sales, ws, "admin", "admin");
    const first = await runText(sales, ws, admin, "/goal set 40k company month");
    expect(first).not.toContain("Replaced");
    expect(await runText(sales, ws, admin, "/goal set 50k company month")).toBe(
      "Goal set for company\n  This month · company: €0 of €50,000 (0%), pace 0%\n  Replaced €40,000.",
    );
  });

  it("GIVEN a French workspace THEN the answer says « Remplace 40 000 € »", async () => {
    const ws = await seedWorkspace(sales, { locale: "fr", currency: "EUR" });
    const admin = await seedMember(sales, ws, "admin", "admin");
    expect(plain(await runText(sales, ws, admin, "/goal set 40k entreprise mois"))).not.toContain("Remplace");
    expect(plain(await runText(sales, ws, admin, "/goal set 50k entreprise mois"))).toMatch(
      /\n {2}Remplace 40 000 €\.$/,
    );
  });

  it("GIVEN a goal of another period WHEN the admin sets one THEN nothing is said replaced", async () => {
    const ws = await seedWorkspace(sales, { currency: "EUR" });
    const admin = await seedMember(sales, ws, "admin", "admin");
    await runText(sales, ws, admin, "/goal set 40k company quarter");
    expect(await runText(sales, ws, admin, "/goal set 50k company month")).not.toContain("Replaced");
  });

  it("GIVEN a deals goal WHEN it is replaced THEN the count it replaced is said, not money", async () => {
    const ws = await seedWorkspace(sales, { currency: "EUR" });
    const admin = await seedMember(sales, ws, "admin", "admin");
    await runText(sales, ws, admin, "/goal set 10 company month metric:deals");
    expect(await runText(sales, ws, admin, "/goal set 12 company month metric:deals")).toContain(
      "Replaced 10.",
    );
  });
});
