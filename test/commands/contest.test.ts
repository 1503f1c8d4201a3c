import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import type { Member, Workspace } from "../../src/sales/deps.js";
import type { SalesService } from "../../src/sales/sales-service.js";
import {
  createTestSales,
  type FixedClock,
  run,
  runText,
  seedDeal,
  seedMember,
  seedWorkspace,
} from "../fixtures/sales.js";
import { openTestDatabase } from "../support/db.js";

let db: Database;
let sales: SalesService;
let clock: FixedClock;

beforeAll(async () => {
  db = await openTestDatabase();
  ({ sales, clock } = createTestSales(db));
});
afterAll(() => db.close());

async function winAt(ws: Workspace, rep: Member, at: string, euros: number) {
  clock.set(at);
  const deal = await seedDeal(sales, ws, rep, { amount: BigInt(euros * 100), customer: `C${at}${euros}` });
  await sales.deals.winDeal(ws, rep, deal.number);
}

/** A reply as the shell prints it: its title, then each line indented. */
const printed = (title: string, ...lines: string[]) => [title, ...lines.map((l) => `  ${l}`)].join("\n");

async function given(locale: "en" | "fr" = "en") {
  clock.set("2026-11-30T10:00:00Z");
  const ws = await seedWorkspace(sales, { timezone: "Europe/Paris", locale });
  const admin = await seedMember(sales, ws, "admin", "admin");
  const alice = await seedMember(sales, ws, "alice", "rep");
  const bob = await seedMember(sales, ws, "bob", "rep");
  return { ws, admin, alice, bob };
}

describe("/contest", () => {
  it("GIVEN a contest created, wins and then /contest show THEN the standings give the gap to the leader, the time left, the prize and the tie rule", async () => {
    const { ws, admin, alice, bob } = await given();
    const created = await runText(
      sales,
      ws,
      admin,
      '/contest create "December sprint" metric:revenue from:2026-12-01 to:2026-12-15 prize:"A day off"',
    );
    expect(created).toBe(
      printed(
        "🏁 Contest “December sprint” created",
        "Ranked by revenue won: deals won between these dates, in the workspace's time zone.",
        "Everyone takes part.",
        "From Dec 1, 2026 to Dec 15, 2026, both included.",
        "Prize: A day off",
        "Ties: whoever reached the score first ranks ahead; reached at the same moment, the place is shared.",
        "Starts Dec 1, 2026, in 1 day",
      ),
    );
    await winAt(ws, alice, "2026-12-02T10:00:00Z", 5_000);
    await winAt(ws, bob, "2026-12-03T10:00:00Z", 3_000);
    clock.set("2026-12-13T10:00:00Z");
    const shown = await runText(sales, ws, bob, "/contest show december SPRINT");
    expect(shown).toBe(
      printed(
        "🏆 December sprint",
        "3 days left, ends Dec 15, 2026",
        "Ranked by revenue won: deals won between these dates, in the workspace's time zone.",
        "Everyone takes part.",
        "From Dec 1, 2026 to Dec 15, 2026, both included.",
        "Prize: A day off",
        "Ties: whoever reached the score first ranks ahead; reached at the same moment, the place is shared.",
        "1. alice · €5,000",
        "2. bob · €3,000 · €2,000 behind the leader",
      ),
    );
    // The admin has not scored: the answer says how far the leader is.
    expect(await runText(sales, ws, admin, "/contest show December sprint")).toContain(
      "You: nothing yet, €5,000 behind the leader",
    );
    expect(await runText(sales, ws, bob, "/contest")).toBe(
      printed(
        "Contests",
        "December sprint · revenue · Dec 1, 2026 – Dec 15, 2026 · 3 days left, ends Dec 15, 2026",
      ),
    );
    const refused = await run(sales, ws, bob, "/contest cancel December sprint");
    expect([refused.tone, refused.lines.join("\n")]).toEqual([
      "error",
      "Only a manager or an admin can run a contest.",
    ]);
    const cancelled = await run(sales, ws, admin, "/contest cancel December sprint");
    expect([cancelled.visibility, cancelled.title]).toEqual([
      "public",
      "Contest “December sprint” cancelled",
    ]);
    expect(await runText(sales, ws, bob, "/contest")).toBe(
      printed("Contests", "No contest running or coming. Create one with /contest create."),
    );
  });

  it("GIVEN a French workspace THEN contests are created, shown and refused in French", async () => {
    const { ws, admin, alice } = await given("fr");
    await run(sales, ws, admin, "/closer team add Nord @alice");
    const created = await runText(
      sales,
      ws,
      admin,
      "/contest create «\u202fSprint de décembre\u202f» indicateur:atteinte du:01/12/2026 au:2026-12-10 équipes",
    );
    expect(created.split("\n").slice(0, 4)).toEqual([
      "🏁 Challenge «\u202fSprint de décembre\u202f» créé",
      "  Classement à l’atteinte\u202f: le chiffre gagné entre ces dates rapporté à l’objectif de chacun sur ces jours, si bien qu’un petit quota peut gagner.",
      "  Équipe contre équipe\u202f: chaque équipe marque la moyenne de ses membres, sa taille ne décide donc de rien.",
      "  Du 1er déc. 2026 au 10 déc. 2026 inclus.",
    ]);
    await run(sales, ws, admin, "/goal set 3100 @alice 2026-12");
    await winAt(ws, alice, "2026-12-02T10:00:00Z", 500);
    clock.set("2026-12-04T10:00:00Z");
    const shown = await runText(sales, ws, alice, "/contest show sprint de decembre");
    expect(shown).toMatch(/Encore 7\sjours, fin le 10 déc\. 2026/u);
    expect(shown).toMatch(/1\. Nord · 50\s%/u);
    const past = await runText(
      sales,
      ws,
      admin,
      "/contest create Novembre indicateur:chiffre du:2026-11-01 au:2026-11-30",
    );
    expect(past).toContain("Un challenge ne peut pas commencer dans le passé (2026-11-01)");
    const rep = await runText(
      sales,
      ws,
      alice,
      "/contest create Janvier indicateur:affaires du:2027-01-04 au:2027-01-08 prix:«\u202fun resto\u202f»",
    );
    expect(rep).toContain("Seul un manager ou un admin peut organiser un challenge.");
    expect(await db.prisma.contest.count({ where: { workspaceId: ws.id } })).toBe(1);
  });

  it("GIVEN a manager who leads a team THEN their contest is their team's, and another team's is refused", async () => {
    const { ws, admin, alice, bob } = await given();
    await run(sales, ws, admin, "/closer team add North @alice @mia");
    await run(sales, ws, admin, "/closer team add South @bob");
    await run(sales, ws, admin, "/closer role @mia manager");
    const mia = (await sales.members.findMember(ws, "mia")) as Member;
    const own = await runText(
      sales,
      ws,
      mia,
      "/contest create Push metric:deals from:2026-12-01 to:2026-12-05",
    );
    expect(own).toContain("Among the members of North.");
    const other = await runText(
      sales,
      ws,
      mia,
      "/contest create South push metric:deals from:2026-12-01 to:2026-12-05 for:team:South",
    );
    expect(other).toContain("A manager runs contests within their own team");
    await winAt(ws, alice, "2026-12-02T10:00:00Z", 10);
    await winAt(ws, bob, "2026-12-02T11:00:00Z", 10);
    expect(await runText(sales, ws, mia, "/contest show Push")).toContain("1. alice · 1");
    expect(await runText(sales, ws, mia, "/contest show Push")).not.toContain("bob");
  });

  it("GIVEN contest_channel THEN config show lists it, as the wins channel while unset", async () => {
    const { ws, admin } = await given();
    expect(await runText(sales, ws, admin, "/closer config show")).toContain("contest_channel");
    expect(await runText(sales, ws, admin, "/closer config show")).toMatch(
      /contest_channel\s*\|?\s*the wins channel/,
    );
    expect(await runText(sales, ws, admin, "/closer config set contest_channel #contests")).toBe(
      "contest_channel is now contests",
    );
    expect(await runText(sales, ws, admin, "/closer config set contest_channel none")).toBe(
      "contest_channel is now the wins channel",
    );
  });
});
