import { Prisma } from "../../generated/prisma/client.js";
import { wonIn } from "../deals/deal-sql.js";
import type { SalesDeps, Workspace } from "../deps.js";
import { memberAttainments } from "../goals/goal-service.js";
import { type KudosReceived, kudosReceivedIn } from "../kudos/kudos-service.js";
import { type MemberFigure, memberFigures } from "../leaderboard/leaderboard-service.js";
import { type Period, periodContaining, previousPeriod } from "../periods/period.js";
import { bestWinNote, type WinNote } from "../wins/win-note-service.js";
import { calendarOf } from "../workspaces/workspace-service.js";

export interface Awards {
  period: Period;
  topRevenue: MemberFigure | null;
  mostDeals: MemberFigure | null;
  biggestDeal: { memberId: number; name: string; number: number; customer: string; amount: bigint } | null;
  /** Members at or above 100% of their own goal for the month (or the period's own kind). */
  goalCrushers: { memberId: number; name: string; attainment: number }[];
  /** The member whose won revenue grew most against the previous period. */
  mostImproved: (MemberFigure & { previous: bigint }) | null;
  /** The member who received the most kudos in the period (see `kudosReceivedIn` for ties). */
  mostThanked: KudosReceived | null;
  /** The win note of the period's largest won deal that has one: what the awards quote as what works. */
  bestNote: WinNote | null;
  /** Whether a win of the period was logged in Closer rather than imported. */
  hasLiveWin: boolean;
}

export function createAwardService({ db }: SalesDeps) {
  const figures = (ws: Workspace, period: Period) => memberFigures(db, ws, period, { order: "member" });

  // Rows come ordered by member id, so a complete tie goes to the earliest member.
  const best = <T>(rows: T[], better: (a: T, b: T) => boolean): T | null =>
    rows.reduce<T | null>((top, r) => (top === null || better(r, top) ? r : top), null);

  return {
    /**
     * The awards of a finished (or running) period: top revenue, most deals, biggest deal, goal
     * crushers, most improved, most thanked, and the win note the post quotes.
     */
    async computeAwards(ws: Workspace, period: Period): Promise<Awards> {
      const cal = calendarOf(ws);
      const [current, previous] = await Promise.all([
        figures(ws, period),
        figures(ws, previousPeriod(period, cal)),
      ]);
      const [biggest] = await db.$queryRaw<
        { member_id: number; name: string; number: number; customer: string; amount: bigint }[]
      >(Prisma.sql`
        SELECT d.owner_id AS member_id, m.display_name AS name, d.number, c.name AS customer, d.amount
        FROM deal d JOIN member m ON m.id = d.owner_id JOIN customer c ON c.id = d.customer_id
        WHERE ${wonIn(ws, period, "d")} AND m.active
        ORDER BY d.amount DESC, d.closed_at ASC LIMIT 1`);

      const [thanked, bestNote] = await Promise.all([
        kudosReceivedIn(db, ws, period),
        bestWinNote(db, ws, period),
      ]);

      const [live] = await db.$queryRaw<{ exists: boolean }[]>(Prisma.sql`
        SELECT EXISTS (SELECT 1 FROM deal d WHERE ${wonIn(ws, period, "d")} AND d.external_source IS NULL)`);

      const goalKind = period.kind === "quarter" || period.kind === "year" ? period.kind : "month";
      const goalPeriod = periodContaining(goalKind, new Date(period.end.getTime() - 1), cal);
      const until = new Date(Math.min(period.end.getTime(), goalPeriod.end.getTime()));
      const crushers = (await memberAttainments(db, ws, { kind: goalKind, period: goalPeriod }, until))
        .filter((a) => a.active && a.actual >= a.target)
        .sort((a, b) => b.attainment - a.attainment || a.memberId - b.memberId);

      const before = new Map(previous.map((f) => [f.memberId, f.revenue]));
      const improved = current
        .map((f) => ({ ...f, previous: before.get(f.memberId) ?? 0n }))
        .filter((f) => f.revenue > f.previous);
      return {
        period,
        topRevenue: best(
          current,
          (a, b) => a.revenue > b.revenue || (a.revenue === b.revenue && a.deals > b.deals),
        ),
        mostDeals: best(
          current,
          (a, b) => a.deals > b.deals || (a.deals === b.deals && a.revenue > b.revenue),
        ),
        biggestDeal: biggest
          ? {
              memberId: biggest.member_id,
              name: biggest.name,
              number: biggest.number,
              customer: biggest.customer,
              amount: biggest.amount,
            }
          : null,
        goalCrushers: crushers.map((c) => ({
          memberId: c.memberId,
          name: c.name,
          attainment: c.attainment,
        })),
        mostImproved: best(improved, (a, b) => a.revenue - a.previous > b.revenue - b.previous),
        mostThanked: thanked[0] ?? null,
        bestNote,
        hasLiveWin: live?.exists ?? false,
      };
    },
  };
}

export type AwardService = ReturnType<typeof createAwardService>;
