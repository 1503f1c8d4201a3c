import { Prisma } from "../../generated/prisma/client.js";
import {
  closedIn,
  expectedDaysOf,
  expectedKeyIn,
  isOpen,
  notDeleted,
  salesCycleDays,
  weightedPipeline,
  wonIn,
} from "../deals/deal-sql.js";
import { OPEN_STAGES } from "../deals/stages.js";
import type { Workspace } from "../deps.js";
import { type FigureSource, inDays, wholeMonths } from "../figures/figure-sql.js";
import { localDate, type Period } from "../periods/period.js";
import { ownedBy, type Scope } from "../scope.js";

/**
 * The SQL of the manager's dashboard, one query a figure, each reading one index range as `/kpi`
 * does, or the figure tables where they hold the figure (src/sales/figures/figure-sql.ts). Exported
 * so the benchmark times the exact queries the page sends.
 */

/** The funnel's steps in order: the open stages, then won. A lost deal reached only the steps before it. */
export const FUNNEL = [...OPEN_STAGES, "won"] as const;
export type FunnelStep = (typeof FUNNEL)[number];

/**
 * Won revenue in each of consecutive `months` (given in order, each ending where the next starts):
 * one range scan over the won deals of them all, bucketed by `width_bucket` on the months' bounds,
 * so each month counts exactly what `wonIn` counts for it. Rows: `bucket` 1..n, `won`.
 */
export function monthlyWonSql(
  ws: Workspace,
  months: Period[],
  scope: Scope,
  source?: FigureSource,
): Prisma.Sql {
  const first = months[0];
  const last = months[months.length - 1];
  if (!first || !last) throw new RangeError("monthlyWonSql needs at least one month");
  const bounds = [...months.map((m) => m.start), last.end];
  // Calendar months are whole buckets of the members' monthly sums: a few rows per member, any scope.
  const kept = wholeMonths(ws, { start: first.start, end: last.end });
  if (source !== "deals" && kept && months.every((m) => wholeMonths(ws, m))) {
    const days = bounds.map((b) => Prisma.sql`${localDate(b, ws.timezone)}::date`);
    return Prisma.sql`
    SELECT width_bucket(month, ARRAY[${Prisma.join(days)}])::int AS bucket, sum(won_amount)::bigint AS won
    FROM figure_owner_month
    WHERE workspace_id = ${ws.id} AND ${inDays("month", kept)} ${ownedBy(scope)}
    GROUP BY 1
    HAVING sum(won_count) > 0`;
  }
  return Prisma.sql`
    SELECT width_bucket(closed_at, ARRAY[${Prisma.join(bounds.map((b) => Prisma.sql`${b}::timestamptz`))}])::int AS bucket,
           sum(amount)::bigint AS won
    FROM deal
    WHERE ${wonIn(ws, { start: first.start, end: last.end })} ${ownedBy(scope)}
    GROUP BY 1`;
}

/**
 * Open deals by stage, now: count and amount (their sums are `/kpi`'s open pipeline), and the sum
 * of amount × probability of those expected to close in the period, by `/forecast`'s rule (still
 * × 100, as text: its sum over the stages is rounded once, as `forecastSql` rounds it).
 */
export function pipelineSql(
  ws: Workspace,
  period: Period,
  scope: Scope,
  now: Date,
  source?: FigureSource,
): Prisma.Sql {
  const days = expectedDaysOf(ws, period, now);
  if (source !== "deals" && scope.scope === "company") {
    // The company's open pipeline is kept per stage and expected date.
    return Prisma.sql`
    SELECT stage::text AS stage, sum(open_count)::int AS count, sum(amount)::bigint AS amount,
           coalesce(sum(weighted) FILTER (WHERE ${expectedKeyIn(days, Prisma.raw("expected"))}), 0)::text AS weighted
    FROM figure_open
    WHERE workspace_id = ${ws.id}
    GROUP BY stage
    HAVING sum(open_count) > 0`;
  }
  return Prisma.sql`
    SELECT stage::text AS stage, count(*)::int AS count, sum(amount)::bigint AS amount,
           ${weightedPipeline(days)}::text AS weighted
    FROM deal
    WHERE workspace_id = ${ws.id} AND ${isOpen()} ${ownedBy(scope)}
    GROUP BY stage`;
}

/**
 * How far the deals created in the period got: for each step of {@link FUNNEL}, how many reached
 * it. A deal reached the furthest step it has ever been at (`funnel_step`, which the database keeps
 * on every insert and stage change; a loss keeps the step before it) and every step before it, since
 * a deal logged at proposal, or won from lead, went past the steps it skipped. The deals counted are
 * `/kpi`'s new pipeline: every one reached lead.
 */
export function funnelSql(ws: Workspace, period: Period, scope: Scope): Prisma.Sql {
  return Prisma.sql`
    SELECT ${Prisma.join(
      FUNNEL.map(
        (s, i) =>
          Prisma.sql`count(*) FILTER (WHERE funnel_step >= ${Prisma.raw(String(i))})::int AS ${Prisma.raw(s)}`,
      ),
    )}
    FROM deal
    WHERE workspace_id = ${ws.id} AND created_at >= ${period.start} AND created_at < ${period.end}
      AND ${notDeleted()} ${ownedBy(scope)}`;
}

/**
 * Each active member of the scope who closed a deal in the period: won amount and count, lost
 * count, and the mean sales cycle of their wins, as `/kpi` computes it for all of them. Ranked as
 * the leaderboard ranks by revenue; removed members are left out, as there.
 */
export function repFiguresSql(ws: Workspace, period: Period, scope: Scope): Prisma.Sql {
  return Prisma.sql`
    SELECT r.owner_id AS member_id, m.display_name AS name, r.won, r.won_count, r.lost_count, r.cycle
    FROM (
      SELECT owner_id,
             coalesce(sum(amount) FILTER (WHERE stage = 'won'), 0)::bigint AS won,
             count(*) FILTER (WHERE stage = 'won')::int AS won_count,
             count(*) FILTER (WHERE stage = 'lost')::int AS lost_count,
             ${salesCycleDays()}::float8 AS cycle
      FROM deal
      WHERE ${closedIn(ws, period)} ${ownedBy(scope)}
      GROUP BY owner_id
    ) r
    JOIN member m ON m.id = r.owner_id AND m.workspace_id = ${ws.id} AND m.active
    ORDER BY r.won DESC, r.won_count DESC, r.owner_id`;
}
