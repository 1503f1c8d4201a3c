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
    db.prisma.outbox.findMany({ where: { workspaceId: ws.id, kind: "win" }, orderBy: { id: "asc" } });

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
      locale: "en",
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
    expect(first?.at(-1)).toBe("🎯 alice reached 50% of their revenue goal for November 2026");
    expect(second?.slice(-2)).toEqual([
      "🎯 alice reached 75% of their revenue goal for November 2026",
      "🎯 alice reached 100% of their revenue goal for November 2026",
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
        locale: "en",
        title: "🎯 A goal milestone for alice",
        lines: ["🎯 alice reached 50% of their revenue goal for November 2026"],
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
      "🎯 alice reached 100% of their revenue goal for November 2026",
      "🎯 alice reached 150% of their revenue goal for November 2026",
      "🎯 alice reached 50% of their revenue goal for November 2026",
      "🎯 alice reached 75% of their revenue goal for November 2026",
    ]);
  });

  describe("milestones", () => {
    const milestoneLines = async (ws: Workspace) =>
      (await rows(ws)).flatMap((r) =>
        (r.payload as { lines: string[] }).lines.filter((l) => l.startsWith("🎯")),
      );

    it("GIVEN team, company and quarter goals THEN each line names the scope as people call it, the metric and the period", async () => {
      const { sales } = createTestSales(db);
      const { ws, admin, alice } = await team(sales);
      await sales.members.addToTeam(ws, admin, "North", [alice]);
      await sales.goals.setGoal(
        ws,
        admin,
        { scope: "team", team: await sales.members.findTeam(ws, "North") },
        "deals",
        "month",
        2n,
      );
      await sales.goals.setGoal(ws, admin, { scope: "company" }, "revenue", "quarter", 2_000_000n);
      await sales.goals.setGoal(ws, admin, { scope: "company" }, "deals", "year", 1n);
      const { deal } = await sales.deals.logDeal(ws, alice, { amount: 1_000_000n, customer: "Acme" });
      await sales.deals.winDeal(ws, alice, deal.number);
      expect(await milestoneLines(ws)).toEqual([
        "🎯 alice reached 50% of their revenue goal for November 2026",
        "🎯 Team North reached 50% of its deal-count goal for November 2026",
        "🎯 The company reached 50% of its revenue goal for Q4 2026",
        "🎯 The company reached 50% of its deal-count goal for 2026",
        "🎯 The company reached 75% of its deal-count goal for 2026",
        "🎯 The company reached 100% of its deal-count goal for 2026",
      ]);
    });

    it("GIVEN a French workspace with a fiscal year from April THEN lines say « l’équipe Nord », « l’entreprise » and the fiscal quarter", async () => {
      const { sales } = createTestSales(db);
      const { ws, admin, alice } = await team(sales, {
        wins_channel: "#victoires",
        locale: "fr",
        fiscal_year_start: "4",
      });
      await sales.members.addToTeam(ws, admin, "Nord", [alice]);
      await sales.goals.setGoal(
        ws,
        admin,
        { scope: "team", team: await sales.members.findTeam(ws, "Nord") },
        "revenue",
        "month",
        2_000_000n,
      );
      await sales.goals.setGoal(ws, admin, { scope: "company" }, "deals", "quarter", 2n);
      await sales.goals.setGoal(ws, admin, { scope: "company" }, "deals", "year", 2n);
      const { deal } = await sales.deals.logDeal(ws, alice, { amount: 1_000_000n, customer: "Acme" });
      await sales.deals.winDeal(ws, alice, deal.number);
      expect(await milestoneLines(ws)).toEqual([
        "🎯 alice a atteint 50\u00a0% de son objectif de chiffre d’affaires pour novembre 2026",
        "🎯 L’équipe Nord a atteint 50\u00a0% de son objectif de chiffre d’affaires pour novembre 2026",
        "🎯 L’entreprise a atteint 50\u00a0% de son objectif d’affaires signées pour le T3 de l’exercice 2026",
        "🎯 L’entreprise a atteint 50\u00a0% de son objectif d’affaires signées pour l’exercice 2026",
      ]);
    });

    it("GIVEN a deal won, reopened and won again THEN no milestone is announced twice, and a bigger re-win announces only what it newly crosses", async () => {
      const { sales } = createTestSales(db);
      const { ws, alice } = await team(sales, { wins_channel: "#wins", "announce.win": "off" });
      const { deal } = await sales.deals.logDeal(ws, alice, { amount: 1_500_000n, customer: "Acme" });
      const first = await sales.deals.winDeal(ws, alice, deal.number);
      expect(first.crossings.map((c) => c.threshold)).toEqual([0.5, 0.75]);
      await sales.deals.moveStage(ws, alice, deal.number, "proposal");
      const again = await sales.deals.winDeal(ws, alice, deal.number);
      expect(again.crossings).toEqual([]);
      await sales.deals.moveStage(ws, alice, deal.number, "proposal");
      // Won again for €20,000: it crosses 50%, 75% and 100% of alice's €20,000, of which only 100% is new.
      const bigger = await sales.deals.winDeal(ws, alice, deal.number, { amount: 2_000_000n });
      expect(bigger.crossings.map((c) => c.threshold)).toEqual([1]);
      expect(await milestoneLines(ws)).toEqual([
        "🎯 alice reached 50% of their revenue goal for November 2026",
        "🎯 alice reached 75% of their revenue goal for November 2026",
        "🎯 alice reached 100% of their revenue goal for November 2026",
      ]);
    });

    it("GIVEN a goal whose target is changed THEN its milestones start again for the new target", async () => {
      const { sales } = createTestSales(db);
      const { ws, admin, alice } = await team(sales);
      const { deal } = await sales.deals.logDeal(ws, alice, { amount: 1_000_000n, customer: "Acme" });
      expect((await sales.deals.winDeal(ws, alice, deal.number)).crossings.map((c) => c.threshold)).toEqual([
        0.5,
      ]);
      await sales.deals.moveStage(ws, alice, deal.number, "proposal");
      await sales.goals.setGoal(
        ws,
        admin,
        { scope: "member", member: alice },
        "revenue",
        "month",
        1_800_000n,
      );
      expect((await sales.deals.winDeal(ws, alice, deal.number)).crossings.map((c) => c.threshold)).toEqual([
        0.5,
      ]);
    });
  });
});
