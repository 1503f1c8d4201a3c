import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import type { PrismaClient } from "../../src/generated/prisma/client.js";
import type { Member, Workspace } from "../../src/sales/deps.js";
import type { MemberIdentity } from "../../src/sales/members/member-service.js";
import type { SalesService } from "../../src/sales/sales-service.js";
import type { WorkspaceIdentity } from "../../src/sales/workspaces/workspace-service.js";
import { createTestSales } from "../fixtures/sales.js";
import { openTestDatabase } from "../support/db.js";

let db: Database;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(() => db?.close());

type Identify = (
  sales: SalesService,
  team: WorkspaceIdentity,
  who: MemberIdentity,
) => Promise<{ workspace: Workspace; member: Member }>;

/** The two ways in: what the platforms call, and the pair that seeds and older callers use. */
const ENTRY_POINTS: [string, Identify][] = [
  ["identify", (sales, team, who) => sales.identify(team, who)],
  [
    "ensureWorkspace then ensureMember",
    async (sales, team, who) => {
      const workspace = await sales.workspaces.ensureWorkspace(team);
      return { workspace, member: await sales.members.ensureMember(workspace, who) };
    },
  ],
];

const newTeam = (): WorkspaceIdentity => ({ platform: "slack", externalId: randomUUID(), name: "Acme" });
const user = (id: string, more: Partial<MemberIdentity> = {}): MemberIdentity => ({
  platformUserId: id,
  displayName: id,
  ...more,
});
const rejections = (results: PromiseSettledResult<unknown>[]) =>
  results.flatMap((r) => (r.status === "rejected" ? [String(r.reason)] : []));

async function membersOf(team: WorkspaceIdentity): Promise<{ workspaces: number; members: Member[] }> {
  const workspaces = await db.prisma.workspace.findMany({
    where: { platform: team.platform, externalId: team.externalId },
  });
  const members = await db.prisma.member.findMany({
    where: { workspaceId: { in: workspaces.map((w) => w.id) } },
  });
  return { workspaces: workspaces.length, members };
}

describe.each(ENTRY_POINTS)("first use through %s", (_, identify) => {
  it("GIVEN a new team WHEN its first ten users arrive at once THEN one workspace, ten members, exactly one admin, and every call succeeds", async () => {
    const { sales } = createTestSales(db);
    const team = newTeam();
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => identify(sales, team, user(`U${i}`))),
    );
    expect(rejections(results)).toEqual([]);
    const { workspaces, members } = await membersOf(team);
    expect(workspaces).toBe(1);
    expect(members).toHaveLength(10);
    expect(members.filter((m) => m.role === "admin")).toHaveLength(1);
  });

  it("GIVEN a new team WHEN ten users send ten commands each at once THEN ten members, one admin, and every call succeeds", async () => {
    // Users joining once a member exists do not take turns; those still electing must meet them.
    for (let round = 0; round < 10; round++) {
      const { sales } = createTestSales(db);
      const team = newTeam();
      const results = await Promise.allSettled(
        Array.from({ length: 100 }, (_, i) => identify(sales, team, user(`U${i % 10}`))),
      );
      expect(rejections(results)).toEqual([]);
      const { members } = await membersOf(team);
      expect(members).toHaveLength(10);
      expect(members.filter((m) => m.role === "admin")).toHaveLength(1);
    }
  });

  it("GIVEN a new user of a known team WHEN five of their commands arrive at once THEN one member, a rep, and every call succeeds", async () => {
    const { sales } = createTestSales(db);
    const team = newTeam();
    await identify(sales, team, user("OWNER"));
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => identify(sales, team, user("NEWBIE"))),
    );
    expect(rejections(results)).toEqual([]);
    const ids = results.flatMap((r) => (r.status === "fulfilled" ? [r.value.member.id] : []));
    expect(new Set(ids).size).toBe(1);
    const { members } = await membersOf(team);
    expect(members.map((m) => [m.platformUserId, m.role]).sort()).toEqual([
      ["NEWBIE", "rep"],
      ["OWNER", "admin"],
    ]);
  });

  it("GIVEN a known rep WHEN they come back as a platform admin THEN they are an admin", async () => {
    const { sales } = createTestSales(db);
    const team = newTeam();
    await identify(sales, team, user("OWNER"));
    expect((await identify(sales, team, user("BOSS"))).member.role).toBe("rep");
    expect((await identify(sales, team, user("BOSS", { platformAdmin: true }))).member.role).toBe("admin");
    expect((await identify(sales, team, user("BOSS"))).member.role).toBe("admin");
  });

  it("GIVEN a workspace manager role WHEN a known rep comes back holding it THEN they are a manager, and an admin holding it stays admin", async () => {
    const { sales } = createTestSales(db);
    const team = newTeam();
    const { workspace, member: owner } = await identify(sales, team, user("OWNER"));
    await sales.workspaces.setConfig(workspace, owner, "manager_role", "123456");
    await identify(sales, team, user("LEAD"));
    const holder = { platformRoles: ["99999", "123456"] };
    expect((await identify(sales, team, user("LEAD", holder))).member.role).toBe("manager");
    expect((await identify(sales, team, user("OWNER", holder))).member.role).toBe("admin");
    expect((await identify(sales, team, user("FRESH", holder))).member.role).toBe("manager");
  });
});

describe("identify's known path", () => {
  /** The service on a client that records each operation it sends (a raw query is one statement). */
  function countingSales(operations: string[]) {
    const counted = db.prisma.$extends({
      query: {
        async $allOperations({ model, operation, args, query }) {
          operations.push(model ? `${model}.${operation}` : operation);
          return query(args);
        },
      },
    }) as unknown as PrismaClient;
    return createTestSales({ ...db, prisma: counted }).sales;
  }

  it("GIVEN a known member of a known workspace WHEN identified THEN it costs one statement and reads both rows as Prisma does", async () => {
    const team = newTeam();
    await createTestSales(db).sales.identify(team, user("OWNER"));
    const operations: string[] = [];
    const { workspace, member } = await countingSales(operations).identify(team, user("OWNER"));
    expect(operations).toEqual(["$queryRaw"]);
    expect(workspace).toEqual(
      await db.prisma.workspace.findUnique({
        where: { platform_externalId: { platform: team.platform, externalId: team.externalId } },
      }),
    );
    expect(member).toEqual(
      await db.prisma.member.findUnique({
        where: { workspaceId_platformUserId: { workspaceId: workspace.id, platformUserId: "OWNER" } },
      }),
    );
  });

  it("GIVEN a known workspace WHEN a new user is identified THEN two statements: the lookup and the member's insert, read as Prisma does", async () => {
    const team = newTeam();
    const { workspace } = await createTestSales(db).sales.identify(team, user("OWNER"));
    const operations: string[] = [];
    const second = await countingSales(operations).identify(team, user("SECOND"));
    expect(operations).toEqual(["$queryRaw", "$queryRaw"]);
    expect(second.workspace.id).toBe(workspace.id);
    expect(second.member).toEqual(
      await db.prisma.member.findUnique({
        where: { workspaceId_platformUserId: { workspaceId: workspace.id, platformUserId: "SECOND" } },
      }),
    );
    expect(second.member.role).toBe("rep");
  });
});
