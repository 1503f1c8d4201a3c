import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { isAppError } from "../../src/errors.js";
import type { Reply } from "../../src/messages/reply.js";
import type { Member, Workspace } from "../../src/sales/deps.js";
import { periodContaining } from "../../src/sales/periods/period.js";
import type { SalesService } from "../../src/sales/sales-service.js";
import { COMPANY as EVERYONE } from "../../src/sales/scope.js";
import { calendarOf } from "../../src/sales/workspaces/workspace-service.js";
import {
  createTestSales,
  type FixedClock,
  run,
  seedDeal,
  seedMember,
  seedRep,
  seedWorkspace,
} from "../fixtures/sales.js";
import { openTestDatabase } from "../support/db.js";

/*
 * Two workspaces built alike — same member ids, same customer names, deals #1 to #3 in each —
 * with amounts that differ, so any figure that leaks from one into the other shows.
 */

let db: Database;
let sales: SalesService;
let clock: FixedClock;

const LOGGED_AT = "2026-11-02T10:00:00Z";
/** Sixteen days later: the open deals have had no event for longer than stalled_days (14). */
const NOW = "2026-11-18T10:00:00Z";

interface Twin {
  ws: Workspace;
  admin: Member;
  bob: Member;
  /** The rep only this workspace has: zoe in A, yan in B. */
  own: Member;
  spec: Spec;
  /** Amounts as the replies print them: #1 Acme, #2 Globex, #3 the own customer, won, goal. */
  amounts: { acme: string; globex: string; third: string; won: string; goal: string };
}

interface Spec {
  own: string;
  third: string;
  acme: bigint;
  globex: bigint;
  thirdAmount: bigint;
  goal: string;
  note: string;
}

const money = (minor: bigint) => `€${(minor / 100n).toLocaleString("en-US")}`;

/**
 * One of the twins, logged at LOGGED_AT: #1 Acme (bob, won), #2 Globex (the own rep, open),
 * #3 the own customer (admin, won); a company goal for the month; a reminder of bob's; a team
 * named after the own rep.
 */
async function seedTwin(spec: Spec): Promise<Twin> {
  clock.set(LOGGED_AT);
  const ws = await seedWorkspace(sales);
  const admin = await seedMember(sales, ws, "admin", "admin");
  const bob = await seedRep(sales, ws, "bob");
  const own = await seedRep(sales, ws, spec.own);
  await seedDeal(sales, ws, bob, { amount: spec.acme, customer: "Acme" });
  await seedDeal(sales, ws, own, { amount: spec.globex, customer: "Globex" });
  await seedDeal(sales, ws, admin, { amount: spec.thirdAmount, customer: spec.third });
  await sales.deals.winDeal(ws, bob, 1);
  await sales.deals.winDeal(ws, admin, 3);
  await sales.members.addToTeam(ws, admin, `Team ${spec.own}`, [own]);
  expect((await run(sales, ws, admin, `/goal set ${spec.goal} company`)).tone).not.toBe("error");
  expect((await run(sales, ws, bob, `/remind Acme 2026-11-20 ${spec.note}`)).tone).not.toBe("error");
  clock.set(NOW);
  return {
    ws,
    admin,
    bob,
    own,
    spec,
    amounts: {
      acme: money(spec.acme),
      globex: money(spec.globex),
      third: money(spec.thirdAmount),
      won: money(spec.acme + spec.thirdAmount),
      goal: money(BigInt(spec.goal.replace("k", "000")) * 100n),
    },
  };
}

const SPEC_A: Spec = {
  own: "zoe",
  third: "Initech",
  acme: 111_100n,
  globex: 222_200n,
  thirdAmount: 333_300n,
  goal: "44k",
  note: "call Alpha",
};
const SPEC_B: Spec = {
  own: "yan",
  third: "Umbrella",
  acme: 777_700n,
  globex: 888_800n,
  thirdAmount: 999_900n,
  goal: "66k",
  note: "call Bravo",
};

let a: Twin;
let b: Twin;

beforeAll(async () => {
  db = await openTestDatabase();
  ({ sales, clock } = createTestSales(db, NOW));
  a = await seedTwin(SPEC_A);
  b = await seedTwin(SPEC_B);
});
afterAll(() => db.close());

function textOf(reply: Reply): string {
  return [
    reply.title ?? "",
    ...(reply.fields ?? []).map((f) => `${f.label}: ${f.value}`),
    ...reply.lines,
    ...(reply.table?.rows ?? []).map((r) => r.join(" | ")),
  ].join("\n");
}

/** Everything that names or counts the other twin: its amounts, its rep, its customer, its note. */
function traitsOf(t: Twin): string[] {
  return [
    t.amounts.acme,
    t.amounts.globex,
    t.amounts.third,
    t.amounts.won,
    t.amounts.goal,
    t.own.displayName,
    t.spec.third,
    t.spec.note,
  ];
}

const WORKSPACES = ["A", "B"] as const;

/** A workspace of the pair and the other one. */
function twins(name: "A" | "B"): [Twin, Twin] {
  return name === "A" ? [a, b] : [b, a];
}

async function textIn(t: Twin, actor: Member, line: string): Promise<string> {
  const reply = await run(sales, t.ws, actor, line);
  expect(reply.tone, textOf(reply)).not.toBe("error");
  return textOf(reply);
}

function expectNone(text: string, other: Twin) {
  for (const trait of traitsOf(other)) expect(text).not.toContain(trait);
}

describe("GIVEN two workspaces with the same customers and the same deal numbers", () => {
  it("GIVEN both THEN each numbers its deals from #1 and the same platform id is a different member in each", async () => {
    for (const t of [a, b]) {
      const deals = (await sales.deals.listDeals(t.ws, EVERYONE)).items;
      expect(deals.map((d) => d.number).sort()).toEqual([1, 2, 3]);
      expect(deals.every((d) => d.workspaceId === t.ws.id && d.owner.workspaceId === t.ws.id)).toBe(true);
    }
    const bobA = await sales.members.findMember(a.ws, "bob");
    const bobB = await sales.members.findMember(b.ws, "bob");
    expect(bobA?.id).toBe(a.bob.id);
    expect(bobB?.id).toBe(b.bob.id);
    expect(a.bob.id).not.toBe(b.bob.id);
    expect(a.admin.id).not.toBe(b.admin.id);
    expect([a.admin.role, b.admin.role]).toEqual(["admin", "admin"]);
    expect(await sales.members.findMember(a.ws, "yan")).toBeNull();
    expect(await sales.members.findMember(b.ws, "zoe")).toBeNull();
  });

  it.each(WORKSPACES)("GIVEN workspace %s THEN /deal show #1 is its own Acme deal", async (name) => {
    const [t, other] = twins(name);
    const text = await textIn(t, t.admin, "/deal show #1");
    expect(text).toContain("Acme");
    expect(text).toContain(`${t.amounts.acme}.00`);
    expectNone(text, other);
  });

  it.each(WORKSPACES)("GIVEN workspace %s THEN /deal list all lists only its deals", async (name) => {
    const [t, other] = twins(name);
    const text = await textIn(t, t.admin, "/deal list all");
    for (const own of [t.amounts.acme, t.amounts.globex, t.amounts.third, t.own.displayName, t.spec.third])
      expect(text).toContain(own);
    expectNone(text, other);
  });

  it.each(WORKSPACES)("GIVEN workspace %s THEN /deal list @bob lists its bob's deal only", async (name) => {
    const [t, other] = twins(name);
    const text = await textIn(t, t.admin, "/deal list @bob");
    expect(text).toContain(`#1 Acme · ${t.amounts.acme}`);
    expectNone(text, other);
  });

  it.each(WORKSPACES)("GIVEN workspace %s THEN /customer Acme is its own Acme", async (name) => {
    const [t, other] = twins(name);
    const text = await textIn(t, t.admin, "/customer Acme");
    expect(text).toContain(t.amounts.acme);
    expectNone(text, other);
  });

  it.each(WORKSPACES)("GIVEN workspace %s THEN the other's own customer is not found", async (name) => {
    const [t, other] = twins(name);
    const reply = await run(sales, t.ws, t.admin, `/customer ${other.spec.third}`);
    expect(reply.tone).toBe("error");
    expect(textOf(reply)).toContain(`No customer's name contains “${other.spec.third}”`);
  });

  it.each(WORKSPACES)("GIVEN workspace %s THEN /customer list lists its customers only", async (name) => {
    const [t, other] = twins(name);
    const text = await textIn(t, t.admin, "/customer list");
    for (const own of ["Acme", "Globex", t.spec.third]) expect(text).toContain(own);
    expectNone(text, other);
  });

  it.each(WORKSPACES)("GIVEN workspace %s THEN /kpi month counts its wins only", async (name) => {
    const [t, other] = twins(name);
    const text = await textIn(t, t.admin, "/kpi month");
    expect(text).toContain(`${t.amounts.won} · deals: 2`);
    expect(text).toContain(`${t.amounts.globex} · deals: 1`);
    expectNone(text, other);
  });

  it.each(WORKSPACES)("GIVEN workspace %s THEN /leaderboard month ranks its members only", async (name) => {
    const [t, other] = twins(name);
    const text = await textIn(t, t.admin, "/leaderboard month");
    expect(text).toContain(`admin | ${t.amounts.third} | 1`);
    expect(text).toContain(`bob | ${t.amounts.acme} | 1`);
    expectNone(text, other);
  });

  it.each(WORKSPACES)(
    "GIVEN workspace %s THEN /forecast month is its won revenue against its goal",
    async (name) => {
      const [t, other] = twins(name);
      const text = await textIn(t, t.admin, "/forecast month");
      expect(text).toContain(t.amounts.won);
      expect(text).toContain(t.amounts.goal);
      expectNone(text, other);
    },
  );

  it.each(WORKSPACES)("GIVEN workspace %s THEN /goal company is its own goal", async (name) => {
    const [t, other] = twins(name);
    const text = await textIn(t, t.admin, "/goal company");
    expect(text).toContain(`${t.amounts.won} of ${t.amounts.goal}`);
    expectNone(text, other);
  });

  it.each(WORKSPACES)(
    "GIVEN workspace %s THEN bob's /remind list has his reminders there only",
    async (name) => {
      const [t, other] = twins(name);
      const text = await textIn(t, t.bob, "/remind list");
      expect(text).toContain(t.spec.note);
      expectNone(text, other);
    },
  );

  it.each(WORKSPACES)(
    "GIVEN workspace %s THEN the other's reminder cannot be completed from it",
    async (name) => {
      const [t, other] = twins(name);
      const [theirs] = (await sales.reminders.listReminders(other.ws, other.bob)).items;
      if (!theirs) throw new Error("no reminder");
      const reply = await run(sales, t.ws, t.admin, `/remind done ${theirs.id}`);
      expect(reply.tone).toBe("error");
      expect(textOf(reply)).toContain(`There is no reminder ${theirs.id}`);
      expect((await db.prisma.reminder.findUnique({ where: { id: theirs.id } }))?.done).toBe(false);
    },
  );

  it.each(WORKSPACES)("GIVEN workspace %s THEN a team of the other is not found", async (name) => {
    const [t, other] = twins(name);
    expect((await sales.members.findTeam(t.ws, `Team ${t.own.displayName}`)).workspaceId).toBe(t.ws.id);
    const reply = await run(sales, t.ws, t.admin, `/kpi team:"Team ${other.own.displayName}"`);
    expect(reply.tone).toBe("error");
    expect(textOf(reply)).toContain("There is no team");
  });
});

describe("GIVEN two workspaces THEN the service answers for one workspace at a time", () => {
  it.each(WORKSPACES)("GIVEN workspace %s THEN getDeal and showDeal return its own #1", async (name) => {
    const [t, other] = twins(name);
    const deal = await sales.deals.getDeal(t.ws, 1);
    expect([deal.workspaceId, deal.customer.name, deal.amount, deal.owner.id]).toEqual([
      t.ws.id,
      "Acme",
      t.spec.acme,
      t.bob.id,
    ]);
    expect(deal.id).not.toBe((await sales.deals.getDeal(other.ws, 1)).id);
    expect(deal.customerId).not.toBe((await sales.deals.getDeal(other.ws, 1)).customerId);
    const shown = await sales.deals.showDeal(t.ws, 1);
    expect(shown.events.every((e) => e.workspaceId === t.ws.id && e.actor?.workspaceId === t.ws.id)).toBe(
      true,
    );
  });

  it("GIVEN each twin's amounts THEN getDeal finds exactly them", async () => {
    for (const [t, spec] of [
      [a, SPEC_A],
      [b, SPEC_B],
    ] as const) {
      const amounts = await Promise.all(
        [1, 2, 3].map(async (n) => (await sales.deals.getDeal(t.ws, n)).amount),
      );
      expect(amounts).toEqual([spec.acme, spec.globex, spec.thirdAmount]);
    }
  });

  it.each(WORKSPACES)(
    "GIVEN workspace %s THEN customers, KPIs, leaderboard, forecast and goals are its own",
    async (name) => {
      const [t] = twins(name);
      const spec = t.spec;
      const history = await sales.customers.customerHistory(t.ws, "acme");
      expect(history.deals.map((d) => [d.number, d.amount])).toEqual([[1, spec.acme]]);
      expect(history.events.every((e) => e.workspaceId === t.ws.id)).toBe(true);
      expect(history.revenue).toBe(spec.acme);

      const customers = (await sales.customers.listCustomers(t.ws, "all")).items;
      expect(customers.map((c) => c.name)).toEqual(["Acme", "Globex", spec.third].sort());

      const period = periodContaining("month", clock.now(), calendarOf(t.ws));
      const kpis = await sales.kpis.computeKpis(t.ws, period, EVERYONE);
      expect([kpis.wonRevenue, kpis.wonCount, kpis.openPipeline, kpis.newCount]).toEqual([
        spec.acme + spec.thirdAmount,
        2,
        spec.globex,
        3,
      ]);

      const board = (await sales.leaderboard.leaderboard(t.ws, period, "revenue")).items;
      expect(board.map((r) => [r.memberId, r.revenue])).toEqual([
        [t.admin.id, spec.thirdAmount],
        [t.bob.id, spec.acme],
      ]);

      const forecast = await sales.forecast.forecast(t.ws, period, EVERYONE, null);
      expect(forecast.won).toBe(spec.acme + spec.thirdAmount);

      const goals = await sales.goals.progress(t.ws, { scope: "company" });
      expect(goals.map((g) => [g.goal.workspaceId, g.actual])).toEqual([
        [t.ws.id, spec.acme + spec.thirdAmount],
      ]);
    },
  );

  it.each(WORKSPACES)("GIVEN workspace %s THEN reminders and stalled deals are its own", async (name) => {
    const [t] = twins(name);
    const spec = t.spec;
    const reminders = (await sales.reminders.listReminders(t.ws, t.bob)).items;
    expect(reminders.map((r) => [r.workspaceId, r.text])).toEqual([[t.ws.id, spec.note]]);
    const followups = (await sales.reminders.listReminders(t.ws, t.own)).items;
    expect(followups.map((r) => [r.workspaceId, r.deal?.number, r.text])).toEqual([[t.ws.id, 2, "Globex"]]);

    const stalled = (await sales.reminders.stalledDeals(t.ws)).items;
    expect(stalled.map((s) => [s.number, s.customer, s.amount, s.ownerId])).toEqual([
      [2, "Globex", spec.globex, t.own.id],
    ]);
  });

  it("GIVEN the same platform id in both THEN ensureMember gives each workspace its own member", async () => {
    const inA = await sales.members.ensureMember(a.ws, { platformUserId: "bob", displayName: "bob" });
    const inB = await sales.members.ensureMember(b.ws, { platformUserId: "bob", displayName: "bob" });
    expect([inA.id, inA.workspaceId]).toEqual([a.bob.id, a.ws.id]);
    expect([inB.id, inB.workspaceId]).toEqual([b.bob.id, b.ws.id]);
    expect((await sales.members.listMembers(a.ws)).every((m) => m.workspaceId === a.ws.id)).toBe(true);
  });
});

/** The AppError key a call fails with. */
async function errorKey(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isAppError(error)) return error.key;
    throw error;
  }
  return "(no error)";
}

describe("GIVEN a change in one workspace THEN the other is untouched", () => {
  it("GIVEN deals #1 and #2 changed in A THEN B's #1 and #2, members and settings are as they were", async () => {
    const x = await seedTwin(SPEC_A);
    const y = await seedTwin(SPEC_B);
    const before = {
      deals: await db.prisma.deal.findMany({ where: { workspaceId: y.ws.id }, orderBy: { id: "asc" } }),
      events: await db.prisma.dealEvent.count({ where: { workspaceId: y.ws.id } }),
      members: await db.prisma.member.findMany({ where: { workspaceId: y.ws.id }, orderBy: { id: "asc" } }),
      workspace: await sales.workspaces.getWorkspace(y.ws.id),
      reminders: await db.prisma.reminder.findMany({
        where: { workspaceId: y.ws.id },
        orderBy: { id: "asc" },
      }),
    };

    const [reminder] = (await sales.reminders.listReminders(x.ws, x.bob)).items;
    for (const line of [
      "/deal stage #1 negotiation",
      "/deal note #1 Reopened after the audit",
      "/deal won #1 4k",
      "/deal lost #2 reason:price",
      "/deal stage #2 proposal",
      // A mention resolves in A only: @yan becomes a new member of A, not B's yan.
      "/deal assign #2 @yan",
      "/closer role @bob manager",
      "/closer config set currency USD",
      `/remind done ${reminder?.id}`,
    ]) {
      const reply = await run(sales, x.ws, x.admin, line);
      expect(reply.tone, `${line}: ${textOf(reply)}`).not.toBe("error");
    }

    const yanInA = await sales.members.findMember(x.ws, "yan");
    expect(yanInA?.workspaceId).toBe(x.ws.id);
    expect(yanInA?.id).not.toBe(y.own.id);
    expect(await sales.deals.getDeal(x.ws, 1)).toMatchObject({ stage: "won", amount: 400_000n });
    expect(await sales.deals.getDeal(x.ws, 2)).toMatchObject({ stage: "proposal", ownerId: yanInA?.id });

    expect({
      deals: await db.prisma.deal.findMany({ where: { workspaceId: y.ws.id }, orderBy: { id: "asc" } }),
      events: await db.prisma.dealEvent.count({ where: { workspaceId: y.ws.id } }),
      members: await db.prisma.member.findMany({ where: { workspaceId: y.ws.id }, orderBy: { id: "asc" } }),
      workspace: await sales.workspaces.getWorkspace(y.ws.id),
      reminders: await db.prisma.reminder.findMany({
        where: { workspaceId: y.ws.id },
        orderBy: { id: "asc" },
      }),
    }).toEqual(before);
    const text = await textIn(y, y.admin, "/deal show #1");
    expect(text).toContain(`${y.amounts.acme}.00`);
    expect(text).not.toContain("Reopened after the audit");
  });

  it("GIVEN a member of B as the actor on A's deal THEN the service refuses and A's deal is untouched", async () => {
    const x = await seedTwin(SPEC_A);
    const y = await seedTwin(SPEC_B);
    const before = await sales.deals.showDeal(x.ws, 2);

    // Soft: each refusal is reported on its own, so one run shows every gap.
    expect.soft(await errorKey(sales.deals.winDeal(x.ws, y.admin, 2)), "winDeal").not.toBe("(no error)");
    expect
      .soft(await errorKey(sales.deals.addNote(x.ws, y.admin, 2, "from B")), "addNote")
      .not.toBe("(no error)");
    expect
      .soft(await errorKey(sales.deals.reassign(x.ws, x.admin, 2, y.bob)), "reassign")
      .not.toBe("(no error)");
    expect
      .soft(await errorKey(sales.deals.logDeal(x.ws, y.admin, { amount: 100n, customer: "Acme" })), "logDeal")
      .not.toBe("(no error)");
    expect
      .soft(await errorKey(sales.workspaces.setConfig(x.ws, y.admin, "locale", "fr")), "setConfig")
      .not.toBe("(no error)");
    expect
      .soft(await errorKey(sales.members.setRole(x.ws, y.admin, x.bob, "admin")), "setRole")
      .not.toBe("(no error)");

    expect(await sales.deals.showDeal(x.ws, 2)).toEqual(before);
    expect(await db.prisma.deal.count({ where: { workspaceId: x.ws.id } })).toBe(3);
    expect((await sales.workspaces.getWorkspace(x.ws.id)).locale).toBe("en");
    expect((await sales.members.findMember(x.ws, "bob"))?.role).toBe("rep");
  });
});
