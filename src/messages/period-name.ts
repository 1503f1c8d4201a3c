import { type Period, periodDays } from "../sales/periods/period.js";
import type { Locale } from "./i18n.js";
import type { Speaker } from "./speaker.js";

/**
 * How a reply names a period and the days it covers: `October 2026 (1 Oct – 31 Oct)`,
 * `Q1 FY2026 (1 Apr – 30 Jun 2026)`, `1 Nov – 15 Nov 2026`; in French `octobre 2026 (du 1er au
 * 31 octobre)`, `du 1er au 15 novembre 2026`. The current period of a word (`month`) keeps its
 * word's name (`This month`).
 */

const MONTHS: Record<Locale, Intl.DateTimeFormat> = {
  // Short months in English as the app writes them (Sep, not Sept); whole ones in French.
  en: new Intl.DateTimeFormat("en-US", { month: "short", timeZone: "UTC" }),
  fr: new Intl.DateTimeFormat("fr-FR", { month: "long", timeZone: "UTC" }),
};
const MONTH_YEAR: Record<Locale, Intl.DateTimeFormat> = {
  en: new Intl.DateTimeFormat("en-US", { month: "long", year: "numeric", timeZone: "UTC" }),
  fr: new Intl.DateTimeFormat("fr-FR", { month: "long", year: "numeric", timeZone: "UTC" }),
};

interface Day {
  year: number;
  month: string;
  day: string;
}

function dayOf(date: string, locale: Locale): Day {
  const [year = 0, month = 1, day = 1] = date.split("-").map(Number);
  // French writes the first of a month as an ordinal: « 1er novembre ».
  const written = locale === "fr" && day === 1 ? "1er" : String(day);
  return { year, month: MONTHS[locale].format(Date.UTC(year, month - 1, 1)), day: written };
}

/**
 * The days from `first` to `last` (`YYYY-MM-DD`, included): `1 Nov – 15 Nov 2026`, `du 1er au 15
 * novembre 2026`; the year is written when `withYear` or when the two days are in different years.
 */
function daySpan(s: Speaker, first: string, last: string, withYear: boolean): string {
  const a = dayOf(first, s.locale);
  const b = dayOf(last, s.locale);
  const years = a.year !== b.year;
  const end = `${b.day} ${b.month}${withYear || years ? ` ${b.year}` : ""}`;
  if (first === last) return end;
  if (s.locale === "fr") {
    const start = years
      ? `${a.day} ${a.month} ${a.year}`
      : a.month === b.month
        ? a.day
        : `${a.day} ${a.month}`;
    return s.t("period.span", { first: start, last: end });
  }
  return s.t("period.span", { first: `${a.day} ${a.month}${years ? ` ${a.year}` : ""}`, last: end });
}

/** What the period is called, without its days: `October 2026`, `Q3 2026`, `FY2026`, or null for days. */
function calledBy(s: Speaker, period: Period, first: string): string | null {
  const fiscal = /^FY(\d{4})(?:-Q([1-4]))?$/.exec(period.label);
  const calendar = /^(\d{4})(?:-Q([1-4]))?$/.exec(period.label);
  switch (period.kind) {
    case "month": {
      const [year = 0, month = 1] = first.split("-").map(Number);
      return MONTH_YEAR[s.locale].format(Date.UTC(year, month - 1, 1));
    }
    case "quarter":
      if (fiscal)
        return s.t("period.name.fiscal_quarter", { quarter: fiscal[2] ?? "", year: fiscal[1] ?? "" });
      return s.t("period.name.quarter", { quarter: calendar?.[2] ?? "", year: calendar?.[1] ?? "" });
    case "year":
      return fiscal ? s.t("period.name.fiscal_year", { year: fiscal[1] ?? "" }) : period.label;
    default:
      return null;
  }
}

/**
 * What a period is called, without its days: `November 2026`, `Q4 2026`, `FY2026`; the days
 * themselves for a day, a week or a range. Headings that give no dates (the TV screen) use it.
 */
export function periodTitle(s: Speaker, period: Period): string {
  const { first, last } = periodDays(period, s.fmt.timezone);
  return calledBy(s, period, first) ?? daySpan(s, first, last, true);
}

/**
 * A period as a reply names it: `This month` when it is the current period of its word and
 * `current` says so; otherwise its name and days, `October 2026 (1 Oct – 31 Oct)`, or its days
 * alone for a day, a week or a range, `9 Nov – 15 Nov 2026`.
 */
export function periodName(s: Speaker, period: Period, current = false): string {
  if (current && period.kind !== "range") return s.t(`period.${period.kind}`);
  const { first, last } = periodDays(period, s.fmt.timezone);
  const name = calledBy(s, period, first);
  if (name === null) return daySpan(s, first, last, true);
  // A calendar month, quarter or year says its year already; a fiscal one may span two.
  const fiscal = period.kind !== "month" && period.label.startsWith("FY");
  return s.t("period.dated", { name, dates: daySpan(s, first, last, fiscal) });
}

/** The same name, with a capital to start a line (`Décembre 2026 …`). */
export function periodNameAtStart(s: Speaker, period: Period, current = false): string {
  const name = periodName(s, period, current);
  return name.charAt(0).toLocaleUpperCase(s.locale) + name.slice(1);
}
