import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import type { Member, Workspace } from "../../src/sales/deps.js";
import type { SalesService } from "../../src/sales/sales-service.js";
import { createTestSales, run, seedDeal, seedMember, seedRep, seedWorkspace } from "../fixtures/sales.js";
import { openTestDatabase } from "../support/db.js";

/**
 * Requests that reach one deal, or one new customer, at the same moment. On PostgreSQL they run on
 * as many connections; on PGlite, one connection interleaves them.
 */
describe("concurrent changes", () => {
  let db: Database;
  let sales: SalesService;
  beforeAll(async () => {
    db = await openTestDatabase();
    sales = createTestSales(db).sales;
  });
  afterAll(() => db.close());

  async function team(): Promise<{ ws: Workspace; alice: Member; bob: Member }> {
    let ws = await seedWorkspace(sales);
    const admin = await seedMember(sales, ws, "admin", "admin");
    ws = await sales.workspaces.setConfig(ws, admin, "wins_channel", "#wins");
    return {
      ws,
      alice: await seedRep(sales, ws, "alice"),
      bob: await seedMember(sales, ws, "bob", "manager"),
    };
  }

  const history = (ws: Workspace, number: number) =>
    db.prisma.dealEvent.findMany({
      where: { workspaceId: ws.id, deal: { number }, kind: "stage" },
      orderBy: { id: "asc" },
    });
  const celebrations = (ws: Workspace) =>
    db.prisma.outbox.findMany({ where: { workspaceId: ws.id, kind: "win" } });

  it("GIVEN /deal won and /deal lost at the same moment THEN one outcome, one event, the other told", async () => {
    for (let round = 0; round < 5; round++) {
      const { ws, alice, bob } = await team();
      const deal = await seedDeal(sales, ws, alice, { amount: 500_000n, customer: "Acme" });
      const replies = await Promise.all([
        run(sales, ws, alice, `/deal won #${deal.number}`),
        run(sales, ws, bob, `/deal lost #${deal.number} price`),
      ]);
      const stored = await sales.deals.getDeal(ws, deal.number);
      const events = await history(ws, deal.number);
      expect(events.map((e) => e.stage)).toEqual([stored.stage]);
      const refused = replies.filter((r) => r.tone === "error");
      expect(refused).toHaveLength(1);
      expect(refused[0]?.lines.join(" ")).toContain(`Deal #${deal.number} is already ${stored.stage}`);
      expect(await celebrations(ws)).toHaveLength(stored.stage === "won" ? 1 : 0);
    }
  });

  it("GIVEN twenty /deal won with amounts at once THEN one won event and one celebration, of the stored amount", async () => {
    const { ws, alice } = await team();
    const deal = await seedDeal(sales, ws, alice, { amount: 500_000n, customer: "Acme" });
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) => run(sales, ws, alice, `/deal won #${deal.number} ${6000 + i}`)),
    );
    expect(replies.filter((r) => r.tone !== "error")).toHaveLength(1);
    const stored = await sales.deals.getDeal(ws, deal.number);
    expect(await history(ws, deal.number)).toHaveLength(1);
    const [celebration, ...more] = await celebrations(ws);
    expect(more).toEqual([]);
    const euros = Number(stored.amount / 100n).toLocaleString("en");
    expect(celebration?.payload).toMatchObject({ title: `🎉 alice won Acme: €${euros}` });
  });

  it("GIVEN twenty logs naming one new customer at once THEN twenty deals, numbered without gaps, one customer", async () => {
    const { ws, alice } = await team();
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) => run(sales, ws, alice, `/deal log ${i + 1}k Brand New Co`)),
    );
    expect(replies.filter((r) => r.tone === "error")).toEqual([]);
    const customers = await db.prisma.customer.findMany({ where: { workspaceId: ws.id } });
    expect(customers.map((c) => c.name)).toEqual(["Brand New Co"]);
    const deals = await db.prisma.deal.findMany({
      where: { workspaceId: ws.id },
      orderBy: { number: "asc" },
    });
    expect(deals.map((d) => d.number)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(new Set(deals.map((d) => d.customerId))).toEqual(new Set([customers[0]?.id]));
    expect(await db.prisma.reminder.count({ where: { workspaceId: ws.id, origin: "followup" } })).toBe(20);
  });
});
