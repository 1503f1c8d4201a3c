import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { digestsOf, renderDigest } from "../../src/announcements/digest.js";
import type { Database } from "../../src/db/client.js";
import { speakerFor } from "../../src/messages/speaker.js";
import { renderEmbed } from "../../src/platforms/discord/render-embed.js";
import { renderText } from "../../src/platforms/shell/render-text.js";
import { renderBlocks } from "../../src/platforms/slack/render-blocks.js";
import type { Member, Workspace } from "../../src/sales/deps.js";
import { previousDigestDay } from "../../src/sales/digest/digest-service.js";
import type { StalledDeal } from "../../src/sales/reminders/reminder-service.js";
import type { SalesService } from "../../src/sales/sales-service.js";
import { checkMessageBody } from "../emulators/discord/message-rules.js";
import { blockErrors, blockLimits } from "../emulators/slack/block-limits.js";
import { createTestSales, type FixedClock, seedMember, seedRep, seedWorkspace } from "../fixtures/sales.js";
import { openTestDatabase } from "../support/db.js";

/**
 * A small Paris team whose November is worked out by hand:
 *   North (manager marie): alice, bob. Carol has no team.
 *   #1 alice 10,000 logged 2 Nov, won 17 Nov      #2 bob 4,000 logged 3 Nov, won 10 Nov
 *   #3 carol 6,000 logged 4 Nov, won 17 Nov       #4 bob 3,000 logged 5 Nov, lost 12 Nov (price)
 *   #5 alice 20,000 proposal (50%) logged 16 Nov, close 25 Nov      #6 bob 5,000 lead logged 20 Oct, untouched
 *   Goals for November: company 40,000; alice 20,000; bob 30,000; team North 25,000.
 * The digest is for Wednesday 18 Nov at 09:00 Paris (08:00 UTC).
 */
async function seedTeam(sales: SalesService, clock: FixedClock, locale: "en" | "fr") {
  const ws0 = await seedWorkspace(sales, { timezone: "Europe/Paris", locale });
  const admin = await seedMember(sales, ws0, "admin", "admin");
  await sales.workspaces.setConfig(ws0, admin, "digest_channel", "#sales");
  const ws = await sales.workspaces.setConfig(ws0, admin, "wins_channel", "#wins");
  const [alice, bob, carol] = [
    await seedRep(sales, ws, "alice"),
    await seedRep(sales, ws, "bob"),
    await seedRep(sales, ws, "carol"),
  ];
  const marie = await seedMember(sales, ws, "marie", "manager");
  await sales.members.addToTeam(ws, admin, "North", [marie, alice, bob]);
  const at = (iso: string) => clock.set(`${iso}T10:00:00Z`);
  const log = async (day: string, owner: Member, amount: bigint, customer: string, extra = {}) => {
    at(day);
    return sales.deals.logDeal(ws, owner, { amount, customer, source: "referral", ...extra });
  };
  at("2026-10-20");
  await log("2026-10-20", bob, 500_000n, "Stale");
  await log("2026-11-02", alice, 1_000_000n, "Acme");
  await log("2026-11-03", bob, 400_000n, "Globex", { source: "website" });
  await log("2026-11-04", carol, 600_000n, "Initech");
  await log("2026-11-05", bob, 300_000n, "Umbrella", { source: "website" });
  at("2026-11-10");
  await sales.deals.winDeal(ws, bob, 3);
  at("2026-11-12");
  await sales.deals.loseDeal(ws, bob, 5, "price");
  await log("2026-11-16", alice, 2_000_000n, "Hooli", { stage: "proposal", closeDate: "2026-11-25" });
  at("2026-11-17");
  await sales.deals.winDeal(ws, alice, 2);
  await sales.deals.winDeal(ws, carol, 4);
  at("2026-11-18");
  const north = await sales.members.findTeam(ws, "North");
  await sales.goals.setGoal(ws, admin, { scope: "company" }, "revenue", "month", 4_000_000n);
  await sales.goals.setGoal(ws, admin, { scope: "member", member: alice }, "revenue", "month", 2_000_000n);
  await sales.goals.setGoal(ws, admin, { scope: "member", member: bob }, "revenue", "month", 3_000_000n);
  await sales.goals.setGoal(ws, admin, { scope: "team", team: north }, "revenue", "month", 2_500_000n);
  clock.set("2026-11-18T08:00:00Z");
  return { ws: await sales.workspaces.getWorkspace(ws.id), north, marie };
}

describe("daily digest", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db.close());

  it("GIVEN the seeded team THEN every figure of the company digest is the one worked out by hand", async () => {
    const { sales, clock } = createTestSales(db);
    const { ws } = await seedTeam(sales, clock, "en");
    const d = await sales.digest.computeDigest(ws, null);
    // 18 Nov 09:00 Paris: 17 days and 9 hours of November's 30 days have passed.
    const elapsed = (17 * 24 + 9) / (30 * 24);
    expect(d.date).toBe("2026-11-18");
    expect(d.yesterday).toEqual({
      since: "2026-11-17",
      count: 2,
      revenue: 1_600_000n,
      wins: [
        { number: 2, customer: "Acme", owner: "alice", amount: 1_000_000n },
        { number: 4, customer: "Initech", owner: "carol", amount: 600_000n },
      ],
    });
    expect(d.kpis.wonRevenue).toBe(2_000_000n);
    expect(d.kpis.wonCount).toBe(3);
    expect(d.kpis.winRate).toBe(0.75);
    expect([d.kpis.newCount, d.kpis.newAmount]).toEqual([5, 4_300_000n]);
    expect(d.goals[0]?.goal.scope).toBe("company");
    expect(d.goals[0]?.attainment).toBe(0.5);
    expect(d.goals[0]?.pace).toBeCloseTo(0.5 / elapsed, 10);
    // Won 20,000 + Hooli 20,000 × 50% (closes 25 Nov) + Stale 5,000 × 10% (no date: expected today).
    expect(d.weightedForecast).toBe(2_000_000n + 1_000_000n + 50_000n);
    expect(d.top).toEqual([
      { name: "alice", revenue: 1_000_000n, deals: 1 },
      { name: "carol", revenue: 600_000n, deals: 1 },
      { name: "bob", revenue: 400_000n, deals: 1 },
    ]);
    // alice is at 50% with 57% of the month gone; bob at 13%. Carol has no goal of her own.
    expect(d.behind.items.map((r) => [r.name, r.attainment])).toEqual([
      ["bob", 400_000 / 3_000_000],
      ["alice", 0.5],
    ]);
    expect(d.behind.items[1]?.pace).toBeCloseTo(0.5 / elapsed, 10);
    expect(d.stalled.items.map((s) => [s.number, s.customer])).toEqual([[1, "Stale"]]);
    expect(d.stalledDays).toBe(14);
    expect(d.lost).toEqual([{ reason: "price", count: 1, amount: 300_000n }]);
    expect(d.sources.items).toEqual([
      { source: "referral", won: 2, lost: 0, winRate: 1, revenue: 1_600_000n },
      { source: "website", won: 1, lost: 1, winRate: 0.5, revenue: 400_000n },
    ]);
    expect([d.behind.total, d.stalled.total, d.sources.total]).toEqual([2, 1, 2]);
  });

  it("GIVEN a team THEN its manager's digest counts only the team's deals, against the team goal", async () => {
    const { sales, clock } = createTestSales(db);
    const { ws, north } = await seedTeam(sales, clock, "en");
    const d = await sales.digest.computeDigest(ws, north);
    expect(d.yesterday.wins.map((w) => w.owner)).toEqual(["alice"]);
    expect([d.kpis.wonRevenue, d.kpis.wonCount, d.kpis.winRate]).toEqual([1_400_000n, 2, 2 / 3]);
    expect(d.goals[0]?.goal.scope).toBe("team");
    expect(d.goals[0]?.attainment).toBe(1_400_000 / 2_500_000);
    expect(d.top.map((r) => r.name)).toEqual(["alice", "bob"]);
    expect(d.stalled.items.map((s) => s.number)).toEqual([1]);
  });

  it("GIVEN seven reps behind, three tied at the fifth place THEN the first five by attainment then name as people read it, of seven", async () => {
    const { sales, clock } = createTestSales(db);
    const ws = await seedWorkspace(sales, { timezone: "Europe/Paris" });
    const admin = await seedMember(sales, ws, "admin", "admin");
    clock.set("2026-11-02T10:00:00Z");
    // Each rep's goal is 10,000; a win of 1,000 is 10%. Fay is ahead of pace; Gus, behind, has left.
    const attainments: [string, number][] = [
      ["Zoé", 4],
      ["Eve", 4],
      ["Élodie", 4],
      ["Dan", 3],
      ["Cyd", 2],
      ["Bea", 2],
      ["Ana", 1],
      ["Fay", 9],
      ["Gus", 0],
    ];
    for (const [name, tenths] of attainments) {
      const rep = await seedRep(sales, ws, name);
      await sales.goals.setGoal(ws, admin, { scope: "member", member: rep }, "revenue", "month", 1_000_000n);
      if (tenths > 0) {
        const amount = BigInt(tenths) * 100_000n;
        await sales.deals.logDeal(ws, rep, { amount, customer: name, stage: "won" });
      }
      if (name === "Gus") await sales.members.removeMember(ws, admin, rep);
    }
    clock.set("2026-11-18T08:00:00Z");
    const d = await sales.digest.computeDigest(ws, null);
    // With "É" after every ASCII letter, a byte order would cut Élodie for Zoé or Eve.
    expect(d.behind.items.map((r) => [r.name, r.attainment])).toEqual([
      ["Ana", 0.1],
      ["Bea", 0.2],
      ["Cyd", 0.2],
      ["Dan", 0.3],
      ["Élodie", 0.4],
    ]);
    expect(d.behind.total).toBe(7);
    // Equal wins rank the longer-standing member first: Zoé joined before Eve.
    expect(d.top.map((r) => [r.name, r.revenue, r.deals])).toEqual([
      ["Fay", 900_000n, 1],
      ["Zoé", 400_000n, 1],
      ["Eve", 400_000n, 1],
    ]);
  });

  it("GIVEN month, quarter and year goals THEN the month block shows the month's goals, never the quarter's or year's", async () => {
    const { sales, clock } = createTestSales(db);
    const { ws, north } = await seedTeam(sales, clock, "en");
    const admin = (await sales.members.listMembers(ws)).find((m) => m.role === "admin") as Member;
    // Set after the month's goals, and a revenue quarter goal beside a month deals goal.
    clock.set("2026-11-18T07:00:00Z");
    await sales.goals.setGoal(ws, admin, { scope: "company" }, "revenue", "quarter", 9_000_000n);
    await sales.goals.setGoal(ws, admin, { scope: "company" }, "revenue", "year", 50_000_000n);
    await sales.goals.setGoal(ws, admin, { scope: "company" }, "deals", "quarter", 40n);
    await sales.goals.setGoal(ws, admin, { scope: "company" }, "deals", "month", 6n);
    await sales.goals.setGoal(ws, admin, { scope: "team", team: north }, "revenue", "quarter", 7_000_000n);
    clock.set("2026-11-18T08:00:00Z");
    const d = await sales.digest.computeDigest(ws, null);
    const text = renderText(renderDigest(speakerFor(ws), d));
    expect(text).toContain(
      "Month to date: €20,000 won · deals: 3\n    Goal €40,000: 50%, pace 86%\n    Deals goal 6: 50%, pace 86%\n",
    );
    expect(text).not.toContain("€90,000");
    expect(text).not.toContain("€500,000");
    const fr = renderText(renderDigest(speakerFor({ ...ws, locale: "fr" }), d));
    expect(fr).toContain(
      "Objectif 40\u202f000\u00a0€\u202f: 50\u00a0%, rythme 86\u00a0%\n    Objectif d’affaires 6\u202f: 50\u00a0%, rythme 86\u00a0%\n",
    );
    expect(
      d.goals.map((g) => [g.goal.scope, g.goal.periodKind, g.goal.metric, g.goal.target, g.attainment]),
    ).toEqual([
      ["company", "month", "revenue", 4_000_000n, 0.5],
      ["company", "month", "deals", 6n, 0.5],
    ]);
    const team = await sales.digest.computeDigest(ws, north);
    expect(team.goals.map((g) => [g.goal.scope, g.goal.periodKind, g.goal.target])).toEqual([
      ["team", "month", 2_500_000n],
    ]);
  });

  it("GIVEN only a quarter goal THEN the month block says the month has no goal", async () => {
    const { sales, clock } = createTestSales(db);
    const ws0 = await seedWorkspace(sales, { timezone: "Europe/Paris", locale: "en" });
    const admin = await seedMember(sales, ws0, "admin", "admin");
    clock.set("2026-11-18T07:00:00Z");
    await sales.goals.setGoal(ws0, admin, { scope: "company" }, "revenue", "quarter", 9_000_000n);
    clock.set("2026-11-18T08:00:00Z");
    const ws = await sales.workspaces.getWorkspace(ws0.id);
    const d = await sales.digest.computeDigest(ws, null);
    const text = renderText(renderDigest(speakerFor(ws), d));
    expect(text).toContain("No goal set for this month");
    expect(text).not.toContain("€90,000");
    expect(d.goals).toEqual([]);
  });

  it("GIVEN a month deals goal and a newer quarter revenue goal THEN the month block shows the deals goal only", async () => {
    const { sales, clock } = createTestSales(db);
    const ws0 = await seedWorkspace(sales, { timezone: "Europe/Paris", locale: "en" });
    const admin = await seedMember(sales, ws0, "admin", "admin");
    clock.set("2026-11-18T06:00:00Z");
    await sales.goals.setGoal(ws0, admin, { scope: "company" }, "deals", "month", 4n);
    clock.set("2026-11-18T07:00:00Z");
    await sales.goals.setGoal(ws0, admin, { scope: "company" }, "revenue", "quarter", 9_000_000n);
    clock.set("2026-11-18T08:00:00Z");
    const ws = await sales.workspaces.getWorkspace(ws0.id);
    const text = renderText(renderDigest(speakerFor(ws), await sales.digest.computeDigest(ws, null)));
    expect(text).toContain("Deals goal 4: 0%, pace 0%");
    expect(text).not.toContain("€90,000");
  });

  it("GIVEN a digest channel and a manager THEN one digest goes to the channel and one by DM to the manager", async () => {
    const { sales, clock } = createTestSales(db);
    const { ws, marie } = await seedTeam(sales, clock, "en");
    const out = await digestsOf(sales, ws, "2026-11-18");
    expect(out.map((n) => [n.key, n.destination, n.reply.title])).toEqual([
      [`digest:${ws.id}:2026-11-18:channel`, "#sales", "📊 Daily digest · Nov 18, 2026"],
      [`digest:${ws.id}:2026-11-18:${marie.id}`, "@marie", "📊 Daily digest for North · Nov 18, 2026"],
    ]);
  });

  it("GIVEN the English workspace THEN the digest reads in English", async () => {
    const { sales, clock } = createTestSales(db);
    const { ws } = await seedTeam(sales, clock, "en");
    const text = renderText(renderDigest(speakerFor(ws), await sales.digest.computeDigest(ws, null)));
    expect(text).toMatchInlineSnapshot(`
      "📊 Daily digest · Nov 18, 2026
        Yesterday: 2 won · €16,000
          #2 Acme · €10,000 · alice
          #4 Initech · €6,000 · carol
        Month to date: €20,000 won · deals: 3
          Goal €40,000: 50%, pace 86%
        Win rate: 75%
        New pipeline: deals: 5 · €43,000
        Weighted forecast: €30,500
        Top reps: 1. alice · €10,000 · won: 1
          2. carol · €6,000 · won: 1
          3. bob · €4,000 · won: 1
        Behind pace: bob · 13% of goal, pace 23%
          alice · 50% of goal, pace 86%
        Stalled deals (no activity for 14 days): #1 Stale · €5,000 · last activity Oct 20, 2026
        Lost reasons: price: 1
        Sources that convert: referral: 100% won · €16,000
          website: 50% won · €4,000"
    `);
  });

  it("GIVEN the French workspace THEN the digest reads in French with French numbers", async () => {
    const { sales, clock } = createTestSales(db);
    const { ws } = await seedTeam(sales, clock, "fr");
    const text = renderText(renderDigest(speakerFor(ws), await sales.digest.computeDigest(ws, null)));
    expect(text).toMatchInlineSnapshot(`
      "📊 Point du jour · 18 nov. 2026
        Hier : 2 affaires gagnées · 16 000 €
          n° 2 Acme · 10 000 € · alice
          n° 4 Initech · 6 000 € · carol
        Depuis le début du mois : 20 000 € gagnés en 3 affaires
          Objectif 40 000 € : 50 %, rythme 86 %
        Taux de transformation : 75 %
        Nouvelles affaires : 5 affaires · 43 000 €
        Prévision pondérée : 30 500 €
        Meilleurs commerciaux : 1. alice · 10 000 € · 1 affaire gagnée
          2. carol · 6 000 € · 1 affaire gagnée
          3. bob · 4 000 € · 1 affaire gagnée
        En retard sur le rythme : bob · 13 % de l’objectif, rythme 23 %
          alice · 50 % de l’objectif, rythme 86 %
        Affaires au point mort (rien depuis 14 jours) : n° 1 Stale · 5 000 € · dernière activité le 20 oct. 2026
        Raisons des pertes : prix : 1
        Sources qui transforment : referral : 100 % gagnées · 16 000 €
          website : 50 % gagnées · 4 000 €"
    `);
  });

  it("GIVEN long names everywhere THEN the digest stays within Slack's and Discord's limits, with a text fallback", async () => {
    const { sales, clock } = createTestSales(db);
    const { ws } = await seedTeam(sales, clock, "fr");
    const digest = await sales.digest.computeDigest(ws, null);
    const long = "N".repeat(400);
    const reply = renderDigest(speakerFor(ws), {
      ...digest,
      yesterday: {
        ...digest.yesterday,
        wins: Array.from({ length: 5 }, (_, i) => ({ number: i, customer: long, owner: long, amount: 1n })),
      },
      stalled: {
        items: Array.from({ length: 5 }, (_, i) => ({
          ...(digest.stalled.items[0] as StalledDeal),
          number: i,
          customer: long,
        })),
        total: 5,
      },
    });
    const slack = renderBlocks(reply);
    expect(blockErrors(slack.blocks, blockLimits.messageBlocks)).toEqual([]);
    expect(slack.text.length).toBeGreaterThan(0);
    expect(slack.text.length).toBeLessThanOrEqual(blockLimits.messageText);
    expect(slack.text).toContain("Point du jour");
    const discord = renderEmbed(reply);
    expect(checkMessageBody({ ...discord, nonce: "x" }, { create: true, hasFiles: false })).toBeUndefined();
  });

  it("GIVEN thousands of deals THEN counts are written the locale's way, as /kpi writes them", async () => {
    const { sales, clock } = createTestSales(db);
    const { ws } = await seedTeam(sales, clock, "en");
    const digest = await sales.digest.computeDigest(ws, null);
    const big = { ...digest, kpis: { ...digest.kpis, wonCount: 9555, newCount: 36669 } };
    const text = renderText(renderDigest(speakerFor(ws), big));
    expect(text).toContain("€20,000 won · deals: 9,555");
    expect(text).toContain("New pipeline: deals: 36,669");
    const fr = renderText(renderDigest(speakerFor({ ...ws, locale: "fr" }), big));
    expect(fr).toContain("gagnés en 9\u202f555 affaires");
    expect(fr).toContain("Nouvelles affaires\u202f: 36\u202f669 affaires");
  });

  it("GIVEN a Monday with a mon-fri digest THEN its wins run from Friday, and on Tuesday from Monday", () => {
    const ws = { workingDays: "mon-fri", digestDays: null } as Workspace;
    expect(previousDigestDay(ws, "2026-11-23")).toBe("2026-11-20");
    expect(previousDigestDay(ws, "2026-11-24")).toBe("2026-11-23");
    expect(previousDigestDay({ ...ws, digestDays: "mon,thu" }, "2026-11-26")).toBe("2026-11-23");
  });
});
