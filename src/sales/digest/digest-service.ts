import { DateTime } from "luxon";
import { Prisma } from "../../generated/prisma/client.js";
import type { SalesDeps, Team, Workspace } from "../deps.js";
import type { GoalTarget } from "../goals/goal-service.js";
import { createGoalService, type GoalProgress } from "../goals/goal-service.js";
import { createKpiService, type Kpis, type LostReasonRow, type SourceRow } from "../kpis/kpi-service.js";
import { EVERYONE, type OwnerFilter, ownerCondition } from "../kpis/scope-filter.js";
import {
  elapsedFraction,
  localDate,
  type Period,
  periodContaining,
  startOfLocalDate,
  type Weekday,
} from "../periods/period.js";
import { createReminderService, type StalledDeal } from "../reminders/reminder-service.js";
import { calendarOf, digestDaysOf } from "../workspaces/workspace-service.js";

export interface DigestWin {
  number: number;
  customer: string;
  owner: string;
  amount: bigint;
}

export interface RepFigure {
  name: string;
  revenue: bigint;
  deals: number;
}

export interface RepBehind {
  name: string;
  attainment: number;
  pace: number;
}

/** Everything the daily digest says, for everyone or one team, as of an instant. */
export interface Digest {
  /** The local day the digest is for (the day it is sent). */
  date: string;
  team: Team | null;
  /**
   * Wins since the previous digest day began (yesterday, or Friday to Sunday on a Monday with a
   * mon-fri digest), so no day's wins fall between two digests.
   */
  yesterday: { since: string; count: number; revenue: bigint; wins: DigestWin[] };
  /** The month to date. */
  period: Period;
  kpis: Kpis;
  /** The scope's current goal (revenue first), with pace. */
  goal: GoalProgress | null;
  /** Won so far plus the weighted pipeline expected to close before the month ends. */
  weightedForecast: bigint;
  top: RepFigure[];
  behind: RepBehind[];
  stalled: StalledDeal[];
  /** The workspace's stalled_days: what "stalled" means here. */
  stalledDays: number;
  lost: LostReasonRow[];
  /** Lead sources with at least one win this month, best revenue first. */
  sources: SourceRow[];
}

const LIST = 5;

/** The digest day before `today` (at most a week back); yesterday when every day is a digest day. */
export function previousDigestDay(ws: Workspace, today: string): string {
  const days = digestDaysOf(ws);
  const day = DateTime.fromISO(today, { zone: "UTC" });
  for (let n = 1; n <= 7; n++) {
    const before = day.minus({ days: n });
    if (days.has(before.weekday as Weekday)) return before.toISODate() ?? today;
  }
  return day.minus({ days: 1 }).toISODate() ?? today;
}

export function createDigestService(deps: SalesDeps) {
  const { db, clock } = deps;
  const kpis = createKpiService(deps);
  const goals = createGoalService(deps);
  const reminders = createReminderService(deps);

  async function yesterdayWins(ws: Workspace, today: string, filter: OwnerFilter) {
    const end = startOfLocalDate(today, ws.timezone);
    const since = previousDigestDay(ws, today);
    const start = startOfLocalDate(since, ws.timezone);
    const rows = await db.$queryRaw<
      { number: number; customer: string; owner: string; amount: bigint; total: bigint; count: number }[]
    >(Prisma.sql`
      SELECT d.number, c.name AS customer, m.display_name AS owner, d.amount,
             sum(d.amount) OVER ()::bigint AS total, (count(*) OVER ())::int AS count
      FROM deal d JOIN customer c ON c.id = d.customer_id JOIN member m ON m.id = d.owner_id
      WHERE d.workspace_id = ${ws.id} AND d.stage = 'won' AND d.closed_at >= ${start} AND d.closed_at < ${end}
        ${ownerCondition(filter, Prisma.raw("d.owner_id"))}
      ORDER BY d.amount DESC, d.number ASC
      LIMIT ${LIST}`);
    return {
      since,
      count: rows[0]?.count ?? 0,
      revenue: rows[0]?.total ?? 0n,
      wins: rows.map((r) => ({ number: r.number, customer: r.customer, owner: r.owner, amount: r.amount })),
    };
  }

  async function topReps(ws: Workspace, period: Period, filter: OwnerFilter): Promise<RepFigure[]> {
    const rows = await db.$queryRaw<{ name: string; revenue: bigint; deals: number }[]>(Prisma.sql`
      SELECT m.display_name AS name, sum(d.amount)::bigint AS revenue, count(*)::int AS deals
      FROM deal d JOIN member m ON m.id = d.owner_id
      WHERE d.workspace_id = ${ws.id} AND d.stage = 'won'
        AND d.closed_at >= ${period.start} AND d.closed_at < ${period.end}
        ${ownerCondition(filter, Prisma.raw("d.owner_id"))}
      GROUP BY d.owner_id, m.display_name
      ORDER BY revenue DESC, deals DESC, d.owner_id ASC
      LIMIT 3`);
    return rows;
  }

  /** Reps whose own goal for the month is behind pace (attainment below the elapsed fraction). */
  async function repsBehind(
    ws: Workspace,
    period: Period,
    filter: OwnerFilter,
    at: Date,
  ): Promise<RepBehind[]> {
    const elapsed = elapsedFraction(period, at);
    if (elapsed <= 0) return [];
    const rows = await db.$queryRaw<{ name: string; attainment: number }[]>(Prisma.sql`
      SELECT m.display_name AS name,
             (CASE g.metric WHEN 'revenue' THEN coalesce(sum(d.amount), 0) ELSE count(d.id) END)::float8 / g.target AS attainment
      FROM goal g
      JOIN member m ON m.id = g.scope_id AND m.workspace_id = g.workspace_id
      LEFT JOIN deal d ON d.workspace_id = g.workspace_id AND d.owner_id = g.scope_id AND d.stage = 'won'
           AND d.closed_at >= ${period.start} AND d.closed_at < ${at}
      WHERE g.workspace_id = ${ws.id} AND g.scope = 'member' AND g.period_kind = 'month'
        AND g.period_start = ${localDate(period.start, ws.timezone)}::date AND m.active
        ${ownerCondition(filter, Prisma.raw("g.scope_id"))}
      GROUP BY g.id, m.display_name
      ORDER BY attainment ASC, m.display_name ASC`);
    return rows
      .map((r) => ({ name: r.name, attainment: r.attainment, pace: r.attainment / elapsed }))
      .filter((r) => r.pace < 1)
      .slice(0, LIST);
  }

  return {
    /**
     * The daily digest as of `at` (the scheduled instant): yesterday's wins, the month to date
     * against the goal with pace, win rate, new pipeline, weighted forecast, top three reps, reps
     * behind pace, stalled deals, lost reasons and the lead sources that convert.
     */
    async computeDigest(ws: Workspace, team: Team | null): Promise<Digest> {
      const at = clock.now();
      const filter: OwnerFilter = team
        ? {
            kind: "owners",
            ownerIds: (
              await db.member.findMany({
                where: { workspaceId: ws.id, teamId: team.id },
                select: { id: true },
              })
            ).map((m) => m.id),
          }
        : EVERYONE;
      const period = periodContaining("month", at, calendarOf(ws));
      const target: GoalTarget = team ? { scope: "team", team } : { scope: "company" };
      const [yesterday, figures, progress, top, behind, stalled, lost, sources] = await Promise.all([
        yesterdayWins(ws, localDate(at, ws.timezone), filter),
        kpis.computeKpis(ws, period, filter),
        goals.progress(ws, target),
        topReps(ws, period, filter),
        repsBehind(ws, period, filter, at),
        reminders.stalledDeals(ws, { owners: filter, limit: LIST }),
        kpis.lostReasons(ws, period, filter),
        kpis.sourceConversion(ws, period, filter),
      ]);
      return {
        date: localDate(at, ws.timezone),
        team,
        yesterday,
        period,
        kpis: figures,
        goal: progress.find((p) => p.goal.metric === "revenue") ?? progress[0] ?? null,
        // The month's weighted pipeline is what is expected to close before it ends (DESIGN §3).
        weightedForecast: figures.wonRevenue + figures.weightedPipeline,
        top,
        behind,
        stalled,
        stalledDays: ws.stalledDays,
        lost,
        sources: sources.filter((s) => s.won > 0).slice(0, 3),
      };
    },
  };
}

export type DigestService = ReturnType<typeof createDigestService>;
