import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.js";
import type { Reply } from "../../src/messages/reply.js";
import { renderText } from "../../src/platforms/shell/render-text.js";
import type { Workspace } from "../../src/sales/deps.js";
import { seedRep } from "../fixtures/sales.js";
import { useSchedulerWorld } from "./support.js";

const world = useSchedulerWorld();
const { schedulerFor, seedTeam, outboxOf } = world;

/**
 * A Paris team (digest at 09:00, 08:00 UTC in December) with a contest from Monday 7 to Friday 11
 * December 2026, created on the 1st; alice wins 5 000 € on the 8th and bob 3 000 € on the 9th.
 */
async function seedContest(settings: Record<string, string> = { wins_channel: "wins" }) {
  const { sales, clock } = world;
  clock.set("2026-12-01T10:00:00Z");
  const team = await seedTeam("Europe/Paris", settings);
  const alice = await seedRep(sales, team.ws, "alice");
  const bob = await seedRep(sales, team.ws, "bob");
  await sales.contests.createContest(team.ws, team.admin, {
    name: "December sprint",
    metric: "revenue",
    from: "2026-12-07",
    to: "2026-12-11",
    prize: "A day off",
    teamMode: false,
    team: null,
  });
  const win = async (rep: typeof alice, at: string, euros: number) => {
    clock.set(at);
    const deal = (
      await sales.deals.logDeal(team.ws, rep, { customer: `C${at}`, amount: BigInt(euros * 100) })
    ).deal;
    await sales.deals.winDeal(team.ws, rep, deal.number);
  };
  return { ...team, alice, bob, win };
}

const contestRows = async (ws: Workspace) =>
  (await outboxOf(ws, "contest")).map((r) => ({
    key: r.dedupeKey.replace(/^contest:\d+:/, ""),
    to: r.destination,
    at: r.createdAt.toISOString(),
    text: renderText(r.payload as unknown as Reply),
  }));

/** Sweeps at 07:55, 08:00 and 14:00 UTC of each day from 6 to 14 December, as a running process would. */
function sweepInstants(days = [6, 7, 8, 9, 10, 11, 12, 13, 14]) {
  return days.flatMap((d) => {
    const day = `2026-12-${String(d).padStart(2, "0")}`;
    return [`${day}T07:55:00Z`, `${day}T08:00:00Z`, `${day}T14:00:00Z`];
  });
}

describe("contest announcements", () => {
  it("GIVEN a contest THEN its start, last day and result are posted once each at 09:00 local, and the digest shows the standings while it runs", async () => {
    const { clock } = world;
    const { ws, alice, bob, win } = await seedContest();
    const { scheduler, errors } = schedulerFor([ws]);
    for (const at of sweepInstants()) {
      if (at === "2026-12-08T14:00:00Z") await win(alice, "2026-12-08T13:00:00Z", 5_000);
      if (at === "2026-12-09T14:00:00Z") await win(bob, "2026-12-09T13:00:00Z", 3_000);
      clock.set(at);
      await scheduler.sweep();
    }
    const rows = await contestRows(ws);
    expect(rows.map((r) => [r.key, r.to, r.at])).toEqual([
      ["start", "#wins", "2026-12-07T08:00:00.000Z"],
      ["last_day", "#wins", "2026-12-11T08:00:00.000Z"],
      ["result", "#wins", "2026-12-12T08:00:00.000Z"],
    ]);
    expect(rows[0]?.text).toContain("🏁 Contest “December sprint” starts today");
    expect(rows[0]?.text).toContain("Prize: A day off");
    expect(rows[0]?.text).toContain("Ties: whoever reached the score first ranks ahead");
    expect(rows[1]?.text).toContain("1. alice · €5,000");
    expect(rows[1]?.text).toContain("2. bob · €3,000 · €2,000 behind the leader");
    expect(rows[2]?.text).toBe(
      [
        "🏆 “December sprint”: the result",
        "  Winner: alice",
        "  alice wins the prize: A day off",
        "  Final standings:",
        "  1. alice · €5,000",
        "  2. bob · €3,000 · €2,000 behind the leader",
        "  Ties: whoever reached the score first ranks ahead; reached at the same moment, the place is shared.",
      ].join("\n"),
    );
    // The digest channel's digest carries the standings while the contest runs, and no longer after.
    const digests = (await outboxOf(ws, "digest")).filter((r) => r.destination === "#digest");
    const digestOn = (day: string) =>
      renderText(digests.find((r) => r.dedupeKey.includes(`:${day}:`))?.payload as unknown as Reply);
    expect(digestOn("2026-12-10")).toContain(
      "December sprint (2 days left, ends Dec 11, 2026): 1. alice €5,000, 2. bob €3,000",
    );
    expect(digestOn("2026-12-14")).not.toContain("December sprint");
    expect(errors).toEqual([]);
  });

  it("GIVEN Closer down on the contest's last days WHEN it comes back THEN the result is posted on its first tick, the stale last-day message never, and a restart adds nothing", async () => {
    const { clock } = world;
    const { ws, alice, win } = await seedContest();
    const first = schedulerFor([ws]).scheduler;
    for (const at of sweepInstants([7, 8, 9])) {
      clock.set(at);
      await first.sweep();
    }
    await win(alice, "2026-12-09T15:00:00Z", 100);
    first.stop();
    // Down from the 9th in the afternoon until 03:00 on Monday the 14th, before that day's slot.
    const restarted = schedulerFor([ws]).scheduler;
    clock.set("2026-12-14T02:00:00Z");
    await restarted.start();
    const again = schedulerFor([ws]).scheduler;
    clock.set("2026-12-14T02:05:00Z");
    await again.sweep();
    const rows = await contestRows(ws);
    expect(rows.map((r) => [r.key, r.at])).toEqual([
      ["start", "2026-12-07T08:00:00.000Z"],
      ["result", "2026-12-14T02:00:00.000Z"],
    ]);
    expect(rows[1]?.text).toContain("Winner: alice");
    const contest = await world.db.prisma.contest.findFirstOrThrow({ where: { workspaceId: ws.id } });
    expect(contest.lastDayAnnouncedAt).toBeNull();
    expect(contest.resultAnnouncedAt?.toISOString()).toBe("2026-12-14T02:00:00.000Z");
  });

  it("GIVEN two replicas on the same database WHEN they sweep at the same instants THEN each announcement is queued once", async () => {
    const { clock, db } = world;
    const teams = [await seedContest(), await seedContest()];
    const workspaces = teams.map((t) => t.ws);
    // On PostgreSQL a second connection pool, as a second process would have; PGlite has only one.
    const other = world.url ? await openDatabase(world.url) : db;
    try {
      const a = schedulerFor(workspaces);
      const b = schedulerFor(workspaces, { onDb: other });
      let queued = 0;
      for (const at of [
        "2026-12-07T08:00:00Z",
        "2026-12-11T08:00:00Z",
        "2026-12-12T08:00:00Z",
        "2026-12-12T09:00:00Z",
      ]) {
        clock.set(at);
        const [qa, qb] = await Promise.all([a.scheduler.sweep(), b.scheduler.sweep()]);
        queued += qa + qb;
      }
      let total = 0;
      for (const ws of workspaces) {
        const rows = await outboxOf(ws);
        total += rows.length;
        expect((await contestRows(ws)).map((r) => r.key)).toEqual(["start", "last_day", "result"]);
      }
      // Three contest announcements and two digests (the digest channel's and the manager's) on two days.
      expect(total).toBe(2 * (3 + 4));
      expect(queued).toBe(total);
      expect([...a.errors, ...b.errors]).toEqual([]);
    } finally {
      if (other !== db) await other.close();
    }
  });

  it("GIVEN a contest cancelled after its start was announced THEN its cancellation is announced once; one cancelled before, never", async () => {
    const { clock, sales } = world;
    const started = await seedContest();
    const coming = await seedContest();
    clock.set("2026-12-01T12:00:00Z");
    await sales.contests.cancelContest(coming.ws, coming.admin, "December sprint");
    const { scheduler } = schedulerFor([started.ws, coming.ws]);
    clock.set("2026-12-07T08:00:00Z");
    await scheduler.sweep();
    clock.set("2026-12-08T10:00:00Z");
    await sales.contests.cancelContest(started.ws, started.admin, "December sprint");
    for (const at of ["2026-12-08T10:05:00Z", "2026-12-08T10:10:00Z", "2026-12-12T08:00:00Z"]) {
      clock.set(at);
      await scheduler.sweep();
    }
    const rows = await contestRows(started.ws);
    expect(rows.map((r) => [r.key, r.at])).toEqual([
      ["start", "2026-12-07T08:00:00.000Z"],
      ["cancelled", "2026-12-08T10:05:00.000Z"],
    ]);
    expect(rows[1]?.text).toContain("Contest “December sprint” is cancelled");
    expect(await contestRows(coming.ws)).toEqual([]);
  });

  it("GIVEN contest_channel THEN announcements go there; with no channel at all they are claimed and posted nowhere", async () => {
    const { clock } = world;
    const routed = await seedContest({ wins_channel: "wins", contest_channel: "#contests" });
    const silent = await seedContest({});
    const { scheduler } = schedulerFor([routed.ws, silent.ws]);
    clock.set("2026-12-07T08:00:00Z");
    await scheduler.sweep();
    expect((await contestRows(routed.ws)).map((r) => [r.key, r.to])).toEqual([["start", "#contests"]]);
    expect(await contestRows(silent.ws)).toEqual([]);
    const contest = await world.db.prisma.contest.findFirstOrThrow({ where: { workspaceId: silent.ws.id } });
    expect(contest.startAnnouncedAt?.toISOString()).toBe("2026-12-07T08:00:00.000Z");
  });

  it("GIVEN a French workspace and two reps level at the same instant THEN the result names both winners sharing the prize, in French", async () => {
    const { clock } = world;
    const { ws, alice, bob, win } = await seedContest({ wins_channel: "victoires", locale: "fr" });
    await win(alice, "2026-12-08T13:00:00Z", 2_000);
    await win(bob, "2026-12-08T13:00:00Z", 2_000);
    const { scheduler } = schedulerFor([ws]);
    clock.set("2026-12-12T08:00:00Z");
    await scheduler.sweep();
    const [result] = await contestRows(ws);
    expect(result?.text).toBe(
      [
        "🏆 «\u202fDecember sprint\u202f»\u202f: le résultat",
        "  Gagnants, à égalité en tête\u202f: alice et bob",
        "  alice et bob se partagent le lot\u202f: A day off",
        "  Classement final\u202f:",
        "  1. alice · 2\u202f000\u00a0€",
        "  1. bob · 2\u202f000\u00a0€",
        "  Égalités\u202f: passe devant qui a atteint son score le premier\u202f; atteint au même instant, la place est partagée.",
      ].join("\n"),
    );
  });

  it("GIVEN team against team and nobody scoring THEN the result names no winner", async () => {
    const { clock, sales } = world;
    const { ws, admin, alice, bob } = await seedContest();
    await sales.members.addToTeam(ws, admin, "North", [alice]);
    await sales.members.addToTeam(ws, admin, "South", [bob]);
    await sales.contests.createContest(ws, admin, {
      name: "Teams",
      metric: "deals",
      from: "2026-12-07",
      to: "2026-12-11",
      teamMode: true,
      team: null,
    });
    const { scheduler } = schedulerFor([ws]);
    clock.set("2026-12-12T08:00:00Z");
    await scheduler.sweep();
    const texts = (await contestRows(ws)).map((r) => r.text);
    expect(texts).toEqual([
      "🏆 “December sprint”: the result\n  Nobody scored: no winner this time.",
      "🏆 “Teams”: the result\n  Nobody scored: no winner this time.",
    ]);
  });
});
