import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import type { Workspace } from "../../src/sales/deps.js";
import type { SalesService } from "../../src/sales/sales-service.js";
import { createTestSales, run, seedMember, seedRep, seedWorkspace } from "../fixtures/sales.js";
import { openTestDatabase } from "../support/db.js";

describe("win celebrations", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db.close());

  async function team(sales: SalesService, settings: Record<string, string> = { wins_channel: "#wins" }) {
    let ws: Workspace = await seedWorkspace(sales);
    const admin = await seedMember(sales, ws, "admin", "admin");
    for (const [key, value] of Object.entries(settings))
      ws = await sales.workspaces.setConfig(ws, admin, key, value);
    const alice = await seedRep(sales, ws, "alice");
    await sales.goals.setGoal(ws, admin, { scope: "member", member: alice }, "revenue", "month", 2_000_000n);
    return { ws, admin, alice };
  }
  const rows = (ws: Workspace) =>
    db.prisma.outbox.findMany({ where: { workspaceId: ws.id }, orderBy: { id: "asc" } });

  it("GIVEN a won deal THEN one wins-channel post says who, what, how much, how, and the new attainment", async () => {
    const { sales } = createTestSales(db);
    const { ws, alice } = await team(sales);
    const { deal } = await sales.deals.logDeal(ws, alice, { amount: 600_000n, customer: "Acme" });
    await sales.deals.winDeal(ws, alice, deal.number, { note: "demo on site" });
    // 18 Nov 10:00 UTC: 17 days 10 hours of 30 gone, so 30% of the goal is a pace of 52%.
    const [row, ...more] = await rows(ws);
    expect(more).toEqual([]);
    expect(row).toMatchObject({
      dedupeKey: `win:${deal.id}`,
      kind: "win",
      destination: "#wins",
      status: "pending",
    });
    expect(row?.payload).toEqual({
      visibility: "public",
      title: "🎉 alice won Acme: €6,000",
      lines: ["How we won it: demo on site", "This month · alice: €6,000 of €20,000 (30%), pace 52%"],
    });
  });

  it("GIVEN wins crossing 50% and then 100% of the goal THEN each crossing adds its milestone line", async () => {
    const { sales } = createTestSales(db);
    const { ws, alice } = await team(sales);
    for (const amount of [1_000_000n, 1_200_000n]) {
      const { deal } = await sales.deals.logDeal(ws, alice, { amount, customer: "Acme" });
      await sales.deals.winDeal(ws, alice, deal.number);
    }
    const [first, second] = (await rows(ws)).map((r) => (r.payload as { lines: string[] }).lines);
    expect(first?.at(-1)).toBe("🎯 alice reached 50% of the goal (This month)");
    expect(second?.slice(-2)).toEqual([
      "🎯 alice reached 75% of the goal (This month)",
      "🎯 alice reached 100% of the goal (This month)",
    ]);
  });

  it("GIVEN a deal won, reopened and won again THEN it is celebrated once", async () => {
    const { sales } = createTestSales(db);
    const { ws, alice } = await team(sales);
    const { deal } = await sales.deals.logDeal(ws, alice, { amount: 100_000n, customer: "Acme" });
    await sales.deals.winDeal(ws, alice, deal.number);
    await sales.deals.moveStage(ws, alice, deal.number, "negotiation");
    await sales.deals.winDeal(ws, alice, deal.number);
    expect((await rows(ws)).map((r) => r.dedupeKey)).toEqual([`win:${deal.id}`]);
  });

  it("GIVEN a deal logged already won THEN it is celebrated too", async () => {
    const { sales } = createTestSales(db);
    const { ws, alice } = await team(sales);
    const { deal } = await sales.deals.logDeal(ws, alice, {
      amount: 100_000n,
      customer: "Acme",
      stage: "won",
    });
    expect((await rows(ws)).map((r) => r.dedupeKey)).toEqual([`win:${deal.id}`]);
  });

  it("GIVEN announce.win off THEN only a crossing is posted, and with announce.milestone off too nothing is", async () => {
    const { sales } = createTestSales(db);
    const { ws, alice } = await team(sales, { wins_channel: "#wins", "announce.win": "off" });
    const { deal: small } = await sales.deals.logDeal(ws, alice, { amount: 100_000n, customer: "Acme" });
    await sales.deals.winDeal(ws, alice, small.number);
    expect(await rows(ws)).toEqual([]);
    const { deal: big } = await sales.deals.logDeal(ws, alice, { amount: 1_000_000n, customer: "Globex" });
    await sales.deals.winDeal(ws, alice, big.number);
    expect((await rows(ws)).map((r) => r.payload)).toEqual([
      {
        visibility: "public",
        title: "🎯 A goal milestone for alice",
        lines: ["🎯 alice reached 50% of the goal (This month)"],
      },
    ]);
    const quiet = await team(sales, {
      wins_channel: "#wins",
      "announce.win": "off",
      "announce.milestone": "off",
    });
    const { deal } = await sales.deals.logDeal(quiet.ws, quiet.alice, {
      amount: 2_000_000n,
      customer: "Acme",
    });
    await sales.deals.winDeal(quiet.ws, quiet.alice, deal.number);
    expect(await rows(quiet.ws)).toEqual([]);
  });

  it("GIVEN no wins channel THEN nothing is queued", async () => {
    const { sales } = createTestSales(db);
    const { ws, alice } = await team(sales, {});
    const { deal } = await sales.deals.logDeal(ws, alice, { amount: 100_000n, customer: "Acme" });
    await sales.deals.winDeal(ws, alice, deal.number);
    expect(await rows(ws)).toEqual([]);
  });

  it("GIVEN a win refused THEN neither the deal nor the outbox changes", async () => {
    const { sales } = createTestSales(db);
    const { ws, alice } = await team(sales);
    const bob = await seedRep(sales, ws, "bob");
    const { deal } = await sales.deals.logDeal(ws, alice, { amount: 100_000n, customer: "Acme" });
    await expect(sales.deals.winDeal(ws, bob, deal.number)).rejects.toMatchObject({ code: "forbidden" });
    expect(await rows(ws)).toEqual([]);
    expect((await sales.deals.getDeal(ws, deal.number)).stage).toBe("lead");
  });

  it("GIVEN a French workspace THEN the celebration is in French", async () => {
    const { sales } = createTestSales(db);
    const { ws, alice } = await team(sales, { wins_channel: "#victoires", locale: "fr" });
    const { deal } = await sales.deals.logDeal(ws, alice, { amount: 600_000n, customer: "Acme" });
    await sales.deals.winDeal(ws, alice, deal.number);
    const [row] = await rows(ws);
    expect(row?.destination).toBe("#victoires");
    expect(row?.payload).toMatchObject({ title: "🎉 alice a gagné l’affaire Acme\u202f: 6\u202f000\u00a0€" });
  });

  it("GIVEN eight wins at the same moment THEN each reply names exactly the milestones its own celebration announces, and each milestone is crossed once", async () => {
    const { sales } = createTestSales(db);
    const { ws, alice } = await team(sales);
    // Eight deals of 20% of alice's goal each: together 160%.
    const numbers = Array.from({ length: 8 }, (_, i) => i + 1);
    for (const n of numbers)
      await sales.deals.logDeal(ws, alice, { amount: 400_000n, customer: `Client ${n}` });
    const replies = await Promise.all(numbers.map((n) => run(sales, ws, alice, `/deal won #${n}`)));
    const milestones = (lines: string[]) => lines.filter((l) => l.startsWith("🎯"));
    const posts = await rows(ws);
    for (const [i, reply] of replies.entries()) {
      const deal = await sales.deals.getDeal(ws, i + 1);
      const post = posts.find((r) => r.dedupeKey === `win:${deal.id}`);
      const posted = (post?.payload as { lines: string[] } | undefined)?.lines ?? [];
      expect(posted.length, `deal #${i + 1} was celebrated`).toBeGreaterThan(0);
      expect(milestones(reply.lines), `deal #${i + 1}`).toEqual(milestones(posted));
    }
    // Whatever order they commit in, each threshold is crossed by exactly one of them.
    expect(replies.flatMap((r) => milestones(r.lines)).sort()).toEqual([
      "🎯 alice reached 100% of the goal (This month)",
      "🎯 alice reached 150% of the goal (This month)",
      "🎯 alice reached 50% of the goal (This month)",
      "🎯 alice reached 75% of the goal (This month)",
    ]);
  });
});
