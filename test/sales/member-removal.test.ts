import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { remindersOf } from "../../src/announcements/reminders.js";
import type { Database } from "../../src/db/client.js";
import type { Member, Workspace } from "../../src/sales/deps.js";
import { periodContaining } from "../../src/sales/periods/period.js";
import type { SalesService } from "../../src/sales/sales-service.js";
import { calendarOf } from "../../src/sales/workspaces/workspace-service.js";
import {
  createTestSales,
  run,
  runText,
  seedDeal,
  seedMember,
  seedRep,
  seedWorkspace,
} from "../fixtures/sales.js";
import { openTestDatabase } from "../support/db.js";

describe("removing a member", () => {
  let db: Database;
  let sales: SalesService;
  beforeAll(async () => {
    db = await openTestDatabase();
    sales = createTestSales(db).sales;
  });
  afterAll(() => db.close());

  async function team(locale: "en" | "fr" = "en") {
    const ws = await seedWorkspace(sales, { locale });
    const admin = await seedMember(sales, ws, "admin", "admin");
    const alice = await seedRep(sales, ws, "alice");
    const bob = await seedRep(sales, ws, "bob");
    const marie = await seedMember(sales, ws, "marie", "manager");
    const paul = await seedMember(sales, ws, "paul", "manager");
    await run(sales, ws, admin, "/closer team add North @alice @marie");
    await run(sales, ws, admin, "/closer team add South @bob @paul");
    const fresh = (m: Member) => sales.members.getMemberById(ws, m.id);
    return {
      ws,
      admin,
      alice: await fresh(alice),
      bob: await fresh(bob),
      marie: await fresh(marie),
      paul: await fresh(paul),
      fresh,
    };
  }

  const member = (ws: Workspace, name: string) =>
    db.prisma.member.findFirst({ where: { workspaceId: ws.id, platformUserId: name } });

  it("GIVEN a removed rep THEN the answer lists their open deals, and their commands and mentions are refused", async () => {
    const { ws, admin, alice, fresh } = await team();
    const open = await seedDeal(sales, ws, alice, { amount: 500_000n, customer: "Acme", stage: "proposal" });
    const won = await seedDeal(sales, ws, alice, { amount: 300_000n, customer: "Globex" });
    await sales.deals.winDeal(ws, alice, won.number, {});
    expect(await runText(sales, ws, admin, "/closer member remove @alice")).toBe(
      [
        "alice no longer takes part in Closer",
        "  Their past deals stay in the history and in their team's and the company's figures; /closer member restore brings them back.",
        "  1 open deal to hand over with /deal assign #n @someone:",
        `  #${open.number} Acme · €5,000 · proposal`,
      ].join("\n"),
    );
    const removed = await fresh(alice);
    expect(removed.active).toBe(false);
    expect(await runText(sales, ws, removed, "/kpi month")).toBe(
      "! You no longer take part in Closer; a manager or an admin can bring you back with /closer member restore.",
    );
    expect(await runText(sales, ws, removed, `/deal won #${open.number}`)).toContain(
      "You no longer take part",
    );
    expect(await runText(sales, ws, admin, `/deal assign #${open.number} @alice`)).toBe(
      "! alice no longer takes part in Closer; a manager or an admin can bring them back with /closer member restore.",
    );
    expect(await runText(sales, ws, admin, "/goal set 10k @alice month")).toContain(
      "alice no longer takes part",
    );
    expect(await db.prisma.goal.count({ where: { workspaceId: ws.id } })).toBe(0);
    expect(await runText(sales, ws, admin, `/deal assign #${open.number} @bob`)).not.toContain("!");
  });

  it("GIVEN a removed member THEN they leave the leaderboard, awards, top reps and morning reminders; their wins still count for team and company", async () => {
    const { ws, admin, alice, bob } = await team();
    const a = await seedDeal(sales, ws, alice, { amount: 900_000n, customer: "Acme" });
    await sales.deals.winDeal(ws, alice, a.number, {});
    const b = await seedDeal(sales, ws, bob, { amount: 100_000n, customer: "Globex" });
    await sales.deals.winDeal(ws, bob, b.number, {});
    await run(sales, ws, admin, "/goal set 5k @alice month");
    // Expected to close this week: on alice's focus list, so in her morning DM.
    await seedDeal(sales, ws, alice, { amount: 100_000n, customer: "Initech", closeDate: "2026-11-20" });
    const period = periodContaining("month", sales.clock.now(), calendarOf(ws));
    expect((await sales.leaderboard.leaderboard(ws, period, "revenue")).items.map((r) => r.name)).toEqual([
      "alice",
      "bob",
    ]);

    const before = await remindersOf(sales, ws, "2026-11-18");
    expect(before.map((n) => n.destination)).toContain("@alice");
    await run(sales, ws, admin, "/closer member remove @alice");
    expect(
      (await sales.leaderboard.leaderboard(ws, period, "revenue")).items.map((r) => [r.rank, r.name]),
    ).toEqual([[1, "bob"]]);
    const awards = await sales.awards.computeAwards(ws, period);
    expect(awards.topRevenue?.name).toBe("bob");
    expect(awards.biggestDeal?.name).toBe("bob");
    expect(awards.goalCrushers).toEqual([]);
    expect(awards.mostImproved?.name).toBe("bob");
    const digest = await sales.digest.computeDigest(ws, null);
    expect(digest.top.map((r) => r.name)).toEqual(["bob"]);
    expect(digest.kpis.wonRevenue).toBe(1_000_000n);
    const north = await sales.members.findTeam(ws, "North");
    expect((await sales.kpis.computeKpis(ws, period, { scope: "team", team: north })).wonRevenue).toBe(
      900_000n,
    );
    expect(await runText(sales, ws, admin, "/kpi month")).toContain("Won: €10,000 · deals: 2");
    expect(await runText(sales, ws, admin, "/kpi month @alice")).toContain("Won: €9,000 · deals: 1");
    expect(await runText(sales, ws, admin, "/leaderboard month")).not.toContain("alice");
    const round = await remindersOf(sales, ws, "2026-11-18");
    expect(round.map((n) => n.destination)).not.toContain("@alice");
    const list = await runText(sales, ws, admin, "/closer team list");
    expect(list).toContain("North · managers: marie · members: –");
    expect(list).toContain("Members: admin (admin), bob (rep), marie (manager), paul (manager)");
    expect(list).toContain("Removed members: alice (/closer member restore @member brings one back)");
  });

  it("GIVEN who removes whom THEN reps, another team's manager, a manager for an admin, and anyone for themselves are refused", async () => {
    const { ws, admin, alice, bob, marie } = await team();
    expect(await runText(sales, ws, bob, "/closer member remove @alice")).toBe(
      "! Only a manager or an admin can do that.",
    );
    expect(await runText(sales, ws, marie, "/closer member remove @bob")).toBe(
      "! Only an admin or bob's manager can do that.",
    );
    expect(await runText(sales, ws, marie, "/closer member remove @admin")).toBe(
      "! Only an admin can do that.",
    );
    expect(await runText(sales, ws, admin, "/closer member remove @admin")).toBe(
      "! You cannot remove yourself; ask another manager or an admin.",
    );
    expect(await runText(sales, ws, admin, "/closer member remove @nobody")).toBe(
      "! There is no member nobody.",
    );
    expect(await member(ws, "nobody")).toBeNull();
    expect(await runText(sales, ws, admin, "/closer member remove @alice @bob")).toContain(
      "is not understood",
    );
    expect((await member(ws, "bob"))?.active).toBe(true);
    expect(await runText(sales, ws, marie, "/closer member remove @alice")).toContain(
      "alice no longer takes part",
    );
    expect(await runText(sales, ws, marie, "/closer member remove @alice")).toBe(
      "! alice was already removed.",
    );
    expect((await member(ws, alice.platformUserId))?.active).toBe(false);
  });

  it("GIVEN a removed member brought back THEN they act again, with their role and team", async () => {
    const { ws, admin, alice, fresh } = await team();
    await run(sales, ws, admin, "/closer member remove @alice");
    expect(await runText(sales, ws, admin, "/closer member restore @alice")).toBe(
      "alice takes part in Closer again",
    );
    const back = await fresh(alice);
    expect(back).toMatchObject({ active: true, role: "rep", teamId: alice.teamId });
    expect(await runText(sales, ws, back, "/deal log 1k Acme")).toContain("logged");
    expect(await runText(sales, ws, admin, "/closer member restore @alice")).toBe("! alice was not removed.");
  });

  it("GIVEN a French workspace THEN removal, refusals and restore speak French", async () => {
    const { ws, admin, alice, fresh } = await team("fr");
    await seedDeal(sales, ws, alice, { amount: 500_000n, customer: "Dupont", stage: "proposal" });
    await seedDeal(sales, ws, alice, { amount: 200_000n, customer: "Martin" });
    const text = await runText(sales, ws, admin, "/closer member remove @alice");
    expect(text).toContain("alice ne fait plus partie de Closer");
    expect(text).toContain("2 affaires en cours à réattribuer avec /deal assign #n @quelqu’un\u202f:");
    expect(await runText(sales, ws, await fresh(alice), "/kpi")).toBe(
      "! Vous ne faites plus partie de Closer\u202f; un manager ou un admin peut vous réintégrer avec /closer member restore.",
    );
    expect(await runText(sales, ws, admin, "/closer member remove @admin")).toBe(
      "! Vous ne pouvez pas vous retirer vous-même\u202f; demandez à un autre manager ou à un admin.",
    );
    expect(await runText(sales, ws, admin, "/closer member restore @alice")).toBe(
      "alice fait de nouveau partie de Closer",
    );
  });

  it("GIVEN another workspace's member of the same name THEN removing changes nothing there", async () => {
    const a = await team();
    const b = await team();
    await run(sales, a.ws, a.admin, "/closer member remove @alice");
    expect((await b.fresh(b.alice)).active).toBe(true);
  });

  it("GIVEN two admins removing each other at once THEN one is removed and an admin remains", async () => {
    for (let round = 0; round < 5; round++) {
      const { ws, admin } = await team();
      const second = await seedMember(sales, ws, "second", "admin");
      const replies = await Promise.all([
        run(sales, ws, admin, "/closer member remove @second"),
        run(sales, ws, second, "/closer member remove @admin"),
      ]);
      expect(replies.filter((r) => r.tone === "error")).toHaveLength(1);
      const admins = await db.prisma.member.findMany({
        where: { workspaceId: ws.id, role: "admin", active: true },
      });
      expect(admins).toHaveLength(1);
    }
  });
});
