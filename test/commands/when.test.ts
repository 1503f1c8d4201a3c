import { describe, expect, it } from "vitest";
import { type DateContext, parseDate, parseWhen } from "../../src/commands/when.js";

// 2026-11-22 is a Sunday; at 10:00Z it is 11:00 in Paris and 05:00 in New York.
const SUNDAY = new Date("2026-11-22T10:00:00Z");
const en: DateContext = { now: SUNDAY, timezone: "Europe/Paris", locale: "en", weekStart: "monday" };
const fr: DateContext = { ...en, locale: "fr" };

describe("parseWhen on Sunday 2026-11-22 (Europe/Paris, Monday weeks)", () => {
  it.each([
    ["2026-12-01", "2026-12-01"],
    ["today", "2026-11-22"],
    ["Today", "2026-11-22"],
    ["tomorrow", "2026-11-23"],
    [" TOMORROW ", "2026-11-23"],
    ["yesterday", "2026-11-21"],
    ["+3d", "2026-11-25"],
    ["+0d", "2026-11-22"],
    ["+2w", "2026-12-06"],
    ["+1m", "2026-12-22"],
    ["+12m", "2027-11-22"],
    ["monday", "2026-11-23"],
    ["mon", "2026-11-23"],
    ["friday", "2026-11-27"],
    ["fri", "2026-11-27"],
    ["Friday", "2026-11-27"],
    ["saturday", "2026-11-28"],
    ["sunday", "2026-11-29"],
    ["sun", "2026-11-29"],
    ["eom", "2026-11-30"],
    ["EOM", "2026-11-30"],
    ["eow", "2026-11-22"],
  ])("GIVEN %j in en THEN %s", (text, date) => {
    expect(parseWhen(text, en)).toBe(date);
  });

  it.each([
    ["aujourd'hui", "2026-11-22"],
    ["aujourd’hui", "2026-11-22"],
    ["aujourdhui", "2026-11-22"],
    ["Aujourd'hui", "2026-11-22"],
    ["demain", "2026-11-23"],
    ["hier", "2026-11-21"],
    ["+3j", "2026-11-25"],
    ["+2s", "2026-12-06"],
    ["+1m", "2026-12-22"],
    ["+3d", "2026-11-25"],
    ["vendredi", "2026-11-27"],
    ["ven", "2026-11-27"],
    ["lundi", "2026-11-23"],
    ["mar", "2026-11-24"],
    ["mercredi", "2026-11-25"],
    ["jeu", "2026-11-26"],
    ["samedi", "2026-11-28"],
    ["dimanche", "2026-11-29"],
    ["fdm", "2026-11-30"],
    ["fds", "2026-11-22"],
    ["01/12/2026", "2026-12-01"],
    ["1/12/2026", "2026-12-01"],
    ["25/12", "2026-12-25"],
    ["2026-12-01", "2026-12-01"],
  ])("GIVEN %j in fr THEN %s", (text, date) => {
    expect(parseWhen(text, fr)).toBe(date);
  });

  it("GIVEN English words in a fr workspace and French words in an en one THEN both are understood", () => {
    expect(parseWhen("tomorrow", fr)).toBe("2026-11-23");
    expect(parseWhen("demain", en)).toBe("2026-11-23");
  });

  it("GIVEN Sunday weeks THEN eow is Saturday", () => {
    expect(parseWhen("eow", { ...en, weekStart: "sunday" })).toBe("2026-11-28");
  });

  it("GIVEN a Wednesday and Monday weeks THEN eow is the coming Sunday", () => {
    expect(parseWhen("eow", { ...en, now: new Date("2026-11-25T10:00:00Z") })).toBe("2026-11-29");
  });

  it("GIVEN the last day of the month THEN eom is today", () => {
    expect(parseWhen("eom", { ...en, now: new Date("2026-11-30T10:00:00Z") })).toBe("2026-11-30");
  });

  it("GIVEN 31 January THEN +1m is the last day of February", () => {
    expect(parseWhen("+1m", { ...en, now: new Date("2027-01-31T10:00:00Z") })).toBe("2027-02-28");
  });

  it.each([
    [""],
    ["   "],
    ["soon"],
    ["next week"],
    ["+3"],
    ["3d"],
    ["+3x"],
    ["-3d"],
    ["+1000d"],
    ["+3 d"],
    ["2026-02-30"],
    ["2026-13-01"],
    ["2026-1-5"],
    ["2026-W47"],
    ["12/01/2026"],
    ["friday!"],
  ])("GIVEN the invalid %j in en THEN null", (text) => {
    expect(parseWhen(text, en)).toBeNull();
  });

  it.each([["31/11/2026"], ["30/02"], ["13/13/2026"], ["1/12/26"], ["2026/12/01"], ["demain matin"]])(
    "GIVEN the invalid %j in fr THEN null",
    (text) => {
      expect(parseWhen(text, fr)).toBeNull();
    },
  );
});

describe("parseWhen at a time-zone edge", () => {
  // 23:30Z on Sunday 22 is already 00:30 on Monday 23 in Paris, still 18:30 on Sunday 22 in New York.
  const lateParis: DateContext = { ...en, now: new Date("2026-11-22T23:30:00Z") };
  const lateNewYork: DateContext = { ...lateParis, timezone: "America/New_York" };

  it.each([
    ["today", "2026-11-23", "2026-11-22"],
    ["tomorrow", "2026-11-24", "2026-11-23"],
    ["monday", "2026-11-30", "2026-11-23"],
    ["sunday", "2026-11-29", "2026-11-29"],
    ["eow", "2026-11-29", "2026-11-22"],
    ["+1d", "2026-11-24", "2026-11-23"],
  ])("GIVEN %j THEN %s in Paris and %s in New York", (text, inParis, inNewYork) => {
    expect(parseWhen(text, lateParis)).toBe(inParis);
    expect(parseWhen(text, lateNewYork)).toBe(inNewYork);
  });

  it("GIVEN 23:30Z on 30 November in Paris THEN eom is already the end of December", () => {
    expect(parseWhen("eom", { ...en, now: new Date("2026-11-30T23:30:00Z") })).toBe("2026-12-31");
  });
});

describe("parseDate", () => {
  it.each([
    ["2026-11-01", "2026-11-01"],
    ["2028-02-29", "2028-02-29"],
    ["today", "2026-11-22"],
    ["yesterday", "2026-11-21"],
    ["tomorrow", "2026-11-23"],
    ["hier", "2026-11-21"],
  ])("GIVEN %j in en THEN %s", (text, date) => {
    expect(parseDate(text, en)).toBe(date);
  });

  it.each([
    ["15/10/2026", "2026-10-15"],
    ["5/3/2026", "2026-03-05"],
    ["29/02/2028", "2028-02-29"],
    ["15/10", "2026-10-15"],
    ["aujourd'hui", "2026-11-22"],
    ["hier", "2026-11-21"],
    ["demain", "2026-11-23"],
    ["2026-11-01", "2026-11-01"],
  ])("GIVEN %j in fr THEN %s", (text, date) => {
    expect(parseDate(text, fr)).toBe(date);
  });

  it.each([["15/10/2026"], ["10/15/2026"], ["2026-02-29"], ["friday"], ["eom"], ["+3d"], ["last week"]])(
    "GIVEN %j in en THEN null (slash dates are ambiguous in en; reminder forms are not dates)",
    (text) => {
      expect(parseDate(text, en)).toBeNull();
    },
  );

  it.each([["29/02/2026"], ["32/01/2026"], ["15/10/26"], ["vendredi"], ["fdm"]])(
    "GIVEN %j in fr THEN null",
    (text) => {
      expect(parseDate(text, fr)).toBeNull();
    },
  );

  it("GIVEN an unknown time zone THEN a RangeError", () => {
    expect(() => parseDate("today", { ...en, timezone: "Mars/Olympus" })).toThrow(RangeError);
  });
});
