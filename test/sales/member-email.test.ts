import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import type { PrismaClient } from "../../src/generated/prisma/client.js";
import type { Member, Workspace } from "../../src/sales/deps.js";
import type { MemberIdentity } from "../../src/sales/members/member-service.js";
import { placeholderId } from "../../src/sales/members/placeholder-member.js";
import type { WorkspaceIdentity } from "../../src/sales/workspaces/workspace-service.js";
import { createTestSales, seedDeal } from "../fixtures/sales.js";
import { openTestDatabase } from "../support/db.js";

let db: Database;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(() => db?.close());

const newTeam = (): WorkspaceIdentity => ({ platform: "slack", externalId: randomUUID(), name: "Acme" });
const user = (id: string, more: Partial<MemberIdentity> = {}): MemberIdentity => ({
  platformUserId: id,
  displayName: id,
  ...more,
});
const rejections = (results: PromiseSettledResult<unknown>[]) =>
  results.flatMap((r) => (r.status === "rejected" ? [String(r.reason)] : []));

/** A known team with its first member, the admin. */
async function knownTeam() {
  const { sales } = createTestSales(db);
  const team = newTeam();
  const { workspace } = await sales.identify(team, user("UOWNER"));
  return { sales, team, workspace };
}

/** The member an import creates for an owner it knows by email, and two deals of theirs. */
async function importedOwner(workspace: Workspace, email: string) {
  const { sales } = createTestSales(db);
  const placeholder = await db.prisma.member.create({
    data: { workspaceId: workspace.id, platformUserId: placeholderId(email), displayName: "Ann Lee", email },
  });
  const deals = [
    await seedDeal(sales, workspace, placeholder, { amount: 120_000n, customer: "Globex" }),
    await seedDeal(sales, workspace, placeholder, { amount: 80_000n, customer: "Initech" }),
  ];
  return { placeholder, deals };
}

const membersOf = (workspace: Workspace): Promise<Member[]> =>
  db.prisma.member.findMany({ where: { workspaceId: workspace.id }, orderBy: { id: "asc" } });

describe("members' email from their platform", () => {
  it("GIVEN a new user with an email THEN their member keeps it lower-cased", async () => {
    const { sales, team } = await knownTeam();
    const { member } = await sales.identify(team, user("UANN", { email: "  Ann.Lee@Acme.COM " }));
    expect(member.email).toBe("ann.lee@acme.com");
    expect((await db.prisma.member.findUniqueOrThrow({ where: { id: member.id } })).email).toBe(
      "ann.lee@acme.com",
    );
  });

  it("GIVEN a known member WHEN their platform gives an email they lack, then another THEN each is kept; none given leaves it", async () => {
    const { sales, team } = await knownTeam();
    await sales.identify(team, user("UBOB"));
    expect((await sales.identify(team, user("UBOB", { email: "Bob@Acme.com" }))).member.email).toBe(
      "bob@acme.com",
    );
    expect((await sales.identify(team, user("UBOB", { email: "bob@globex.com" }))).member.email).toBe(
      "bob@globex.com",
    );
    expect((await sales.identify(team, user("UBOB"))).member.email).toBe("bob@globex.com");
  });

  it("GIVEN a known member whose email is unchanged WHEN identified THEN it still costs one statement", async () => {
    const { team } = await knownTeam();
    await createTestSales(db).sales.identify(team, user("UCAROL", { email: "carol@acme.com" }));
    const operations: string[] = [];
    const counted = db.prisma.$extends({
      query: {
        async $allOperations({ model, operation, args, query }) {
          operations.push(model ? `${model}.${operation}` : operation);
          return query(args);
        },
      },
    }) as unknown as PrismaClient;
    const { sales } = createTestSales({ ...db, prisma: counted });
    const { member } = await sales.identify(team, user("UCAROL", { email: "Carol@Acme.com" }));
    expect(member.email).toBe("carol@acme.com");
    expect(operations).toEqual(["$queryRaw"]);
  });
});

describe("a member an import created, taken over by the platform user with its email", () => {
  it("GIVEN an imported owner with deals WHEN a new user with that email arrives THEN that member becomes theirs, deals included", async () => {
    const { sales, team, workspace } = await knownTeam();
    const { placeholder, deals } = await importedOwner(workspace, "ann@acme.com");
    const { member } = await sales.identify(
      team,
      user("UANN", { displayName: "Ann", email: "Ann@Acme.com" }),
    );
    expect(member).toMatchObject({
      id: placeholder.id,
      platformUserId: "UANN",
      displayName: "Ann",
      email: "ann@acme.com",
      role: "rep",
    });
    expect((await membersOf(workspace)).map((m) => m.platformUserId)).toEqual(["UOWNER", "UANN"]);
    const owned = await db.prisma.deal.findMany({
      where: { ownerId: member.id },
      orderBy: { number: "asc" },
    });
    expect(owned.map((d) => d.id)).toEqual(deals.map((d) => d.id));
    // Known from now on: the next request is the known path, and changes nothing.
    expect((await sales.identify(team, user("UANN", { email: "ann@acme.com" }))).member.id).toBe(
      placeholder.id,
    );
  });

  it("GIVEN an imported owner WHEN the new user is a Slack admin THEN the member they take over is raised to admin", async () => {
    const { sales, team, workspace } = await knownTeam();
    const { placeholder } = await importedOwner(workspace, "boss@acme.com");
    const { member } = await sales.identify(
      team,
      user("UBOSS", { email: "boss@acme.com", platformAdmin: true }),
    );
    expect([member.id, member.role]).toEqual([placeholder.id, "admin"]);
  });

  it("GIVEN an imported owner WHEN a user is first named in a command (a mention) THEN the mention takes it over too", async () => {
    const { sales, workspace } = await knownTeam();
    const { placeholder } = await importedOwner(workspace, "dan@acme.com");
    const member = await sales.members.ensureMember(workspace, user("UDAN", { email: "dan@acme.com" }));
    expect([member.id, member.platformUserId]).toEqual([placeholder.id, "UDAN"]);
  });

  it("GIVEN an imported owner WHEN the first requests of the new user arrive at once THEN one member, the imported one, and every call succeeds", async () => {
    const { sales, team, workspace } = await knownTeam();
    const { placeholder } = await importedOwner(workspace, "eve@acme.com");
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => sales.identify(team, user("UEVE", { email: "eve@acme.com" }))),
    );
    expect(rejections(results)).toEqual([]);
    const ids = results.flatMap((r) => (r.status === "fulfilled" ? [r.value.member.id] : []));
    expect(new Set(ids)).toEqual(new Set([placeholder.id]));
    expect((await membersOf(workspace)).map((m) => m.platformUserId)).toEqual(["UOWNER", "UEVE"]);
  });

  it("GIVEN an imported owner in another workspace WHEN a user with that email arrives THEN a new member is created and the other workspace's is left alone", async () => {
    const other = await knownTeam();
    const { placeholder } = await importedOwner(other.workspace, "fay@acme.com");
    const { sales, team, workspace } = await knownTeam();
    const { member } = await sales.identify(team, user("UFAY", { email: "fay@acme.com" }));
    expect(member.id).not.toBe(placeholder.id);
    expect(member.workspaceId).toBe(workspace.id);
    expect(await db.prisma.member.findUniqueOrThrow({ where: { id: placeholder.id } })).toEqual(placeholder);
  });

  it("GIVEN an imported owner WHEN a new user with another email, or none, arrives THEN they get a member of their own", async () => {
    const { sales, team, workspace } = await knownTeam();
    const { placeholder } = await importedOwner(workspace, "gus@acme.com");
    const other = await sales.identify(team, user("UHAL", { email: "hal@acme.com" }));
    const none = await sales.identify(team, user("UIDA"));
    expect([other.member.id, none.member.id]).not.toContain(placeholder.id);
    expect((await db.prisma.member.findUniqueOrThrow({ where: { id: placeholder.id } })).platformUserId).toBe(
      placeholderId("gus@acme.com"),
    );
  });
});
