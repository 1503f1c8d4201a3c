import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import type { Workspace } from "../../src/sales/deps.js";
import {
  isDue,
  isFirstWorkingDayOfMonth,
  isLastWorkingDayOfWeek,
  slotDayAt,
  slotInstant,
  workOn,
} from "../../src/scheduler/slots.js";

/** A workspace row as the database holds it, with the schema's defaults. */
function workspace(patch: Partial<Workspace> = {}): Workspace {
  return {
    id: 1,
    platform: "shell",
    externalId: "slots",
    name: "Slots",
    timezone: "Europe/Paris",
    locale: "en",
    currency: "EUR",
    fiscalYearStart: 1,
    weekStart: "monday",
    workingDays: "mon-fri",
    digestTime: "09:00",
    digestDays: null,
    digestChannel: null,
    winsChannel: null,
    contestChannel: null,
    quietHours: null,
    managerRole: null,
    followupDays: 3,
    stalledDays: 14,
    dormantDays: 90,
    announceWin: true,
    announceMilestone: true,
    announceWeekly: true,
    announceMonthly: true,
    announceDigest: true,
    announceReminders: true,
    announceAchievements: true,
    dealSeq: 0,
    createdAt: new Date("2026-01-01T00:00:00Z"),
    updatedAt: new Date("2026-01-01T00:00:00Z"),
    ...patch,
  };
}

/** Every date of a month, `YYYY-MM-DD`. */
function daysOf(month: string): string[] {
  const first = DateTime.fromISO(`${month}-01`, { zone: "UTC" });
  return Array.from({ length: first.daysInMonth ?? 0 }, (_, i) => first.plus({ days: i }).toISODate() ?? "");
}

/** The days of a month on which `pick` says a piece of work is due. */
function daysWith(ws: Workspace, month: string, pick: (w: ReturnType<typeof workOn>) => boolean): string[] {
  return daysOf(month).filter((day) => pick(workOn(ws, day)));
}

/** The days of a month falling on the given ISO weekdays (1 = Monday). */
function weekdaysOf(month: string, weekdays: number[]): string[] {
  return daysOf(month).filter((day) => weekdays.includes(DateTime.fromISO(day, { zone: "UTC" }).weekday));
}

const iso = (d: Date) => d.toISOString();

describe("slotInstant", () => {
  const paris = workspace({ timezone: "Europe/Paris" });
  const newYork = workspace({ timezone: "America/New_York" });

  it("GIVEN 09:00 in Paris THEN it is 08:00Z in winter and 07:00Z in summer, the DST days included", () => {
    expect(
      ["2026-03-27", "2026-03-28", "2026-03-29", "2026-03-30"].map((d) => iso(slotInstant(paris, d))),
    ).toEqual([
      "2026-03-27T08:00:00.000Z",
      "2026-03-28T08:00:00.000Z",
      "2026-03-29T07:00:00.000Z",
      "2026-03-30T07:00:00.000Z",
    ]);
    expect(
      ["2026-10-23", "2026-10-24", "2026-10-25", "2026-10-26"].map((d) => iso(slotInstant(paris, d))),
    ).toEqual([
      "2026-10-23T07:00:00.000Z",
      "2026-10-24T07:00:00.000Z",
      "2026-10-25T08:00:00.000Z",
      "2026-10-26T08:00:00.000Z",
    ]);
  });

  it("GIVEN 09:00 in New York THEN it is 14:00Z in winter and 13:00Z in summer, the DST days included", () => {
    expect(
      ["2026-03-06", "2026-03-07", "2026-03-08", "2026-03-09"].map((d) => iso(slotInstant(newYork, d))),
    ).toEqual([
      "2026-03-06T14:00:00.000Z",
      "2026-03-07T14:00:00.000Z",
      "2026-03-08T13:00:00.000Z",
      "2026-03-09T13:00:00.000Z",
    ]);
    expect(
      ["2026-10-30", "2026-10-31", "2026-11-01", "2026-11-02"].map((d) => iso(slotInstant(newYork, d))),
    ).toEqual([
      "2026-10-30T13:00:00.000Z",
      "2026-10-31T13:00:00.000Z",
      "2026-11-01T14:00:00.000Z",
      "2026-11-02T14:00:00.000Z",
    ]);
  });

  it("GIVEN a time the spring-forward change skips THEN the slot moves forward by the gap, to one instant", () => {
    const parisAt = workspace({ timezone: "Europe/Paris", digestTime: "02:30" });
    const newYorkAt = workspace({ timezone: "America/New_York", digestTime: "02:30" });
    const p = slotInstant(parisAt, "2026-03-29");
    const n = slotInstant(newYorkAt, "2026-03-08");
    expect(iso(p)).toBe("2026-03-29T01:30:00.000Z");
    expect(DateTime.fromJSDate(p, { zone: "Europe/Paris" }).toISO()).toBe("2026-03-29T03:30:00.000+02:00");
    expect(iso(n)).toBe("2026-03-08T07:30:00.000Z");
    expect(DateTime.fromJSDate(n, { zone: "America/New_York" }).toISO()).toBe(
      "2026-03-08T03:30:00.000-04:00",
    );
  });

  it("GIVEN a time the fall-back change repeats THEN the slot is its first occurrence, still on summer time", () => {
    const parisAt = workspace({ timezone: "Europe/Paris", digestTime: "02:30" });
    const p = slotInstant(parisAt, "2026-10-25");
    expect(iso(p)).toBe("2026-10-25T00:30:00.000Z");
    expect(DateTime.fromJSDate(p, { zone: "Europe/Paris" }).toISO()).toBe("2026-10-25T02:30:00.000+02:00");

    const newYorkAt = workspace({ timezone: "America/New_York", digestTime: "01:30" });
    const n = slotInstant(newYorkAt, "2026-11-01");
    expect(iso(n)).toBe("2026-11-01T05:30:00.000Z");
    expect(DateTime.fromJSDate(n, { zone: "America/New_York" }).toISO()).toBe(
      "2026-11-01T01:30:00.000-04:00",
    );
    // 02:30 is not repeated in New York (clocks go from 01:59 EDT back to 01:00 EST): one instant, on EST.
    expect(
      iso(slotInstant(workspace({ timezone: "America/New_York", digestTime: "02:30" }), "2026-11-01")),
    ).toBe("2026-11-01T07:30:00.000Z");
  });

  it("GIVEN times next to a DST change THEN they are not moved", () => {
    const at = (timezone: string, digestTime: string, day: string) =>
      iso(slotInstant(workspace({ timezone, digestTime }), day));
    expect(at("Europe/Paris", "01:59", "2026-03-29")).toBe("2026-03-29T00:59:00.000Z");
    expect(at("Europe/Paris", "03:00", "2026-03-29")).toBe("2026-03-29T01:00:00.000Z");
    expect(at("Europe/Paris", "01:30", "2026-10-25")).toBe("2026-10-24T23:30:00.000Z");
    expect(at("Europe/Paris", "03:00", "2026-10-25")).toBe("2026-10-25T02:00:00.000Z");
    expect(at("America/New_York", "00:30", "2026-11-01")).toBe("2026-11-01T04:30:00.000Z");
  });
});

describe("slotDayAt", () => {
  it("GIVEN an instant before today's slot THEN there is no slot day; at or after it, today's local date", () => {
    const newYork = workspace({ timezone: "America/New_York" });
    expect(slotDayAt(newYork, new Date("2026-11-18T13:59:59Z"))).toBeNull();
    expect(slotDayAt(newYork, new Date("2026-11-18T14:00:00Z"))).toBe("2026-11-18");
    // 22:00 in New York is already the next UTC date: the local date counts.
    expect(slotDayAt(newYork, new Date("2026-11-19T03:00:00Z"))).toBe("2026-11-18");
    expect(slotDayAt(newYork, new Date("2026-11-19T05:00:00Z"))).toBeNull();
  });
});

describe("workOn", () => {
  it("GIVEN mon-fri working days THEN over November 2026 the digest and reminders are due Monday to Friday only", () => {
    const ws = workspace();
    const weekdays = weekdaysOf("2026-11", [1, 2, 3, 4, 5]);
    expect(weekdays).toHaveLength(21);
    expect(daysWith(ws, "2026-11", (w) => w.digest)).toEqual(weekdays);
    expect(daysWith(ws, "2026-11", (w) => w.reminders)).toEqual(weekdays);
  });

  it("GIVEN mon-fri working days THEN weekly awards are due on Fridays only", () => {
    const ws = workspace();
    expect(daysWith(ws, "2026-11", (w) => w.weeklyAwards)).toEqual([
      "2026-11-06",
      "2026-11-13",
      "2026-11-20",
      "2026-11-27",
    ]);
    expect(daysWith(ws, "2026-10", (w) => w.weeklyAwards)).toEqual(weekdaysOf("2026-10", [5]));
  });

  it("GIVEN mon-thu working days THEN weekly awards move to Thursdays", () => {
    const ws = workspace({ workingDays: "mon-thu" });
    expect(daysWith(ws, "2026-11", (w) => w.weeklyAwards)).toEqual([
      "2026-11-05",
      "2026-11-12",
      "2026-11-19",
      "2026-11-26",
    ]);
    expect(daysWith(ws, "2026-11", (w) => w.digest)).toEqual(weekdaysOf("2026-11", [1, 2, 3, 4]));
    expect(isLastWorkingDayOfWeek(ws, "2026-11-20")).toBe(false);
  });

  it("GIVEN a month starting on a weekend THEN monthly awards are due on its first working day only", () => {
    const ws = workspace();
    // Sunday 1 November 2026: Monday the 2nd is the first working day.
    expect(daysWith(ws, "2026-11", (w) => w.monthlyAwards)).toEqual(["2026-11-02"]);
    // Thursday 1 October 2026 is a working day itself.
    expect(daysWith(ws, "2026-10", (w) => w.monthlyAwards)).toEqual(["2026-10-01"]);
    // Friday 1 May 2026 is not a working day with mon-thu: Monday the 4th is.
    expect(daysWith(workspace({ workingDays: "mon-thu" }), "2026-05", (w) => w.monthlyAwards)).toEqual([
      "2026-05-04",
    ]);
    expect(isFirstWorkingDayOfMonth(ws, "2026-11-01")).toBe(false);
    expect(isFirstWorkingDayOfMonth(ws, "2026-11-03")).toBe(false);
  });

  it("GIVEN a sun-thu week starting on Sunday THEN the week ends on Thursday and Sunday 1 November opens the month", () => {
    const ws = workspace({ workingDays: "sun-thu", weekStart: "sunday" });
    expect(daysWith(ws, "2026-11", (w) => w.weeklyAwards)).toEqual(weekdaysOf("2026-11", [4]));
    expect(daysWith(ws, "2026-11", (w) => w.monthlyAwards)).toEqual(["2026-11-01"]);
  });

  it("GIVEN digest_days set apart from the working days THEN the digest follows them and the rest the working days", () => {
    const ws = workspace({ digestDays: "mon,wed,fri" });
    expect(daysWith(ws, "2026-11", (w) => w.digest)).toEqual(weekdaysOf("2026-11", [1, 3, 5]));
    expect(daysWith(ws, "2026-11", (w) => w.reminders)).toEqual(weekdaysOf("2026-11", [1, 2, 3, 4, 5]));

    const weekends = workspace({ digestDays: "mon-sun" });
    expect(daysWith(weekends, "2026-11", (w) => w.digest)).toEqual(daysOf("2026-11"));
    expect(daysWith(weekends, "2026-11", (w) => w.weeklyAwards)).toEqual(weekdaysOf("2026-11", [5]));
    expect(workOn(weekends, "2026-11-01")).toEqual({
      digest: true,
      reminders: false,
      weeklyAwards: false,
      monthlyAwards: false,
    });
  });

  it("GIVEN each announce switch off THEN its work is never due, and the others still are", () => {
    const all = workspace();
    const off = workspace({
      announceDigest: false,
      announceReminders: false,
      announceWeekly: false,
      announceMonthly: false,
    });
    const none = { digest: false, reminders: false, weeklyAwards: false, monthlyAwards: false };
    for (const day of daysOf("2026-11")) expect(workOn(off, day)).toEqual(none);
    // Monday 2 November has everything but the weekly awards; Friday 6 November the weekly awards.
    expect(workOn(all, "2026-11-02")).toEqual({
      digest: true,
      reminders: true,
      weeklyAwards: false,
      monthlyAwards: true,
    });
    expect(workOn(workspace({ announceDigest: false }), "2026-11-02")).toEqual({
      digest: false,
      reminders: true,
      weeklyAwards: false,
      monthlyAwards: true,
    });
    expect(workOn(workspace({ announceMonthly: false }), "2026-11-02").monthlyAwards).toBe(false);
    expect(workOn(workspace({ announceWeekly: false }), "2026-11-06").weeklyAwards).toBe(false);
    expect(workOn(workspace({ announceReminders: false }), "2026-11-06").reminders).toBe(false);
  });
});

describe("isDue", () => {
  it("GIVEN the day's work THEN each job is due for its own part, recognition for either award", () => {
    const none = { digest: false, reminders: false, weeklyAwards: false, monthlyAwards: false };
    expect(["digest", "recognition", "reminders"].map((j) => isDue(j as "digest", none))).toEqual([
      false,
      false,
      false,
    ]);
    expect(isDue("digest", { ...none, digest: true })).toBe(true);
    expect(isDue("reminders", { ...none, digest: true })).toBe(false);
    expect(isDue("reminders", { ...none, reminders: true })).toBe(true);
    expect(isDue("recognition", { ...none, weeklyAwards: true })).toBe(true);
    expect(isDue("recognition", { ...none, monthlyAwards: true })).toBe(true);
    expect(isDue("recognition", { ...none, digest: true, reminders: true })).toBe(false);
  });
});
