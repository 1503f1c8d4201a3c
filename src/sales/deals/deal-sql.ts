import { Prisma } from "../../generated/prisma/client.js";
import type { Workspace } from "../deps.js";
import { localDate, type Period } from "../periods/period.js";
import { OPEN_STAGES } from "./stages.js";

/**
 * The sales rules as SQL, each written once and composed into the queries of KPIs, goals,
 * leaderboards, awards, digests and forecasts. `alias` names the `deal` table in the query (`d`),
 * or nothing when it is the only table.
 */

const column = (alias: string | undefined, name: string) => Prisma.raw(alias ? `${alias}.${name}` : name);

// Stage names are constants of the schema, inlined as literals: the column is an enum, and a literal
// keeps the predicate matching the (workspace, stage, …) indexes exactly as written.
const OPEN_LIST = Prisma.raw(OPEN_STAGES.map((s) => `'${s}'`).join(", "));

/**
 * A deal not deleted. A deleted deal counts in no figure, list or reminder: every rule below
 * includes this one, and a query that reads deals without them says it itself.
 */
export function notDeleted(alias?: string): Prisma.Sql {
  return Prisma.sql`${column(alias, "deleted_at")} IS NULL`;
}

/** An open deal: neither won nor lost (nor deleted). */
export function isOpen(alias?: string): Prisma.Sql {
  return Prisma.sql`(${column(alias, "stage")} IN (${OPEN_LIST}) AND ${notDeleted(alias)})`;
}

/** The ends of a range of instants: the instants, or the SQL that gives them as the statement runs ({@link atRun}). */
export interface Bounds {
  start: Date | Prisma.Sql;
  end: Date | Prisma.Sql;
}

/**
 * An instant the planner does not see: `(SELECT $1::timestamptz)` is computed once as the statement
 * starts, so the plan cannot depend on it. PostgreSQL plans a prepared statement anew at each run
 * while a plan made for its values looks cheaper than its generic plan, and a range of instants it
 * can estimate only from the values is enough for that; hidden, the statement keeps its generic plan.
 * For ranges whose best plan is the same whatever their values: the rest of a month (normally
 * empty), a day, the oldest entries of an index (docs/decisions.md, "Instants given as the statement runs").
 */
export function atRun(instant: Date): Prisma.Sql {
  return Prisma.sql`(SELECT ${instant}::timestamptz)`;
}

/** A period's ends given as the statement runs ({@link atRun}). */
export const boundsAtRun = (period: Pick<Period, "start" | "end">): Bounds => ({
  start: atRun(period.start),
  end: atRun(period.end),
});

function closedWithin(stages: string, ws: Pick<Workspace, "id">, period: Bounds, alias?: string) {
  return Prisma.sql`${column(alias, "workspace_id")} = ${ws.id} AND ${column(alias, "stage")} ${Prisma.raw(stages)}
    AND ${column(alias, "closed_at")} >= ${period.start} AND ${column(alias, "closed_at")} < ${period.end}
    AND ${notDeleted(alias)}`;
}

/** The instant before which an open deal's last activity makes it stalled: `now` less stalled_days. */
export function stalledSince(ws: Pick<Workspace, "stalledDays">, now: Date): Date {
  return new Date(now.getTime() - ws.stalledDays * 86_400_000);
}

/** A deal whose last activity is before `since` ({@link stalledSince}): on an open deal, the stalled rule. */
export function quietSince(since: Date | Prisma.Sql, alias?: string): Prisma.Sql {
  return Prisma.sql`${column(alias, "last_activity_at")} < ${since}`;
}

/** A deal of the workspace won in the period: stage won, `closed_at` in `[start, end)`, not deleted. */
export const wonIn = (ws: Pick<Workspace, "id">, period: Bounds, alias?: string) =>
  closedWithin("= 'won'", ws, period, alias);

/** A deal of the workspace lost in the period. */
export const lostIn = (ws: Pick<Workspace, "id">, period: Bounds, alias?: string) =>
  closedWithin("= 'lost'", ws, period, alias);

/** A deal of the workspace won or lost in the period. */
export const closedIn = (ws: Pick<Workspace, "id">, period: Bounds, alias?: string) =>
  closedWithin("IN ('won', 'lost')", ws, period, alias);

/** A deal of the workspace created in the period (the new pipeline): `created_at` in `[start, end)`, not deleted. */
export function createdIn(ws: Pick<Workspace, "id">, period: Pick<Period, "start" | "end">, alias?: string) {
  return Prisma.sql`${column(alias, "workspace_id")} = ${ws.id}
    AND ${column(alias, "created_at")} >= ${period.start} AND ${column(alias, "created_at")} < ${period.end}
    AND ${notDeleted(alias)}`;
}

/**
 * The mean days from creation to close of the won deals among the query's rows (`stage`,
 * `created_at`, `closed_at` unqualified); a deal logged after it closed counts 0. NULL without wins.
 */
export function salesCycleDays(): Prisma.Sql {
  return Prisma.sql`(avg(greatest(extract(epoch FROM closed_at - created_at), 0)) FILTER (WHERE stage = 'won') / 86400)`;
}

/** The local days a weighted pipeline counts: expected in `[from, before)`, `today` being the clock's day. */
export interface ExpectedDays {
  today: string;
  before: string;
  /** Absent: any day before `before`. */
  from?: string | undefined;
}

/** The local days a period's weighted pipeline counts, as of `now`. */
export function expectedDaysOf(
  ws: Pick<Workspace, "timezone">,
  period: Pick<Period, "start" | "end">,
  now: Date,
): ExpectedDays {
  return {
    today: localDate(now, ws.timezone),
    from: localDate(period.start, ws.timezone),
    before: localDate(period.end, ws.timezone),
  };
}

/**
 * An open deal expected to close on a local day in `[from, before)`, where a deal without an
 * expected date, or whose date has passed, is expected `today`. Written as one range of
 * `coalesce(expected_close_date, '-infinity')`, the key of the open deals' index: a period that has
 * not started takes the dates in it; one under way takes every date before its end (the undated and
 * the overdue too, as they are expected today); one that has ended takes none.
 */
export function expectedIn(days: ExpectedDays, alias?: string): Prisma.Sql {
  return expectedKeyIn(
    days,
    Prisma.sql`coalesce(${column(alias, "expected_close_date")}, '-infinity'::date)`,
  );
}

/**
 * {@link expectedIn} on a key that is already `coalesce(expected_close_date, '-infinity')`: the
 * open deals' index, or `figure_open.expected`.
 */
export function expectedKeyIn(days: ExpectedDays, key: Prisma.Sql): Prisma.Sql {
  if (days.today >= days.before) return Prisma.sql`false`;
  const from =
    days.from !== undefined && days.from > days.today
      ? Prisma.sql`${key} >= ${days.from}::date AND`
      : Prisma.empty;
  return Prisma.sql`(${from} ${key} < ${days.before}::date)`;
}

/**
 * The sum of amount × probability (so still × 100) of the query's rows {@link expectedIn} the days;
 * the query takes open deals only ({@link isOpen}), so that the open deals' index answers it alone.
 */
export function weightedPipeline(days: ExpectedDays, alias?: string): Prisma.Sql {
  return Prisma.sql`coalesce(sum(${column(alias, "amount")} * ${column(alias, "probability")}) FILTER (
    WHERE ${expectedIn(days, alias)}), 0)`;
}
