import type { Goal, SalesDeps, Team, Workspace } from "../deps.js";
import { type Forecast, forecastOf } from "../forecast/forecast-service.js";
import { goalReader, isGoalPeriod } from "../goals/goal-service.js";
import { createKpiService, type LostReasonRow, type SourceRow } from "../kpis/kpi-service.js";
import { localDate, type Period, periodContaining, previousPeriod } from "../periods/period.js";
import { type ProductKpiRow, productsSold } from "../products/product-kpis.js";
import { goalScopeOf } from "../scope.js";
import { calendarOf } from "../workspaces/workspace-service.js";
import {
  FUNNEL,
  type FunnelStep,
  funnelSql,
  monthlyWonSql,
  pipelineSql,
  repFiguresSql,
} from "./dashboard-sql.js";

/** Whose dashboard: the whole workspace (an admin's) or one team (its manager's). */
export type DashboardScope = { scope: "company" } | { scope: "team"; team: Team };

/** A month's won revenue and the scope's revenue goal for it, if one is set. */
export interface MonthFigure {
  month: Period<"month">;
  won: bigint;
  goal: bigint | null;
}

/** A funnel step: open deals at it now (none for won), and how far the period's new deals got. */
export interface StageFigure {
  stage: FunnelStep;
  openCount: number;
  openAmount: bigint;
  /** Deals created in the period that reached this step (or went past it). */
  reached: number;
  /** Of those, the share that reached the next step; null at won or when none reached this one. */
  conversion: number | null;
}

/** A lead source's deals closed in the period: `/kpi sources`, with their count. */
export interface SourceFigure extends SourceRow {
  /** Won + lost. */
  deals: number;
}

/** A rep's period, side by side with the others. */
export interface RepFigure {
  memberId: number;
  name: string;
  won: bigint;
  wonCount: number;
  lostCount: number;
  /** Won / (won + lost) closed in the period. */
  winRate: number | null;
  averageDeal: bigint | null;
  /** Mean days from creation to close of their wins; null without wins. */
  cycleDays: number | null;
}

/** Every figure of the manager's dashboard for a period and scope, as of the service's clock. */
export interface DashboardFigures {
  period: Period;
  now: Date;
  /** The 12 months ending with the month of the period's last day, oldest first. */
  months: MonthFigure[];
  stages: StageFigure[];
  /** `/forecast`'s figures for the period, against its revenue goal when the period can have one. */
  forecast: Forecast;
  lost: LostReasonRow[];
  sources: SourceFigure[];
  reps: RepFigure[];
  /** `/kpi products`'s products (not the deals without one), best revenue first; empty where none sells. */
  products: ProductKpiRow[];
}

const MONTHS = 12;

/** The `count` months ending with the one holding the period's last instant, oldest first. */
export function monthsEnding(ws: Workspace, period: Period, count = MONTHS): Period<"month">[] {
  const cal = calendarOf(ws);
  let month = periodContaining("month", new Date(period.end.getTime() - 1), cal);
  const months = [month];
  while (months.length < count) {
    month = previousPeriod(month, cal);
    months.unshift(month);
  }
  return months;
}

export function createDashboardService(deps: SalesDeps) {
  const { db, clock } = deps;
  const kpis = createKpiService(deps);

  /** The scope's monthly revenue goals for `months`, by the month's first local day. */
  async function monthGoals(
    ws: Workspace,
    scope: DashboardScope,
    months: Period[],
  ): Promise<Map<string, bigint>> {
    const goals = await db.goal.findMany({
      where: {
        workspaceId: ws.id,
        ...goalScopeOf(scope),
        metric: "revenue",
        periodKind: "month",
        periodStart: { in: months.map((m) => new Date(`${localDate(m.start, ws.timezone)}T00:00:00Z`)) },
      },
      select: { periodStart: true, target: true },
    });
    return new Map(goals.map((g) => [g.periodStart.toISOString().slice(0, 10), g.target]));
  }

  async function monthFigures(ws: Workspace, scope: DashboardScope, period: Period): Promise<MonthFigure[]> {
    const months = monthsEnding(ws, period);
    const [rows, goals] = await Promise.all([
      db.$queryRaw<{ bucket: number; won: bigint }[]>(monthlyWonSql(ws, months, scope)),
      monthGoals(ws, scope, months),
    ]);
    const won = new Map(rows.map((r) => [r.bucket, r.won]));
    return months.map((month, i) => ({
      month,
      won: won.get(i + 1) ?? 0n,
      goal: goals.get(localDate(month.start, ws.timezone)) ?? null,
    }));
  }

  /** The stages, and the weighted open pipeline expected in the period, read with them in one scan of the open deals. */
  async function stageFigures(
    ws: Workspace,
    scope: DashboardScope,
    period: Period,
    now: Date,
  ): Promise<{ stages: StageFigure[]; weightedOpen: bigint }> {
    const [open, [reach]] = await Promise.all([
      db.$queryRaw<{ stage: string; count: number; amount: bigint; weighted: string }[]>(
        pipelineSql(ws, period, scope, now),
      ),
      db.$queryRaw<Record<FunnelStep, number>[]>(funnelSql(ws, period, scope)),
    ]);
    const byStage = new Map(open.map((r) => [r.stage, r]));
    const stages = FUNNEL.map((stage, i) => {
      const reached = reach?.[stage] ?? 0;
      const next = FUNNEL[i + 1];
      return {
        stage,
        openCount: byStage.get(stage)?.count ?? 0,
        openAmount: byStage.get(stage)?.amount ?? 0n,
        reached,
        conversion: next !== undefined && reached > 0 ? (reach?.[next] ?? 0) / reached : null,
      };
    });
    // Amount × probability summed over the stages, then rounded to the unit once, half up, as forecastSql rounds it.
    const weighted = open.reduce((sum, r) => sum + BigInt(r.weighted), 0n);
    return { stages, weightedOpen: (weighted + 50n) / 100n };
  }

  async function repFigures(ws: Workspace, scope: DashboardScope, period: Period): Promise<RepFigure[]> {
    const rows = await db.$queryRaw<
      {
        member_id: number;
        name: string;
        won: bigint;
        won_count: number;
        lost_count: number;
        cycle: number | null;
      }[]
    >(repFiguresSql(ws, period, scope));
    return rows.map((r) => ({
      memberId: r.member_id,
      name: r.name,
      won: r.won,
      wonCount: r.won_count,
      lostCount: r.lost_count,
      winRate: r.won_count + r.lost_count > 0 ? r.won_count / (r.won_count + r.lost_count) : null,
      averageDeal: r.won_count > 0 ? r.won / BigInt(r.won_count) : null,
      cycleDays: r.cycle,
    }));
  }

  /** The period's revenue goal of the scope, when the period is a month, quarter or year that has one. */
  async function periodGoal(ws: Workspace, scope: DashboardScope, period: Period): Promise<Goal | null> {
    if (!isGoalPeriod(period)) return null;
    const goals = await goalReader(db, clock).goalsIn(ws, [goalScopeOf(scope)], [period]);
    return goals.find((g) => g.metric === "revenue") ?? null;
  }

  return {
    /**
     * Every figure of the manager's dashboard (docs/architecture.md §4): won revenue by month
     * against goal, the pipeline by stage with stage-to-stage conversion, the forecast, lost
     * reasons, lead sources and reps side by side. Each is the figure `/kpi`, `/forecast` or
     * `/leaderboard` gives for the same period and scope, computed by the same SQL rules; a team
     * scope counts its members' deals only.
     */
    async figures(ws: Workspace, scope: DashboardScope, period: Period): Promise<DashboardFigures> {
      const now = clock.now();
      const [months, { stages, weightedOpen }, goal, { lost, sources }, reps, products] = await Promise.all([
        monthFigures(ws, scope, period),
        stageFigures(ws, scope, period, now),
        periodGoal(ws, scope, period),
        kpis.lossesAndSources(ws, period, scope),
        repFigures(ws, scope, period),
        productsSold(db, ws, period, scope),
      ]);
      // `/forecast`'s figures from what the page reads anyway: the period's won revenue is its
      // sources' (every deal won in it has one source or none), the weighted pipeline the stages'.
      const won = sources.reduce((sum, s) => sum + s.revenue, 0n);
      return {
        period,
        now,
        months,
        stages,
        forecast: forecastOf(ws, period, now, { won, weightedOpen }, goal),
        lost,
        sources: sources.map((s) => ({ ...s, deals: s.won + s.lost })),
        reps,
        products: products.filter((p) => p.product !== null),
      };
    },
  };
}

export type DashboardService = ReturnType<typeof createDashboardService>;
