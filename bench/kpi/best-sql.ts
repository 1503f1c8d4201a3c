/**
 * The second reference of `bench/kpi`: for each timed command and the company digest, the fastest
 * plain SQL found for the same figures, written by hand (no builder from src/), `$n` parameters.
 * Every sum and count (but the stalled deals', below) reads one of the three covering partial
 * indexes of migration 20261202004235_kpi_covering_indexes (index-only scans), each range once
 * where the figures allow; only the deals a list names (yesterday's five biggest wins, the five
 * stalled deals) are read from the table.
 * `check.ts` proves, before any timing, that they give the command's figures.
 *
 * Alternatives measured side by side (interleaved rounds, 200,000 deals, PostgreSQL 15 and PGlite, on
 * a shared and loaded machine, so only differences larger than the noise count):
 * - the open pipeline and the weighted pipeline as two scans of `deal_open_idx` (the whole
 *   workspace, then the range before the period's end): slower on both backends (median 21.8 vs
 *   17.1 ms on PostgreSQL, 44 vs 36 ms on PGlite). Kept: one scan, the weighted sum under a FILTER on
 *   the index key, so each open deal is read once.
 * - the sales cycle as `avg(extract(epoch …))` (numeric per row, as `kpiSql` has it) against
 *   `date_part` (float8): no difference above the noise; kept float8, which does less per row (equal
 *   to 1e-9 days, which `check.ts` allows).
 * - the leaderboard filtering owners by a semi-join on active members before grouping (as
 *   `memberFiguresSql` does) against grouping the won range first and joining the groups to
 *   `member`: no difference above the noise at 200 reps; kept the second, which joins each member once.
 * - the digest's month in one GROUPING SETS pass with the per-owner set too, the owners then joined to
 *   members and goals through a materialized CTE, against the pass without owners plus a narrower
 *   range of the won deals per owner (`reps and goals`): 7.4 vs 8.4 ms on PostgreSQL, 23 vs 21 ms on
 *   PGlite: no clear winner; kept the two simpler statements.
 * The stalled deals' count cannot be index-only: `(workspace, stage, last_activity_at)` does not
 * hold `deleted_at`, so PostgreSQL counts them with a (parallel) scan of the table, as the command does.
 */

/** The instants and local days the statements take, all computed from the bench's fixed clock. */
export interface BestInputs {
  workspaceId: number;
  /** The clock's instant; goals' progress counts wins up to it (the digest's reps: strictly before). */
  now: Date;
  /** `now` + 1 ms: what the goals' progress counts up to (`goalReader.progressOf`). */
  goalUntil: Date;
  /** The clock's local day (`2026-11-18`). */
  today: string;
  month: { start: Date; end: Date; startDay: string; endDay: string };
  quarter: { start: Date; end: Date; startDay: string; endDay: string };
  /** The digest's "yesterday": since the previous digest day began, until today began. */
  yesterday: { start: Date; end: Date };
  /** Open deals with no activity since this instant are stalled. */
  stalledBefore: Date;
  /** How many stalled deals and wins the digest lists. */
  listLength: number;
}

/** One statement: what it is for, its text with `$n` placeholders, and their values. */
export interface Statement {
  label: string;
  text: string;
  values: unknown[];
}

const OPEN = "('lead', 'qualified', 'proposal', 'negotiation')";
/** `deal_open_idx`'s key: an undated deal sorts first, as "expected today". */
const OPEN_KEY = "coalesce(expected_close_date, '-infinity'::date)";

/**
 * A period under way expects every open deal keyed before its end: the undated and the overdue
 * are expected today, which is in it. (A period not begun would also need `key >= start`; the
 * bench's periods are all under way, and `check.ts` would catch a run where one is not.)
 */
function expectedBefore(i: BestInputs, endDay: string): string {
  if (i.today >= endDay) throw new Error("best-sql: the bench's periods must be under way");
  return endDay;
}

/**
 * `/kpi month`: three index ranges in one statement, each read once. Closed deals (won and lost:
 * `deal_closed_idx`, two stage ranges), deals created (`deal_created_idx`), open deals
 * (`deal_open_idx`, whole, the weighted sum filtered on its key). Columns as `kpiSql` names them.
 */
export function bestKpiMonth(i: BestInputs): Statement {
  return {
    label: "best kpi(month)",
    text: `
SELECT c.won_count, c.won_revenue, c.lost_count, c.cycle,
       n.new_count, n.new_amount, o.open_count, o.open_amount, o.weighted
FROM (SELECT count(*) FILTER (WHERE stage = 'won')::int AS won_count,
             coalesce(sum(amount) FILTER (WHERE stage = 'won'), 0)::bigint AS won_revenue,
             count(*) FILTER (WHERE stage = 'lost')::int AS lost_count,
             (avg(greatest(date_part('epoch', closed_at - created_at), 0)) FILTER (WHERE stage = 'won')
               / 86400)::float8 AS cycle
      FROM deal
      WHERE workspace_id = $1 AND stage IN ('won', 'lost') AND closed_at >= $2 AND closed_at < $3
        AND deleted_at IS NULL) c,
     (SELECT count(*)::int AS new_count, coalesce(sum(amount), 0)::bigint AS new_amount
      FROM deal
      WHERE workspace_id = $1 AND created_at >= $2 AND created_at < $3 AND deleted_at IS NULL) n,
     (SELECT count(*)::int AS open_count, coalesce(sum(amount), 0)::bigint AS open_amount,
             round(coalesce(sum(amount * probability) FILTER (WHERE ${OPEN_KEY} < $4::date), 0) / 100)::bigint
               AS weighted
      FROM deal
      WHERE workspace_id = $1 AND stage IN ${OPEN} AND deleted_at IS NULL) o`,
    values: [i.workspaceId, i.month.start, i.month.end, expectedBefore(i, i.month.endDay)],
  };
}

/**
 * `/leaderboard quarter` (revenue, 10): the quarter's won range of `deal_closed_idx` summed per
 * owner, then the groups joined to their (active) members, ranked, cut. Columns as
 * `memberFiguresSql` names them.
 */
export function bestLeaderboardQuarter(i: BestInputs): Statement {
  return {
    label: "best leaderboard(quarter, revenue, 10)",
    text: `
SELECT w.owner_id AS member_id, m.display_name AS name, w.revenue, w.deals,
       (count(*) OVER ())::int AS ranked
FROM (SELECT owner_id, sum(amount)::bigint AS revenue, count(*)::int AS deals
      FROM deal
      WHERE workspace_id = $1 AND stage = 'won' AND closed_at >= $2 AND closed_at < $3 AND deleted_at IS NULL
      GROUP BY owner_id) w
JOIN member m ON m.id = w.owner_id AND m.workspace_id = $1 AND m.active
ORDER BY w.revenue DESC, w.deals DESC, w.owner_id
LIMIT 10`,
    values: [i.workspaceId, i.quarter.start, i.quarter.end],
  };
}

/**
 * `/forecast quarter`: won so far (the quarter's won range of `deal_closed_idx`), the weighted open
 * pipeline expected before the quarter ends (one range of `deal_open_idx`'s key), and the company's
 * revenue goal for the quarter, whose target the reply shows (the command reads the goals' progress,
 * but shows only the target). `won` and `weighted_open` as `forecastSql` names them.
 */
export function bestForecastQuarter(i: BestInputs): Statement {
  return {
    label: "best forecast(quarter) + goal",
    text: `
SELECT (SELECT coalesce(sum(amount), 0) FROM deal
        WHERE workspace_id = $1 AND stage = 'won' AND closed_at >= $2 AND closed_at < $3
          AND deleted_at IS NULL)::bigint AS won,
       (SELECT round(coalesce(sum(amount * probability), 0) / 100) FROM deal
        WHERE workspace_id = $1 AND stage IN ${OPEN} AND deleted_at IS NULL
          AND ${OPEN_KEY} < $4::date)::bigint AS weighted_open,
       (SELECT target FROM goal
        WHERE workspace_id = $1 AND scope = 'company' AND scope_id = 0 AND metric = 'revenue'
          AND period_kind = 'quarter' AND period_start = $5::date) AS goal_target`,
    values: [
      i.workspaceId,
      i.quarter.start,
      i.quarter.end,
      expectedBefore(i, i.quarter.endDay),
      i.quarter.startDay,
    ],
  };
}

/** Labels of the digest's best statements, in the order {@link bestDigest} returns them. */
export const DIGEST_PARTS = [
  "month closed",
  "month new and weighted",
  "reps and goals",
  "yesterday",
  "stalled",
] as const;

/**
 * The company digest: every figure it shows, and no other. It shows neither the open pipeline
 * whole nor the sales cycle, and of the current goals only the month's, so it reads the open deals
 * expected before the month ends only (a range of `deal_open_idx`), no cycle, and no quarter or
 * year goal. In order:
 * 1. the month's closed deals once (`deal_closed_idx`), GROUPING SETS giving the totals (win rate,
 *    won so far for the company's goals), the lost reasons and the lead sources;
 * 2. deals created in the month and the weighted pipeline before its end;
 * 3. the month's won range per owner: the top three active reps, and each member goal's actual
 *    (with the company's month goals' targets);
 * 4. yesterday's wins: count and total from the index, the five biggest joined to names;
 * 5. the five stalled deals that have been quiet longest (each open stage read in
 *    `last_activity_at` order and merged) and how many there are.
 */
export function bestDigest(i: BestInputs): Statement[] {
  const ws = i.workspaceId;
  return [
    {
      label: DIGEST_PARTS[0],
      text: `
SELECT grouping(lost_reason, lead_source) AS grouping, lost_reason::text AS reason, lead_source AS source,
       count(*) FILTER (WHERE stage = 'won')::int AS won,
       count(*) FILTER (WHERE stage = 'lost')::int AS lost,
       coalesce(sum(amount) FILTER (WHERE stage = 'won'), 0)::bigint AS revenue,
       coalesce(sum(amount) FILTER (WHERE stage = 'lost'), 0)::bigint AS lost_amount,
       count(*) FILTER (WHERE stage = 'won' AND closed_at < $4)::int AS won_so_far,
       coalesce(sum(amount) FILTER (WHERE stage = 'won' AND closed_at < $4), 0)::bigint AS revenue_so_far
FROM deal
WHERE workspace_id = $1 AND stage IN ('won', 'lost') AND closed_at >= $2 AND closed_at < $3
  AND deleted_at IS NULL
GROUP BY GROUPING SETS ((), (lost_reason), (lead_source))`,
      values: [ws, i.month.start, i.month.end, i.goalUntil],
    },
    {
      label: DIGEST_PARTS[1],
      text: `
SELECT (SELECT count(*) FROM deal
        WHERE workspace_id = $1 AND created_at >= $2 AND created_at < $3 AND deleted_at IS NULL)::int AS new_count,
       (SELECT coalesce(sum(amount), 0) FROM deal
        WHERE workspace_id = $1 AND created_at >= $2 AND created_at < $3 AND deleted_at IS NULL)::bigint AS new_amount,
       (SELECT round(coalesce(sum(amount * probability), 0) / 100) FROM deal
        WHERE workspace_id = $1 AND stage IN ${OPEN} AND deleted_at IS NULL
          AND ${OPEN_KEY} < $4::date)::bigint AS weighted`,
      values: [ws, i.month.start, i.month.end, expectedBefore(i, i.month.endDay)],
    },
    {
      label: DIGEST_PARTS[2],
      text: `
WITH w AS MATERIALIZED (
  SELECT owner_id, sum(amount)::bigint AS revenue, count(*)::int AS deals,
         coalesce(sum(amount) FILTER (WHERE closed_at < $4), 0)::bigint AS revenue_before,
         count(*) FILTER (WHERE closed_at < $4)::int AS deals_before
  FROM deal
  WHERE workspace_id = $1 AND stage = 'won' AND closed_at >= $2 AND closed_at < $3 AND deleted_at IS NULL
  GROUP BY owner_id)
(SELECT 'top' AS kind, w.owner_id AS member_id, m.display_name AS name, m.active, NULL::text AS metric,
        w.revenue AS actual, w.deals, NULL::bigint AS target
 FROM w JOIN member m ON m.id = w.owner_id AND m.workspace_id = $1 AND m.active
 ORDER BY w.revenue DESC, w.deals DESC, w.owner_id
 LIMIT 3)
UNION ALL
SELECT g.scope::text, g.scope_id, m.display_name, m.active, g.metric::text,
       CASE g.metric WHEN 'revenue' THEN coalesce(w.revenue_before, 0) ELSE coalesce(w.deals_before, 0) END,
       NULL, g.target
FROM goal g
JOIN member m ON m.id = g.scope_id AND m.workspace_id = g.workspace_id
LEFT JOIN w ON w.owner_id = g.scope_id
WHERE g.workspace_id = $1 AND g.scope = 'member' AND g.period_kind = 'month' AND g.period_start = $5::date
UNION ALL
SELECT 'company', 0, NULL, NULL, metric::text, NULL, NULL, target
FROM goal
WHERE workspace_id = $1 AND scope = 'company' AND scope_id = 0 AND period_kind = 'month'
  AND period_start = $5::date`,
      values: [ws, i.month.start, i.month.end, i.now, i.month.startDay],
    },
    {
      label: DIGEST_PARTS[3],
      text: `
SELECT t.number, c.name AS customer, m.display_name AS owner, t.amount, s.total, s.count
FROM (SELECT number, amount, customer_id, owner_id FROM deal
      WHERE workspace_id = $1 AND stage = 'won' AND closed_at >= $2 AND closed_at < $3 AND deleted_at IS NULL
      ORDER BY amount DESC, number
      LIMIT $4) t
JOIN customer c ON c.id = t.customer_id
JOIN member m ON m.id = t.owner_id
CROSS JOIN (SELECT coalesce(sum(amount), 0)::bigint AS total, count(*)::int AS count FROM deal
            WHERE workspace_id = $1 AND stage = 'won' AND closed_at >= $2 AND closed_at < $3
              AND deleted_at IS NULL) s
ORDER BY t.amount DESC, t.number`,
      values: [ws, i.yesterday.start, i.yesterday.end, i.listLength],
    },
    {
      label: DIGEST_PARTS[4],
      text: `
SELECT d.number, c.name AS customer, d.amount, d.last_activity_at,
       (SELECT count(*) FROM deal
        WHERE workspace_id = $1 AND stage IN ${OPEN} AND last_activity_at < $2 AND deleted_at IS NULL)::int AS total
FROM (${["lead", "qualified", "proposal", "negotiation"]
        .map(
          (stage) => `(SELECT number, customer_id, amount, last_activity_at FROM deal
        WHERE workspace_id = $1 AND stage = '${stage}' AND last_activity_at < $2 AND deleted_at IS NULL
        ORDER BY last_activity_at LIMIT $3)`,
        )
        .join("\n      UNION ALL ")}) d
JOIN customer c ON c.id = d.customer_id
ORDER BY d.last_activity_at, d.number
LIMIT $3`,
      values: [ws, i.stalledBefore, i.listLength],
    },
  ];
}
