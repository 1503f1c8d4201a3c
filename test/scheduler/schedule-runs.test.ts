import nodeCron from "node-cron";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.js";
import type { Member, Workspace } from "../../src/sales/deps.js";
import { dailyPattern } from "../../src/scheduler/scheduler.js";
import { seedRep } from "../fixtures/sales.js";
import { dateOf, digestKeys, localOf, useSchedulerWorld } from "./support.js";

const world = useSchedulerWorld();
const { schedulerFor, seedTeam, outboxOf, runsOf } = world;

describe("catching up", () => {
  /** A Paris team whose rep logged Globex on 4 November at 10:00, untouched since. */
  async function seedStalledTeam() {
    const { sales, clock } = world;
    const team = await seedTeam("Europe/Paris");
    const rita = await seedRep(sales, team.ws, "rita");
    clock.set("2026-11-04T09:00:00Z");
    await sales.deals.logDeal(team.ws, rita, { customer: "Globex", amount: 700_000n });
    return { ...team, rita };
  }
  const channelDigest = async (ws: Workspace) => {
    const row = (await outboxOf(ws, "digest")).find((r) => r.destination === "#digest");
    return JSON.stringify(row?.payload);
  };

  it("GIVEN the process was down at 09:00 WHEN it sweeps at 14:00 THEN the digest runs once, as of 14:00, and later sweeps do nothing more", async () => {
    const { clock } = world;
    const upAtNine = await seedStalledTeam();
    const downAtNine = await seedStalledTeam();
    const { ws } = downAtNine;

    clock.set("2026-11-18T08:00:00Z");
    expect(await schedulerFor([upAtNine.ws]).scheduler.sweep()).toBeGreaterThan(0);
    const { scheduler, errors } = schedulerFor([ws]);
    clock.set("2026-11-18T13:00:00Z");
    const queued = await scheduler.sweep();

    const rows = await outboxOf(ws);
    expect(queued).toBe(rows.length);
    expect(rows.map((r) => [r.dedupeKey, r.createdAt.toISOString()])).toEqual(
      [
        ...digestKeys(ws, downAtNine.manager, "2026-11-18"),
        `reminders:${ws.id}:2026-11-18:${downAtNine.rita.id}`,
      ].map((key) => [key, "2026-11-18T13:00:00.000Z"]),
    );
    expect((await runsOf(ws)).map((r) => [r.job, dateOf(r.slot), r.ranAt.toISOString()])).toEqual([
      ["digest", "2026-11-18", "2026-11-18T13:00:00.000Z"],
      ["reminders", "2026-11-18", "2026-11-18T13:00:00.000Z"],
    ]);
    // Globex went quiet at 10:00 on the 4th: fourteen days later it is stalled at 14:00, not yet at 09:00.
    expect(await channelDigest(ws)).toContain("Globex");
    expect(await channelDigest(upAtNine.ws)).not.toContain("Globex");

    expect(await scheduler.sweep()).toBe(0);
    clock.set("2026-11-18T13:05:00Z");
    expect(await scheduler.sweep()).toBe(0);
    clock.set("2026-11-18T22:55:00Z");
    expect(await schedulerFor([ws]).scheduler.sweep()).toBe(0);
    expect(await outboxOf(ws)).toHaveLength(rows.length);
    expect(await runsOf(ws)).toHaveLength(2);
    expect(errors).toEqual([]);
  });

  it("GIVEN the process was down all day WHEN it first sweeps at 08:00 the next day THEN yesterday's digest is not run, and today's runs at 09:00", async () => {
    const { clock } = world;
    const team = await seedStalledTeam();
    const { ws } = team;
    const { scheduler, errors } = schedulerFor([ws]);

    clock.set("2026-11-19T07:00:00Z");
    expect(await scheduler.sweep()).toBe(0);
    expect(await outboxOf(ws)).toEqual([]);
    expect(await runsOf(ws)).toEqual([]);

    clock.set("2026-11-19T08:00:00Z");
    expect(await scheduler.sweep()).toBeGreaterThan(0);
    const digests = await outboxOf(ws, "digest");
    expect(digests.map((r) => r.dedupeKey)).toEqual(digestKeys(ws, team.manager, "2026-11-19"));
    expect((await runsOf(ws)).map((r) => dateOf(r.slot))).toEqual(["2026-11-19", "2026-11-19"]);
    expect(errors).toEqual([]);
  });
});

describe("replicas", () => {
  it("GIVEN two schedulers on the same database WHEN they sweep at the same instants THEN each notification is queued once and each job runs once a day", async () => {
    const { sales, clock, db } = world;
    // Each team has a digest, a rep with a follow-up due by Friday and a win in the week: all three jobs.
    const teams: { ws: Workspace; manager: Member; rep: Member }[] = [];
    clock.set("2026-11-16T15:00:00Z");
    for (const zone of ["Europe/Paris", "America/New_York", "Europe/Paris"]) {
      const team = await seedTeam(zone, { wins_channel: "wins" });
      const rep = await seedRep(sales, team.ws, "rex");
      await sales.deals.logDeal(team.ws, rep, { customer: "Acme", amount: 500_000n });
      await sales.deals.logDeal(team.ws, rep, { customer: "Initech", amount: 200_000n, stage: "won" });
      teams.push({ ...team, rep });
    }
    const workspaces = teams.map((t) => t.ws);
    // On PostgreSQL a second connection pool, as a second process would have; PGlite has only one.
    const other = world.url ? await openDatabase(world.url) : db;
    try {
      const a = schedulerFor(workspaces);
      const b = schedulerFor(workspaces, { onDb: other });
      let queued = 0;
      for (const at of [
        "2026-11-20T08:00:00Z",
        "2026-11-20T14:00:00Z",
        "2026-11-23T08:00:00Z",
        "2026-11-23T14:00:00Z",
      ]) {
        clock.set(at);
        const [qa, qb] = await Promise.all([a.scheduler.sweep(), b.scheduler.sweep()]);
        queued += qa + qb;
      }

      let total = 0;
      for (const { ws, manager, rep } of teams) {
        // What the schedulers queued: not the win, nor the achievement it earned.
        const rows = (await outboxOf(ws)).filter((r) => r.kind !== "win" && r.kind !== "achievement");
        total += rows.length;
        expect(rows.map((r) => r.dedupeKey).sort()).toEqual(
          [
            ...digestKeys(ws, manager, "2026-11-20"),
            `reminders:${ws.id}:2026-11-20:${rep.id}`,
            `award:${ws.id}:2026-11-16:weekly`,
            ...digestKeys(ws, manager, "2026-11-23"),
            `reminders:${ws.id}:2026-11-23:${rep.id}`,
          ].sort(),
        );
        expect((await runsOf(ws)).map((r) => [dateOf(r.slot), r.job])).toEqual([
          ["2026-11-20", "digest"],
          ["2026-11-20", "recognition"],
          ["2026-11-20", "reminders"],
          ["2026-11-23", "digest"],
          ["2026-11-23", "reminders"],
        ]);
      }
      // What the two claimed to queue adds up to the rows: neither counted the other's.
      expect(total).toBe(21);
      expect(queued).toBe(total);
      expect([...a.errors, ...b.errors]).toEqual([]);
    } finally {
      if (other !== db) await other.close();
    }
  });
});

describe("node-cron schedules", () => {
  const tasksNamed = (prefix: string) =>
    [...nodeCron.getTasks().values()].filter((t) => t.name?.startsWith(prefix));

  it("GIVEN workspaces in two zones THEN each has a daily node-cron task at its digest time in its zone, rescheduled when the time changes", async () => {
    const { sales, clock } = world;
    const paris = await seedTeam("Europe/Paris");
    const newYork = await seedTeam("America/New_York");
    const slack = await sales.workspaces.ensureWorkspace({
      platform: "slack",
      externalId: `T${paris.ws.id}`,
      name: "Slack",
      timezone: "Europe/Paris",
    });
    const { scheduler, errors } = schedulerFor([paris.ws, newYork.ws, slack]);
    clock.set("2026-11-18T05:00:00Z");

    expect(await scheduler.sweep()).toBe(0);

    const nextLocal = (id: number) => {
      const s = scheduler.schedules().get(id);
      const next = s?.task.getNextRun();
      return next && s ? localOf(next, s.timezone).toFormat("HH:mm") : null;
    };
    const first = scheduler.schedules();
    expect([...first].map(([id, s]) => [id, s.pattern, s.timezone])).toEqual([
      [paris.ws.id, "0 9 * * *", "Europe/Paris"],
      [newYork.ws.id, "0 9 * * *", "America/New_York"],
    ]);
    expect([nextLocal(paris.ws.id), nextLocal(newYork.ws.id)]).toEqual(["09:00", "09:00"]);
    const live = tasksNamed("closer-workspace-");
    expect(live.map((t) => t.name).sort()).toEqual(
      [`closer-workspace-${paris.ws.id}`, `closer-workspace-${newYork.ws.id}`].sort(),
    );

    await sales.workspaces.setConfig(paris.ws, paris.admin, "digest_time", "07:45");
    await scheduler.sweep();

    const second = scheduler.schedules();
    expect(second.get(paris.ws.id)).toMatchObject({ pattern: "45 7 * * *", timezone: "Europe/Paris" });
    expect(nextLocal(paris.ws.id)).toBe("07:45");
    expect(second.get(newYork.ws.id)?.task).toBe(first.get(newYork.ws.id)?.task);
    // The 09:00 task is gone from node-cron, not left to fire beside the new one.
    expect(tasksNamed(`closer-workspace-${paris.ws.id}`)).toEqual([second.get(paris.ws.id)?.task]);

    scheduler.stop();
    expect(scheduler.schedules().size).toBe(0);
    expect(tasksNamed("closer-workspace-")).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("GIVEN a scheduler for Slack only THEN it schedules the Slack workspace and not the shell ones", async () => {
    const { sales, clock } = world;
    const shell = await seedTeam("Europe/Paris");
    const slack = await sales.workspaces.ensureWorkspace({
      platform: "slack",
      externalId: `T${shell.ws.id}-only`,
      name: "Slack",
      timezone: "Asia/Tokyo",
    });
    const { scheduler } = schedulerFor([shell.ws, slack], { platforms: ["slack"] });
    clock.set("2026-11-18T05:00:00Z");
    await scheduler.sweep();
    expect([...scheduler.schedules()].map(([id, s]) => [id, s.pattern, s.timezone])).toEqual([
      [slack.id, "0 9 * * *", "Asia/Tokyo"],
    ]);
  });

  it("GIVEN start THEN it catches up what is due, keeps a sweep task, and stop leaves no task behind", async () => {
    const { clock } = world;
    const { ws } = await seedTeam("Europe/Paris");
    let told = 0;
    const { scheduler, errors } = schedulerFor([ws], { onQueued: () => told++ });
    const sweepsBefore = tasksNamed("closer-sweep").length;
    clock.set("2026-11-18T09:30:00Z");

    await scheduler.start();

    expect((await outboxOf(ws, "digest")).map((r) => r.createdAt.toISOString())).toEqual([
      "2026-11-18T09:30:00.000Z",
      "2026-11-18T09:30:00.000Z",
    ]);
    expect(told).toBe(1);
    expect(tasksNamed("closer-sweep")).toHaveLength(sweepsBefore + 1);
    expect(tasksNamed(`closer-workspace-${ws.id}`)).toHaveLength(1);

    scheduler.stop();
    expect(tasksNamed("closer-sweep")).toHaveLength(sweepsBefore);
    expect(tasksNamed(`closer-workspace-${ws.id}`)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("GIVEN an HH:MM time THEN the daily pattern is node-cron's minute and hour", () => {
    expect([dailyPattern("09:30"), dailyPattern("07:05"), dailyPattern("00:00")]).toEqual([
      "30 9 * * *",
      "5 7 * * *",
      "0 0 * * *",
    ]);
  });
});
