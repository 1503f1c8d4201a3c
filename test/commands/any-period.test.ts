import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import type { Member, Workspace } from "../../src/sales/deps.js";
import type { SalesService } from "../../src/sales/sales-service.js";
import { createTestSales, runText, seedMember, seedWorkspace } from "../fixtures/sales.js";
import { openTestDatabase } from "../support/db.js";

/*
 * Issue 11, "Any period" and "Goals for any period": every command that takes a period reads every
 * form, as the shell runs it, and its reply names the days the period covers. On Wednesday
 * 18 November 2026 in Paris, with alice's wins on 15 October (€12,000), 5 November (€5,000) and
 * 17 November (€3,000), an open deal expected on 25 November and one on 10 December.
 */

let db: Database;
let sales: SalesService;

beforeAll(async () => {
  db = await openTestDatabase();
  ({ sales } = createTestSales(db, "2026-11-18T10:00:00Z"));
});
afterAll(() => db.close());

/** French money and percentages carry no-break spaces; the tests read them as plain spaces. */
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");

interface Team {
  ws: Workspace;
  admin: Member;
  alice: Member;
  /** Manager of team North, alice's team. */
  nina: Member;
  /** A rep of team South. */
  sam: Member;
  say(line: string, as?: Member): Promise<string>;
}

async function team(locale: "en" | "fr" = "en"): Promise<Team> {
  const ws = await seedWorkspace(sales, { timezone: "Europe/Paris", locale, currency: "EUR" });
  const admin = await seedMember(sales, ws, "admin", "admin");
  const say = async (line: string, as: Member = admin) => plain(await runText(sales, ws, as, line));
  await say("/closer team add North @alice @nina");
  await say("/closer team add South @sam");
  await say("/closer role @nina manager");
  const alice = await sales.members.findMember(ws, "alice");
  const nina = await sales.members.findMember(ws, "nina");
  const sam = await sales.members.findMember(ws, "sam");
  if (!alice || !nina || !sam) throw new Error("members not created");
  for (const [amount, customer, closed] of [
    ["12k", "Acme", "2026-10-15"],
    ["5k", "Globex", "2026-11-05"],
    ["3k", "Initech", "2026-11-17"],
  ] as const) {
    const logged = await say(`/deal log ${amount} ${customer}`, alice);
    const number = /#(\d+)/.exec(logged)?.[1];
    await say(`/deal won #${number} closed:${closed}`, alice);
  }
  await say("/deal log 10k Umbrella stage:proposal close:2026-11-25", alice);
  await say("/deal log 20k Hooli stage:negotiation close:2026-12-10", alice);
  return { ws, admin, alice, nina, sam, say };
}

describe("GIVEN /kpi and /leaderboard with any period", () => {
  let t: Team;
  beforeAll(async () => {
    t = await team();
  });

  it.each([
    ["/kpi last month", "KPIs · October 2026 (1 Oct – 31 Oct) · company", "Won: €12,000 · deals: 1"],
    ["/kpi 2026-10", "KPIs · October 2026 (1 Oct – 31 Oct) · company", "Won: €12,000 · deals: 1"],
    ["/kpi 2026-11-01..2026-11-10", "KPIs · 1 Nov – 10 Nov 2026 · company", "Won: €5,000 · deals: 1"],
    ["/kpi 2026-11-01 .. 2026-11-17", "KPIs · 1 Nov – 17 Nov 2026 · company", "Won: €8,000 · deals: 2"],
    ["/kpi 2026-11-17", "KPIs · 17 Nov 2026 · company", "Won: €3,000 · deals: 1"],
    ["/kpi last week", "KPIs · 9 Nov – 15 Nov 2026 · company", "Won: €0 · deals: 0"],
    ["/kpi 2026-Q3", "KPIs · Q3 2026 (1 Jul – 30 Sep) · company", "Won: €0 · deals: 0"],
    ["/kpi next quarter", "KPIs · Q1 2027 (1 Jan – 31 Mar) · company", "Won: €0 · deals: 0"],
    ["/kpi month", "KPIs · This month · company", "Won: €8,000 · deals: 2"],
    ["/kpi Q4", "KPIs · This quarter · company", "Won: €20,000 · deals: 3"],
    ["/kpi FY2026", "KPIs · This year · company", "Won: €20,000 · deals: 3"],
    ["/kpi last year", "KPIs · 2025 (1 Jan – 31 Dec) · company", "Won: €0 · deals: 0"],
    ["/kpi @alice last month", "KPIs · October 2026 (1 Oct – 31 Oct) · alice", "Won: €12,000 · deals: 1"],
    ["/kpi lost last month team:North", "Lost reasons · October 2026 (1 Oct – 31 Oct) · North", ""],
  ])("GIVEN %j THEN the title names the days and the figures are theirs", async (line, title, figure) => {
    const reply = await t.say(line);
    expect(reply.split("\n")[0]).toBe(title);
    expect(reply).toContain(figure);
  });

  it("GIVEN a next month's KPIs THEN the weighted pipeline is the deals expected then", async () => {
    expect(await t.say("/kpi next month")).toContain("Weighted pipeline: €15,000");
    expect(await t.say("/kpi month")).toContain("Weighted pipeline: €5,000");
  });

  it("GIVEN /leaderboard of last month or of a range THEN it ranks the wins of those days", async () => {
    expect(await t.say("/leaderboard last month")).toBe(
      [
        "🏆 Leaderboard · October 2026 (1 Oct – 31 Oct) · revenue",
        "  #  Rep    Revenue  Deals",
        "  -  -----  -------  -----",
        "  🥇  alice  €12,000  1",
      ].join("\n"),
    );
    const range = await t.say("/leaderboard 2026-11-01..2026-11-10 metric:deals");
    expect(range.split("\n")[0]).toBe("🏆 Leaderboard · 1 Nov – 10 Nov 2026 · deals won");
    expect(range).toContain("alice  €5,000   1");
    expect(await t.say("/leaderboard next year")).toContain("No deals won in this period yet.");
  });

  it("GIVEN a French workspace THEN French periods are read and the days named the French way", async () => {
    const fr = await team("fr");
    expect((await fr.say("/kpi mois dernier")).split("\n")[0]).toBe(
      "Indicateurs · octobre 2026 (du 1er au 31 octobre) · entreprise",
    );
    expect((await fr.say("/kpi 2026-T3")).split("\n")[0]).toBe(
      "Indicateurs · T3 2026 (du 1er juillet au 30 septembre) · entreprise",
    );
    expect((await fr.say("/kpi 01/11/2026..10/11/2026")).split("\n")[0]).toBe(
      "Indicateurs · du 1er au 10 novembre 2026 · entreprise",
    );
    expect((await fr.say("/kpi semaine dernière")).split("\n")[0]).toBe(
      "Indicateurs · du 9 au 15 novembre 2026 · entreprise",
    );
    expect((await fr.say("/leaderboard trimestre prochain")).split("\n")[0]).toBe(
      "🏆 Classement · T1 2027 (du 1er janvier au 31 mars) · chiffre d’affaires",
    );
    // English forms work in a French workspace, and French ones in an English one.
    expect((await fr.say("/kpi last month")).split("\n")[0]).toContain("octobre 2026");
    expect((await t.say("/kpi trimestre dernier")).split("\n")[0]).toBe(
      "KPIs · Q3 2026 (1 Jul – 30 Sep) · company",
    );
  });

  it("GIVEN a fiscal year from April THEN Q1, 2026-Q3 and FY2026 are the workspace's fiscal periods", async () => {
    const fiscal = await team();
    await fiscal.say("/closer config set fiscal_year_start 4");
    expect((await fiscal.say("/kpi Q1")).split("\n")[0]).toBe(
      "KPIs · Q1 FY2026 (1 Apr – 30 Jun 2026) · company",
    );
    expect((await fiscal.say("/kpi 2026-Q4")).split("\n")[0]).toBe(
      "KPIs · Q4 FY2026 (1 Jan – 31 Mar 2027) · company",
    );
    expect((await fiscal.say("/kpi FY2025")).split("\n")[0]).toBe(
      "KPIs · FY2025 (1 Apr 2025 – 31 Mar 2026) · company",
    );
    expect((await fiscal.say("/kpi quarter")).split("\n")[0]).toBe("KPIs · This quarter · company");
  });

  it("GIVEN a bad period THEN the refusal gives examples and the usage", async () => {
    expect(await t.say("/kpi fortnight")).toBe(
      [
        "! “fortnight” is not a period. Try month, last month, next quarter, 2026-11, 2026-Q3, Q3, FY2026 or 2026-11-01..2026-11-15.",
        "  Usage: /kpi [period] [@rep|team:<name>|company] [summary|sources|lost|chart|activity|products]",
      ].join("\n"),
    );
  });

  it("GIVEN /kpi of a period with a mention of nobody THEN nobody is created", async () => {
    expect(await t.say("/kpi last month @nobody")).toContain("There is no member nobody.");
    expect(await sales.members.findMember(t.ws, "nobody")).toBeNull();
  });
});

describe("GIVEN goals for any period", () => {
  it("GIVEN /goal set for next month, a quarter of next year, FY2027 and T1 THEN each is stored for its period", async () => {
    const t = await team();
    expect(await t.say("/goal set 60k @alice next month")).toBe(
      "Goal set for alice\n  December 2026 (1 Dec – 31 Dec) · alice: target €60,000, not started yet",
    );
    expect(await t.say("/goal set 200k team:North 2027-Q1")).toBe(
      "Goal set for North\n  Q1 2027 (1 Jan – 31 Mar) · North: target €200,000, not started yet",
    );
    expect(await t.say("/goal set 1M company FY2027")).toBe(
      "Goal set for company\n  2027 (1 Jan – 31 Dec) · company: target €1,000,000, not started yet",
    );
    // A manager corrects last month's goal: it is over, so its pace is its final attainment.
    expect(await t.say("/goal set 10k company last month")).toBe(
      "Goal set for company\n  October 2026 (1 Oct – 31 Oct) · company: €12,000 of €10,000 (120%), final",
    );
    expect(await t.say("/goal set 30k company T1")).toContain(
      "Q1 2026 (1 Jan – 31 Mar) · company: €0 of €30,000",
    );
    expect(await t.say("/goal set 12 company Q4 metric:deals")).toBe(
      "Goal set for company\n  This quarter · company: 3 of 12 (25%), pace 47%",
    );
    const goals = await db.prisma.goal.findMany({
      where: { workspaceId: t.ws.id },
      orderBy: { id: "asc" },
      select: { scope: true, periodKind: true, periodStart: true, metric: true, target: true },
    });
    expect(
      goals.map((g) => `${g.scope} ${g.metric} ${g.periodKind} ${g.periodStart.toISOString().slice(0, 10)}`),
    ).toEqual([
      "member revenue month 2026-12-01",
      "team revenue quarter 2027-01-01",
      "company revenue year 2027-01-01",
      "company revenue month 2026-10-01",
      "company revenue quarter 2026-01-01",
      "company deals quarter 2026-10-01",
    ]);
  });

  it("GIVEN /goal with a period THEN the goals of that period are shown, with its days in the title", async () => {
    const t = await team();
    await t.say("/goal set 60k @alice next month");
    await t.say("/goal set 100k team:North next month");
    await t.say("/goal set 20k @alice month");
    expect(await t.say("/goal @alice next month")).toBe(
      [
        "Goals: alice · December 2026 (1 Dec – 31 Dec)",
        "  December 2026 (1 Dec – 31 Dec) · alice: target €60,000, not started yet",
        "  December 2026 (1 Dec – 31 Dec) · team: target €100,000, not started yet",
      ].join("\n"),
    );
    expect(await t.say("/goal @alice")).toBe(
      "Goals: alice\n  This month · alice: €8,000 of €20,000 (40%), pace 69% · next milestone 50%",
    );
    expect(await t.say("/goal company last month")).toBe(
      "Goals: company · October 2026 (1 Oct – 31 Oct)\n  No goal for this period yet. A manager can set one with /goal set.",
    );
    expect(await t.say("/goal team:North mois prochain")).toContain("December 2026 (1 Dec – 31 Dec) · team");
  });

  it("GIVEN a week, a day or a range THEN no goal is set for it, and the refusal says which periods are", async () => {
    const t = await team();
    for (const period of ["week", "next week", "today", "2026-11-01..2026-11-15"]) {
      expect(await t.say(`/goal set 10k company ${period}`)).toContain(
        `Goals are for a month, a quarter or a year, not “${period}”.`,
      );
    }
    expect(await db.prisma.goal.count({ where: { workspaceId: t.ws.id } })).toBe(0);
  });

  it("GIVEN a French workspace THEN mois prochain, 2027-T1 and EX2027 set goals, named in French", async () => {
    const t = await team("fr");
    expect(await t.say("/goal set 60k @alice mois prochain")).toBe(
      "Objectif fixé pour alice\n  Décembre 2026 (du 1er au 31 décembre) · alice : objectif 60 000 €, pas encore commencé",
    );
    expect(await t.say("/goal set 200k team:North 2027-T1")).toContain(
      "T1 2027 (du 1er janvier au 31 mars) · North : objectif 200 000 €",
    );
    expect(await t.say("/goal set 10k entreprise mois dernier")).toContain(
      "Octobre 2026 (du 1er au 31 octobre) · entreprise : 12 000 € sur 10 000 € (120 %), bilan final",
    );
    expect(await t.say("/goal set 1M entreprise EX2027")).toContain("2027 (du 1er janvier au 31 décembre)");
  });
});

describe("GIVEN /goal delete", () => {
  it("GIVEN goals of a period THEN it deletes them and says what; again, that there was none", async () => {
    const t = await team();
    await t.say("/goal set 60k @alice next month");
    await t.say("/goal set 8 @alice next month metric:deals");
    await t.say("/goal set 20k @alice month");
    expect(await t.say("/goal delete @alice next month metric:deals")).toBe(
      "Goals deleted: alice\n  December 2026 (1 Dec – 31 Dec) · deals won: 8",
    );
    expect(await t.say("/goal delete @alice next month")).toBe(
      "Goals deleted: alice\n  December 2026 (1 Dec – 31 Dec) · revenue: €60,000",
    );
    expect(await t.say("/goal delete @alice next month")).toBe(
      "Goals: alice\n  No goal for alice in December 2026 (1 Dec – 31 Dec): nothing was deleted.",
    );
    expect(await t.say("/goal delete @alice 2026-12 metric:deals")).toBe(
      "Goals: alice\n  No goal (deals won) for alice in December 2026 (1 Dec – 31 Dec): nothing was deleted.",
    );
    // This month's goal is untouched, and named as this month when deleted.
    expect(await t.say("/goal delete @alice month")).toBe(
      "Goals deleted: alice\n  This month · revenue: €20,000",
    );
    expect(await db.prisma.goal.count({ where: { workspaceId: t.ws.id } })).toBe(0);
  });

  it("GIVEN no metric THEN every metric's goal of the scope and period goes, and only those", async () => {
    const t = await team();
    await t.say("/goal set 200k company 2027-Q1");
    await t.say("/goal set 40 company 2027-Q1 metric:deals");
    await t.say("/goal set 70k company 2027-01");
    await t.say("/goal set 90k team:North 2027-Q1");
    expect(await t.say("/goal delete company 2027-Q1")).toBe(
      [
        "Goals deleted: company",
        "  Q1 2027 (1 Jan – 31 Mar) · revenue: €200,000",
        "  Q1 2027 (1 Jan – 31 Mar) · deals won: 40",
      ].join("\n"),
    );
    const left = await db.prisma.goal.findMany({
      where: { workspaceId: t.ws.id },
      select: { scope: true, periodKind: true },
    });
    expect(left).toEqual(
      expect.arrayContaining([
        { scope: "company", periodKind: "month" },
        { scope: "team", periodKind: "quarter" },
      ]),
    );
    expect(left).toHaveLength(2);
  });

  it("GIVEN who may set a goal THEN only they may delete it; a refusal deletes nothing", async () => {
    const t = await team();
    await t.say("/goal set 60k @alice next month");
    await t.say("/goal set 90k team:North next month");
    await t.say("/goal set 80k team:South next month");
    await t.say("/goal set 500k company next month");
    const count = () => db.prisma.goal.count({ where: { workspaceId: t.ws.id } });

    expect(await t.say("/goal delete team:North next month", t.alice)).toBe(
      "! Only a manager or an admin can do that.",
    );
    expect(await t.say("/goal delete company next month", t.nina)).toBe(
      "! A manager sets goals only for their own team and its members; ask an admin for the others.",
    );
    expect(await t.say("/goal delete team:South next month", t.nina)).toContain("only for their own team");
    expect(await t.say("/goal delete @sam next month", t.nina)).toContain("only for their own team");
    expect(await count()).toBe(4);

    expect(await t.say("/goal delete @alice next month", t.nina)).toContain("Goals deleted: alice");
    expect(await t.say("/goal delete team:North next month", t.nina)).toContain("Goals deleted: North");
    expect(await t.say("/goal delete company next month")).toContain("Goals deleted: company");
    expect(await count()).toBe(1);
  });

  it("GIVEN a mention of nobody THEN it is refused and nobody is created", async () => {
    const t = await team();
    expect(await t.say("/goal delete @ghost next month")).toBe("! There is no member ghost.");
    expect(await sales.members.findMember(t.ws, "ghost")).toBeNull();
  });

  it("GIVEN a French workspace THEN the answers are French", async () => {
    const t = await team("fr");
    await t.say("/goal set 60k @alice mois prochain");
    expect(await t.say("/goal delete @alice mois prochain")).toBe(
      "Objectifs supprimés : alice\n  décembre 2026 (du 1er au 31 décembre) · chiffre d’affaires : 60 000 €",
    );
    expect(await t.say("/goal delete @alice mois prochain")).toBe(
      "Objectifs : alice\n  Aucun objectif pour alice sur décembre 2026 (du 1er au 31 décembre) : rien n’a été supprimé.",
    );
  });
});

describe("GIVEN /forecast of any current or later period", () => {
  it("GIVEN next month THEN only the deals expected then are weighted (€20,000 at 75%), against next month's goal, not started", async () => {
    const t = await team();
    await t.say("/goal set 40k company next month");
    expect(await t.say("/forecast next month")).toBe(
      [
        "Forecast · December 2026 (1 Dec – 31 Dec) · company",
        "  Won so far: €0 (0% of goal)",
        "  Period elapsed: 0%",
        "  Run-rate forecast: Not started yet",
        "  Weighted open pipeline: €15,000",
        "  Weighted forecast: €15,000 (38% of goal)",
        "  December 2026 (1 Dec – 31 Dec) · company: target €40,000, not started yet",
      ].join("\n"),
    );
  });

  it("GIVEN this month THEN the reply is as before", async () => {
    const t = await team();
    const reply = await t.say("/forecast month");
    expect(reply.split("\n")[0]).toBe("Forecast · This month · company");
    expect(reply).toContain("Weighted open pipeline: €5,000");
  });

  it("GIVEN a week, a range or FY2027 THEN it forecasts them too", async () => {
    const t = await team();
    expect((await t.say("/forecast next week")).split("\n")[0]).toBe(
      "Forecast · 23 Nov – 29 Nov 2026 · company",
    );
    expect(await t.say("/forecast next week")).toContain("Weighted open pipeline: €5,000");
    expect((await t.say("/forecast 2026-11-15..2026-12-31")).split("\n")[0]).toBe(
      "Forecast · 15 Nov – 31 Dec 2026 · company",
    );
    expect((await t.say("/forecast FY2027")).split("\n")[0]).toBe(
      "Forecast · 2027 (1 Jan – 31 Dec) · company",
    );
  });

  it.each([
    ["/forecast last month", "“last month” is over"],
    ["/forecast 2026-Q3", "“2026-Q3” is over"],
    ["/forecast 2026-11-01..2026-11-17", "“2026-11-01..2026-11-17” is over"],
    ["/forecast yesterday", "“yesterday” is over"],
  ])("GIVEN a past period %j THEN it is refused, pointing at /kpi", async (line, said) => {
    const t = await team();
    const reply = await t.say(line);
    expect(reply).toContain(said);
    expect(reply).toContain("a forecast is for the current period or a later one");
    expect(reply).toContain("shows how it went");
  });

  it("GIVEN a French workspace THEN a past period is refused in French", async () => {
    const t = await team("fr");
    expect(await t.say("/forecast trimestre dernier")).toContain(
      "La période « trimestre dernier » est terminée : une prévision porte sur la période en cours ou une suivante",
    );
    expect((await t.say("/forecast mois prochain")).split("\n")[0]).toBe(
      "Prévision · décembre 2026 (du 1er au 31 décembre) · entreprise",
    );
  });
});
