import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import type { SalesService } from "../../src/sales/sales-service.js";
import { dashboardBody } from "../../src/web/dashboard/dashboard-body.js";
import { dashboardView } from "../../src/web/dashboard/dashboard-view.js";
import { DASHBOARD_NOW, type DashboardTeam, seedDashboardTeam } from "../fixtures/dashboard.js";
import { createTestSales } from "../fixtures/sales.js";
import { frenchTypographyFaults } from "../messages/french-typography.js";
import { openTestDatabase } from "../support/db.js";

const COMPANY = { scope: "company" } as const;

/** The text of some markup: tags dropped, the entities `html` writes decoded. */
function textOf(markup: string): string {
  return markup
    .replace(/<[^>]*>/g, "")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&amp;", "&")
    .trim();
}

/** A section of the page by id: its heading, whether it has a chart, and its table's rows as text. */
function sectionOf(body: string, id: string) {
  const match = new RegExp(`<section class="dash-section" id="${id}">([\\s\\S]*?)</section>`).exec(body);
  if (!match?.[1]) throw new Error(`no section ${id}`);
  const markup = match[1];
  const rows = [...markup.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) =>
    [...(r[1] ?? "").matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => textOf(c[1] ?? "")),
  );
  return {
    heading: textOf(/<h2>([\s\S]*?)<\/h2>/.exec(markup)?.[1] ?? ""),
    charts: (markup.match(/<svg\b/g) ?? []).length,
    header: rows[0] ?? [],
    rows: rows.slice(1),
    notes: [...markup.matchAll(/<p class="dash-(?:note|empty)">([\s\S]*?)<\/p>/g)].map((m) =>
      textOf(m[1] ?? ""),
    ),
  };
}

/** French money and percentages as Intl writes them: a no-break space before € and %, narrow ones between groups. */
const fr = (text: string) => text.replace(/ (?=[€%])/g, "\u00a0").replaceAll(" ", "\u202f");

describe("dashboard page body", () => {
  let db: Database;
  let sales: SalesService;
  let en: DashboardTeam;
  let french: DashboardTeam;

  beforeAll(async () => {
    db = await openTestDatabase();
    const made = createTestSales(db, DASHBOARD_NOW);
    sales = made.sales;
    en = await seedDashboardTeam(sales, made.clock);
    french = await seedDashboardTeam(sales, made.clock, { locale: "fr" });
  });
  afterAll(() => db.close());

  const render = async (
    team: DashboardTeam,
    period?: string,
    scope: Parameters<typeof dashboardView>[2] = COMPANY,
  ) => String(await dashboardBody(await dashboardView(sales, team.ws, scope, period)));

  it("GIVEN the hand-worked team THEN each section draws its chart over a table of the exact figures", async () => {
    const body = await render(en, "month");
    expect(textOf(/<p class="dash-subtitle">([\s\S]*?)<\/p>/.exec(body)?.[1] ?? "")).toBe(
      "Whole company · This month",
    );

    const won = sectionOf(body, "won");
    expect(won.charts).toBe(1);
    expect(won.header).toEqual(["Month", "Won", "Goal", "Of goal"]);
    expect(won.rows).toHaveLength(12);
    expect(won.rows[0]).toEqual(["December 2025", "€0", "–", "–"]);
    expect(won.rows.filter((r) => r[1] !== "€0")).toEqual([
      ["September 2026", "€8,000", "€10,000", "80%"],
      ["November 2026", "€20,000", "€40,000", "50%"],
    ]);

    const forecast = sectionOf(body, "forecast");
    expect(forecast.charts).toBe(1);
    expect(forecast.rows).toEqual([
      ["Won so far", "€20,000", "50%"],
      ["Period elapsed", "58%", "–"],
      ["Run-rate forecast", "€34,368", "86%"],
      ["Weighted open pipeline", "€10,650", "–"],
      ["Weighted forecast", "€30,650", "77%"],
      ["Goal", "€40,000", "–"],
    ]);

    const pipeline = sectionOf(body, "pipeline");
    expect(pipeline.charts).toBe(2);
    expect(pipeline.header).toEqual([
      "Stage",
      "Open deals",
      "Open amount",
      "Reached it",
      "To the next stage",
    ]);
    expect(pipeline.rows).toEqual([
      ["Lead", "2", "€6,500", "7", "86%"],
      ["Qualified", "0", "€0", "6", "83%"],
      ["Proposal", "1", "€20,000", "5", "80%"],
      ["Negotiation", "0", "€0", "4", "75%"],
      ["Won", "–", "–", "3", "–"],
    ]);
    expect(pipeline.notes[0]).toMatch(/^Of the deals created in the period that reached a stage/);

    expect(sectionOf(body, "lost").rows).toEqual([
      ["Price", "1", "€3,000"],
      ["Competitor", "1", "€2,000"],
    ]);
    expect(sectionOf(body, "sources").rows).toEqual([
      ["referral", "2", "2", "100%", "€16,000"],
      ["website", "2", "1", "50%", "€4,000"],
      ["(no source)", "1", "0", "0%", "€0"],
    ]);
    const reps = sectionOf(body, "reps");
    expect(reps.header).toEqual(["Rep", "Revenue", "Won", "Lost", "Win rate", "Average deal", "Sales cycle"]);
    expect(reps.rows).toEqual([
      ["alice", "€10,000", "1", "0", "100%", "€10,000", "15 days"],
      ["carol", "€6,000", "1", "1", "50%", "€6,000", "13 days"],
      ["bob", "€4,000", "1", "1", "50%", "€4,000", "7 days"],
    ]);
  });

  it("GIVEN team North THEN the page names the team and shows its figures only", async () => {
    const body = await render(en, "", { scope: "team", team: en.north });
    expect(body).toContain("Team North · This month");
    expect(sectionOf(body, "reps").rows.map((r) => r[0])).toEqual(["alice", "bob"]);
    expect(sectionOf(body, "forecast").rows.at(-1)).toEqual(["Goal", "€25,000", "–"]);
  });

  it("GIVEN a French workspace THEN the page is in French, with French numbers, money and typography", async () => {
    const body = await render(french, "mois dernier");
    expect(textOf(/<h1>([\s\S]*?)<\/h1>/.exec(body)?.[1] ?? "")).toBe("Tableau de bord commercial");
    // October: nothing closed; its twelve months end with it.
    expect(sectionOf(body, "won").rows.at(-1)).toEqual(["Octobre 2026", fr("0 €"), "–", "–"]);
    expect(sectionOf(body, "lost").notes).toEqual(["Rien de clôturé sur cette période."]);

    const november = await render(french, "2026-11");
    expect(sectionOf(november, "won").header).toEqual(["Mois", "Gagné", "Objectif", "De l’objectif"]);
    expect(sectionOf(november, "won").rows.at(-1)).toEqual([
      "Novembre 2026",
      fr("20 000 €"),
      fr("40 000 €"),
      fr("50 %"),
    ]);
    expect(sectionOf(november, "reps").rows[0]).toEqual([
      "alice",
      fr("10 000 €"),
      "1",
      "0",
      fr("100 %"),
      fr("10 000 €"),
      "15 jours",
    ]);
    expect(sectionOf(november, "pipeline").rows[0]).toEqual(["Piste", "2", fr("6 500 €"), "7", fr("86 %")]);
    expect(sectionOf(november, "lost").rows[0]).toEqual(["Prix", "1", fr("3 000 €")]);
    const prose = [...november.matchAll(/<(?:h[12]|p|th|label|button)[^>]*>([^<]*)</g)].map((m) =>
      textOf(m[1] ?? ""),
    );
    expect(prose.flatMap((text) => frenchTypographyFaults(text))).toEqual([]);
  });

  it.each([
    ["en", "next fortnight", "“next fortnight” is not a period."],
    ["en", "2026-11-15..2026-11-01", "ends before it starts"],
    ["fr", "quinzaine", "«\u202fquinzaine\u202f» n’est pas une période."],
  ] as const)(
    "GIVEN the %s period %j THEN the page says why in its language and shows this month",
    async (locale, text, said) => {
      const body = await render(locale === "fr" ? french : en, text);
      const error = textOf(/<p class="dash-error" role="alert">([\s\S]*?)<\/p>/.exec(body)?.[1] ?? "");
      expect(error).toContain(said);
      expect(body).toContain(locale === "fr" ? "Ce mois-ci" : "This month");
      expect(sectionOf(body, "forecast").rows[0]?.[1]).toBe(locale === "fr" ? fr("20 000 €") : "€20,000");
      // The text typed stays in the selector, to be corrected.
      expect(body).toContain(`name="period" type="text" value="${text}"`);
    },
  );

  it("GIVEN names, a source and a period holding markup THEN every one is escaped and the page has no script and no inline style", async () => {
    const made = createTestSales(db, DASHBOARD_NOW);
    const team = await seedDashboardTeam(made.sales, made.clock, {
      rep: "<script>alert('rep')</script>",
      customer: "<script>alert('customer')</script>",
    });
    made.clock.set("2026-11-18T09:00:00Z");
    await made.sales.deals.logDeal(team.ws, team.alice, {
      amount: 100n,
      customer: "<img src=x onerror=alert(1)>",
      source: '"><script>alert("source")</script>',
      stage: "won",
    });
    made.clock.set(DASHBOARD_NOW);
    const body = String(
      await dashboardBody(
        await dashboardView(made.sales, team.ws, COMPANY, '"><script>alert("period")</script>'),
      ),
    );
    expect(body).not.toMatch(/<script/i);
    expect(body).not.toMatch(/<img/i);
    expect(body).not.toMatch(/\son[a-z]+=/i);
    expect(body).not.toMatch(/style=|<style/i);
    // The charts' text keeps its font, as presentation attributes.
    expect(body).toContain('font-size="12px" font-family="DejaVu Sans"');
    expect(sectionOf(body, "reps").rows.map((r) => r[0])).toContain("<script>alert('rep')</script>");
    expect(sectionOf(body, "sources").rows.map((r) => r[0])).toContain('"><script>alert("source")</script>');
    expect(body).toContain("&lt;script&gt;alert(&#39;rep&#39;)&lt;/script&gt;");
    expect(body).toContain('value="&quot;&gt;&lt;script&gt;alert(&quot;period&quot;)&lt;/script&gt;"');
  });
});
