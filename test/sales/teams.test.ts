import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import type { Workspace } from "../../src/sales/deps.js";
import type { SalesService } from "../../src/sales/sales-service.js";
import { createTestSales, run, runText, seedMember, seedRep, seedWorkspace } from "../fixtures/sales.js";
import { openTestDatabase } from "../support/db.js";

describe("teams: rename, delete and list", () => {
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
    await seedRep(sales, ws, "alice");
    await seedRep(sales, ws, "bob");
    await seedRep(sales, ws, "carol");
    await seedMember(sales, ws, "marie", "manager");
    await seedMember(sales, ws, "paul", "manager");
    await run(sales, ws, admin, "/closer team add North @alice @marie @bob");
    await run(sales, ws, admin, "/closer team add South @carol @paul");
    const get = (name: string) =>
      db.prisma.member.findFirstOrThrow({ where: { workspaceId: ws.id, platformUserId: name } });
    return { ws, admin, get };
  }

  const teams = (ws: Workspace) =>
    db.prisma.team.findMany({ where: { workspaceId: ws.id }, orderBy: { name: "asc" } });

  it("GIVEN teams THEN the list shows each team's managers and members, then everyone with their role", async () => {
    const { ws, admin, get } = await team();
    expect(await runText(sales, ws, await get("alice"), "/closer team list")).toBe(
      [
        "Teams",
        "  North · managers: marie · members: alice, bob",
        "  South · managers: paul · members: carol",
        "  Members: admin (admin), alice (rep), bob (rep), carol (rep), marie (manager), paul (manager)",
      ].join("\n"),
    );
    const empty = await seedWorkspace(sales);
    const first = await seedMember(sales, empty, "admin", "admin");
    expect(await runText(sales, empty, first, "/closer team list")).toContain(
      "No team yet: /closer team add <team> @member creates one.",
    );
    expect(admin.role).toBe("admin");
  });

  it("GIVEN a rename THEN the team keeps its members and goals under the new name; a name another team folds to is refused", async () => {
    const { ws, admin, get } = await team();
    await run(sales, ws, admin, "/goal set 50k team:North month");
    expect(await runText(sales, ws, admin, '/closer team rename north "North East"')).toBe(
      "Team North is now called North East",
    );
    expect(await runText(sales, ws, admin, "/goal team:north-east")).toContain("€50,000");
    expect((await get("alice")).teamId).toBe((await teams(ws))[0]?.id);
    expect(await runText(sales, ws, admin, "/closer team rename South north.EAST")).toBe(
      "! There is already a team called “North East”.",
    );
    expect(await runText(sales, ws, admin, "/closer team rename South SOUTH")).toBe(
      "Team South is now called SOUTH",
    );
    expect((await teams(ws)).map((t) => t.name)).toEqual(["North East", "SOUTH"]);
  });

  it("GIVEN who renames THEN the team's manager and admins may, another team's manager and reps may not", async () => {
    const { ws, get } = await team();
    expect(await runText(sales, ws, await get("paul"), "/closer team rename North Nord")).toBe(
      "! Only an admin or a manager of team North can do that.",
    );
    expect(await runText(sales, ws, await get("alice"), "/closer team rename North Nord")).toBe(
      "! Only a manager or an admin can do that.",
    );
    expect(await runText(sales, ws, await get("marie"), "/closer team rename North Nord")).toBe(
      "Team North is now called Nord",
    );
  });

  it("GIVEN bad input THEN a clear refusal and nothing changes", async () => {
    const { ws, admin } = await team();
    expect(await runText(sales, ws, admin, "/closer team rename North")).toContain("The new name is missing");
    expect(await runText(sales, ws, admin, "/closer team rename North East West")).toContain(
      "“West” is not understood",
    );
    expect(await runText(sales, ws, admin, "/closer team rename Nowhere Else")).toBe(
      "! There is no team “Nowhere”. Create it with /closer team add Nowhere @member.",
    );
    expect(await runText(sales, ws, admin, '/closer team rename North "!!"')).toBe(
      "! A team name needs at least one letter or digit.",
    );
    expect(await runText(sales, ws, admin, "/closer team delete")).toContain("!");
    expect((await teams(ws)).map((t) => t.name)).toEqual(["North", "South"]);
  });

  it("GIVEN a team deleted THEN its members are in no team, its goals are gone, and the answer says so", async () => {
    const { ws, admin, get } = await team();
    await run(sales, ws, admin, "/goal set 50k team:North month");
    await run(sales, ws, admin, "/goal set 20k team:South month");
    expect(await runText(sales, ws, await get("marie"), "/closer team delete North")).toBe(
      "! Only an admin can do that.",
    );
    expect(await runText(sales, ws, admin, "/closer team delete north")).toBe(
      ["Team North deleted", "  3 members are now in no team", "  1 goal of the team deleted"].join("\n"),
    );
    expect((await teams(ws)).map((t) => t.name)).toEqual(["South"]);
    expect((await get("alice")).teamId).toBeNull();
    const goals = await db.prisma.goal.findMany({ where: { workspaceId: ws.id } });
    expect(goals).toHaveLength(1);
    expect(await runText(sales, ws, admin, "/closer team delete North")).toContain(
      "There is no team “North”",
    );
  });

  it("GIVEN a French workspace THEN team answers speak French", async () => {
    const { ws, admin } = await team("fr");
    expect(await runText(sales, ws, admin, "/closer team rename North Nord")).toBe(
      "L’équipe North s’appelle désormais Nord",
    );
    expect(await runText(sales, ws, admin, "/closer team list")).toContain(
      "Nord · managers\u202f: marie · membres\u202f: alice, bob",
    );
    expect(await runText(sales, ws, admin, "/closer team delete Nord")).toBe(
      [
        "Équipe Nord supprimée",
        "  3 membres ne sont plus dans aucune équipe",
        "  0 objectif de l’équipe supprimé",
      ].join("\n"),
    );
    expect(await runText(sales, ws, admin, "/closer team rename South Nord")).toBe(
      "L’équipe South s’appelle désormais Nord",
    );
  });

  it("GIVEN another workspace's team of the same name THEN it is untouched", async () => {
    const a = await team();
    const b = await team();
    await run(sales, a.ws, a.admin, "/closer team delete North");
    await run(sales, a.ws, a.admin, "/closer team rename South Sud");
    expect((await teams(b.ws)).map((t) => t.name)).toEqual(["North", "South"]);
  });

  it("GIVEN two teams renamed to one name at once THEN one is renamed, the other told", async () => {
    for (let round = 0; round < 5; round++) {
      const { ws, admin, get } = await team();
      const replies = await Promise.all([
        run(sales, ws, admin, "/closer team rename North West"),
        run(sales, ws, await get("paul"), "/closer team rename South west"),
      ]);
      const refused = replies.filter((r) => r.tone === "error");
      expect(refused).toHaveLength(1);
      expect(refused[0]?.lines.join(" ")).toContain("There is already a team called");
      expect((await teams(ws)).filter((t) => t.nameKey === "west")).toHaveLength(1);
    }
  });
});
