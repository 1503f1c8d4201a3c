import {
  type Calendar,
  dayRange,
  fiscalPeriod,
  localDate,
  nextPeriod,
  type Period,
  type PeriodKind,
  periodContaining,
  periodOfDate,
  previousPeriod,
} from "../sales/periods/period.js";
import type { Locale } from "../sales/workspaces/locales.js";
import { fold } from "./grammar/words.js";
import { DATE_RANGE, parseDate } from "./when.js";

/**
 * Periods as users name them in commands, resolved to `[start, end)` in the workspace calendar (its
 * time zone, week start and fiscal year start). Pure: "now" comes with the context.
 *
 * Every form is read in either language, since none means different things in the two; case,
 * accents and apostrophes are optional:
 * - the current period: `today`, `yesterday`, `week`, `month`, `quarter`, `year`, `this month`;
 *   `aujourd'hui`, `hier`, `semaine`, `mois`, `trimestre`, `année`, `ce mois`, `cette année`;
 * - the one before or after it: `last week`, `previous month`, `next quarter`; `semaine dernière`,
 *   `mois prochain`, `trimestre précédent`, `année passée`, `an prochain`;
 * - a month: `2026-11`;
 * - a fiscal quarter: `Q3`, `T3` (of the current fiscal year), `2026-Q3`, `2026-T3`, `Q3 2026`,
 *   `FY2026-Q3`, `EX2026-T3` (of fiscal year 2026);
 * - a fiscal year, named after the calendar year it starts in: `FY2026`, `EX2026`;
 * - days: `2026-11-15`, or a range `2026-11-01..2026-11-15` whose end is included, each end any date
 *   {@link parseDate} reads (`yesterday`, and in French `01/11/2026`).
 */

export interface PeriodContext extends Calendar {
  now: Date;
  locale: Locale;
}

export type PeriodError =
  /** Not a period in any form. */
  | "form"
  /** A range whose end comes before its start. */
  | "order"
  /** A period outside the years dates may have ({@link DATE_RANGE}). */
  | "years";

export type PeriodParse = { ok: true; period: Period } | { ok: false; error: PeriodError };

type Unit = "week" | "month" | "quarter" | "year";

/** The units of periods, each the current one alone (`month`), or before or after a modifier. */
const UNITS: Record<string, Unit> = {
  week: "week",
  semaine: "week",
  month: "month",
  mois: "month",
  quarter: "quarter",
  trimestre: "quarter",
  year: "year",
  annee: "year",
};

/** The current period's words: alone, and the units also after `this`, `ce`, `cette` ({@link BEFORE}). */
const CURRENT: Record<string, PeriodKind> = {
  ...UNITS,
  today: "today",
  aujourdhui: "today",
  yesterday: "yesterday",
  hier: "yesterday",
};

/** Units before a French modifier, where `an` counts years too (`an dernier`); alone it is English's article. */
const UNITS_BEFORE: Record<string, Unit> = { ...UNITS, an: "year" };

/** English modifiers and French demonstratives come before the unit (`last month`, `ce mois`), other French ones after it (`mois dernier`). */
const BEFORE: Record<string, -1 | 0 | 1> = {
  last: -1,
  previous: -1,
  this: 0,
  ce: 0,
  cet: 0,
  cette: 0,
  next: 1,
};
const AFTER: Record<string, -1 | 1> = {
  dernier: -1,
  derniere: -1,
  precedent: -1,
  precedente: -1,
  passe: -1,
  passee: -1,
  prochain: 1,
  prochaine: 1,
  suivant: 1,
  suivante: 1,
};

const MONTH = /^(\d{4})-(\d{2})$/;
/** `Q3`, `T3`, `2026-Q3`, `2026-T3`, `FY2026-Q3`, `EX2026-T3`, `Q3 2026`, `T3-2026`. */
const QUARTER = /^(?:(?:fy|ex)?(\d{4})-)?[qt]([1-4])$|^[qt]([1-4])[ -](\d{4})$/;
const FISCAL_YEAR = /^(?:fy|ex)(\d{4})$/;
const RANGE = /^(.+?)\s*(?:\.{2,3}|…)\s*(.+)$/;

/** A folded, space-collapsed form of what the user typed. */
function normalize(text: string): string {
  return fold(text).replace(/\s+/g, " ");
}

function inYears(year: number): boolean {
  return year >= DATE_RANGE.firstYear && year <= DATE_RANGE.lastYear;
}

/** The current period of `unit`, shifted `step` periods (-1, 0 or 1). */
function relative(unit: PeriodKind, step: number, ctx: PeriodContext): Period {
  const current = periodContaining(unit, ctx.now, ctx);
  if (step < 0) return previousPeriod(current, ctx);
  if (step > 0) return nextPeriod(current, ctx);
  return current;
}

/** `this month`, `last week`, `mois prochain`, `cette année`, or null. */
function relativeWords(words: string[], ctx: PeriodContext): Period | null {
  if (words.length !== 2) return null;
  const [first = "", second = ""] = words;
  const before = BEFORE[first];
  const unitAfter = UNITS[second];
  if (before !== undefined && unitAfter) return relative(unitAfter, before, ctx);
  const after = AFTER[second];
  const unitBefore = UNITS_BEFORE[first];
  if (after !== undefined && unitBefore) return relative(unitBefore, after, ctx);
  return null;
}

/**
 * Reads a period in the workspace calendar.
 *
 * @returns the period, or why it is not one.
 * @throws RangeError if the calendar's time zone or fiscal year start is invalid.
 */
export function parsePeriod(text: string, ctx: PeriodContext): PeriodParse {
  const input = normalize(text);
  const ok = (period: Period): PeriodParse => ({ ok: true, period });
  const years = (...ys: number[]): PeriodParse | null =>
    ys.every(inYears) ? null : { ok: false, error: "years" };

  const current = CURRENT[input];
  if (current) return ok(periodContaining(current, ctx.now, ctx));
  const words = relativeWords(input.split(" "), ctx);
  if (words) return ok(words);

  const month = MONTH.exec(input);
  if (month) {
    const [y, m] = [Number(month[1]), Number(month[2])];
    if (m < 1 || m > 12) return { ok: false, error: "form" };
    return years(y) ?? ok(periodOfDate("month", `${month[1]}-${month[2]}-01`, ctx));
  }
  const quarter = QUARTER.exec(input);
  if (quarter) {
    const q = Number(quarter[2] ?? quarter[3]);
    const year = quarter[1] ?? quarter[4];
    if (year === undefined) {
      const thisYear = periodContaining("year", ctx.now, ctx);
      return ok(fiscalPeriod(Number(localDate(thisYear.start, ctx.timezone).slice(0, 4)), q, ctx));
    }
    return years(Number(year)) ?? ok(fiscalPeriod(Number(year), q, ctx));
  }
  const fiscalYear = FISCAL_YEAR.exec(input);
  if (fiscalYear)
    return years(Number(fiscalYear[1])) ?? ok(fiscalPeriod(Number(fiscalYear[1]), undefined, ctx));

  const range = RANGE.exec(input);
  if (range) {
    const first = parseDate(range[1] ?? "", ctx);
    const last = parseDate(range[2] ?? "", ctx);
    if (first === null || last === null) return { ok: false, error: "form" };
    const outside = years(Number(first.slice(0, 4)), Number(last.slice(0, 4)));
    if (outside) return outside;
    if (last < first) return { ok: false, error: "order" };
    return ok(dayRange(first, last, ctx.timezone));
  }
  const day = parseDate(input, ctx);
  if (day !== null) return years(Number(day.slice(0, 4))) ?? ok(dayRange(day, day, ctx.timezone));
  return { ok: false, error: "form" };
}

/**
 * The words at the head of `words` that name a period in the text form, where a period may take
 * several (`last month`, `mois dernier`, `Q3 2026`, `2026-11-01 .. 2026-11-15`), and the words after
 * them. Decided by the words' shape alone; {@link parsePeriod} then reads (or refuses) them.
 */
export function takePeriod(words: readonly string[]): { period: string | undefined; rest: string[] } {
  const [first, second, third] = words.map(normalize);
  const take = (n: number) => ({ period: words.slice(0, n).join(" ") || undefined, rest: words.slice(n) });
  if (first === undefined) return take(0);
  if (second !== undefined) {
    if (/^(?:\.{2,3}|…)$/.test(second) && third !== undefined) return take(3);
    if (/(?:\.{2,3}|…)$/.test(first) || /^(?:\.{2,3}|…)/.test(second)) return take(2);
    if (BEFORE[first] !== undefined && UNITS[second]) return take(2);
    if (UNITS_BEFORE[first] && AFTER[second] !== undefined) return take(2);
    if (/^[qt][1-4]$/.test(first) && /^\d{4}$/.test(second)) return take(2);
  }
  return take(1);
}
