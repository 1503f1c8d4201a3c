import { Prisma } from "../../generated/prisma/client.js";
import type { GoalMetric, SalesDeps, Workspace } from "../deps.js";
import type { Period } from "../periods/period.js";

export interface LeaderboardRow {
  rank: number;
  memberId: number;
  name: string;
  revenue: bigint;
  deals: number;
}

/** SQL ranking the members by won revenue or won deals over a period. */
export function leaderboardSql(ws: Workspace, period: Period, metric: GoalMetric, limit: number): Prisma.Sql {
  const order =
    metric === "revenue" ? Prisma.sql`revenue DESC, deals DESC` : Prisma.sql`deals DESC, revenue DESC`;
  return Prisma.sql`
    SELECT w.owner_id AS member_id, m.display_name AS name, w.revenue, w.deals
    FROM (
      SELECT owner_id, sum(amount)::bigint AS revenue, count(*)::int AS deals
      FROM deal
      WHERE workspace_id = ${ws.id} AND stage = 'won' AND closed_at >= ${period.start} AND closed_at < ${period.end}
      GROUP BY owner_id
      ORDER BY ${order}, owner_id
      LIMIT ${limit}
    ) w
    JOIN member m ON m.id = w.owner_id
    ORDER BY ${order}, w.owner_id`;
}

export function createLeaderboardService({ db }: SalesDeps) {
  return {
    /** The top members of a period by won revenue or won deals. */
    async leaderboard(
      ws: Workspace,
      period: Period,
      metric: GoalMetric,
      limit = 10,
    ): Promise<LeaderboardRow[]> {
      const rows = await db.$queryRaw<{ member_id: number; name: string; revenue: bigint; deals: number }[]>(
        leaderboardSql(ws, period, metric, limit),
      );
      return rows.map((r, i) => ({
        rank: i + 1,
        memberId: r.member_id,
        name: r.name,
        revenue: r.revenue,
        deals: r.deals,
      }));
    },
  };
}

export type LeaderboardService = ReturnType<typeof createLeaderboardService>;
