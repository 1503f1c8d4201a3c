import { DateTime } from "luxon";
import { Prisma } from "../../generated/prisma/client.js";
import type { Workspace } from "../deps.js";
import { localDate, type Period, startOfLocalDate } from "../periods/period.js";
import type { Scope } from "../scope.js";

/**
 * The figure tables (migration `20261202031803_figure_tables`, docs/architecture.md §3): sums per
 * bucket that triggers keep in the transaction of every write to `deal`. A figure reads them when its
 * period is made of whole buckets, and the deals themselves otherwise; both give the same numbers.
 *
 * - `figure_day`: per local day, the deals won and lost (by close) and created that day; the whole
 *   company's, so read for the company only.
 * - `figure_owner_month`: per owner and local calendar month, what each member won; any scope, as
 *   a scope is a set of owners.
 * - `figure_open`: per open stage and expected close date, the open pipeline; the company's.
 * - `figure_activity`: per UTC day of last activity, how many open deals; the company's.
 * - `figure_close` (`20261202061657_figure_close`): per local day of close, outcome, lead source and
 *   lost reason, the deals closed; the company's.
 * - `figure_product` (`20261202092931_figure_product`, kept by triggers on `deal_product` too): per
 *   local day of close, outcome, lost reason and product, the closed deals with lines and each
 *   product's share of their amounts, and under product 0 those deals taken off (the deals without
 *   a line are `figure_close`'s closes plus product 0, `20261202121500_figure_product_lined`); the
 *   company's.
 */

/** Which figures a statement read: the kept sums, or the deals. */
export type FigureSource = "kept" | "deals";

/** A period's first local day and the local day after it, when both of its ends are local midnights. */
export interface DayRange {
  from: string;
  before: string;
}

/** The local days `[from, before)` a period is, or null when an end falls inside a day. */
export function wholeDays(
  ws: Pick<Workspace, "timezone">,
  period: Pick<Period, "start" | "end">,
): DayRange | null {
  const from = localDate(period.start, ws.timezone);
  const before = localDate(period.end, ws.timezone);
  const exact =
    startOfLocalDate(from, ws.timezone).getTime() === period.start.getTime() &&
    startOfLocalDate(before, ws.timezone).getTime() === period.end.getTime();
  return exact ? { from, before } : null;
}

/**
 * The local days of a period when the company's kept sums answer for it (the company, whole days,
 * and no `source: "deals"` asked), or null when the deals must be read.
 */
export function companyDays(
  ws: Pick<Workspace, "timezone">,
  period: Pick<Period, "start" | "end">,
  scope: Scope,
  source?: FigureSource,
): DayRange | null {
  return source !== "deals" && scope.scope === "company" ? wholeDays(ws, period) : null;
}

/** The calendar months `[from, before)` (their first days) a period is, or null when it is not whole months. */
export function wholeMonths(
  ws: Pick<Workspace, "timezone">,
  period: Pick<Period, "start" | "end">,
): DayRange | null {
  const days = wholeDays(ws, period);
  return days?.from.endsWith("-01") && days.before.endsWith("-01") ? days : null;
}

/**
 * The first day of the one calendar month a range of months is, or null when it is several: then
 * `figure_owner_month` holds one row per owner for it, which needs no summing.
 */
export function oneMonth(months: DayRange): string | null {
  const next = DateTime.fromISO(months.from, { zone: "UTC" }).plus({ months: 1 }).toISODate();
  return months.before === next ? months.from : null;
}

/** `AND day >= from AND day < before` on a bucket's date column. */
export function inDays(column: string, days: DayRange): Prisma.Sql {
  const c = Prisma.raw(column);
  return Prisma.sql`${c} >= ${days.from}::date AND ${c} < ${days.before}::date`;
}
