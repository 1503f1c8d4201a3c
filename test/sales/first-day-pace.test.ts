import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderDigest } from "../../src/announcements/digest.js";
import type { Database } from "../../src/db/client.js";
import { speakerFor } from "../../src/messages/speaker.js";
import { renderText } from "../../src/platforms/shell/render-text.js";
import type { Workspace } from "../../src/sales/deps.js";
import { periodContaining } from "../../src/sales/periods/period.js";
import { COMPANY } from "../../src/sales/scope.js";
import { calendarOf } from "../../src/sales/workspaces/workspace-service.js";
import { createTestSales, runText, seedMember, seedRep, seedWorkspace } from "../fixtures/sales.js";
import { openTestDatabase } from "../support/db.js";

// Issue 11: a win a few hours into a month read as "pace 3,600%". Pace and run-rate wait until the
// period's first working day (workspace zone and working days) is over.
describe("pace and run-rate on a period's first working day", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db.close());

  /** alice, with a €10,000 goal for the month, wins €5,000 at `now` in a Paris workspace. */
  async function halfwayWin(now: string, locale: "en" | "fr" = "en") {
    const { sales } = createTestSales(db, now);
    let ws: Workspace = await seedWorkspace(sales, { timezone: "Europe/Paris", locale, currency: "EUR" });
    const admin = await seedMember(sales, ws, "admin", "admin");
    ws = await sales.workspaces.setConfig(ws, admin, "wins_channel", "#wins");
    const alice = await seedRep(sales, ws, "alice");
    await sales.goals.setGoal(ws, admin, { scope: "member", member: alice }, "revenue", "month", 1_000_000n);
    const { deal } = await sales.deals.logDeal(ws, alice, { amount: 500_000n, customer: "Acme" });
    await sales.deals.winDeal(ws, alice, deal.number);
    const wins = await db.prisma.outbox.findMany({ where: { workspaceId: ws.id, kind: "win" } });
    const celebration = wins.flatMap((w) => (w.payload as { lines: string[] }).lines).join("\n");
    return { sales, ws, admin, alice, celebration };
  }
  // French formatting uses narrow no-break spaces; compare with plain ones.
  const plain = (text: string) => text.replace(/[\u202f\u00a0]/g, " ");

  it("GIVEN a win on Monday 1 June 10:00 in Paris THEN /goal, the celebration and /forecast say it is too early", async () => {
    const { sales, ws, admin, celebration } = await halfwayWin("2026-06-01T08:00:00Z");
    expect(celebration).toContain("This month · alice: €5,000 of €10,000 (50%), too early to judge the pace");
    expect(await runText(sales, ws, admin, "/goal @alice")).toContain(
      "This month · alice: €5,000 of €10,000 (50%), too early to judge the pace",
    );
    const forecast = await runText(sales, ws, admin, "/forecast month");
    expect(forecast).toMatch(/Run-rate forecast\W+Too early to tell/);
    expect(`${celebration}\n${forecast}`).not.toMatch(/pace \d|3,600%/);
  });

  it("GIVEN the same win in a French workspace THEN « trop tôt » instead of a percentage", async () => {
    const { sales, ws, admin, celebration } = await halfwayWin("2026-06-01T08:00:00Z", "fr");
    expect(plain(celebration)).toContain(
      "Ce mois-ci · alice : 5 000 € sur 10 000 € (50 %), trop tôt pour juger du rythme",
    );
    expect(plain(await runText(sales, ws, admin, "/goal @alice"))).toContain("trop tôt pour juger du rythme");
    expect(plain(await runText(sales, ws, admin, "/forecast mois"))).toMatch(
      /Prévision au rythme actuel\W+Trop tôt pour le dire/,
    );
  });

  it("GIVEN the second working day THEN pace and run-rate show as before", async () => {
    // Tuesday 2 June 10:00 in Paris: 34 hours of the 720 in June are gone.
    const { sales, ws, admin, celebration } = await halfwayWin("2026-06-02T08:00:00Z");
    const pace = "This month · alice: €5,000 of €10,000 (50%), pace 1,059%";
    expect(celebration).toContain(pace);
    expect(await runText(sales, ws, admin, "/goal @alice")).toContain(pace);
    const f = await sales.forecast.forecast(
      ws,
      periodContaining("month", new Date("2026-06-02T08:00:00Z"), calendarOf(ws)),
      COMPANY,
      null,
    );
    expect(f.runRate).toBe(BigInt(Math.round(500_000 / (34 / 720))));
  });

  it("GIVEN a month that starts on a Saturday THEN it is too early until its first working day, Monday, is over", async () => {
    // August 2026 starts on Saturday the 1st; with mon-fri, Monday the 3rd is its first working day.
    const { sales, ws, clock } = await (async () => {
      const t = createTestSales(db, "2026-08-03T13:00:00Z");
      const ws = await seedWorkspace(t.sales, { timezone: "Europe/Paris", currency: "EUR" });
      const admin = await seedMember(t.sales, ws, "admin", "admin");
      await t.sales.goals.setGoal(ws, admin, { scope: "company" }, "revenue", "month", 1_000_000n);
      return { ...t, ws };
    })();
    expect((await sales.goals.progress(ws, { scope: "company" }))[0]?.pace).toBeNull();
    clock.set("2026-08-03T21:59:00Z"); // 23:59 on Monday in Paris
    expect((await sales.goals.progress(ws, { scope: "company" }))[0]?.pace).toBeNull();
    clock.set("2026-08-03T22:00:00Z"); // midnight: Monday is over
    expect((await sales.goals.progress(ws, { scope: "company" }))[0]?.pace).toBe(0);
  });

  it("GIVEN the digest on Monday 1 June THEN its goal says it is too early and nobody is behind; on Tuesday it is paced", async () => {
    const { sales, ws, admin } = await halfwayWin("2026-06-01T07:00:00Z");
    await sales.goals.setGoal(ws, admin, COMPANY, "revenue", "month", 4_000_000n);
    const slow = await seedRep(sales, ws, "slow");
    await sales.goals.setGoal(ws, admin, { scope: "member", member: slow }, "revenue", "month", 1_000_000n);
    const monday = renderText(renderDigest(speakerFor(ws), await sales.digest.computeDigest(ws, null)));
    expect(monday).toContain("Goal €40,000: 13%, too early to judge the pace");
    expect(monday).not.toContain("slow");
    const fr = plain(
      renderText(
        renderDigest(speakerFor({ ...ws, locale: "fr" }), await sales.digest.computeDigest(ws, null)),
      ),
    );
    expect(fr).toContain("Objectif 40 000 € : 13 %, trop tôt pour juger du rythme");
    const tuesday = createTestSales(db, "2026-06-02T07:00:00Z").sales;
    const paced = renderText(renderDigest(speakerFor(ws), await tuesday.digest.computeDigest(ws, null)));
    expect(paced).toMatch(/Goal €40,000: 13%, pace \d/);
    expect(paced).toContain("slow");
  });
});
