import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderDigest } from "../../src/announcements/digest.js";
import type { Database } from "../../src/db/client.js";
import { speakerFor } from "../../src/messages/speaker.js";
import { renderText } from "../../src/platforms/shell/render-text.js";
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

describe("the digest names the top products", () => {
  it("GIVEN four products won this month THEN the digest names the best three by revenue, and says how many more, in English and French", async () => {
    clock.set("2026-11-10T10:00:00Z");
    const ws = await seedWorkspace(sales, { timezone: "Europe/Paris" });
    const admin = await seedMember(sales, ws, "admin", "admin");
    for (const [name, price] of [
      ["Pro plan", "1k"],
      ["Setup", "200"],
      ["Gold", "5k"],
      ["Audit", "300"],
      ["Unsold", "9k"],
    ]) {
      await run(sales, ws, admin, `/closer product add "${name}" ${price}`);
    }
    await run(sales, ws, admin, '/deal log Acme products:"Pro plan, Setup" stage:won');
    await run(sales, ws, admin, "/deal log Globex product:Gold stage:won");
    await run(sales, ws, admin, "/deal log Initech product:Audit stage:won");
    await run(sales, ws, admin, "/deal log Hooli product:Unsold");
    await run(sales, ws, admin, "/deal lost #4 reason:price");
    await run(sales, ws, admin, "/deal log 50k Wayne stage:won");
    clock.set("2026-11-18T08:00:00Z");
    const d = await sales.digest.computeDigest(ws, null);
    expect(d.products.items.map((r) => [r.product?.name, r.wonRevenue, r.wonCount])).toEqual([
      ["Gold", 500_000n, 1],
      ["Pro plan", 100_000n, 1],
      ["Audit", 30_000n, 1],
    ]);
    expect(d.products.total).toBe(4);
    const text = renderText(renderDigest(speakerFor(ws), d));
    expect(text).toContain("Top products");
    expect(text).toContain("Gold: €5,000 · 1 won");
    expect(text).toContain("Audit: €300 · 1 won");
    expect(text).toContain("…and 1 more");
    expect(text).not.toContain("Unsold");
    const fr = renderText(renderDigest(speakerFor({ ...ws, locale: "fr" }), d)).replace(
      /[\u202f\u00a0]/g,
      " ",
    );
    expect(fr).toContain("Produits les plus vendus");
    expect(fr).toContain("Gold : 5 000 € · victoires : 1");
  });

  it("GIVEN a workspace that sells no products THEN the digest has no products part", async () => {
    clock.set("2026-11-10T10:00:00Z");
    const ws = await seedWorkspace(sales, { timezone: "Europe/Paris" });
    const admin = await seedMember(sales, ws, "admin", "admin");
    await run(sales, ws, admin, "/deal log 5k Acme stage:won");
    const d = await sales.digest.computeDigest(ws, null);
    expect(d.products.items).toEqual([]);
    expect(renderText(renderDigest(speakerFor(ws), d))).not.toContain("Top products");
  });
});
