import { describe, expect, it } from "vitest";
import { oneMonth, wholeMonths } from "../../src/sales/figures/figure-sql.js";
import {
  addWorkingDays,
  type Calendar,
  elapsedFraction,
  formatWorkingDays,
  isWorkingDay,
  localDate,
  type PeriodKind,
  parseWeekday,
  parseWorkingDays,
  periodContaining,
  previousPeriod,
  startOfLocalDate,
  type Weekday,
} from "../../src/sales/periods/period.js";

const paris: Calendar = { timezone: "Europe/Paris", weekStart: "monday", fiscalYearStart: 1 };
const newYork: Calendar = { timezone: "America/New_York", weekStart: "sunday", fiscalYearStart: 1 };
const parisFiscalApril: Calendar = { ...paris, fiscalYearStart: 4 };

function range(kind: PeriodKind, at: string, cal: Calendar) {
  const period = periodContaining(kind, new Date(at), cal);
  return {
    kind: period.kind,
    start: period.start.toISOString(),
    end: period.end.toISOString(),
    label: period.label,
  };
}

const HOUR = 3_600_000;

describe("periodContaining in Europe/Paris", () => {
  it.each([
    // kind, at, start, end, label
    ["month", "2026-03-15T12:00:00Z", "2026-02-28T23:00:00.000Z", "2026-03-31T22:00:00.000Z", "2026-03"],
    ["month", "2026-10-15T12:00:00Z", "2026-09-30T22:00:00.000Z", "2026-10-31T23:00:00.000Z", "2026-10"],
    ["month", "2026-02-28T23:30:00Z", "2026-02-28T23:00:00.000Z", "2026-03-31T22:00:00.000Z", "2026-03"],
    ["month", "2026-02-28T22:59:59.999Z", "2026-01-31T23:00:00.000Z", "2026-02-28T23:00:00.000Z", "2026-02"],
    ["quarter", "2026-02-01T00:00:00Z", "2025-12-31T23:00:00.000Z", "2026-03-31T22:00:00.000Z", "2026-Q1"],
    ["quarter", "2026-05-01T00:00:00Z", "2026-03-31T22:00:00.000Z", "2026-06-30T22:00:00.000Z", "2026-Q2"],
    ["quarter", "2026-11-22T10:00:00Z", "2026-09-30T22:00:00.000Z", "2026-12-31T23:00:00.000Z", "2026-Q4"],
    ["year", "2026-07-01T00:00:00Z", "2025-12-31T23:00:00.000Z", "2026-12-31T23:00:00.000Z", "2026"],
    ["year", "2026-12-31T23:00:00Z", "2026-12-31T23:00:00.000Z", "2027-12-31T23:00:00.000Z", "2027"],
  ] as const)("GIVEN %s at %s THEN [%s, %s) labelled %s", (kind, at, start, end, label) => {
    expect(range(kind, at, paris)).toEqual({ kind, start, end, label });
  });

  it("GIVEN the spring-forward day 2026-03-29 THEN the day lasts 23 hours", () => {
    const day = range("today", "2026-03-29T12:00:00Z", paris);
    expect(day).toEqual({
      kind: "today",
      start: "2026-03-28T23:00:00.000Z",
      end: "2026-03-29T22:00:00.000Z",
      label: "2026-03-29",
    });
    expect(Date.parse(day.end) - Date.parse(day.start)).toBe(23 * HOUR);
  });

  it("GIVEN the fall-back day 2026-10-25 THEN the day lasts 25 hours", () => {
    const day = range("today", "2026-10-25T12:00:00Z", paris);
    expect(day).toEqual({
      kind: "today",
      start: "2026-10-24T22:00:00.000Z",
      end: "2026-10-25T23:00:00.000Z",
      label: "2026-10-25",
    });
    expect(Date.parse(day.end) - Date.parse(day.start)).toBe(25 * HOUR);
  });

  it("GIVEN yesterday at 00:30 local on 2026-03-30 THEN the 23-hour day 2026-03-29", () => {
    expect(range("yesterday", "2026-03-29T22:30:00Z", paris)).toEqual({
      kind: "yesterday",
      start: "2026-03-28T23:00:00.000Z",
      end: "2026-03-29T22:00:00.000Z",
      label: "2026-03-29",
    });
  });

  it("GIVEN a Monday week containing the spring-forward Sunday THEN it ends on Monday 00:00 CEST", () => {
    expect(range("week", "2026-03-29T12:00:00Z", paris)).toEqual({
      kind: "week",
      start: "2026-03-22T23:00:00.000Z",
      end: "2026-03-29T22:00:00.000Z",
      label: "2026-W13",
    });
  });

  it("GIVEN Sunday 2026-11-22 with Monday weeks THEN the ISO week 2026-W47 from Monday 16", () => {
    expect(range("week", "2026-11-22T10:00:00Z", paris)).toEqual({
      kind: "week",
      start: "2026-11-15T23:00:00.000Z",
      end: "2026-11-22T23:00:00.000Z",
      label: "2026-W47",
    });
  });

  it("GIVEN Sunday 2026-11-22 with Sunday weeks THEN the week starts that Sunday", () => {
    expect(range("week", "2026-11-22T10:00:00Z", { ...paris, weekStart: "sunday" })).toEqual({
      kind: "week",
      start: "2026-11-21T23:00:00.000Z",
      end: "2026-11-28T23:00:00.000Z",
      label: "2026-W48-sun",
    });
  });

  it("GIVEN a Monday week across new year THEN it carries the ISO week-year", () => {
    expect(range("week", "2026-12-30T12:00:00Z", paris).label).toBe("2026-W53");
    expect(range("week", "2027-01-03T12:00:00Z", paris).label).toBe("2026-W53");
    expect(range("week", "2025-12-31T12:00:00Z", paris).label).toBe("2026-W01");
  });
});

describe("periodContaining in America/New_York", () => {
  it.each([
    ["month", "2026-03-20T12:00:00Z", "2026-03-01T05:00:00.000Z", "2026-04-01T04:00:00.000Z", "2026-03"],
    ["month", "2026-11-20T12:00:00Z", "2026-11-01T04:00:00.000Z", "2026-12-01T05:00:00.000Z", "2026-11"],
    ["month", "2026-12-01T04:59:59.999Z", "2026-11-01T04:00:00.000Z", "2026-12-01T05:00:00.000Z", "2026-11"],
    ["quarter", "2026-02-10T12:00:00Z", "2026-01-01T05:00:00.000Z", "2026-04-01T04:00:00.000Z", "2026-Q1"],
    ["quarter", "2026-10-10T12:00:00Z", "2026-10-01T04:00:00.000Z", "2027-01-01T05:00:00.000Z", "2026-Q4"],
    ["year", "2026-06-10T12:00:00Z", "2026-01-01T05:00:00.000Z", "2027-01-01T05:00:00.000Z", "2026"],
    ["year", "2026-01-01T04:59:59Z", "2025-01-01T05:00:00.000Z", "2026-01-01T05:00:00.000Z", "2025"],
  ] as const)("GIVEN %s at %s THEN [%s, %s) labelled %s", (kind, at, start, end, label) => {
    expect(range(kind, at, newYork)).toEqual({ kind, start, end, label });
  });

  it("GIVEN the spring-forward day 2026-03-08 THEN the day lasts 23 hours", () => {
    const day = range("today", "2026-03-08T12:00:00Z", newYork);
    expect(day.start).toBe("2026-03-08T05:00:00.000Z");
    expect(day.end).toBe("2026-03-09T04:00:00.000Z");
    expect(Date.parse(day.end) - Date.parse(day.start)).toBe(23 * HOUR);
  });

  it("GIVEN the fall-back day 2026-11-01 THEN the day lasts 25 hours", () => {
    const day = range("today", "2026-11-01T12:00:00Z", newYork);
    expect(day.start).toBe("2026-11-01T04:00:00.000Z");
    expect(day.end).toBe("2026-11-02T05:00:00.000Z");
    expect(Date.parse(day.end) - Date.parse(day.start)).toBe(25 * HOUR);
  });

  it("GIVEN Sunday weeks and the spring-forward Sunday THEN the week starts that Sunday at 00:00 EST", () => {
    expect(range("week", "2026-03-08T12:00:00Z", newYork)).toEqual({
      kind: "week",
      start: "2026-03-08T05:00:00.000Z",
      end: "2026-03-15T04:00:00.000Z",
      label: "2026-W11-sun",
    });
  });

  it("GIVEN Monday weeks and the spring-forward Sunday THEN the week is Monday 2 to Monday 9 March", () => {
    expect(range("week", "2026-03-08T12:00:00Z", { ...newYork, weekStart: "monday" })).toEqual({
      kind: "week",
      start: "2026-03-02T05:00:00.000Z",
      end: "2026-03-09T04:00:00.000Z",
      label: "2026-W10",
    });
  });

  it("GIVEN Saturday 23:30 local THEN the Sunday week is still the one that started six days before", () => {
    // 2026-11-01T03:30Z is Saturday 2026-10-31 23:30 EDT.
    expect(range("week", "2026-11-01T03:30:00Z", newYork)).toEqual({
      kind: "week",
      start: "2026-10-25T04:00:00.000Z",
      end: "2026-11-01T04:00:00.000Z",
      label: "2026-W44-sun",
    });
  });
});

describe("fiscal year starting in April (Europe/Paris)", () => {
  it.each([
    ["year", "2026-05-10T12:00:00Z", "2026-03-31T22:00:00.000Z", "2027-03-31T22:00:00.000Z", "FY2026"],
    ["year", "2027-02-10T12:00:00Z", "2026-03-31T22:00:00.000Z", "2027-03-31T22:00:00.000Z", "FY2026"],
    ["year", "2026-03-31T21:59:59Z", "2025-03-31T22:00:00.000Z", "2026-03-31T22:00:00.000Z", "FY2025"],
    ["quarter", "2026-05-10T12:00:00Z", "2026-03-31T22:00:00.000Z", "2026-06-30T22:00:00.000Z", "FY2026-Q1"],
    ["quarter", "2026-08-10T12:00:00Z", "2026-06-30T22:00:00.000Z", "2026-09-30T22:00:00.000Z", "FY2026-Q2"],
    ["quarter", "2026-11-22T10:00:00Z", "2026-09-30T22:00:00.000Z", "2026-12-31T23:00:00.000Z", "FY2026-Q3"],
    ["quarter", "2027-02-10T12:00:00Z", "2026-12-31T23:00:00.000Z", "2027-03-31T22:00:00.000Z", "FY2026-Q4"],
    ["month", "2026-05-10T12:00:00Z", "2026-04-30T22:00:00.000Z", "2026-05-31T22:00:00.000Z", "2026-05"],
  ] as const)("GIVEN %s at %s THEN [%s, %s) labelled %s", (kind, at, start, end, label) => {
    expect(range(kind, at, parisFiscalApril)).toEqual({ kind, start, end, label });
  });

  it("GIVEN a fiscal start in December THEN the quarters run Dec-Feb, Mar-May, ...", () => {
    const december: Calendar = { ...paris, fiscalYearStart: 12 };
    expect(range("quarter", "2027-01-15T12:00:00Z", december).label).toBe("FY2026-Q1");
    expect(range("quarter", "2026-11-30T12:00:00Z", december).label).toBe("FY2025-Q4");
    expect(range("quarter", "2026-12-01T12:00:00Z", december)).toMatchObject({
      start: "2026-11-30T23:00:00.000Z",
      end: "2027-02-28T23:00:00.000Z",
    });
  });

  it("GIVEN a fiscal year start outside 1-12 THEN a RangeError", () => {
    expect(() => periodContaining("year", new Date(), { ...paris, fiscalYearStart: 13 })).toThrow(RangeError);
  });
});

describe("previousPeriod", () => {
  it.each([
    ["today", "2026-03-30T10:00:00Z", "2026-03-28T23:00:00.000Z", "2026-03-29T22:00:00.000Z", "2026-03-29"],
    [
      "yesterday",
      "2026-03-30T10:00:00Z",
      "2026-03-27T23:00:00.000Z",
      "2026-03-28T23:00:00.000Z",
      "2026-03-28",
    ],
    ["week", "2026-11-22T10:00:00Z", "2026-11-08T23:00:00.000Z", "2026-11-15T23:00:00.000Z", "2026-W46"],
    ["week", "2026-01-07T10:00:00Z", "2025-12-28T23:00:00.000Z", "2026-01-04T23:00:00.000Z", "2026-W01"],
    ["month", "2026-03-15T10:00:00Z", "2026-01-31T23:00:00.000Z", "2026-02-28T23:00:00.000Z", "2026-02"],
    ["month", "2026-01-15T10:00:00Z", "2025-11-30T23:00:00.000Z", "2025-12-31T23:00:00.000Z", "2025-12"],
    ["quarter", "2026-02-15T10:00:00Z", "2025-09-30T22:00:00.000Z", "2025-12-31T23:00:00.000Z", "2025-Q4"],
    ["year", "2026-02-15T10:00:00Z", "2024-12-31T23:00:00.000Z", "2025-12-31T23:00:00.000Z", "2025"],
  ] as const)(
    "GIVEN the %s containing %s THEN the one before is [%s, %s) %s",
    (kind, at, start, end, label) => {
      const previous = previousPeriod(periodContaining(kind, new Date(at), paris), paris);
      expect({ ...previous, start: previous.start.toISOString(), end: previous.end.toISOString() }).toEqual({
        kind,
        start,
        end,
        label,
      });
    },
  );

  it("GIVEN fiscal Q1 starting in April THEN the one before is Q4 of the previous fiscal year", () => {
    const q1 = periodContaining("quarter", new Date("2026-05-10T12:00:00Z"), parisFiscalApril);
    const previous = previousPeriod(q1, parisFiscalApril);
    expect(previous.label).toBe("FY2025-Q4");
    expect(previous.start.toISOString()).toBe("2025-12-31T23:00:00.000Z");
    expect(previous.end).toEqual(q1.start);
  });
});

describe("elapsedFraction", () => {
  const november = periodContaining("month", new Date("2026-11-10T12:00:00Z"), newYork);

  it.each([
    ["before the start", "2026-10-01T00:00:00Z", 0],
    ["at the start", "2026-11-01T04:00:00Z", 0],
    ["after the end", "2027-01-01T00:00:00Z", 1],
    ["at the end", "2026-12-01T05:00:00Z", 1],
  ])("GIVEN now %s THEN %d", (_, now, expected) => {
    expect(elapsedFraction(november, new Date(now))).toBe(expected);
  });

  it("GIVEN a month of 30 days and 1 hour THEN the fraction is measured in real time", () => {
    const halfway = new Date(november.start.getTime() + (30 * 24 + 1) * HOUR * 0.5);
    expect(elapsedFraction(november, halfway)).toBe(0.5);
  });

  it("GIVEN 23:00 local on the 25-hour day THEN 24/25 of the day has elapsed", () => {
    const day = periodContaining("today", new Date("2026-10-25T12:00:00Z"), paris);
    expect(elapsedFraction(day, new Date("2026-10-25T22:00:00Z"))).toBe(24 / 25);
  });
});

describe("localDate and startOfLocalDate", () => {
  it("GIVEN 23:30Z on 2026-11-22 THEN it is already the 23rd in Paris and still the 22nd in New York", () => {
    const at = new Date("2026-11-22T23:30:00Z");
    expect(localDate(at, "Europe/Paris")).toBe("2026-11-23");
    expect(localDate(at, "America/New_York")).toBe("2026-11-22");
  });

  it.each([
    ["2026-03-29", "Europe/Paris", "2026-03-28T23:00:00.000Z"],
    ["2026-03-30", "Europe/Paris", "2026-03-29T22:00:00.000Z"],
    ["2026-11-01", "America/New_York", "2026-11-01T04:00:00.000Z"],
    ["2026-11-02", "America/New_York", "2026-11-02T05:00:00.000Z"],
    ["2026-06-01", "UTC", "2026-06-01T00:00:00.000Z"],
    // Chile springs forward at midnight: 00:00 does not exist, the day starts at 01:00 -03.
    ["2026-09-06", "America/Santiago", "2026-09-06T04:00:00.000Z"],
  ])("GIVEN %s in %s THEN the day starts at %s", (date, zone, instant) => {
    expect(startOfLocalDate(date, zone).toISOString()).toBe(instant);
  });

  it.each([["2026-02-30"], ["2026-13-01"], ["26-01-01"], ["2026-1-1"]])(
    "GIVEN the invalid date %s THEN a RangeError",
    (date) => {
      expect(() => startOfLocalDate(date, "UTC")).toThrow(RangeError);
    },
  );

  it("GIVEN an unknown time zone THEN a RangeError", () => {
    expect(() => localDate(new Date(), "Mars/Olympus")).toThrow(RangeError);
    expect(() => startOfLocalDate("2026-01-01", "Mars/Olympus")).toThrow(RangeError);
  });

  it("GIVEN the same instant or date asked again in another zone THEN each zone's own answer", () => {
    const at = new Date("2026-11-22T23:30:00Z");
    for (let round = 0; round < 2; round++) {
      expect(localDate(at, "Europe/Paris")).toBe("2026-11-23");
      expect(localDate(at, "America/New_York")).toBe("2026-11-22");
      expect(startOfLocalDate("2026-11-23", "Europe/Paris").toISOString()).toBe("2026-11-22T23:00:00.000Z");
      expect(startOfLocalDate("2026-11-23", "America/New_York").toISOString()).toBe(
        "2026-11-23T05:00:00.000Z",
      );
    }
  });

  it("GIVEN a start of day changed by its caller THEN the next caller still gets the day's start", () => {
    startOfLocalDate("2026-06-01", "UTC").setUTCHours(12);
    expect(startOfLocalDate("2026-06-01", "UTC").toISOString()).toBe("2026-06-01T00:00:00.000Z");
  });

  it("GIVEN an invalid date asked twice THEN a RangeError both times", () => {
    expect(() => localDate(new Date(Number.NaN), "UTC")).toThrow(RangeError);
    expect(() => localDate(new Date(Number.NaN), "UTC")).toThrow(RangeError);
  });
});

describe("working days", () => {
  const days = (...list: Weekday[]) => new Set<Weekday>(list);

  it.each([
    ["mon-fri", [1, 2, 3, 4, 5]],
    ["MON-FRI", [1, 2, 3, 4, 5]],
    ["lun-ven", [1, 2, 3, 4, 5]],
    ["mon,tue,thu", [1, 2, 4]],
    ["mon, wed , fri", [1, 3, 5]],
    ["sun-thu", [7, 1, 2, 3, 4]],
    ["dim-jeu", [7, 1, 2, 3, 4]],
    ["fri-mon", [5, 6, 7, 1]],
    ["mon-wed,fri", [1, 2, 3, 5]],
    ["lundi,mercredi", [1, 3]],
    ["monday - friday", [1, 2, 3, 4, 5]],
    ["mon-mon", [1]],
    ["mon-sun", [1, 2, 3, 4, 5, 6, 7]],
  ] as const)("GIVEN %s THEN %j", (text, expected) => {
    expect(parseWorkingDays(text)).toEqual(new Set(expected));
  });

  it.each([[""], ["  "], ["monday-"], ["mon-tue-wed"], ["mon,,fri"], ["weekdays"], ["1-5"], ["mon;fri"]])(
    "GIVEN the invalid %j THEN null",
    (text) => {
      expect(parseWorkingDays(text)).toBeNull();
    },
  );

  it.each([
    [[1, 2, 3, 4, 5], "mon-fri"],
    [[1, 3, 5], "mon,wed,fri"],
    [[1, 2], "mon,tue"],
    [[7, 1, 2, 3, 4], "sun-thu"],
    [[5, 6, 7, 1], "fri-mon"],
    [[3, 7], "wed,sun"],
    [[1, 2, 3, 5, 6, 7], "fri-wed"],
    [[1, 2, 3, 4, 5, 6, 7], "mon-sun"],
    [[], ""],
  ] as const)("GIVEN %j THEN formatted as %j", (list, text) => {
    expect(formatWorkingDays(days(...list))).toBe(text);
  });

  it.each([["mon-fri"], ["sun-thu"], ["mon,wed,fri"], ["fri-mon"], ["mon-wed,fri,sat"]])(
    "GIVEN %s THEN format(parse) round-trips",
    (text) => {
      const parsed = parseWorkingDays(text);
      expect(parsed && formatWorkingDays(parsed)).toBe(text);
    },
  );

  const monFri = days(1, 2, 3, 4, 5);
  const sunThu = days(7, 1, 2, 3, 4);

  it.each([
    // 2026-11-20 is a Friday.
    ["2026-11-20", 0, monFri, "2026-11-20"],
    ["2026-11-20", 1, monFri, "2026-11-23"],
    ["2026-11-20", 3, monFri, "2026-11-25"],
    ["2026-11-21", 0, monFri, "2026-11-23"],
    ["2026-11-21", 1, monFri, "2026-11-23"],
    ["2026-11-22", 1, monFri, "2026-11-23"],
    ["2026-11-18", 10, monFri, "2026-12-02"],
    ["2026-11-19", 1, sunThu, "2026-11-22"],
    ["2026-11-20", 0, sunThu, "2026-11-22"],
    ["2026-12-31", 1, monFri, "2027-01-01"],
  ] as const)("GIVEN %s plus %d working days THEN %s", (date, n, set, expected) => {
    expect(addWorkingDays(date, n, set)).toBe(expected);
  });

  it("GIVEN no working days, a negative count or a bad date THEN a RangeError", () => {
    expect(() => addWorkingDays("2026-11-20", 1, days())).toThrow(RangeError);
    expect(() => addWorkingDays("2026-11-20", -1, monFri)).toThrow(RangeError);
    expect(() => addWorkingDays("2026-11-20", 1.5, monFri)).toThrow(RangeError);
    expect(() => addWorkingDays("2026-11-31", 1, monFri)).toThrow(RangeError);
  });

  it.each([
    ["2026-11-20", monFri, true],
    ["2026-11-21", monFri, false],
    ["2026-11-22", monFri, false],
    ["2026-11-22", sunThu, true],
    ["2026-11-20", sunThu, false],
  ] as const)("GIVEN %s THEN working day is %s", (date, set, expected) => {
    expect(isWorkingDay(date, set)).toBe(expected);
  });

  it.each([
    ["fri", 5],
    ["Vendredi", 5],
    ["DIM", 7],
    ["thurs", 4],
    ["friyay", null],
    ["", null],
    ["constructor", null],
  ] as const)("GIVEN the weekday name %j THEN %s", (name, expected) => {
    expect(parseWeekday(name)).toBe(expected);
  });
});

describe("the kept months of a period", () => {
  it("GIVEN a month, December included, THEN it is one month; GIVEN a quarter or a week THEN it is not", () => {
    const months = (kind: PeriodKind, at: string) =>
      wholeMonths(paris, periodContaining(kind, new Date(at), paris));
    const december = months("month", "2026-12-15T12:00:00Z");
    const november = months("month", "2026-11-18T10:00:00Z");
    const quarter = months("quarter", "2026-11-18T10:00:00Z");
    expect(december && oneMonth(december)).toBe("2026-12-01");
    expect(november && oneMonth(november)).toBe("2026-11-01");
    expect(quarter && oneMonth(quarter)).toBeNull();
    expect(months("week", "2026-11-18T10:00:00Z")).toBeNull();
  });
});
