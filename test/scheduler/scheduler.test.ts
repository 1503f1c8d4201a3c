import { DateTime } from "luxon";
import nodeCron from "node-cron";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../src/db/client.js";
import { migrate } from "../../src/db/migrate.js";
import type { Platform } from "../../src/generated/prisma/enums.js";
import type { Member, Workspace } from "../../src/sales/deps.js";
import type { SalesService } from "../../src/sales/sales-service.js";
import { createScheduler, dailyPattern, type Scheduler } from "../../src/scheduler/scheduler.js";
import { createTestSales, type FixedClock, seedMember, seedRep, seedWorkspace } from "../fixtures/sales.js";
import { type EmptyDatabase, openEmptyDatabase } from "../support/db.js";

const MINUTE = 60_000;

let database: EmptyDatabase;
let db: Database;
let sales: SalesService;
let clock: FixedClock;
const running: Scheduler[] = [];

beforeAll(async () => {
  // Migrated by hand rather than through openTestDatabase, to keep the URL a second handle needs.
  database = await openEmptyDatabase();
  await migrate(database.db.sql);
  db = database.db;
  ({ sales, clock } = createTestSales(db));
});
afterEach(() => {
  for (const scheduler of running.splice(0)) scheduler.stop();
});
afterAll(() => database.close());

interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** A scheduler on the test clock over the given workspaces, logging into `errors` what went wrong. */
function schedulerFor(
  workspaces: Workspace[],
  options: { platforms?: Platform[]; onDb?: Database; onQueued?: () => void } = {},
): { scheduler: Scheduler; errors: LogLine[] } {
  const errors: LogLine[] = [];
  const log = pino(
    { level: "info" },
    {
      write(line: string) {
        const parsed = JSON.parse(line) as LogLine;
        if (parsed.level >= 50) errors.push(parsed);
      },
    },
  );
  const scheduler = createScheduler({
    db: (options.onDb ?? db).prisma,
    platforms: options.platforms ?? ["shell"],
    workspaceIds: workspaces.map((w) => w.id),
    clock,
    log,
    ...(options.onQueued ? { onQueued: options.onQueued } : {}),
  });
  running.push(scheduler);
  return { scheduler, errors };
}

/** A workspace in a zone with a digest channel and a manager, then the given settings. */
async function seedTeam(
  timezone: string,
  settings: Record<string, string> = {},
): Promise<{ ws: Workspace; admin: Member; manager: Member }> {
  let ws = await seedWorkspace(sales, { timezone });
  const admin = await seedMember(sales, ws, "admin", "admin");
  for (const [key, value] of Object.entries({ digest_channel: "digest", ...settings }))
    ws = await sales.workspaces.setConfig(ws, admin, key, value);
  const manager = await seedMember(sales, ws, "maria", "manager");
  return { ws, admin, manager };
}

interface Step {
  at: Date;
  queued: number;
}

/**
 * Moves the clock from `from` (included) to `to` (excluded) and sweeps at each step: every 5 minutes
 * where `fine` says so, every `coarse` minutes elsewhere. Started on a whole hour, the steps stay on
 * whole 5 minutes, and a fine stretch is entered at most `coarse` minutes after it begins.
 */
async function stepThrough(
  scheduler: Scheduler,
  from: Date | string,
  to: Date | string,
  fine: (at: DateTime) => boolean,
  coarse = 60,
): Promise<Step[]> {
  const steps: Step[] = [];
  const end = new Date(to).getTime();
  for (let at = new Date(from).getTime(); at < end; ) {
    clock.set(new Date(at));
    steps.push({ at: new Date(at), queued: await scheduler.sweep() });
    at += (fine(DateTime.fromMillis(at, { zone: "UTC" })) ? 5 : coarse) * MINUTE;
  }
  return steps;
}

/** Whether the local time in any of the zones is within [from, to), both "HH:mm". */
const localTimeIn =
  (zones: string[], from: string, to: string) =>
  (at: DateTime): boolean =>
    zones.some((zone) => {
      const time = at.setZone(zone).toFormat("HH:mm");
      return time >= from && time < to;
    });

/** An instant written as a local time with its offset, `2026-03-29T03:30+02:00`. */
const instant = (local: string) => DateTime.fromISO(local, { setZone: true }).toJSDate();

const outboxOf = (ws: Workspace, kind?: string) =>
  db.prisma.outbox.findMany({
    where: { workspaceId: ws.id, ...(kind ? { kind } : {}) },
    orderBy: [{ createdAt: "asc" }, { dedupeKey: "asc" }],
  });

const runsOf = (ws: Workspace, job?: string) =>
  db.prisma.jobRun.findMany({
    where: { workspaceId: ws.id, ...(job ? { job } : {}) },
    orderBy: [{ slot: "asc" }, { job: "asc" }],
  });

const dateOf = (d: Date) => d.toISOString().slice(0, 10);
const localOf = (at: Date, zone: string) => DateTime.fromJSDate(at, { zone });
const localDay = (at: Date, zone: string) => localOf(at, zone).toISODate() ?? "";

/** The digest rows of a day for a workspace with a digest channel and one manager. */
const digestKeys = (ws: Workspace, manager: Member, day: string) => [
  `digest:${ws.id}:${day}:${manager.id}`,
  `digest:${ws.id}:${day}:channel`,
];

/** The digests of a stepped range are one a day, at each of the given instants, and nothing else. */
async function expectDigestsAt(team: { ws: Workspace; manager: Member }, locals: string[]): Promise<void> {
  const { ws, manager } = team;
  const expected = locals.map(instant);
  const runs = await runsOf(ws, "digest");
  expect(runs.map((r) => [dateOf(r.slot), r.ranAt.toISOString()])).toEqual(
    expected.map((at) => [localDay(at, ws.timezone), at.toISOString()]),
  );
  const rows = await outboxOf(ws, "digest");
  expect(rows.map((r) => [r.dedupeKey, r.destination, r.createdAt.toISOString()])).toEqual(
    expected.flatMap((at) => {
      const [dm, channel] = digestKeys(ws, manager, localDay(at, ws.timezone));
      return [
        [dm, "@maria", at.toISOString()],
        [channel, "#digest", at.toISOString()],
      ];
    }),
  );
}

/** The steps that queued something, as ISO instants. */
const queuedSteps = (steps: Step[]) => steps.filter((s) => s.queued > 0).map((s) => s.at.toISOString());

describe("digest timing", () => {
  // From Friday before either zone's 09:00 to Monday after both.
  const windows = [
    {
      name: "New York's spring-forward weekend",
      from: "2026-03-06T06:00:00Z",
      to: "2026-03-09T15:00:00Z",
      paris: ["2026-03-06T09:00+01:00", "2026-03-09T09:00+01:00"],
      newYork: ["2026-03-06T09:00-05:00", "2026-03-09T09:00-04:00"],
    },
    {
      name: "Paris's spring-forward weekend",
      from: "2026-03-27T06:00:00Z",
      to: "2026-03-30T15:00:00Z",
      paris: ["2026-03-27T09:00+01:00", "2026-03-30T09:00+02:00"],
      newYork: ["2026-03-27T09:00-04:00", "2026-03-30T09:00-04:00"],
    },
    {
      name: "Paris's fall-back weekend",
      from: "2026-10-23T06:00:00Z",
      to: "2026-10-26T15:00:00Z",
      paris: ["2026-10-23T09:00+02:00", "2026-10-26T09:00+01:00"],
      newYork: ["2026-10-23T09:00-04:00", "2026-10-26T09:00-04:00"],
    },
    {
      name: "New York's fall-back weekend and the turn of the month",
      from: "2026-10-30T06:00:00Z",
      to: "2026-11-02T15:00:00Z",
      paris: ["2026-10-30T09:00+01:00", "2026-11-02T09:00+01:00"],
      newYork: ["2026-10-30T09:00-04:00", "2026-11-02T09:00-05:00"],
    },
  ];

  it.each(windows)(
    "GIVEN Paris and New York at 09:00 mon-fri WHEN swept through $name, every 5 minutes from 08:00 local THEN one digest each working day, at 09:00 local, none at the weekend",
    async ({ from, to, paris: parisAt, newYork: newYorkAt }) => {
      const paris = await seedTeam("Europe/Paris");
      const newYork = await seedTeam("America/New_York");
      const { scheduler, errors } = schedulerFor([paris.ws, newYork.ws]);

      const steps = await stepThrough(
        scheduler,
        from,
        to,
        localTimeIn(["Europe/Paris", "America/New_York"], "08:00", "09:05"),
      );

      await expectDigestsAt(paris, parisAt);
      await expectDigestsAt(newYork, newYorkAt);
      for (const [ws, locals] of [
        [paris.ws, parisAt],
        [newYork.ws, newYorkAt],
      ] as const) {
        const local = locals.map((l) => localOf(instant(l), ws.timezone));
        expect(local.map((l) => [l.toFormat("HH:mm"), l.weekday <= 5])).toEqual(
          locals.map(() => ["09:00", true]),
        );
      }
      // Only the steps at the slots queued anything: two digests each, which are what the outbox holds.
      expect(queuedSteps(steps).sort()).toEqual(
        [...parisAt, ...newYorkAt].map((l) => instant(l).toISOString()).sort(),
      );
      expect(steps.filter((s) => s.queued > 0).every((s) => s.queued === 2)).toBe(true);
      expect(errors).toEqual([]);
    },
  );

  // The change day, with the times on both offsets, and the day after.
  const dstDays = [
    {
      name: "Paris springs forward",
      zone: "Europe/Paris",
      days: ["2026-03-29", "2026-03-30"],
      "01:30": ["2026-03-29T01:30+01:00", "2026-03-30T01:30+02:00"],
      // 02:30 does not exist on the 29th: the slot moves on by the hour the clocks skip.
      "02:30": ["2026-03-29T03:30+02:00", "2026-03-30T02:30+02:00"],
    },
    {
      name: "Paris falls back",
      zone: "Europe/Paris",
      days: ["2026-10-25", "2026-10-26"],
      "01:30": ["2026-10-25T01:30+02:00", "2026-10-26T01:30+01:00"],
      // 02:30 happens twice on the 25th: the first, still on summer time, is the slot.
      "02:30": ["2026-10-25T02:30+02:00", "2026-10-26T02:30+01:00"],
    },
    {
      name: "New York springs forward",
      zone: "America/New_York",
      days: ["2026-03-08", "2026-03-09"],
      "01:30": ["2026-03-08T01:30-05:00", "2026-03-09T01:30-04:00"],
      "02:30": ["2026-03-08T03:30-04:00", "2026-03-09T02:30-04:00"],
    },
    {
      name: "New York falls back",
      zone: "America/New_York",
      days: ["2026-11-01", "2026-11-02"],
      // 01:30 happens twice on 1 November: the first, still on daylight time, is the slot.
      "01:30": ["2026-11-01T01:30-04:00", "2026-11-02T01:30-05:00"],
      "02:30": ["2026-11-01T02:30-05:00", "2026-11-02T02:30-05:00"],
    },
  ];

  it.each(dstDays)(
    "GIVEN a digest every day at 01:30 and at 02:30 WHEN $name, swept every 5 minutes from 01:00 to 04:00 local, THEN each runs once a day, none skipped, none doubled",
    async ({ zone, days, "01:30": at0130, "02:30": at0230 }) => {
      const early = await seedTeam(zone, { digest_days: "mon-sun", digest_time: "01:30" });
      const late = await seedTeam(zone, { digest_days: "mon-sun", digest_time: "02:30" });
      const { scheduler, errors } = schedulerFor([early.ws, late.ws]);
      const first = DateTime.fromISO(`${days[0]}T00:00`, { zone });

      const steps = await stepThrough(
        scheduler,
        first.toJSDate(),
        first.plus({ days: days.length }).toJSDate(),
        localTimeIn([zone], "01:00", "04:00"),
      );

      await expectDigestsAt(early, at0130);
      await expectDigestsAt(late, at0230);
      expect(queuedSteps(steps).sort()).toEqual(
        [...at0130, ...at0230].map((l) => instant(l).toISOString()).sort(),
      );
      // Every job of a day (reminders, awards) ran with the digest, at its slot, once.
      for (const [team, locals] of [
        [early, at0130],
        [late, at0230],
      ] as const) {
        const slots = new Map(locals.map((l) => [localDay(instant(l), zone), instant(l).toISOString()]));
        for (const run of await runsOf(team.ws))
          expect(run.ranAt.toISOString()).toBe(slots.get(dateOf(run.slot)));
      }
      expect(errors).toEqual([]);
    },
  );
});

describe("reminders", () => {
  it("GIVEN reps with a follow-up due, a dormant customer or nothing THEN each morning a DM goes to each rep with something to do, and to nobody else", async () => {
    const { ws } = await seedTeam("Europe/Paris");
    const alice = await seedRep(sales, ws, "alice");
    const bob = await seedRep(sales, ws, "bob");
    const carol = await seedRep(sales, ws, "carol");
    clock.set("2026-08-10T08:00:00Z");
    await sales.deals.logDeal(ws, carol, { customer: "Initech", amount: 400_000n, stage: "won" });
    clock.set("2026-11-16T09:30:00Z");
    // Logged on Monday: the follow-up is due three working days later, on Thursday.
    await sales.deals.logDeal(ws, alice, { customer: "Acme", amount: 500_000n });
    await sales.deals.logDeal(ws, bob, { customer: "Globex", amount: 300_000n, stage: "won" });
    const { scheduler, errors } = schedulerFor([ws]);

    await stepThrough(scheduler, "2026-11-16T23:00:00Z", "2026-11-20T23:00:00Z", () => false, 180);

    const rows = await outboxOf(ws, "reminders");
    const key = (day: string, m: Member) => `reminders:${ws.id}:${day}:${m.id}`;
    // Sorted on both sides: member ids order the keys of a day, and 99 < 100 is not "99" < "100".
    expect(rows.map((r) => [r.dedupeKey, r.destination, r.createdAt.toISOString()]).sort()).toEqual(
      [
        [key("2026-11-17", carol), "@carol", "2026-11-17T08:00:00.000Z"],
        [key("2026-11-18", carol), "@carol", "2026-11-18T08:00:00.000Z"],
        [key("2026-11-19", alice), "@alice", "2026-11-19T08:00:00.000Z"],
        [key("2026-11-19", carol), "@carol", "2026-11-19T08:00:00.000Z"],
        [key("2026-11-20", alice), "@alice", "2026-11-20T08:00:00.000Z"],
        [key("2026-11-20", carol), "@carol", "2026-11-20T08:00:00.000Z"],
      ].sort(),
    );
    const text = (to: string) =>
      rows.filter((r) => r.destination === to).map((r) => JSON.stringify(r.payload));
    expect(text("@alice").every((t) => t.includes("Acme") && !t.includes("Initech"))).toBe(true);
    expect(text("@carol").every((t) => t.includes("Initech") && !t.includes("Acme"))).toBe(true);
    expect(errors).toEqual([]);
  });
});

describe("awards", () => {
  it("GIVEN wins in October and in the week of 16 November THEN a monthly award on Monday 2 November and a weekly one on Friday 20 November, and none for a team without wins", async () => {
    const winners = await seedTeam("Europe/Paris", { wins_channel: "wins" });
    const quiet = await seedTeam("Europe/Paris", { wins_channel: "wins" });
    const { ws } = winners;
    const alice = await seedRep(sales, ws, "alice");
    const bob = await seedRep(sales, ws, "bob");
    await seedRep(sales, quiet.ws, "alice");
    clock.set("2026-10-14T10:00:00Z");
    await sales.deals.logDeal(ws, bob, { customer: "Initech", amount: 400_000n, stage: "won" });
    const { scheduler, errors } = schedulerFor([ws, quiet.ws]);

    // Friday 30 October (a week without a win) to Monday 2 November, the first working day.
    await stepThrough(scheduler, "2026-10-29T23:00:00Z", "2026-11-02T23:00:00Z", () => false, 180);
    // The week of Monday 16 November, with a win on Tuesday and one on Wednesday.
    await stepThrough(scheduler, "2026-11-15T23:00:00Z", "2026-11-17T11:00:00Z", () => false, 180);
    await sales.deals.logDeal(ws, alice, { customer: "Acme", amount: 500_000n, stage: "won" });
    await stepThrough(scheduler, "2026-11-17T11:00:00Z", "2026-11-18T11:00:00Z", () => false, 180);
    await sales.deals.logDeal(ws, bob, { customer: "Globex", amount: 300_000n, stage: "won" });
    await stepThrough(scheduler, "2026-11-18T11:00:00Z", "2026-11-22T23:00:00Z", () => false, 180);

    const rows = await outboxOf(ws, "award");
    expect(rows.map((r) => [r.dedupeKey, r.destination, r.createdAt.toISOString()])).toEqual([
      [`award:${ws.id}:2026-10-01:monthly`, "#wins", "2026-11-02T08:00:00.000Z"],
      [`award:${ws.id}:2026-11-16:weekly`, "#wins", "2026-11-20T08:00:00.000Z"],
    ]);
    const [monthly, weekly] = rows.map((r) => JSON.stringify(r.payload));
    expect(monthly).toContain("bob");
    expect(monthly).not.toContain("alice");
    expect(weekly).toContain("alice");
    expect(await outboxOf(quiet.ws, "award")).toEqual([]);
    // The quiet team's award job did run on its days; it just had nothing to say.
    expect((await runsOf(quiet.ws, "recognition")).map((r) => [dateOf(r.slot), r.queued])).toEqual([
      ["2026-10-30", 0],
      ["2026-11-02", 0],
      ["2026-11-20", 0],
    ]);
    expect(errors).toEqual([]);
  });
});

describe("catching up", () => {
  /** A Paris team whose rep logged Globex on 4 November at 10:00, untouched since. */
  async function seedStalledTeam() {
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
    const other = database.url ? await openDatabase(database.url) : db;
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
        const rows = (await outboxOf(ws)).filter((r) => r.kind !== "win");
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
