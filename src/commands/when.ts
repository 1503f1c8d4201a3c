import { DateTime } from "luxon";
import { parseWeekday } from "../sales/periods/period.js";

/**
 * Dates as users type them in commands, resolved to local `YYYY-MM-DD` dates in the workspace zone.
 *
 * Input is case-insensitive, trimmed, and accents and apostrophes are optional (`aujourdhui`).
 * English and French words are accepted in either locale (no word means different things in the
 * two); only slash dates depend on the locale: fr reads `DD/MM/YYYY` and `DD/MM` (this year), while
 * en accepts none, since US and UK readers would disagree on `03/04/2026`.
 */

export interface DateContext {
  now: Date;
  /** IANA time zone of the workspace. */
  timezone: string;
  locale: "en" | "fr";
  weekStart: "monday" | "sunday";
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const SLASH_DATE = /^(\d{1,2})\/(\d{1,2})(?:\/(\d{4}))?$/;
const OFFSET = /^\+(\d{1,3})([dwmjs])$/;

const DAY_OFFSETS: Record<string, number> = {
  today: 0,
  aujourdhui: 0,
  tomorrow: 1,
  demain: 1,
  yesterday: -1,
  hier: -1,
};

const OFFSET_UNITS: Record<string, "days" | "weeks" | "months"> = {
  d: "days",
  j: "days",
  w: "weeks",
  s: "weeks",
  m: "months",
};

/**
 * The years a typed date may fall in. Anything outside is a typo (`0026`, `+999m`) rather than a
 * deal's or a reminder's date, and years such as 0000 cannot even be stored by PostgreSQL.
 */
export const DATE_RANGE = { firstYear: 2000, lastYear: 2099 } as const;

/** Whether a `YYYY-MM-DD` date (as {@link parseDate} and {@link parseWhen} return) is in {@link DATE_RANGE}. */
export function isInDateRange(date: string): boolean {
  const year = Number(date.slice(0, 4));
  return year >= DATE_RANGE.firstYear && year <= DATE_RANGE.lastYear;
}

function normalize(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/['’`]/g, "")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();
}

/** Today in the workspace zone, as a calendar date (Luxon at UTC midnight, where days are 24 h). */
function todayIn(ctx: DateContext): DateTime<true> {
  const local = DateTime.fromJSDate(ctx.now, { zone: ctx.timezone });
  if (!local.isValid) throw new RangeError(`Invalid time zone: ${ctx.timezone}`);
  return DateTime.utc(local.year, local.month, local.day) as DateTime<true>;
}

function dateOrNull(year: number, month: number, day: number): string | null {
  const date = DateTime.utc(year, month, day);
  return date.isValid ? date.toISODate() : null;
}

/**
 * Parses a date for `close:` and `closed:`: ISO `YYYY-MM-DD`, `today`/`aujourd'hui`,
 * `yesterday`/`hier`, `tomorrow`/`demain`, and in fr `DD/MM/YYYY` or `DD/MM` (this year).
 * Whether the date may be in the past or the future, or outside {@link DATE_RANGE}, is for the
 * caller to decide.
 *
 * @returns the local date `YYYY-MM-DD`, or null if the text is not one of these forms or names a
 * date that does not exist (`2026-02-30`).
 * @throws RangeError if `ctx.timezone` is not a valid IANA zone.
 */
export function parseDate(text: string, ctx: DateContext): string | null {
  const input = normalize(text);
  const iso = ISO_DATE.exec(input);
  if (iso) return dateOrNull(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const today = todayIn(ctx);
  const offset = Object.hasOwn(DAY_OFFSETS, input) ? DAY_OFFSETS[input] : undefined;
  if (offset !== undefined) return today.plus({ days: offset }).toISODate();
  const slash = ctx.locale === "fr" ? SLASH_DATE.exec(input) : null;
  if (slash) {
    const year = slash[3] === undefined ? today.year : Number(slash[3]);
    return dateOrNull(year, Number(slash[2]), Number(slash[1]));
  }
  return null;
}

/**
 * Parses when a reminder is due. Accepts everything {@link parseDate} does, and:
 * - `+3d`, `+2w`, `+1m` (also `+3j`, `+2s` for jours and semaines), up to three digits; a month
 *   later than the 31st is the last day of that month;
 * - a weekday in English or French, full or short (`friday`, `fri`, `vendredi`, `ven`): the next such
 *   day strictly after today (on a Friday, `friday` is a week later);
 * - `eom`/`fdm`: the last day of the current month (today if today is that day);
 * - `eow`/`fds`: the last day of the current week per `weekStart` (Sunday for Monday weeks,
 *   Saturday for Sunday weeks; today if today is that day).
 * Past dates (`yesterday`, an old ISO date) and dates outside {@link DATE_RANGE} are returned as
 * they are; refusing them is the caller's.
 *
 * @returns the local date `YYYY-MM-DD`, or null.
 * @throws RangeError if `ctx.timezone` is not a valid IANA zone.
 */
export function parseWhen(text: string, ctx: DateContext): string | null {
  const date = parseDate(text, ctx);
  if (date !== null) return date;
  const input = normalize(text);
  const today = todayIn(ctx);

  const offset = OFFSET.exec(input);
  if (offset) {
    const unit = OFFSET_UNITS[offset[2] ?? ""];
    return unit ? today.plus({ [unit]: Number(offset[1]) }).toISODate() : null;
  }
  if (input === "eom" || input === "fdm") return today.endOf("month").startOf("day").toISODate();
  if (input === "eow" || input === "fds") {
    const lastWeekday = ctx.weekStart === "monday" ? 7 : 6;
    return today.plus({ days: (lastWeekday - today.weekday + 7) % 7 }).toISODate();
  }
  const weekday = parseWeekday(input);
  if (weekday !== null) {
    const ahead = (weekday - today.weekday + 7) % 7 || 7;
    return today.plus({ days: ahead }).toISODate();
  }
  return null;
}

/** A time of day: `14:30`, `9:05`, and in either language `14h30` or `14h`. */
const TIME = /^(\d{1,2})(?::(\d{2})|h(\d{2})?)$/;

/** `HH:MM` of a typed time of day, or null. */
function parseTime(text: string): string | null {
  const m = TIME.exec(text);
  if (!m) return null;
  const hours = Number(m[1]);
  const minutes = Number(m[2] ?? m[3] ?? "0");
  if (hours > 23 || minutes > 59) return null;
  return `${String(hours).padStart(2, "0")}:${String(minutes).padStart(2, "0")}`;
}

/** A local date, and a local time of day when one was given. */
export interface Moment {
  date: string;
  time?: string;
}

/**
 * Parses when something happened (`at:` of `/log`): a date as {@link parseDate} reads it
 * (`yesterday`, `2026-11-17`, fr `17/11`), a time of day alone for today (`14:30`, `14h30`), or both
 * (`"yesterday 14:30"`, `2026-11-17T14:30`). Whether it is in the past is the caller's to decide.
 *
 * @returns the local date and time, or null.
 * @throws RangeError if `ctx.timezone` is not a valid IANA zone.
 */
export function parseMoment(text: string, ctx: DateContext): Moment | null {
  const input = normalize(text).replace(/^(\d{4}-\d{2}-\d{2})t/, "$1 ");
  const words = input.split(" ");
  if (words.length === 1) {
    const time = parseTime(input);
    if (time !== null) return { date: todayIn(ctx).toISODate(), time };
    const date = parseDate(input, ctx);
    return date === null ? null : { date };
  }
  if (words.length !== 2) return null;
  const date = parseDate(words[0] ?? "", ctx);
  const time = parseTime(words[1] ?? "");
  return date === null || time === null ? null : { date, time };
}
