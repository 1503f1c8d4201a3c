import { DateTime } from "luxon";

/**
 * Calendar periods of a workspace: days, weeks, months and fiscal quarters and years, as half-open
 * instant ranges `[start, end)` whose boundaries are local midnights in the workspace time zone.
 *
 * All zoned arithmetic goes through Luxon. Calendar-only arithmetic (adding days or months to a
 * date) is done on Luxon dates in UTC, where every day has 24 hours, and each boundary date is then
 * turned into an instant in the workspace zone by {@link startOfLocalDate}.
 */

/** The periods of the calendar, each the one containing some instant. */
export type PeriodKind = "today" | "yesterday" | "week" | "month" | "quarter" | "year";
/** A period's kind: one of the calendar's, or `range`, any run of whole local days a user names. */
export type AnyPeriodKind = PeriodKind | "range";
export type WeekStart = "monday" | "sunday";

/** The calendar settings of a workspace. */
export interface Calendar {
  /** IANA time zone, e.g. `Europe/Paris`. */
  timezone: string;
  weekStart: WeekStart;
  /** Month (1-12) in which the fiscal year starts; 1 means fiscal years are calendar years. */
  fiscalYearStart: number;
}

/**
 * A period `[start, end)`.
 *
 * `label` names the period within its calendar and is used in dedupe keys, so its scheme is stable:
 * - `today`, `yesterday`: the local date, `2026-11-22`;
 * - `week` starting on Monday: the ISO 8601 week, `2026-W47`;
 * - `week` starting on Sunday: the ISO week of the Monday it contains, suffixed, `2026-W47-sun`
 *   (Sun 2026-11-15 to Sat 2026-11-21), so it never collides with a Monday week;
 * - `month`: the calendar month, `2026-11` (months are always calendar months);
 * - `quarter`, `year` with `fiscalYearStart` 1: `2026-Q3`, `2026`;
 * - `quarter`, `year` with another fiscal start: `FY2026-Q1`, `FY2026`, where a fiscal year is named
 *   after the calendar year in which it starts (with an April start, FY2026 is 2026-04-01 to
 *   2027-04-01 and FY2026-Q1 is April to June 2026);
 * - `range`: its first and last local dates, `2026-11-01..2026-11-15`, or one date, `2026-11-15`.
 */
export interface Period<K extends AnyPeriodKind = AnyPeriodKind> {
  kind: K;
  start: Date;
  /** Exclusive. */
  end: Date;
  label: string;
}

/** ISO weekday, 1 = Monday … 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A valid Luxon date at UTC midnight for `YYYY-MM-DD`, or null. */
function calendarDateOf(date: string): DateTime<true> | null {
  const match = ISO_DATE.exec(date);
  if (!match) return null;
  const parsed = DateTime.utc(Number(match[1]), Number(match[2]), Number(match[3]));
  return parsed.isValid ? parsed : null;
}

function requireCalendarDate(date: string): DateTime<true> {
  const parsed = calendarDateOf(date);
  if (!parsed) throw new RangeError(`Not a valid YYYY-MM-DD date: ${date}`);
  return parsed;
}

function inZone(at: Date, timezone: string): DateTime<true> {
  const zoned = DateTime.fromJSDate(at, { zone: timezone });
  if (!zoned.isValid) throw new RangeError(`Invalid instant or time zone: ${timezone}`);
  return zoned;
}

/**
 * Remembers the last few thousand answers of a zone conversion. They are pure, and Luxon asks Intl
 * for the zone's offset each time (about 7 µs); a daily digest makes sixty over a handful of instants
 * and dates. A failed conversion throws and is not remembered.
 */
function remembered<V>(): (key: string, compute: () => V) => V {
  const answers = new Map<string, V>();
  return (key, compute) => {
    let value = answers.get(key);
    if (value === undefined) {
      value = compute();
      if (answers.size >= 4096) answers.clear();
      answers.set(key, value);
    }
    return value;
  };
}

const calendarDates = remembered<DateTime<true>>();
const localMidnights = remembered<number>();

/** The calendar date of `at` in `timezone`, as a Luxon date at UTC midnight. */
function calendarDateAt(at: Date, timezone: string): DateTime<true> {
  return calendarDates(`${timezone} ${at.getTime()}`, () => {
    const zoned = inZone(at, timezone);
    return DateTime.utc(zoned.year, zoned.month, zoned.day) as DateTime<true>;
  });
}

function isoDate(date: DateTime<true>): string {
  return date.toISODate();
}

/**
 * The local date of an instant in a time zone.
 *
 * @returns `YYYY-MM-DD`
 * @throws RangeError if the time zone is not a valid IANA zone.
 */
export function localDate(at: Date, timezone: string): string {
  return isoDate(calendarDateAt(at, timezone));
}

/**
 * The first instant of a local date: 00:00 in `timezone`, or, on the rare days where midnight does
 * not exist (a DST jump at midnight, e.g. `America/Santiago`), the first wall-clock time after the gap.
 *
 * @throws RangeError if the date is not a valid `YYYY-MM-DD` date or the zone is invalid.
 */
export function startOfLocalDate(date: string, timezone: string): Date {
  const ms = localMidnights(`${timezone} ${date}`, () => {
    const day = requireCalendarDate(date);
    // Luxon moves a non-existent local time forward past the gap, which is the day's first instant.
    const local = DateTime.fromObject({ year: day.year, month: day.month, day: day.day }, { zone: timezone });
    if (!local.isValid) throw new RangeError(`Invalid time zone: ${timezone}`);
    return local.toMillis();
  });
  return new Date(ms);
}

/**
 * The instant something happened on a local date, as a user enters it after the fact: at `time`
 * (`HH:MM`, local) when given; else now for today, and for another day twelve hours after its local
 * midnight (noon, an hour off on a DST day), which no DST change moves to another date. Whether it may be in the future is the caller's to decide.
 *
 * @throws RangeError if the date or time is not valid, or the zone is invalid.
 */
export function instantOn(date: string, timezone: string, now: Date, time?: string): Date {
  if (time === undefined) {
    if (date === localDate(now, timezone)) return now;
    return new Date(startOfLocalDate(date, timezone).getTime() + 12 * 3600_000);
  }
  const local = DateTime.fromISO(`${date}T${time}`, { zone: timezone });
  if (!local.isValid) throw new RangeError(`Invalid local time: ${date}T${time} in ${timezone}`);
  return local.toJSDate();
}

function makePeriod<K extends AnyPeriodKind>(
  kind: K,
  start: DateTime<true>,
  end: DateTime<true>,
  label: string,
  timezone: string,
): Period<K> {
  return {
    kind,
    start: startOfLocalDate(isoDate(start), timezone),
    end: startOfLocalDate(isoDate(end), timezone),
    label,
  };
}

function weekLabel(weekStartDate: DateTime<true>, weekStart: WeekStart): string {
  const monday = weekStart === "monday" ? weekStartDate : weekStartDate.plus({ days: 1 });
  const base = `${monday.weekYear}-W${String(monday.weekNumber).padStart(2, "0")}`;
  return weekStart === "monday" ? base : `${base}-sun`;
}

function checkFiscalYearStart(month: number): void {
  if (!Number.isInteger(month) || month < 1 || month > 12) {
    throw new RangeError(`fiscalYearStart must be a month 1-12, got ${month}`);
  }
}

/**
 * The period of the given kind that contains the instant `at` in the workspace calendar.
 * `yesterday` is the day before the local day containing `at`.
 *
 * @throws RangeError on an invalid time zone or fiscal year start.
 */
export function periodContaining<K extends PeriodKind>(kind: K, at: Date, cal: Calendar): Period<K> {
  return containing(kind, at, cal) as Period<K>;
}

function containing(kind: PeriodKind, at: Date, cal: Calendar): Period<PeriodKind> {
  const tz = cal.timezone;
  const day = calendarDateAt(at, tz);
  switch (kind) {
    case "today":
    case "yesterday": {
      const start = kind === "today" ? day : day.minus({ days: 1 });
      return makePeriod(kind, start, start.plus({ days: 1 }), isoDate(start), tz);
    }
    case "week": {
      const back = cal.weekStart === "monday" ? day.weekday - 1 : day.weekday % 7;
      const start = day.minus({ days: back });
      return makePeriod(kind, start, start.plus({ weeks: 1 }), weekLabel(start, cal.weekStart), tz);
    }
    case "month": {
      const start = day.startOf("month");
      return makePeriod(kind, start, start.plus({ months: 1 }), start.toFormat("yyyy-MM"), tz);
    }
    case "quarter":
    case "year": {
      checkFiscalYearStart(cal.fiscalYearStart);
      const fiscalYear = day.month >= cal.fiscalYearStart ? day.year : day.year - 1;
      const yearStart = DateTime.utc(fiscalYear, cal.fiscalYearStart, 1) as DateTime<true>;
      const prefix = cal.fiscalYearStart === 1 ? String(fiscalYear) : `FY${fiscalYear}`;
      if (kind === "year") return makePeriod(kind, yearStart, yearStart.plus({ years: 1 }), prefix, tz);
      const quarter = Math.floor(((day.month - cal.fiscalYearStart + 12) % 12) / 3);
      const start = yearStart.plus({ months: 3 * quarter });
      return makePeriod(kind, start, start.plus({ months: 3 }), `${prefix}-Q${quarter + 1}`, tz);
    }
  }
}

/**
 * The period of the same kind just before `period` (for `today` and `yesterday`: the day before; for
 * a range: as many days just before it). The result keeps `period.kind`.
 */
export function previousPeriod<K extends AnyPeriodKind>(period: Period<K>, cal: Calendar): Period<K> {
  if (period.kind === "range") {
    const { first, last } = periodDays(period, cal.timezone);
    const days = requireCalendarDate(last).diff(requireCalendarDate(first), "days").days + 1;
    const shifted = (date: string) => isoDate(requireCalendarDate(date).minus({ days }));
    return dayRange(shifted(first), shifted(last), cal.timezone) as Period<K>;
  }
  const kind = period.kind === "yesterday" ? "today" : (period.kind as PeriodKind);
  const before = periodContaining(kind, new Date(period.start.getTime() - 1), cal);
  return { ...before, kind: period.kind };
}

/** The period of the same kind just after `period` (for `today` and `yesterday`: the day after). */
export function nextPeriod<K extends PeriodKind>(period: Period<K>, cal: Calendar): Period<K> {
  const kind = period.kind === "yesterday" ? "today" : period.kind;
  return { ...periodContaining(kind, period.end, cal), kind: period.kind };
}

/** Whether `period` is the one of its kind containing `now` (`today` today, `month` this month); never a range. */
export function isCurrentPeriod(period: Period, now: Date, cal: Calendar): boolean {
  if (period.kind === "range") return false;
  return periodContaining(period.kind, now, cal).start.getTime() === period.start.getTime();
}

/**
 * The period of a kind containing a local date (`YYYY-MM-DD`).
 *
 * @throws RangeError on an invalid date, time zone or fiscal year start.
 */
export function periodOfDate<K extends PeriodKind>(kind: K, date: string, cal: Calendar): Period<K> {
  return periodContaining(kind, startOfLocalDate(date, cal.timezone), cal);
}

/**
 * Fiscal year `year`, the one that starts in that calendar year (`FY2026`; with a January start,
 * calendar 2026), or its quarter `quarter` (1-4) when given.
 *
 * @throws RangeError on a quarter outside 1-4, or an invalid time zone or fiscal year start.
 */
export function fiscalPeriod(
  year: number,
  quarter: number | undefined,
  cal: Calendar,
): Period<"quarter" | "year"> {
  checkFiscalYearStart(cal.fiscalYearStart);
  if (quarter !== undefined && (!Number.isInteger(quarter) || quarter < 1 || quarter > 4)) {
    throw new RangeError(`quarter must be 1-4, got ${quarter}`);
  }
  const start = DateTime.utc(year, cal.fiscalYearStart, 1).plus({ months: 3 * ((quarter ?? 1) - 1) });
  return periodOfDate(quarter === undefined ? "year" : "quarter", isoDate(start as DateTime<true>), cal);
}

/**
 * The whole local days from `first` to `last` (`YYYY-MM-DD`, both included), as `[start, end)`.
 *
 * @throws RangeError if a date is invalid or `last` is before `first`.
 */
export function dayRange(first: string, last: string, timezone: string): Period<"range"> {
  const from = requireCalendarDate(first);
  const to = requireCalendarDate(last);
  if (to < from) throw new RangeError(`The range ends (${last}) before it starts (${first})`);
  const label = first === last ? first : `${first}..${last}`;
  return makePeriod("range", from, to.plus({ days: 1 }), label, timezone);
}

/** The first and last local dates of a period (`YYYY-MM-DD`, both included). */
export function periodDays(period: Period, timezone: string): { first: string; last: string } {
  return {
    first: localDate(period.start, timezone),
    last: localDate(new Date(period.end.getTime() - 1), timezone),
  };
}

/** How much of the period has elapsed at `now`: `(now - start) / (end - start)`, clamped to [0, 1]. */
export function elapsedFraction(period: Period, now: Date): number {
  const span = period.end.getTime() - period.start.getTime();
  if (span <= 0) return now.getTime() >= period.end.getTime() ? 1 : 0;
  const fraction = (now.getTime() - period.start.getTime()) / span;
  return Math.min(1, Math.max(0, fraction));
}

const WEEKDAY_NAMES: Record<string, Weekday> = {
  mon: 1,
  monday: 1,
  tue: 2,
  tues: 2,
  tuesday: 2,
  wed: 3,
  wednesday: 3,
  thu: 4,
  thur: 4,
  thurs: 4,
  thursday: 4,
  fri: 5,
  friday: 5,
  sat: 6,
  saturday: 6,
  sun: 7,
  sunday: 7,
  lun: 1,
  lundi: 1,
  mar: 2,
  mardi: 2,
  mer: 3,
  mercredi: 3,
  jeu: 4,
  jeudi: 4,
  ven: 5,
  vendredi: 5,
  sam: 6,
  samedi: 6,
  dim: 7,
  dimanche: 7,
};

const CANONICAL_NAMES = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

/**
 * A weekday from its English or French name, full or abbreviated (`fri`, `friday`, `ven`,
 * `vendredi`); case and accents are ignored.
 *
 * @returns the ISO weekday, or null if the name is not a weekday.
 */
export function parseWeekday(name: string): Weekday | null {
  const key = name.normalize("NFD").replace(/\p{M}/gu, "").trim().toLowerCase();
  return Object.hasOwn(WEEKDAY_NAMES, key) ? (WEEKDAY_NAMES[key] ?? null) : null;
}

/**
 * Parses the `working_days` setting: comma-separated days and ranges of days in English or French,
 * e.g. `mon-fri`, `mon,tue,thu`, `lun-ven`, `mon-wed,fri`. A range wraps around the end of the week
 * (`sun-thu` is Sunday to Thursday; `fri-mon` is Friday to Monday); `mon-mon` is Monday alone.
 *
 * @returns the set of ISO weekdays, or null if the text is empty or not valid.
 */
export function parseWorkingDays(text: string): Set<Weekday> | null {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  const days = new Set<Weekday>();
  for (const item of trimmed.split(/\s*,\s*/)) {
    const ends = item.split(/\s*[-–]\s*/);
    if (ends.length > 2) return null;
    const from = parseWeekday(ends[0] ?? "");
    const to = parseWeekday(ends[ends.length - 1] ?? "");
    if (from === null || to === null) return null;
    let day: Weekday = from;
    days.add(day);
    while (day !== to) {
      day = nextWeekday(day);
      days.add(day);
    }
  }
  return days;
}

/**
 * Formats working days canonically, the inverse of {@link parseWorkingDays}: runs of three or more
 * consecutive days become ranges, others are listed (`mon-fri`, `mon,wed,fri`, `mon,tue`). Days are
 * listed from Monday, except that a run going from Sunday into Monday is kept whole and comes first
 * (`sun-thu`, not `mon-thu,sun`). All seven days are `mon-sun`; no day is the empty string.
 */
export function formatWorkingDays(days: Set<Weekday>): string {
  if (days.size === 7) return "mon-sun";
  if (days.size === 0) return "";
  // Start at Monday, or earlier if Monday's run reaches back through Sunday, so that no run is cut.
  let first: Weekday = 1;
  while (days.has(first) && days.has(previousWeekday(first))) first = previousWeekday(first);
  const runs: Weekday[][] = [];
  let day = first;
  for (let i = 0; i < 7; i++, day = nextWeekday(day)) {
    if (!days.has(day)) continue;
    const last = runs[runs.length - 1];
    if (last && last[last.length - 1] === previousWeekday(day)) last.push(day);
    else runs.push([day]);
  }
  const name = (weekday: Weekday) => CANONICAL_NAMES[weekday - 1];
  return runs
    .map((run) => {
      if (run.length < 3) return run.map(name).join(",");
      return `${name(run[0] as Weekday)}-${name(run[run.length - 1] as Weekday)}`;
    })
    .join(",");
}

function nextWeekday(day: Weekday): Weekday {
  return ((day % 7) + 1) as Weekday;
}

function previousWeekday(day: Weekday): Weekday {
  return (((day + 5) % 7) + 1) as Weekday;
}

/**
 * Whether a local date falls on a working day.
 *
 * @throws RangeError if `date` is not a valid `YYYY-MM-DD` date.
 */
export function isWorkingDay(date: string, days: Set<Weekday>): boolean {
  return days.has(requireCalendarDate(date).weekday as Weekday);
}

/**
 * The date `n` working days after `date`: with `n = 0`, `date` itself if it is a working day, else
 * the next working day; with `n > 0`, the n-th working day strictly after `date` (so Friday + 1 and
 * Saturday + 1 are both Monday with `mon-fri`).
 *
 * @throws RangeError if `date` is invalid, `n` is not a non-negative integer, or `days` is empty.
 */
export function addWorkingDays(date: string, n: number, days: Set<Weekday>): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  if (days.size === 0) throw new RangeError("No working days");
  let day = requireCalendarDate(date);
  if (n === 0) {
    while (!days.has(day.weekday as Weekday)) day = day.plus({ days: 1 });
    return isoDate(day);
  }
  let remaining = n;
  while (remaining > 0) {
    day = day.plus({ days: 1 });
    if (days.has(day.weekday as Weekday)) remaining--;
  }
  return isoDate(day);
}

/**
 * The working day strictly before `date` (Monday's is Friday with `mon-fri`).
 *
 * @throws RangeError if `date` is invalid or `days` is empty.
 */
export function previousWorkingDay(date: string, days: Set<Weekday>): string {
  if (days.size === 0) throw new RangeError("No working days");
  let day = requireCalendarDate(date).minus({ days: 1 });
  while (!days.has(day.weekday as Weekday)) day = day.minus({ days: 1 });
  return isoDate(day);
}
