import { Prisma } from "../../generated/prisma/client.js";
import type { ActivityKind } from "../../generated/prisma/enums.js";
import { wonIn } from "../deals/deal-sql.js";
import type { Workspace } from "../deps.js";
import type { Period } from "../periods/period.js";
import { ownedBy, type Scope } from "../scope.js";

/**
 * The activity figures as SQL, each rule written once and composed into `/kpi activity`, contests'
 * scores and the benchmark, which times the exact statement the command sends.
 */

/** The kinds in the order figures list them. */
export const ACTIVITY_KINDS = ["call", "meeting", "email", "demo"] as const satisfies readonly ActivityKind[];

const column = (alias: string | undefined, name: string) => Prisma.raw(alias ? `${alias}.${name}` : name);

/** An activity of the workspace that happened in the period: `at` in `[start, end)`. */
export function activityIn(ws: Pick<Workspace, "id">, period: Pick<Period, "start" | "end">, alias?: string) {
  return Prisma.sql`${column(alias, "workspace_id")} = ${ws.id}
    AND ${column(alias, "at")} >= ${period.start} AND ${column(alias, "at")} < ${period.end}`;
}

/**
 * Per member of the scope, the activities they did in the period: `(member_id, call, meeting, email,
 * demo, total)`. One range of `activity_kpi_idx`, whose key holds the member and the kind.
 */
export function activitiesByMemberSql(
  ws: Pick<Workspace, "id">,
  period: Pick<Period, "start" | "end">,
  scope: Scope,
): Prisma.Sql {
  const kinds = ACTIVITY_KINDS.map(
    (kind) =>
      Prisma.sql`coalesce(sum(n) FILTER (WHERE kind = ${kind}::"ActivityKind"), 0)::int AS ${Prisma.raw(kind)}`,
  );
  // Counted per member and kind first: one hash per activity, where a count per kind filtered in
  // one pass tests every kind on every activity (and the planner then picks parallel workers).
  return Prisma.sql`SELECT member_id, ${Prisma.join(kinds)}, sum(n)::int AS total
    FROM (
      SELECT member_id, kind, count(*) AS n
      FROM activity WHERE ${activityIn(ws, period)} ${ownedBy(scope, Prisma.raw("member_id"))}
      GROUP BY member_id, kind
    ) k
    GROUP BY member_id`;
}

/** Per owner in the scope, the deals won in the period: `(member_id, won)`. */
export function wonByOwnerSql(
  ws: Pick<Workspace, "id">,
  period: Pick<Period, "start" | "end">,
  scope: Scope,
): Prisma.Sql {
  return Prisma.sql`SELECT owner_id AS member_id, count(*)::int AS won
    FROM deal WHERE ${wonIn(ws, period)} ${ownedBy(scope)}
    GROUP BY owner_id`;
}

/**
 * `/kpi activity`: every member of the scope who did an activity or won a deal in the period, with
 * their activities by kind, their total and their wins; most active first.
 */
export function activityKpiSql(
  ws: Pick<Workspace, "id">,
  period: Pick<Period, "start" | "end">,
  scope: Scope,
): Prisma.Sql {
  const kinds = ACTIVITY_KINDS.map(
    (kind) => Prisma.sql`coalesce(a.${Prisma.raw(kind)}, 0) AS ${Prisma.raw(kind)}`,
  );
  return Prisma.sql`
    SELECT m.id AS member_id, m.display_name AS name, ${Prisma.join(kinds)},
           coalesce(a.total, 0) AS total, coalesce(w.won, 0) AS won
    FROM (${activitiesByMemberSql(ws, period, scope)}) a
    FULL JOIN (${wonByOwnerSql(ws, period, scope)}) w ON w.member_id = a.member_id
    JOIN member m ON m.id = coalesce(a.member_id, w.member_id)
    ORDER BY total DESC, won DESC, m.display_name, m.id`;
}

/** A row of {@link activityKpiSql}. */
export type ActivityKpiRow = { member_id: number; name: string; total: number; won: number } & Record<
  (typeof ACTIVITY_KINDS)[number],
  number
>;
