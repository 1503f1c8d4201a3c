import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChartSpec } from "../../src/charts/spec.js";
import type { Database } from "../../src/db/client.js";
import { renderText } from "../../src/platforms/shell/render-text.js";
import type { Member, Workspace } from "../../src/sales/deps.js";
import type { SalesService } from "../../src/sales/sales-service.js";
import { createTestSales, type FixedClock, run, seedMember, seedWorkspace } from "../fixtures/sales.js";
import { openTestDatabase } from "../support/db.js";

/*
 * `/kpi chart` on Wednesday 18 November 2026 in Paris. Team North: alice and bob; carol has none.
 *   won: alice €5,000 on 5 Nov and €3,000 on 17 Nov, bob €2,000 on 10 Nov, carol €1,500 on 30 Oct
 *   open: alice €20,000 proposal, bob €4,000 negotiation, carol €1,000 lead; lost: bob €700
 *   goals for November: company €40,000, team North €20,000.
 */

let db: Database;
let sales: SalesService;
let clock: FixedClock;

beforeAll(async () => {
  db = await openTestDatabase();
  ({ sales, clock } = createTestSales(db, "2026-11-18T10:00:00Z"));
});
afterAll(() => db.close());

const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");

async function seed(locale: "en" | "fr" = "en") {
  const ws0 = await seedWorkspace(sales, { timezone: "Europe/Paris", locale, currency: "EUR" });
  const admin = await seedMember(sales, ws0, "admin", "admin");
  const [alice, bob, carol] = [
    await seedMember(sales, ws0, "alice", "rep"),
    await seedMember(sales, ws0, "bob", "rep"),
    await seedMember(sales, ws0, "carol", "rep"),
  ];
  await sales.members.addToTeam(ws0, admin, "North", [alice, bob]);
  const on = (day: string) => clock.set(`${day}T10:00:00Z`);
  const win = async (day: string, owner: Member, amount: bigint, customer: string) => {
    on("2026-10-01");
    const { deal } = await sales.deals.logDeal(ws0, owner, { amount, customer });
    on(day);
    await sales.deals.winDeal(ws0, owner, deal.number);
  };
  await win("2026-11-05", alice, 500_000n, "Acme");
  await win("2026-11-17", alice, 300_000n, "Globex");
  await win("2026-11-10", bob, 200_000n, "Initech");
  await win("2026-10-30", carol, 150_000n, "Umbrella");
  on("2026-11-12");
  await sales.deals.logDeal(ws0, alice, { amount: 2_000_000n, customer: "Hooli", stage: "proposal" });
  await sales.deals.logDeal(ws0, bob, { amount: 400_000n, customer: "Pied", stage: "negotiation" });
  await sales.deals.logDeal(ws0, carol, { amount: 100_000n, customer: "Soylent" });
  const { deal: lost } = await sales.deals.logDeal(ws0, bob, { amount: 70_000n, customer: "Vandelay" });
  await sales.deals.loseDeal(ws0, bob, lost.number, "price");
  on("2026-11-18");
  const north = await sales.members.findTeam(ws0, "North");
  await sales.goals.setGoal(ws0, admin, { scope: "company" }, "revenue", "month", 4_000_000n);
  await sales.goals.setGoal(ws0, admin, { scope: "team", team: north }, "revenue", "month", 2_000_000n);
  const ws: Workspace = await sales.workspaces.getWorkspace(ws0.id);
  return { ws, admin, alice, north };
}

const lastValue = (spec: ChartSpec | undefined) =>
  spec?.series[0]?.values.filter((v): v is number => v !== null).at(-1);
const sum = (values: (number | null)[] | undefined) =>
  (values ?? []).reduce<number>((a, v) => a + (v ?? 0), 0);

describe("/kpi chart", () => {
  it("GIVEN a month with wins and a goal THEN won climbs day by day to today, the pace runs to the goal AND the goal is the target", async () => {
    const { ws, admin } = await seed();
    const reply = await run(sales, ws, admin, "/kpi chart");
    const [won, pipeline] = reply.charts ?? [];
    expect(won).toMatchObject({
      kind: "line",
      title: "Won against goal · This month · company",
      unit: { currency: "EUR" },
      target: { label: "Goal", value: 40_000 },
    });
    expect(won?.labels).toEqual(Array.from({ length: 30 }, (_, i) => String(i + 1)));
    const values = won?.series[0]?.values ?? [];
    expect([values[3], values[4], values[9], values[16], values[17], values[18]]).toEqual([
      0,
      5_000,
      7_000,
      10_000,
      10_000,
      null,
    ]);
    expect(won?.series[1]).toMatchObject({ name: "Pace to goal", dashed: true });
    expect(won?.series[1]?.values.at(-1)).toBe(40_000);
    expect(won?.series[1]?.values[14]).toBe(20_000);
    expect(pipeline).toMatchObject({
      kind: "bar",
      horizontal: true,
      title: "Open pipeline by stage · company",
      labels: ["lead", "qualified", "proposal", "negotiation"],
      series: [{ name: "Open pipeline", values: [1_000, 0, 20_000, 4_000] }],
    });
  });

  it.each([
    ["month", "company"],
    ["month", "team:North"],
    ["month", "@alice"],
    ["quarter", "company"],
    ["year", "team:North"],
    ["last month", "company"],
    ["2026-11-01..2026-11-12", "company"],
  ])("GIVEN %s for %s THEN the pictures and the text show /kpi's figures", async (period, scope) => {
    const { ws, admin } = await seed();
    const chart = await run(sales, ws, admin, `/kpi chart ${period} ${scope}`);
    const kpi = await run(sales, ws, admin, `/kpi ${period} ${scope}`);
    const field = (r: typeof kpi, label: string) => r.fields?.find((f) => f.label === label)?.value;
    expect(field(chart, "Won")).toBe(field(kpi, "Won"));
    expect(field(chart, "Open pipeline")).toBe(field(kpi, "Open pipeline"));
    const [won, pipeline] = chart.charts ?? [];
    const money = (n: number) => `€${n.toLocaleString("en-US")}`;
    expect(money(lastValue(won) ?? 0)).toBe(field(kpi, "Won")?.split(" · ")[0]);
    expect(money(sum(pipeline?.series[0]?.values))).toBe(field(kpi, "Open pipeline")?.split(" · ")[0]);
  });

  it("GIVEN a quarter THEN won adds up week by week; GIVEN a year THEN month by month", async () => {
    const { ws, admin } = await seed();
    const quarter = (await run(sales, ws, admin, "/kpi chart quarter")).charts?.[0];
    // Q4 2026 runs from Thursday 1 October to Thursday 31 December: 14 weeks cut at its bounds.
    expect(quarter?.labels).toHaveLength(14);
    expect(quarter?.labels.slice(0, 3)).toEqual(["Oct 1", "Oct 5", "Oct 12"]);
    expect(lastValue(quarter)).toBe(11_500);
    const year = (await run(sales, ws, admin, "/kpi chart year")).charts?.[0];
    expect(year?.labels).toEqual([
      "Jan",
      "Feb",
      "Mar",
      "Apr",
      "May",
      "Jun",
      "Jul",
      "Aug",
      "Sep",
      "Oct",
      "Nov",
      "Dec",
    ]);
    expect(year?.series[0]?.values.slice(9)).toEqual([1_500, 11_500, null]);
    // No year goal: no pace line, no target, and the text says so.
    expect(year?.series).toHaveLength(1);
    expect(year?.target).toBeUndefined();
  });

  it("GIVEN the text of the answer THEN it is whole without the pictures: won, goal, pace, and the pipeline by stage", async () => {
    const { ws, admin } = await seed();
    const text = renderText(await run(sales, ws, admin, "/kpi chart team:North"));
    expect(text).toMatchInlineSnapshot(`
      "Won against goal and pipeline · This month · North
        Won: €10,000 · deals: 3
        Goal: €20,000 (50%)
        Pace: 86% of the pace to the goal
        Open pipeline: €24,000 · deals: 2
        Open pipeline by stage  Deals  Amount
        ----------------------  -----  -------
        lead                    0      €0
        qualified               0      €0
        proposal                1      €20,000
        negotiation             1      €4,000"
    `);
  });

  it("GIVEN a French workspace THEN /kpi graphique answers in French, pictures included", async () => {
    const { ws, admin } = await seed("fr");
    const reply = await run(sales, ws, admin, "/kpi graphique mois équipe:North");
    const [won, pipeline] = reply.charts ?? [];
    expect(plain(won?.title ?? "")).toBe("Gagné face à l’objectif · Ce mois-ci · North");
    expect(won?.locale).toBe("fr");
    expect(won?.series.map((s) => s.name)).toEqual(["Gagné", "Rythme vers l’objectif"]);
    expect(won?.target?.label).toBe("Objectif");
    expect(pipeline?.labels).toEqual(["piste", "qualifiée", "proposition", "négociation"]);
    expect(plain(reply.title ?? "")).toContain("Gagné face à l’objectif et portefeuille");
  });

  it("GIVEN a word that is no view THEN the refusal names chart (graphique) among the views", async () => {
    const { ws, admin } = await seed();
    expect((await run(sales, ws, admin, "/kpi view:pictures")).lines.join(" ")).toContain("chart");
    const fr = await seed("fr");
    expect((await run(sales, fr.ws, fr.admin, "/kpi vue:images")).lines.join(" ")).toContain("graphique");
  });
});
