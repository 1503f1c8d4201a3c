import { Prisma } from "../../generated/prisma/client.js";
import type { ContestMetric } from "../../generated/prisma/enums.js";
import { activityIn } from "../activities/activity-sql.js";
import { createdIn, wonIn } from "../deals/deal-sql.js";
import type { Workspace } from "../deps.js";
import type { Period } from "../periods/period.js";

/** What a contest's scoring needs: its metric, its days as an instant range and as local dates, who takes part. */
export interface ContestRules {
  metric: ContestMetric;
  /** `[local start of the first day, local start of the day after the last)`. */
  period: Pick<Period, "start" | "end">;
  /** First and last local days, `YYYY-MM-DD`, both included. */
  first: string;
  last: string;
  teamMode: boolean;
  /** Only this team's members; null: every active member of the workspace. */
  teamId: number | null;
}

/**
 * Each participant's score as `(member_id, value, reached_at)`: `reached_at` is the instant of the
 * last deal that counted, so of two equal scores the one reached first ranks higher.
 */
function scoresOf(ws: Pick<Workspace, "id">, rules: ContestRules): Prisma.Sql {
  const members = Prisma.sql`owner_id IN (SELECT member_id FROM participant)`;
  switch (rules.metric) {
    case "revenue":
      return Prisma.sql`SELECT owner_id AS member_id, sum(amount)::numeric AS value, max(closed_at) AS reached_at
        FROM deal WHERE ${wonIn(ws, rules.period)} AND ${members} GROUP BY owner_id`;
    case "deals":
      return Prisma.sql`SELECT owner_id AS member_id, count(*)::numeric AS value, max(closed_at) AS reached_at
        FROM deal WHERE ${wonIn(ws, rules.period)} AND ${members} GROUP BY owner_id`;
    case "new_pipeline":
      return Prisma.sql`SELECT owner_id AS member_id, sum(amount)::numeric AS value, max(created_at) AS reached_at
        FROM deal WHERE ${createdIn(ws, rules.period)} AND ${members} GROUP BY owner_id`;
    case "activities":
      return Prisma.sql`SELECT member_id, count(*)::numeric AS value, max(at) AS reached_at
        FROM activity WHERE ${activityIn(ws, rules.period)} AND member_id IN (SELECT member_id FROM participant)
        GROUP BY member_id`;
    case "attainment":
      // Each local day of the contest carries 1/n of the target of the member's revenue goal whose
      // period (of n days) contains it, the most specific goal first (month, then quarter, then
      // year); the sum is the member's target over the contest. Members without one take no part.
      return Prisma.sql`SELECT t.member_id, coalesce(w.revenue, 0) / t.target AS value, w.reached_at
        FROM (
          SELECT member_id, sum(share) AS target FROM (
            SELECT DISTINCT ON (g.scope_id, day) g.scope_id AS member_id,
                   g.target::numeric / (g.period_end - g.period_start) AS share
            FROM (
              SELECT scope_id, target, period_kind, period_start,
                     (period_start + CASE period_kind WHEN 'month' THEN interval '1 month'
                       WHEN 'quarter' THEN interval '3 months' ELSE interval '1 year' END)::date AS period_end
              FROM goal
              WHERE workspace_id = ${ws.id} AND scope = 'member' AND metric = 'revenue'
                AND period_start <= ${rules.last}::date
                AND scope_id IN (SELECT member_id FROM participant)
            ) g
            JOIN generate_series(${rules.first}::date, ${rules.last}::date, interval '1 day') AS days(day)
              ON days.day >= g.period_start AND days.day < g.period_end
            ORDER BY g.scope_id, day, CASE g.period_kind WHEN 'month' THEN 0 WHEN 'quarter' THEN 1 ELSE 2 END
          ) daily
          GROUP BY member_id
        ) t
        LEFT JOIN (
          SELECT owner_id, sum(amount)::numeric AS revenue, max(closed_at) AS reached_at
          FROM deal WHERE ${wonIn(ws, rules.period)} AND ${members} GROUP BY owner_id
        ) w ON w.owner_id = t.member_id
        WHERE t.target > 0`;
  }
}

/**
 * SQL of a contest's standings: members (or, in team mode, teams) with their score, the instant they
 * reached it, and their place. Individuals are listed once they score; in team mode every team with a
 * participant is, scored by the average of its participants (a member with nothing scores 0; in an
 * attainment contest only members with a revenue goal count). Equal scores are ordered by who reached
 * theirs first; equal in both, they share the place. The deals are read through the (workspace,
 * stage, closed_at) and (workspace, created_at) indexes, summed per owner before anything is joined.
 */
export function contestStandingsSql(ws: Pick<Workspace, "id">, rules: ContestRules): Prisma.Sql {
  const team = rules.teamId === null ? Prisma.empty : Prisma.sql`AND team_id = ${rules.teamId}`;
  const rows = rules.teamMode
    ? Prisma.sql`SELECT tm.id, tm.name, avg(coalesce(s.value, 0)) AS value, max(s.reached_at) AS reached_at
        FROM participant p JOIN team tm ON tm.id = p.team_id
        LEFT JOIN scores s ON s.member_id = p.member_id
        ${rules.metric === "attainment" ? Prisma.sql`WHERE s.member_id IS NOT NULL` : Prisma.empty}
        GROUP BY tm.id, tm.name`
    : Prisma.sql`SELECT p.member_id AS id, p.name, s.value, s.reached_at
        FROM scores s JOIN participant p ON p.member_id = s.member_id
        WHERE s.value > 0`;
  return Prisma.sql`
    WITH participant AS (
      SELECT id AS member_id, display_name AS name, team_id FROM member
      WHERE workspace_id = ${ws.id} AND active ${team}
    ), scores AS (${scoresOf(ws, rules)})
    SELECT r.id, r.name, r.value::float8 AS score, r.reached_at,
           (rank() OVER (ORDER BY r.value DESC, r.reached_at ASC NULLS LAST))::int AS place
    FROM (${rows}) r
    ORDER BY place, r.name, r.id`;
}
