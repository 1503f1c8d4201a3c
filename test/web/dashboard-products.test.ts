import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import type { SalesService } from "../../src/sales/sales-service.js";
import { dashboardBody } from "../../src/web/dashboard/dashboard-body.js";
import { dashboardView } from "../../src/web/dashboard/dashboard-view.js";
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

/** The rows of the products section's table as text, or null when the page has no such section. */
function productRows(body: string): string[][] | null {
  const section = /<section class="dash-section" id="products">([\s\S]*?)<\/section>/.exec(body)?.[1];
  if (section === undefined) return null;
  return [...section.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) =>
    [...(r[1] ?? "").matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) =>
      (c[1] ?? "").replace(/<[^>]*>/g, ""),
    ),
  );
}

describe("the dashboard shows the products", () => {
  it("GIVEN products sold this month THEN the page has a products table with /kpi products' figures, the deals without one left out", async () => {
    clock.set("2026-11-10T10:00:00Z");
    const ws = await seedWorkspace(sales, { timezone: "Europe/Paris" });
    const admin = await seedMember(sales, ws, "admin", "admin");
    await run(sales, ws, admin, '/closer product add "Pro plan" 1k');
    await run(sales, ws, admin, "/closer product add <Setup> 200");
    await run(sales, ws, admin, '/deal log Acme products:"Pro plan, <Setup>" stage:won');
    await run(sales, ws, admin, '/deal log Globex product:"Pro plan"');
    await run(sales, ws, admin, "/deal lost #2 reason:price");
    await run(sales, ws, admin, "/deal log 700 Hooli stage:won");
    clock.set("2026-11-18T10:00:00Z");
    const body = String(await dashboardBody(await dashboardView(sales, ws, { scope: "company" }, "month")));
    expect(productRows(body)).toEqual([
      ["Product", "Revenue", "Won", "Lost", "Win rate", "Average"],
      ["Pro plan", "€1,000", "1", "1", "50%", "€1,000"],
      ["&lt;Setup&gt;", "€200", "1", "0", "100%", "€200"],
    ]);
  });

  it("GIVEN a workspace that sells no products THEN the page has no products section", async () => {
    clock.set("2026-11-10T10:00:00Z");
    const ws = await seedWorkspace(sales, { timezone: "Europe/Paris" });
    const admin = await seedMember(sales, ws, "admin", "admin");
    await run(sales, ws, admin, "/deal log 700 Hooli stage:won");
    const body = String(await dashboardBody(await dashboardView(sales, ws, { scope: "company" }, "month")));
    expect(productRows(body)).toBeNull();
  });
});
