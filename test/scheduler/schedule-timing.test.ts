import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import type { Member, Workspace } from "../../src/sales/deps.js";
import { seedRep } from "../fixtures/sales.js";
import {
  dateOf,
  digestKeys,
  instant,
  localDay,
  localOf,
  localTimeIn,
  queuedSteps,
  useSchedulerWorld,
} from "./support.js";

const world = useSchedulerWorld();
const { schedulerFor, seedTeam, stepThrough, outboxOf, runsOf } = world;

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
    const { sales, clock } = world;
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
    const { sales, clock } = world;
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
