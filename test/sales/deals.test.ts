import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { isAppError } from "../../src/errors.js";
import { periodContaining } from "../../src/sales/periods/period.js";
import type { SalesService } from "../../src/sales/sales-service.js";
import { COMPANY as EVERYONE } from "../../src/sales/scope.js";
import { calendarOf } from "../../src/sales/workspaces/workspace-service.js";
import {
  createTestSales,
  type FixedClock,
  run,
  runText,
  seedDeal,
  seedMember,
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

async function errorKey(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isAppError(error)) return error.key;
    throw error;
  }
  throw new Error("expected an AppError");
}

describe("deal lifecycle", () => {
  it("GIVEN deals logged THEN they are numbered per workspace from 1 and every change is an event", async () => {
    clock.set("2026-11-18T10:00:00Z");
    const ws = await seedWorkspace(sales);
    const alice = await seedRep(sales, ws, "alice");
    const bob = await seedRep(sales, ws, "bob");
    const first = await seedDeal(sales, ws, alice, { amount: 1_000_000n, customer: "Acme" });
    const second = await seedDeal(sales, ws, alice, { amount: 500_000n, customer: "acme", title: "Renewal" });
    expect([first.number, second.number]).toEqual([1, 2]);
    expect(second.customerId).toBe(first.customerId);

    clock.set("2026-11-18T11:00:00Z");
    await sales.deals.moveStage(ws, alice, 1, "qualified");
    await sales.deals.addNote(ws, alice, 1, "Called the CFO");
    const admin = (await sales.members.listMembers(ws)).find((m) => m.role === "admin");
    if (!admin) throw new Error("no admin");
    await sales.deals.reassign(ws, admin, 1, bob);
    await sales.deals.winDeal(ws, bob, 1, { amount: 1_200_000n, note: "Champion in finance" });

    const shown = await sales.deals.showDeal(ws, 1);
    expect(shown).toMatchObject({
      stage: "won",
      amount: 1_200_000n,
      probability: 100,
      winNote: "Champion in finance",
      ownerId: bob.id,
    });
    expect(shown.events.map((e) => [e.kind, e.stage, e.amount, e.note, e.actor?.displayName])).toEqual([
      ["created", "lead", 1_000_000n, null, "alice"],
      ["stage", "qualified", null, null, "alice"],
      ["note", null, null, "Called the CFO", "alice"],
      ["owner", null, null, null, admin.displayName],
      ["stage", "won", 1_200_000n, "Champion in finance", "bob"],
    ]);
  });

  it("GIVEN a deal won on an earlier date THEN it counts in that period and logged-after-the-fact counts 0 days of cycle", async () => {
    clock.set("2026-11-18T10:00:00Z");
    const ws = await seedWorkspace(sales, { timezone: "Europe/Paris" });
    const rep = await seedRep(sales, ws, "rep");
    await seedDeal(sales, ws, rep, { amount: 300_000n, customer: "Initech" });
    const { deal } = await sales.deals.winDeal(ws, rep, 1, { closedOn: "2026-10-30" });
    expect(deal.closedAt?.toISOString()).toBe("2026-10-30T11:00:00.000Z");
    const october = periodContaining("month", new Date("2026-10-15T00:00:00Z"), calendarOf(ws));
    expect(await sales.kpis.computeKpis(ws, october, EVERYONE)).toMatchObject({
      wonCount: 1,
      salesCycleDays: 0,
    });
  });

  it("GIVEN a close date in the future THEN the win is refused and nothing changes", async () => {
    const ws = await seedWorkspace(sales);
    const rep = await seedRep(sales, ws, "rep");
    await seedDeal(sales, ws, rep, { amount: 300_000n, customer: "Initech" });
    expect(await errorKey(sales.deals.winDeal(ws, rep, 1, { closedOn: "2026-11-19" }))).toBe(
      "error.closed_in_future",
    );
    expect((await sales.deals.getDeal(ws, 1)).stage).toBe("lead");
  });

  it("GIVEN a closed deal THEN moving it to an open stage reopens it, and winning twice is refused", async () => {
    const ws = await seedWorkspace(sales);
    const rep = await seedRep(sales, ws, "rep");
    await seedDeal(sales, ws, rep, { amount: 300_000n, customer: "Initech" });
    await sales.deals.loseDeal(ws, rep, 1, "timing", "next year");
    const reopened = await sales.deals.moveStage(ws, rep, 1, "negotiation");
    expect(reopened).toMatchObject({
      stage: "negotiation",
      closedAt: null,
      lostReason: null,
      probability: 75,
    });
    await sales.deals.winDeal(ws, rep, 1);
    expect(await errorKey(sales.deals.winDeal(ws, rep, 1))).toBe("error.already_won");
  });

  it("GIVEN the same idempotency key twice THEN one deal is logged", async () => {
    const ws = await seedWorkspace(sales);
    const rep = await seedRep(sales, ws, "rep");
    const input = { amount: 100_000n, customer: "Hooli", idempotencyKey: "trigger-1" };
    const [{ deal: a }, { deal: b }] = await Promise.all([
      sales.deals.logDeal(ws, rep, input),
      sales.deals.logDeal(ws, rep, input),
    ]);
    const { deal: c } = await sales.deals.logDeal(ws, rep, input);
    expect(new Set([a.id, b.id, c.id]).size).toBe(1);
    expect(await db.prisma.deal.count({ where: { workspaceId: ws.id } })).toBe(1);
  });

  it("GIVEN a rep's deal list THEN mine, someone's, a team's and all are scoped", async () => {
    const ws = await seedWorkspace(sales);
    const admin = await seedMember(sales, ws, "boss", "admin");
    const alice = await seedRep(sales, ws, "alice");
    const bob = await seedRep(sales, ws, "bob");
    await sales.members.addToTeam(ws, admin, "North", [alice]);
    await seedDeal(sales, ws, alice, { amount: 100_000n, customer: "A" });
    await seedDeal(sales, ws, bob, { amount: 200_000n, customer: "B", stage: "proposal" });
    const names = async (line: string, as = alice) => (await run(sales, ws, as, line)).lines;
    expect(await names("/deal list")).toEqual(["#1 A · €1,000 · lead (10%) · alice"]);
    expect(await names("/deal list @bob")).toEqual(["#2 B · €2,000 · proposal (50%) · bob"]);
    expect(await names("/deal list team:north")).toEqual(["#1 A · €1,000 · lead (10%) · alice"]);
    expect(await names("/deal list all stage:proposal")).toEqual(["#2 B · €2,000 · proposal (50%) · bob"]);
    expect(await names("/deal list all")).toHaveLength(2);
  });
});

describe("commands end to end", () => {
  it("GIVEN a manager's week THEN goals, KPIs, leaderboard, forecast, customers and reminders all answer", async () => {
    clock.set("2026-11-18T10:00:00Z");
    const ws = await seedWorkspace(sales);
    const admin = await seedMember(sales, ws, "admin", "admin");
    const alice = await seedRep(sales, ws, "alice");
    await run(sales, ws, alice, "/deal log 12k Acme stage:proposal source:referral close:2026-11-30");
    await run(sales, ws, alice, '/deal won #1 note:"great demo"');
    await run(sales, ws, alice, "/deal log 5k Globex");
    await run(sales, ws, alice, "/deal lost #2 reason:competitor");

    expect(await runText(sales, ws, admin, "/goal set 20k @alice month")).toBe(
      "Goal set for alice\n  This month · alice: €12,000 of €20,000 (60%), pace 103%",
    );
    expect(await runText(sales, ws, admin, "/goal set 10 company quarter metric:deals")).toContain(
      "This quarter · company: 1 of 10 (10%)",
    );
    expect(await runText(sales, ws, alice, "/goal")).toContain(
      "This month · alice: €12,000 of €20,000 (60%), pace 103% · next milestone 75%",
    );
    expect(await runText(sales, ws, alice, "/kpi month @alice")).toContain("Win rate: 50% (1 won, 1 lost)");
    expect(await runText(sales, ws, alice, "/kpi month lost")).toMatch(/competitor +1 +€5,000/);
    expect(await runText(sales, ws, alice, "/kpi month sources")).toContain("referral");
    expect(await runText(sales, ws, alice, "/leaderboard")).toContain("🥇  alice  €12,000  1");
    expect(await runText(sales, ws, alice, "/forecast")).toContain("No revenue goal for this period");
    expect(await runText(sales, ws, alice, "/customer acme")).toContain("Acme · customer");
    expect(await runText(sales, ws, alice, "/customer list prospects")).toContain("None.");
    expect(await runText(sales, ws, alice, "/remind Acme +3d send the invoice")).toMatch(
      /Reminder set\n {2}\[\d+\] Nov 21, 2026 · Acme: send the invoice/,
    );
    expect(await runText(sales, ws, alice, "/remind list")).toContain("send the invoice");
    expect(await runText(sales, ws, admin, "/closer config set timezone Europe/Paris")).toBe(
      "timezone is now Europe/Paris",
    );
    expect(await runText(sales, ws, admin, "/closer role @alice manager")).toBe("alice is now manager");
    expect(await runText(sales, ws, admin, "/closer team add North @alice")).toBe(
      "alice added to team North",
    );
    expect(await runText(sales, ws, admin, "/closer team list")).toContain(
      "North · managers: alice · members: –",
    );
    expect(await runText(sales, ws, admin, "/closer help")).toContain("/deal log [amount] <customer…>");
  });
});
