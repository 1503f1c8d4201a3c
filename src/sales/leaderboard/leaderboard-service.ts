import { Prisma } from "../../generated/prisma/client.js";
import { wonIn } from "../deals/deal-sql.js";
import type { Db, GoalMetric, SalesDeps, Workspace } from "../deps.js";
import { type DayRange, type FigureSource, inDays, oneMonth, wholeMonths } from "../figures/figure-sql.js";
import { type CutList, limitSql } from "../lists.js";
import type { Period } from "../periods/period.js";
import { COMPANY, ownedBy, type Scope } from "../scope.js";

/** A member's wins over a period. */
export interface MemberFigure {
  memberId: number;
  name: string;
  revenue: bigint;
  deals: number;
}

export interface LeaderboardRow extends MemberFigure {
  rank: number;
}

/** The leaderboard's first rows, and how many members won something in the period. */
export type Leaderboard = CutList<LeaderboardRow>;

/** How members are ranked: by won revenue or won deals (the other breaking ties), or by member id. */
export type FigureOrder = GoalMetric | "member";

const ORDER: Record<FigureOrder, Prisma.Sql> = {
  revenue: Prisma.sql`revenue DESC, deals DESC, owner_id`,
  deals: Prisma.sql`deals DESC, revenue DESC, owner_id`,
  member: Prisma.sql`owner_id`,
};

/**
 * SQL of each member's won revenue and won deals over a period, in a scope, ranked, at most `limit`:
 * the one query behind the leaderboard, the awards and the digest's top reps. The wins are summed
 * per owner (from `figure_owner_month` for whole months, read as is for a single month, else
 * through the (workspace, stage, closed_at) index) before any name is joined. Removed members are
 * left out of the ranking (their wins still count in their team's and the company's figures).
 */
export function memberFiguresSql(
  ws: Workspace,
  period: Period,
  options: { order: FigureOrder; scope?: Scope; limit?: number; source?: FigureSource },
): Prisma.Sql {
  const order = ORDER[options.order];
  const limit = options.limit === undefined ? Prisma.empty : Prisma.sql`LIMIT ${limitSql(options.limit)}`;
  const owner = ownedBy(options.scope ?? COMPANY);
  const active = Prisma.sql`owner_id IN (SELECT id FROM member WHERE workspace_id = ${ws.id} AND active)`;
  const months = options.source !== "deals" && wholeMonths(ws, period);
  const perOwner = months
    ? keptPerOwner(ws, months, owner, active)
    : Prisma.sql`
      SELECT owner_id, sum(amount)::bigint AS revenue, count(*)::int AS deals,
             (count(*) OVER ())::int AS ranked
      FROM deal
      WHERE ${wonIn(ws, period)} ${owner} AND ${active}
      GROUP BY owner_id`;
  return Prisma.sql`
    SELECT w.owner_id AS member_id, m.display_name AS name, w.revenue, w.deals, w.ranked
    FROM (${perOwner} ORDER BY ${order} ${limit}) w
    JOIN member m ON m.id = w.owner_id
    ORDER BY ${order}`;
}

/**
 * Each owner's wins over whole months, from `figure_owner_month`: a single month's rows as they
 * are (one per owner), several months' summed per owner.
 */
function keptPerOwner(ws: Workspace, months: DayRange, owner: Prisma.Sql, active: Prisma.Sql): Prisma.Sql {
  const month = oneMonth(months);
  if (month) {
    return Prisma.sql`
      SELECT owner_id, won_amount AS revenue, won_count AS deals, (count(*) OVER ())::int AS ranked
      FROM figure_owner_month
      WHERE workspace_id = ${ws.id} AND month = ${month}::date ${owner} AND ${active} AND won_count > 0`;
  }
  return Prisma.sql`
      SELECT owner_id, sum(won_amount)::bigint AS revenue, sum(won_count)::int AS deals,
             (count(*) OVER ())::int AS ranked
      FROM figure_owner_month
      WHERE workspace_id = ${ws.id} AND ${inDays("month", months)} ${owner} AND ${active}
      GROUP BY owner_id
      HAVING sum(won_count) > 0`;
}

/** Runs {@link memberFiguresSql}. */
export async function memberFigures(
  db: Db,
  ws: Workspace,
  period: Period,
  options: { order: FigureOrder; scope?: Scope; limit?: number },
): Promise<MemberFigure[]> {
  return (await rankedFigures(db, ws, period, options)).items;
}

/**
 * {@link memberFigures}, and how many members won something in the period: counted over the
 * groups before the limit, which the query forms anyway.
 */
async function rankedFigures(
  db: Db,
  ws: Workspace,
  period: Period,
  options: { order: FigureOrder; scope?: Scope; limit?: number },
): Promise<CutList<MemberFigure>> {
  const rows = await db.$queryRaw<
    { member_id: number; name: string; revenue: bigint; deals: number; ranked: number }[]
  >(memberFiguresSql(ws, period, options));
  const items = rows.map((r) => ({
    memberId: r.member_id,
    name: r.name,
    revenue: r.revenue,
    deals: r.deals,
  }));
  return { items, total: rows[0]?.ranked ?? 0 };
}

export function createLeaderboardService({ db }: SalesDeps) {
  return {
    /** The top members of a period by won revenue or won deals. */
    async leaderboard(ws: Workspace, period: Period, metric: GoalMetric, limit = 10): Promise<Leaderboard> {
      const { items, total } = await rankedFigures(db, ws, period, { order: metric, limit });
      return { items: items.map((r, i) => ({ ...r, rank: i + 1 })), total };
    },
  };
}

export type LeaderboardService = ReturnType<typeof createLeaderboardService>;
