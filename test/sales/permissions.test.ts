import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { translate } from "../../src/messages/i18n.js";
import type { Reply } from "../../src/messages/reply.js";
import type { DealDetail } from "../../src/sales/deals/deal-service.js";
import type { Member, Workspace } from "../../src/sales/deps.js";
import type { SalesService } from "../../src/sales/sales-service.js";
import type { Scope } from "../../src/sales/scope.js";
import { createTestSales, run, seedDeal, seedMember, seedRep, seedWorkspace } from "../fixtures/sales.js";
import { snapshot } from "../fixtures/snapshot.js";
import { openTestDatabase } from "../support/db.js";

/*
 * Only the owner, their manager or an admin can change a deal; goals, roles and
 * config need a manager or an admin; a refusal says why, and changes nothing.
 */

let db: Database;
let sales: SalesService;

beforeAll(async () => {
  db = await openTestDatabase();
  ({ sales } = createTestSales(db));
});
afterAll(() => db.close());

const NAMES = ["admin", "mia", "wes", "nia", "bob", "carl", "dan"] as const;
type Name = (typeof NAMES)[number];

interface Company {
  ws: Workspace;
  people: Record<Name, Member>;
}

/**
 * A workspace of its own: `admin` (its first member), managers `mia` (leads East), `wes` (leads
 * West) and `nia` (leads no team), reps `bob` and `carl` (East) and `dan` (West); deal #1 (Acme,
 * 5,000, lead) is bob's.
 */
async function given(): Promise<Company> {
  const ws = await seedWorkspace(sales);
  const admin = await seedMember(sales, ws, "admin", "admin");
  const mia = await seedMember(sales, ws, "mia", "manager");
  const wes = await seedMember(sales, ws, "wes", "manager");
  await seedMember(sales, ws, "nia", "manager");
  const bob = await seedRep(sales, ws, "bob");
  const carl = await seedRep(sales, ws, "carl");
  const dan = await seedRep(sales, ws, "dan");
  await sales.members.addToTeam(ws, admin, "East", [mia, bob, carl]);
  await sales.members.addToTeam(ws, admin, "West", [wes, dan]);
  await seedDeal(sales, ws, bob, { amount: 500_000n, customer: "Acme" });
  const people = {} as Record<Name, Member>;
  for (const name of NAMES) {
    const member = await sales.members.findMember(ws, name);
    if (!member) throw new Error(`no member ${name}`);
    people[name] = member;
  }
  return { ws, people };
}

function textOf(reply: Reply): string {
  return [reply.title ?? "", ...reply.lines].join("\n").trim();
}

const t = (key: Parameters<typeof translate>[1], params?: Record<string, string>) =>
  translate("en", key, params);

/** Runs `line` as `actor` and checks it is refused with `message`, leaving the database as it was. */
async function expectRefused(c: Company, actor: Name, line: string, message: string): Promise<string> {
  const before = await snapshot(db, c.ws.id);
  const reply = await run(sales, c.ws, c.people[actor], line);
  expect(reply.tone).toBe("error");
  expect(reply.visibility).toBe("ephemeral");
  expect(textOf(reply)).toBe(message);
  expect(await snapshot(db, c.ws.id)).toEqual(before);
  return textOf(reply);
}

async function expectAccepted(c: Company, actor: Name, line: string): Promise<Reply> {
  const reply = await run(sales, c.ws, c.people[actor], line);
  expect(reply.tone, textOf(reply)).not.toBe("error");
  return reply;
}

interface Change {
  change: string;
  line: string;
  /** What the change did to deal #1. */
  effect: (deal: DealDetail, people: Record<Name, Member>) => void;
}

const CHANGES: Change[] = [
  { change: "win it", line: "/deal won #1", effect: (d) => expect(d.stage).toBe("won") },
  {
    change: "lose it",
    line: "/deal lost #1 reason:price",
    effect: (d) => expect([d.stage, d.lostReason]).toEqual(["lost", "price"]),
  },
  {
    change: "move its stage",
    line: "/deal stage #1 proposal",
    effect: (d) => expect(d.stage).toBe("proposal"),
  },
  {
    change: "add a note",
    line: "/deal note #1 Called the CFO",
    effect: (d) => expect(d.events.at(-1)).toMatchObject({ kind: "note", note: "Called the CFO" }),
  },
  {
    change: "reassign it",
    line: "/deal assign #1 @carl",
    effect: (d, people) => expect(d.ownerId).toBe(people.carl.id),
  },
];

const cross = <A, B>(as: A[], bs: B[]) => as.flatMap((a) => bs.map((b) => ({ ...a, ...b })));

describe("GIVEN bob's deal #1 WHEN someone who is neither bob, his manager nor an admin changes it", () => {
  const OUTSIDERS: { who: string; actor: Name }[] = [
    { who: "a rep of bob's own team", actor: "carl" },
    { who: "a rep of another team", actor: "dan" },
    { who: "the manager of another team", actor: "wes" },
  ];

  it.each(cross(OUTSIDERS, CHANGES))(
    "GIVEN $who WHEN they $change THEN refused, saying only bob, his manager or an admin may; nothing changes",
    async ({ actor, line }) => {
      const c = await given();
      const text = await expectRefused(c, actor, line, t("error.forbidden_deal", { owner: "bob" }));
      expect(text).toContain("bob");
      expect(text).toContain("manager");
    },
  );

  it.each([
    ["for:@carl", "/deal log 5k Globex for:@carl"],
    ["a mention", "/deal log 5k Globex @carl"],
  ])(
    "GIVEN a rep WHEN they log a deal for a colleague with %s THEN refused; nothing changes",
    async (_, line) => {
      const c = await given();
      const text = await expectRefused(c, "bob", line, t("error.forbidden_deal", { owner: "carl" }));
      expect(text).toContain("manager");
    },
  );
});

describe("GIVEN bob's deal #1 WHEN bob, his manager or an admin changes it THEN it changes", () => {
  const ALLOWED: { who: string; actor: Name }[] = [
    { who: "bob, its owner,", actor: "bob" },
    { who: "mia, manager of bob's team,", actor: "mia" },
    { who: "nia, a manager who leads no team (she manages everyone),", actor: "nia" },
    { who: "the admin", actor: "admin" },
  ];
  // An owner handing a deal to a colleague is covered below: the new owner must be theirs to manage.
  const rows = cross(ALLOWED, CHANGES).filter((r) => !(r.actor === "bob" && r.change === "reassign it"));

  it.each(rows)("GIVEN $who WHEN they $change THEN it is done, recorded as theirs", async (row) => {
    const c = await given();
    await expectAccepted(c, row.actor, row.line);
    const deal = await sales.deals.showDeal(c.ws, 1);
    row.effect(deal, c.people);
    expect(deal.events.at(-1)?.actorId).toBe(c.people[row.actor].id);
  });

  it("GIVEN the owner WHEN they hand the deal to a colleague THEN it is done: whoever may change a deal may hand it over", async () => {
    const c = await given();
    await expectAccepted(c, "bob", "/deal assign #1 @carl");
    expect((await sales.deals.getDeal(c.ws, 1)).ownerId).toBe(c.people.carl.id);
  });

  it("GIVEN the manager of bob's team WHEN she hands his deal to a rep of another team THEN it is done", async () => {
    const c = await given();
    await expectAccepted(c, "mia", "/deal assign #1 @dan");
    expect((await sales.deals.getDeal(c.ws, 1)).ownerId).toBe(c.people.dan.id);
  });

  it("GIVEN a rep WHEN they hand a colleague's deal to themselves THEN refused, naming the owner; nothing changes", async () => {
    const c = await given();
    await expectRefused(c, "carl", "/deal assign #1 @carl", t("error.forbidden_deal", { owner: "bob" }));
  });

  it("GIVEN a manager who leads no team WHEN she hands bob's deal to a rep of another team THEN it is done", async () => {
    const c = await given();
    await expectAccepted(c, "nia", "/deal assign #1 @dan");
    expect((await sales.deals.getDeal(c.ws, 1)).ownerId).toBe(c.people.dan.id);
  });
});

describe("GIVEN a rep WHEN they set goals, roles, config or teams THEN refused, saying a manager or admin is needed; nothing changes", () => {
  it.each([
    ["set the company's goal", "/goal set 10k company"],
    ["set their own goal", "/goal set 10k @bob"],
    ["set their team's goal", "/goal set 10k team:East"],
    ["make themselves a manager", "/closer role @bob manager"],
    ["make a colleague an admin", "/closer role @carl admin"],
    ["demote a manager", "/closer role @mia rep"],
    ["change the locale", "/closer config set locale fr"],
    ["change the currency", "/closer config set currency USD"],
    ["turn win announcements off", "/closer config set announce.win off"],
    ["add a team", "/closer team add South @carl"],
    ["move themselves to another team", "/closer team add West @bob"],
    ["take a colleague off a team", "/closer team remove @carl"],
  ])("GIVEN a rep WHEN they %s THEN refused", async (_, line) => {
    const c = await given();
    const text = await expectRefused(c, "bob", line, t("error.forbidden_manager"));
    expect(text).toContain("manager");
  });
});

describe("GIVEN a manager or an admin WHEN they set goals, roles, config or teams THEN it is done", () => {
  const MANAGING: { who: string; actor: Name }[] = [
    { who: "mia, a manager,", actor: "mia" },
    { who: "the admin", actor: "admin" },
  ];
  const ACTS: { act: string; line: string; check: (c: Company) => Promise<void> }[] = [
    {
      // Mia leads East: her own team's goal is hers to set (the company's is not, see below).
      act: "set East's goal",
      line: "/goal set 10k team:East",
      check: async (c) => {
        const goals = await db.prisma.goal.findMany({ where: { workspaceId: c.ws.id } });
        expect(goals.map((g) => [g.scope, g.target])).toEqual([["team", 1_000_000n]]);
      },
    },
    {
      act: "make a rep a manager",
      line: "/closer role @carl manager",
      check: async (c) => expect((await sales.members.findMember(c.ws, "carl"))?.role).toBe("manager"),
    },
    {
      act: "change the locale",
      line: "/closer config set locale fr",
      check: async (c) => expect((await sales.workspaces.getWorkspace(c.ws.id)).locale).toBe("fr"),
    },
    {
      act: "add a team",
      line: "/closer team add South @carl",
      check: async (c) => {
        const south = await sales.members.findTeam(c.ws, "South");
        expect((await sales.members.findMember(c.ws, "carl"))?.teamId).toBe(south.id);
      },
    },
  ];

  it.each(cross(MANAGING, ACTS))("GIVEN $who WHEN they $act THEN it is done", async (row) => {
    const c = await given();
    await expectAccepted(c, row.actor, row.line);
    await row.check(c);
  });
});

describe("GIVEN goals WHEN a manager sets them THEN only for her own team and its members, as with deals", () => {
  type Target = (c: Company) => Promise<Scope>;
  const team =
    (name: string): Target =>
    async (c) => ({ scope: "team", team: await sales.members.findTeam(c.ws, name) });
  const member =
    (name: Name): Target =>
    async (c) => ({ scope: "member", member: c.people[name] });
  const company: Target = async () => ({ scope: "company" });

  const OUTSIDE_EAST: { whose: string; target: Target }[] = [
    { whose: "another team's (West)", target: team("West") },
    { whose: "a member of another team's (dan, West)", target: member("dan") },
    { whose: "another team's manager's (wes)", target: member("wes") },
    { whose: "the company's", target: company },
  ];
  const EAST: { whose: string; target: Target }[] = [
    { whose: "her own team's (East)", target: team("East") },
    { whose: "a member of her team's (bob)", target: member("bob") },
    { whose: "her own", target: member("mia") },
  ];

  it.each(OUTSIDE_EAST)(
    "GIVEN mia, manager of East, WHEN she sets $whose goal THEN refused with error.forbidden_goal; no goal is stored",
    async ({ target }) => {
      const c = await given();
      await expect(
        sales.goals.setGoal(c.ws, c.people.mia, await target(c), "revenue", "month", 1_000_000n),
      ).rejects.toMatchObject({ code: "forbidden", key: "error.forbidden_goal" });
      expect(await db.prisma.goal.count({ where: { workspaceId: c.ws.id } })).toBe(0);
    },
  );

  it.each(EAST)(
    "GIVEN mia, manager of East, WHEN she sets $whose goal THEN it is set",
    async ({ target }) => {
      const c = await given();
      const set = await sales.goals.setGoal(
        c.ws,
        c.people.mia,
        await target(c),
        "revenue",
        "month",
        1_000_000n,
      );
      expect(set.goal.target).toBe(1_000_000n);
    },
  );

  it.each(
    cross(
      [
        { who: "the admin", actor: "admin" as Name },
        {
          who: "nia, a manager who leads no team (she manages everyone, as for deals),",
          actor: "nia" as Name,
        },
      ],
      [...OUTSIDE_EAST, ...EAST],
    ),
  )("GIVEN $who WHEN they set $whose goal THEN it is set", async ({ actor, target }) => {
    const c = await given();
    const set = await sales.goals.setGoal(
      c.ws,
      c.people[actor],
      await target(c),
      "revenue",
      "month",
      1_000_000n,
    );
    expect(set.goal.target).toBe(1_000_000n);
  });

  it.each([
    ["the company's goal", "/goal set 10k company"],
    ["West's goal", "/goal set 10k team:West"],
    ["dan's goal (West)", "/goal set 10k @dan"],
  ])(
    "GIVEN mia, manager of East, WHEN she runs /goal set for %s THEN refused, saying why; nothing changes",
    async (_, line) => {
      const c = await given();
      const text = await expectRefused(c, "mia", line, t("error.forbidden_goal"));
      expect(text).toContain("admin");
    },
  );
});

describe("GIVEN the admin role", () => {
  it.each([
    ["make a rep an admin", "/closer role @carl admin"],
    ["make herself an admin", "/closer role @mia admin"],
    ["demote the admin", "/closer role @admin rep"],
  ])(
    "GIVEN a manager WHEN she tries to %s THEN refused: only an admin grants or removes admin; nothing changes",
    async (_, line) => {
      const c = await given();
      const text = await expectRefused(c, "mia", line, t("error.forbidden_admin"));
      expect(text).toContain("admin");
    },
  );

  it("GIVEN the admin WHEN they make a rep an admin THEN it is done", async () => {
    const c = await given();
    await expectAccepted(c, "admin", "/closer role @carl admin");
    expect((await sales.members.findMember(c.ws, "carl"))?.role).toBe("admin");
  });

  it.each([["rep"], ["manager"]])(
    "GIVEN the last admin WHEN they make themselves %s THEN refused: someone else must be admin first; nothing changes",
    async (role) => {
      const c = await given();
      await expectRefused(c, "admin", `/closer role @admin ${role}`, t("error.last_admin"));
      expect((await sales.members.findMember(c.ws, "admin"))?.role).toBe("admin");
    },
  );

  it("GIVEN a second admin WHEN the first steps down THEN it is done, and the workspace still has an admin", async () => {
    const c = await given();
    await expectAccepted(c, "admin", "/closer role @carl admin");
    await expectAccepted(c, "admin", "/closer role @admin rep");
    const roles = (await sales.members.listMembers(c.ws)).map((m) => [m.displayName, m.role]);
    expect(roles).toContainEqual(["admin", "rep"]);
    expect(roles).toContainEqual(["carl", "admin"]);
  });
});
