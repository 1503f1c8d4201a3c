import { describe, expect, it } from "vitest";
import { type PeriodContext, parsePeriod, takePeriod } from "../../src/commands/period.js";
import { periodDays } from "../../src/sales/periods/period.js";

/*
 * Every period form, read in the workspace calendar: its time zone, week start and fiscal year
 * start. A period is checked as its kind, label and first and last local days (both included).
 */

/** UTC, Monday weeks, calendar fiscal years; Wednesday 18 November 2026. */
const utc: PeriodContext = {
  timezone: "UTC",
  weekStart: "monday",
  fiscalYearStart: 1,
  locale: "en",
  now: new Date("2026-11-18T10:00:00Z"),
};

/**
 * Auckland (UTC+13 in summer), Sunday weeks, fiscal years from April; it is already Friday
 * 1 January 2027 there while UTC is on 31 December 2026.
 */
const auckland: PeriodContext = {
  timezone: "Pacific/Auckland",
  weekStart: "sunday",
  fiscalYearStart: 4,
  locale: "fr",
  now: new Date("2026-12-31T12:00:00Z"),
};

/** Los Angeles, Sunday weeks, fiscal years from October; still 31 December 2026 there while UTC is in 2027. */
const losAngeles: PeriodContext = {
  timezone: "America/Los_Angeles",
  weekStart: "sunday",
  fiscalYearStart: 10,
  locale: "en",
  now: new Date("2027-01-01T05:00:00Z"),
};

function read(text: string, ctx: PeriodContext) {
  const result = parsePeriod(text, ctx);
  if (!result.ok) return result.error;
  const { first, last } = periodDays(result.period, ctx.timezone);
  return `${result.period.kind} ${result.period.label} ${first}..${last}`;
}

describe("parsePeriod in UTC with Monday weeks and calendar years, on Wed 2026-11-18", () => {
  it.each([
    // the current period, in English and French, any case and accents
    ["month", "month 2026-11 2026-11-01..2026-11-30"],
    ["Month", "month 2026-11 2026-11-01..2026-11-30"],
    ["this month", "month 2026-11 2026-11-01..2026-11-30"],
    ["mois", "month 2026-11 2026-11-01..2026-11-30"],
    ["ce mois", "month 2026-11 2026-11-01..2026-11-30"],
    ["week", "week 2026-W47 2026-11-16..2026-11-22"],
    ["cette semaine", "week 2026-W47 2026-11-16..2026-11-22"],
    ["quarter", "quarter 2026-Q4 2026-10-01..2026-12-31"],
    ["trimestre", "quarter 2026-Q4 2026-10-01..2026-12-31"],
    ["year", "year 2026 2026-01-01..2026-12-31"],
    ["année", "year 2026 2026-01-01..2026-12-31"],
    ["ANNEE", "year 2026 2026-01-01..2026-12-31"],
    ["cette année", "year 2026 2026-01-01..2026-12-31"],
    ["today", "today 2026-11-18 2026-11-18..2026-11-18"],
    ["aujourd’hui", "today 2026-11-18 2026-11-18..2026-11-18"],
    ["aujourdhui", "today 2026-11-18 2026-11-18..2026-11-18"],
    ["yesterday", "yesterday 2026-11-17 2026-11-17..2026-11-17"],
    ["hier", "yesterday 2026-11-17 2026-11-17..2026-11-17"],
    // the one before
    ["last week", "week 2026-W46 2026-11-09..2026-11-15"],
    ["semaine dernière", "week 2026-W46 2026-11-09..2026-11-15"],
    ["last month", "month 2026-10 2026-10-01..2026-10-31"],
    ["previous month", "month 2026-10 2026-10-01..2026-10-31"],
    ["mois dernier", "month 2026-10 2026-10-01..2026-10-31"],
    ["Mois Précédent", "month 2026-10 2026-10-01..2026-10-31"],
    ["mois passé", "month 2026-10 2026-10-01..2026-10-31"],
    ["last quarter", "quarter 2026-Q3 2026-07-01..2026-09-30"],
    ["trimestre dernier", "quarter 2026-Q3 2026-07-01..2026-09-30"],
    ["last year", "year 2025 2025-01-01..2025-12-31"],
    ["année dernière", "year 2025 2025-01-01..2025-12-31"],
    ["an dernier", "year 2025 2025-01-01..2025-12-31"],
    // the one after
    ["next week", "week 2026-W48 2026-11-23..2026-11-29"],
    ["semaine prochaine", "week 2026-W48 2026-11-23..2026-11-29"],
    ["next month", "month 2026-12 2026-12-01..2026-12-31"],
    ["mois prochain", "month 2026-12 2026-12-01..2026-12-31"],
    ["mois suivant", "month 2026-12 2026-12-01..2026-12-31"],
    ["next quarter", "quarter 2027-Q1 2027-01-01..2027-03-31"],
    ["trimestre prochain", "quarter 2027-Q1 2027-01-01..2027-03-31"],
    ["next year", "year 2027 2027-01-01..2027-12-31"],
    ["année prochaine", "year 2027 2027-01-01..2027-12-31"],
    ["an prochain", "year 2027 2027-01-01..2027-12-31"],
    // months, quarters, fiscal years
    ["2026-11", "month 2026-11 2026-11-01..2026-11-30"],
    ["2028-02", "month 2028-02 2028-02-01..2028-02-29"],
    ["2026-Q3", "quarter 2026-Q3 2026-07-01..2026-09-30"],
    ["2026-q3", "quarter 2026-Q3 2026-07-01..2026-09-30"],
    ["2026-T3", "quarter 2026-Q3 2026-07-01..2026-09-30"],
    ["Q3", "quarter 2026-Q3 2026-07-01..2026-09-30"],
    ["T3", "quarter 2026-Q3 2026-07-01..2026-09-30"],
    ["Q3 2026", "quarter 2026-Q3 2026-07-01..2026-09-30"],
    ["T1-2027", "quarter 2027-Q1 2027-01-01..2027-03-31"],
    ["FY2026-Q3", "quarter 2026-Q3 2026-07-01..2026-09-30"],
    ["EX2026-T3", "quarter 2026-Q3 2026-07-01..2026-09-30"],
    ["FY2026", "year 2026 2026-01-01..2026-12-31"],
    ["fy2027", "year 2027 2027-01-01..2027-12-31"],
    ["EX2026", "year 2026 2026-01-01..2026-12-31"],
    // days and ranges, the end included
    ["2026-11-01..2026-11-15", "range 2026-11-01..2026-11-15 2026-11-01..2026-11-15"],
    ["2026-11-01 .. 2026-11-15", "range 2026-11-01..2026-11-15 2026-11-01..2026-11-15"],
    ["2026-11-01...2026-11-15", "range 2026-11-01..2026-11-15 2026-11-01..2026-11-15"],
    ["2026-11-01…2026-11-15", "range 2026-11-01..2026-11-15 2026-11-01..2026-11-15"],
    ["2026-11-10..today", "range 2026-11-10..2026-11-18 2026-11-10..2026-11-18"],
    ["2026-12-28..2027-01-03", "range 2026-12-28..2027-01-03 2026-12-28..2027-01-03"],
    ["2026-11-15..2026-11-15", "range 2026-11-15 2026-11-15..2026-11-15"],
    ["2026-11-15", "range 2026-11-15 2026-11-15..2026-11-15"],
  ])("GIVEN %j THEN %s", (text, expected) => {
    expect(read(text, utc)).toBe(expected);
  });

  it.each([
    ["", "form"],
    ["decade", "form"],
    ["last", "form"],
    ["last decade", "form"],
    ["next day", "form"],
    ["an", "form"],
    ["this an", "form"],
    ["ce hier", "form"],
    ["month last", "form"],
    ["2026-13", "form"],
    ["2026-00", "form"],
    ["Q5", "form"],
    ["Q0 2026", "form"],
    ["2026 Q3", "form"],
    ["FY26", "form"],
    ["FY 2026", "form"],
    ["2026", "form"],
    ["2026-02-30..2026-03-01", "form"],
    ["2026-11-01..", "form"],
    ["..2026-11-01", "form"],
    ["2026-11-01..someday", "form"],
    ["01/11/2026..15/11/2026", "form"],
    ["2026-11-15..2026-11-01", "order"],
    ["today..yesterday", "order"],
    ["1999-12", "years"],
    ["2100-01", "years"],
    ["FY2100", "years"],
    ["1999-Q4", "years"],
    ["1999-12-31..2026-01-01", "years"],
    ["1999-12-31", "years"],
  ])("GIVEN %j THEN it is refused (%s)", (text, error) => {
    expect(read(text, utc)).toBe(error);
  });

  it("GIVEN a French workspace THEN ranges of French dates are read, as parseDate reads them", () => {
    const fr = { ...utc, locale: "fr" as const };
    expect(read("01/11/2026..15/11/2026", fr)).toBe("range 2026-11-01..2026-11-15 2026-11-01..2026-11-15");
    expect(read("hier..aujourd'hui", fr)).toBe("range 2026-11-17..2026-11-18 2026-11-17..2026-11-18");
  });
});

describe("parsePeriod in Auckland with Sunday weeks and fiscal years from April, on Fri 2027-01-01 (still 2026 in UTC)", () => {
  it.each([
    ["today", "today 2027-01-01 2027-01-01..2027-01-01"],
    ["yesterday", "yesterday 2026-12-31 2026-12-31..2026-12-31"],
    ["week", "week 2026-W53-sun 2026-12-27..2027-01-02"],
    ["last week", "week 2026-W52-sun 2026-12-20..2026-12-26"],
    ["next week", "week 2027-W01-sun 2027-01-03..2027-01-09"],
    ["month", "month 2027-01 2027-01-01..2027-01-31"],
    ["last month", "month 2026-12 2026-12-01..2026-12-31"],
    ["quarter", "quarter FY2026-Q4 2027-01-01..2027-03-31"],
    ["last quarter", "quarter FY2026-Q3 2026-10-01..2026-12-31"],
    ["next quarter", "quarter FY2027-Q1 2027-04-01..2027-06-30"],
    ["year", "year FY2026 2026-04-01..2027-03-31"],
    ["last year", "year FY2025 2025-04-01..2026-03-31"],
    ["année prochaine", "year FY2027 2027-04-01..2028-03-31"],
    ["Q1", "quarter FY2026-Q1 2026-04-01..2026-06-30"],
    ["T4", "quarter FY2026-Q4 2027-01-01..2027-03-31"],
    ["2026-Q1", "quarter FY2026-Q1 2026-04-01..2026-06-30"],
    ["2027-T1", "quarter FY2027-Q1 2027-04-01..2027-06-30"],
    ["EX2027-T2", "quarter FY2027-Q2 2027-07-01..2027-09-30"],
    ["FY2026", "year FY2026 2026-04-01..2027-03-31"],
    ["EX2025", "year FY2025 2025-04-01..2026-03-31"],
    ["2026-11", "month 2026-11 2026-11-01..2026-11-30"],
    ["2026-12-28..2027-01-03", "range 2026-12-28..2027-01-03 2026-12-28..2027-01-03"],
  ])("GIVEN %j THEN %s", (text, expected) => {
    expect(read(text, auckland)).toBe(expected);
  });

  it("GIVEN a period THEN its bounds are local midnights in Auckland, and a range ends the day after its last", () => {
    const month = parsePeriod("month", auckland);
    expect(month.ok && [month.period.start.toISOString(), month.period.end.toISOString()]).toEqual([
      "2026-12-31T11:00:00.000Z",
      "2027-01-31T11:00:00.000Z",
    ]);
    // New Zealand daylight time ends on the first Sunday of April: 1 April is still at UTC+13.
    const year = parsePeriod("FY2026", auckland);
    expect(year.ok && [year.period.start.toISOString(), year.period.end.toISOString()]).toEqual([
      "2026-03-31T11:00:00.000Z",
      "2027-03-31T11:00:00.000Z",
    ]);
    const range = parsePeriod("2026-11-01..2026-11-15", auckland);
    expect(range.ok && [range.period.start.toISOString(), range.period.end.toISOString()]).toEqual([
      "2026-10-31T11:00:00.000Z",
      "2026-11-15T11:00:00.000Z",
    ]);
  });
});

describe("parsePeriod in Los Angeles with Sunday weeks and fiscal years from October, on Thu 2026-12-31 (2027 in UTC)", () => {
  it.each([
    ["today", "today 2026-12-31 2026-12-31..2026-12-31"],
    ["week", "week 2026-W53-sun 2026-12-27..2027-01-02"],
    ["month", "month 2026-12 2026-12-01..2026-12-31"],
    ["next month", "month 2027-01 2027-01-01..2027-01-31"],
    ["quarter", "quarter FY2026-Q1 2026-10-01..2026-12-31"],
    ["Q1", "quarter FY2026-Q1 2026-10-01..2026-12-31"],
    ["Q4", "quarter FY2026-Q4 2027-07-01..2027-09-30"],
    ["last quarter", "quarter FY2025-Q4 2026-07-01..2026-09-30"],
    ["year", "year FY2026 2026-10-01..2027-09-30"],
    ["last year", "year FY2025 2025-10-01..2026-09-30"],
    ["FY2027", "year FY2027 2027-10-01..2028-09-30"],
  ])("GIVEN %j THEN %s", (text, expected) => {
    expect(read(text, losAngeles)).toBe(expected);
  });
});

describe("takePeriod: the words of a period in a command's text", () => {
  it.each([
    [[], undefined, []],
    [["month"], "month", []],
    [["month", "lost"], "month", ["lost"]],
    [["last", "month"], "last month", []],
    [["last", "month", "extra"], "last month", ["extra"]],
    [["Next", "Quarter"], "Next Quarter", []],
    [["this", "week"], "this week", []],
    [["mois", "dernier"], "mois dernier", []],
    [["semaine", "prochaine", "x"], "semaine prochaine", ["x"]],
    [["année", "dernière"], "année dernière", []],
    [["an", "prochain"], "an prochain", []],
    [["cette", "année"], "cette année", []],
    [["Q3", "2026"], "Q3 2026", []],
    [["T1", "2027", "x"], "T1 2027", ["x"]],
    [["2026-11-01", "..", "2026-11-15"], "2026-11-01 .. 2026-11-15", []],
    [["2026-11-01..", "2026-11-15"], "2026-11-01.. 2026-11-15", []],
    [["2026-11-01", "..2026-11-15"], "2026-11-01 ..2026-11-15", []],
    [["2026-Q3", "2026"], "2026-Q3", ["2026"]],
    [["last", "decade"], "last", ["decade"]],
  ] as const)("GIVEN %j THEN the period is %j and %j is left", (words, period, rest) => {
    expect(takePeriod(words)).toEqual({ period, rest });
  });

  it("GIVEN the words it takes THEN parsePeriod reads them whole", () => {
    const { period } = takePeriod(["2026-11-01", "..", "2026-11-15"]);
    expect(read(period ?? "", utc)).toBe("range 2026-11-01..2026-11-15 2026-11-01..2026-11-15");
  });
});
