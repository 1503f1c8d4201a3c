import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { renderText } from "../../src/platforms/shell/render-text.js";
import type { Member, Workspace } from "../../src/sales/deps.js";
import type { SalesService } from "../../src/sales/sales-service.js";
import {
  createTestSales,
  type FixedClock,
  run,
  runText,
  seedDeal,
  seedRep,
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

/** A Paris workspace on Wednesday 2026-11-18 11:00 local, with alice's open deal #1 for Acme. */
async function team(settings: { locale?: "en" | "fr" } = {}) {
  clock.set("2026-11-18T10:00:00Z");
  const ws = await seedWorkspace(sales, { timezone: "Europe/Paris", ...settings });
  const alice = await seedRep(sales, ws, "alice");
  const bob = await seedRep(sales, ws, "bob");
  await seedDeal(sales, ws, alice, { amount: 1_000_000n, customer: "Acme" });
  return { ws, alice, bob };
}

const activitiesOf = (ws: Workspace) =>
  db.prisma.activity.findMany({ where: { workspaceId: ws.id }, orderBy: { id: "asc" } });
const remindersOf = (ws: Workspace, member: Member) =>
  db.prisma.reminder.findMany({ where: { workspaceId: ws.id, memberId: member.id }, orderBy: { id: "asc" } });
const lastActivity = async (ws: Workspace, number: number) =>
  (
    await db.prisma.deal.findFirstOrThrow({ where: { workspaceId: ws.id, number } })
  ).lastActivityAt.toISOString();

describe("/log", () => {
  it("GIVEN each kind, in English and in French THEN each is recorded by its actor, about the deal and its customer", async () => {
    const { ws, alice, bob } = await team();
    expect(await runText(sales, ws, alice, "/log call #1 discussed pricing")).toContain(
      "📞 Call logged: #1 Acme",
    );
    expect(await runText(sales, ws, bob, "/log meeting Acme")).toContain("🤝 Meeting logged: Acme");
    expect(await runText(sales, ws, alice, "/log email #1 note:“sent the quote”")).toContain(
      "✉️ Email logged: #1 Acme",
    );
    expect(await runText(sales, ws, alice, "/log demo acme")).toContain("🖥️ Demo logged: Acme");
    for (const word of ["appel", "Réunion", "rendez-vous", "mail", "e-mail", "démo", "demo"]) {
      expect((await run(sales, ws, alice, `/log ${word} #1`)).tone).toBeUndefined();
    }
    const rows = await activitiesOf(ws);
    expect(
      rows.map((a) => [a.kind, a.memberId === alice.id ? "alice" : "bob", a.dealId !== null, a.note]),
    ).toEqual([
      ["call", "alice", true, "discussed pricing"],
      ["meeting", "bob", false, null],
      ["email", "alice", true, "sent the quote"],
      ["demo", "alice", false, null],
      ["call", "alice", true, null],
      ["meeting", "alice", true, null],
      ["meeting", "alice", true, null],
      ["email", "alice", true, null],
      ["email", "alice", true, null],
      ["demo", "alice", true, null],
      ["demo", "alice", true, null],
    ]);
    expect(new Set(rows.map((a) => a.at.toISOString()))).toEqual(new Set(["2026-11-18T10:00:00.000Z"]));
  });

  it("GIVEN customers Acme and Acme Corp THEN the longest known name is the customer and the words after it the note", async () => {
    const { ws, alice } = await team();
    await seedDeal(sales, ws, alice, { amount: 500_000n, customer: "Acme Corp" });
    await runText(sales, ws, alice, "/log call ACME corp. asked for a discount");
    await runText(sales, ws, alice, "/log call Acme about the renewal");
    const rows = await db.prisma.activity.findMany({
      where: { workspaceId: ws.id },
      include: { customer: true },
      orderBy: { id: "asc" },
    });
    expect(rows.map((a) => [a.customer.name, a.note])).toEqual([
      ["Acme Corp", "asked for a discount"],
      ["Acme", "about the renewal"],
    ]);
    const unknown = await run(sales, ws, alice, "/log call Initech about the renewal");
    expect(unknown.tone).toBe("error");
    expect(renderText(unknown)).toContain("Initech about the renewal");
  });

  it("GIVEN at: in the past THEN it is recorded then, in the workspace's zone; in the future THEN refused and nothing is written", async () => {
    const { ws, alice } = await team();
    const yesterday = await runText(sales, ws, alice, "/log call #1 at:yesterday");
    expect(yesterday).toContain("On Nov 17, 2026 at 12:00");
    await runText(sales, ws, alice, '/log meeting #1 at:"2026-11-16 09:30"');
    await runText(sales, ws, alice, "/log demo #1 at:10h15");
    expect((await activitiesOf(ws)).map((a) => a.at.toISOString())).toEqual([
      "2026-11-17T11:00:00.000Z", // noon in Paris
      "2026-11-16T08:30:00.000Z",
      "2026-11-18T09:15:00.000Z",
    ]);
    for (const at of ["tomorrow", "11:30", '"2026-11-18 23:00"', "2026-12-01"]) {
      const refused = await run(sales, ws, alice, `/log call #1 at:${at}`);
      expect(refused.tone).toBe("error");
      expect(renderText(refused)).toContain("cannot be in the future");
    }
    const bad = await run(sales, ws, alice, "/log call #1 at:someday");
    expect(renderText(bad)).toContain("“someday” is not a date or time");
    expect(await activitiesOf(ws)).toHaveLength(3);
  });

  it("GIVEN an unknown kind, no subject, another workspace's deal or customer, or a deleted deal THEN refused with nothing written", async () => {
    const { ws, alice } = await team();
    const other = await seedWorkspace(sales);
    const carol = await seedRep(sales, other, "carol");
    await seedDeal(sales, other, carol, { amount: 100n, customer: "Globex" });
    await seedDeal(sales, other, carol, { amount: 100n, customer: "Globex" });
    const admin = (await sales.members.findMember(ws, "admin")) as Member;
    await seedDeal(sales, ws, alice, { amount: 100n, customer: "Umbrella" });
    await sales.deals.deleteDeal(ws, admin, 2);
    const refusals: [string, string][] = [
      ["/log lunch #1", "“lunch” is not an activity; use one of call, meeting, email, demo."],
      ["/log call", "About what? Name a deal (#12) or a customer"],
      ["/log call #7", "There is no deal #7."],
      ["/log call Globex", "There is no customer called “Globex”."],
      ["/log call #2", "Deal #2 is deleted."],
      ['/log call #1 contact:"Jane Doe"', "Acme has no contact called “Jane Doe”."],
    ];
    for (const [line, message] of refusals) {
      const reply = await run(sales, ws, alice, line);
      expect(reply.tone, line).toBe("error");
      expect(renderText(reply), line).toContain(message);
    }
    // Another workspace's deal #2 is its own, untouched.
    expect(await activitiesOf(ws)).toEqual([]);
    expect(await activitiesOf(other)).toEqual([]);
  });

  it("GIVEN a contact of the customer THEN the activity is with them", async () => {
    const { ws, alice } = await team();
    const acme = await db.prisma.customer.findFirstOrThrow({ where: { workspaceId: ws.id } });
    await db.prisma.contact.create({
      data: { workspaceId: ws.id, customerId: acme.id, name: "Jane Doe", nameKey: "jane doe" },
    });
    expect(await runText(sales, ws, alice, '/log call #1 contact:"jane DOE" went well')).toContain(
      "With Jane Doe",
    );
    expect((await activitiesOf(ws))[0]?.contactId).not.toBeNull();
  });
});

describe("what an activity does to the deal and the reminders", () => {
  it("GIVEN a stalled deal THEN an activity restarts its clock, and one entered for an earlier day never moves it back", async () => {
    const { ws, alice } = await team();
    clock.set("2026-12-10T10:00:00Z");
    expect((await sales.reminders.stalledDeals(ws)).items.map((d) => d.number)).toEqual([1]);
    await runText(sales, ws, alice, "/log email #1");
    expect(await lastActivity(ws, 1)).toBe("2026-12-10T10:00:00.000Z");
    expect((await sales.reminders.stalledDeals(ws)).items).toEqual([]);
    await runText(sales, ws, alice, "/log call #1 at:2026-12-01");
    expect(await lastActivity(ws, 1)).toBe("2026-12-10T10:00:00.000Z");
  });

  it("GIVEN a follow-up due THEN the actor's call completes it, not another member's, nor one due later", async () => {
    const { ws, alice, bob } = await team();
    await runText(sales, ws, bob, "/remind #1 +7d check the contract");
    await runText(sales, ws, alice, "/remind Acme +10d send the case study");
    clock.set("2026-11-23T09:00:00Z"); // Monday: alice's follow-up of #1 is due
    const reply = await runText(sales, ws, alice, "/log call #1 left a message");
    expect(reply).toMatch(/✅ Reminder \[\d+\] done: #1, Acme/);
    const alices = await remindersOf(ws, alice);
    expect(alices.map((r) => [r.text, r.done])).toEqual([
      ["Acme", true],
      ["send the case study", false],
      // A first call with a prospect: a new follow-up, three working days later.
      ["Acme", false],
    ]);
    expect(alices[2]?.dueAt.toISOString()).toBe("2026-11-25T23:00:00.000Z"); // Thursday 26, Paris
    expect((await remindersOf(ws, bob)).map((r) => r.done)).toEqual([false]);
  });

  it("GIVEN a first call or meeting with a prospect THEN a follow-up is set; not after a second one, not for an email, not for a customer with a win", async () => {
    const { ws, alice, bob } = await team();
    await seedDeal(sales, ws, alice, { amount: 100n, customer: "Globex", stage: "won" });
    const first = await runText(sales, ws, bob, "/log email Acme");
    expect(first).not.toContain("Follow-up");
    const meeting = await runText(sales, ws, bob, "/log meeting Acme");
    expect(meeting).toContain("⏰ Follow-up set for Nov 23, 2026");
    expect(await runText(sales, ws, bob, "/log call Acme")).not.toContain("Follow-up");
    expect(await runText(sales, ws, bob, "/log call Globex")).not.toContain("Follow-up");
    const bobs = await remindersOf(ws, bob);
    expect(bobs.map((r) => [r.origin, r.customerId !== null, r.dealId])).toEqual([["followup", true, null]]);
  });

  it("GIVEN two first calls at once THEN one follow-up is set", async () => {
    const { ws, bob } = await team();
    await Promise.all([
      sales.activities.logActivity(ws, bob, { kind: "call", customer: "Acme" }),
      sales.activities.logActivity(ws, bob, { kind: "meeting", customer: "Acme" }),
    ]);
    expect(await remindersOf(ws, bob)).toHaveLength(1);
  });
});

describe("/log in French", () => {
  it("GIVEN a French workspace THEN the French words, keys and dates are read and the reply is French", async () => {
    const { ws, alice } = await team({ locale: "fr" });
    const reply = await runText(
      sales,
      ws,
      alice,
      "/log réunion #1 quand:hier note:«\u202fdevis envoyé\u202f»",
    );
    expect(reply).toContain("🤝 Réunion enregistrée\u202f: #1 Acme");
    expect(reply).toContain("Le 17 nov. 2026 à 12:00");
    expect(reply).toContain("Note\u202f: devis envoyé");
    const refused = await run(sales, ws, alice, "/log appel #1 quand:demain");
    expect(renderText(refused)).toContain("ne peuvent pas être dans le futur");
    const unknown = await run(sales, ws, alice, "/log déjeuner #1");
    expect(renderText(unknown)).toContain(
      "n’est pas une activité\u202f; utilisez appel, réunion, e-mail, démo.",
    );
  });
});
