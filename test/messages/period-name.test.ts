import { describe, expect, it } from "vitest";
import { type PeriodContext, parsePeriod } from "../../src/commands/period.js";
import { createFormatter } from "../../src/messages/format.js";
import { type Locale, translator } from "../../src/messages/i18n.js";
import { periodName, periodNameAtStart } from "../../src/messages/period-name.js";
import type { Speaker } from "../../src/messages/speaker.js";
import type { Period } from "../../src/sales/periods/period.js";

/* How replies name a period and the days it covers, in English and in French. */

const speaker = (locale: Locale, timezone: string): Speaker => ({
  locale,
  t: translator(locale),
  fmt: createFormatter({ locale, currency: "EUR", timezone }),
});

const calendar = (fiscalYearStart: number, timezone = "Europe/Paris"): PeriodContext => ({
  timezone,
  weekStart: "monday",
  fiscalYearStart,
  locale: "en",
  now: new Date("2026-11-18T10:00:00Z"),
});

function period(text: string, ctx: PeriodContext): Period {
  const read = parsePeriod(text, ctx);
  if (!read.ok) throw new Error(`not a period: ${text}`);
  return read.period;
}

describe("periodName", () => {
  it.each([
    ["last month", 1, "October 2026 (1 Oct – 31 Oct)", "octobre 2026 (du 1er au 31 octobre)"],
    ["2026-09", 1, "September 2026 (1 Sep – 30 Sep)", "septembre 2026 (du 1er au 30 septembre)"],
    ["2026-Q3", 1, "Q3 2026 (1 Jul – 30 Sep)", "T3 2026 (du 1er juillet au 30 septembre)"],
    ["next year", 1, "2027 (1 Jan – 31 Dec)", "2027 (du 1er janvier au 31 décembre)"],
    [
      "FY2026-Q1",
      4,
      "Q1 FY2026 (1 Apr – 30 Jun 2026)",
      "T1 de l’exercice 2026 (du 1er avril au 30 juin 2026)",
    ],
    [
      "FY2026-Q4",
      4,
      "Q4 FY2026 (1 Jan – 31 Mar 2027)",
      "T4 de l’exercice 2026 (du 1er janvier au 31 mars 2027)",
    ],
    ["FY2026", 4, "FY2026 (1 Apr 2026 – 31 Mar 2027)", "exercice 2026 (du 1er avril 2026 au 31 mars 2027)"],
    ["last week", 1, "9 Nov – 15 Nov 2026", "du 9 au 15 novembre 2026"],
    ["2026-11-01..2026-11-15", 1, "1 Nov – 15 Nov 2026", "du 1er au 15 novembre 2026"],
    ["2026-10-26..2026-11-01", 1, "26 Oct – 1 Nov 2026", "du 26 octobre au 1er novembre 2026"],
    ["2026-12-28..2027-01-03", 1, "28 Dec 2026 – 3 Jan 2027", "du 28 décembre 2026 au 3 janvier 2027"],
    ["2026-11-01", 1, "1 Nov 2026", "1er novembre 2026"],
    ["yesterday", 1, "17 Nov 2026", "17 novembre 2026"],
  ])("GIVEN %j (fiscal year from month %i) THEN %j, and in French %j", (text, fiscal, english, french) => {
    const p = period(text, calendar(fiscal));
    expect(periodName(speaker("en", "Europe/Paris"), p)).toBe(english);
    expect(periodName(speaker("fr", "Europe/Paris"), p)).toBe(french);
  });

  it("GIVEN the current period of a word THEN it keeps the word's name; a range never does", () => {
    const paris = (locale: Locale) => speaker(locale, "Europe/Paris");
    expect(periodName(paris("en"), period("month", calendar(1)), true)).toBe("This month");
    expect(periodName(paris("fr"), period("quarter", calendar(1)), true)).toBe("Ce trimestre");
    expect(periodName(paris("en"), period("2026-11-18", calendar(1)), true)).toBe("18 Nov 2026");
  });

  it("GIVEN a zone far from UTC THEN the days are the workspace's local days", () => {
    const auckland = calendar(1, "Pacific/Auckland");
    const p = period("2026-11", auckland);
    expect(p.start.toISOString()).toBe("2026-10-31T11:00:00.000Z");
    expect(periodName(speaker("en", "Pacific/Auckland"), p)).toBe("November 2026 (1 Nov – 30 Nov)");
  });

  it("GIVEN a name that starts a line THEN it starts with a capital", () => {
    const fr = speaker("fr", "Europe/Paris");
    expect(periodNameAtStart(fr, period("2026-12", calendar(1)))).toBe(
      "Décembre 2026 (du 1er au 31 décembre)",
    );
    expect(periodNameAtStart(fr, period("2026-12-01..2026-12-05", calendar(1)))).toBe(
      "Du 1er au 5 décembre 2026",
    );
  });
});
