import type { Clock } from "../../clock.js";
import { AppError } from "../../errors.js";
import { Prisma } from "../../generated/prisma/client.js";
import type {
  Db,
  Goal,
  GoalMetric,
  GoalPeriodKind,
  GoalScope,
  Member,
  SalesDeps,
  Team,
  Workspace,
} from "../deps.js";
import { EVERYONE, type OwnerFilter, ownerCondition } from "../kpis/scope-filter.js";
import {
  elapsedFraction,
  localDate,
  type Period,
  periodContaining,
  startOfLocalDate,
} from "../periods/period.js";
import { assertInWorkspace, assertManager } from "../permissions.js";
import { calendarOf } from "../workspaces/workspace-service.js";

/** Attainment thresholds that are announced when crossed. */
export const MILESTONES = [0.5, 0.75, 1, 1.5] as const;

export type GoalTarget =
  | { scope: "member"; member: Member }
  | { scope: "team"; team: Team }
  | { scope: "company" };

export interface GoalProgress {
  goal: Goal;
  period: Period;
  /** Won revenue (minor units) or won deals over the period so far. */
  actual: bigint;
  attainment: number;
  elapsed: number;
  /** Attainment / elapsed fraction: 1 is on pace; null at the very start of the period. */
  pace: number | null;
  reached: number[];
  next: number | undefined;
}

export interface MilestoneCrossing {
  progress: GoalProgress;
  threshold: number;
}

/** Thresholds in (before, after]: those a change from `before` to `after` attainment crosses. */
export function milestonesCrossed(before: number, after: number): number[] {
  return MILESTONES.filter((m) => before < m && after >= m);
}

function scopeIdOf(target: GoalTarget): number {
  return target.scope === "member" ? target.member.id : target.scope === "team" ? target.team.id : 0;
}

const PERIOD_ORDER: Record<GoalPeriodKind, number> = { month: 0, quarter: 1, year: 2 };

/**
 * Goal progress read through `db`: the client, or a transaction so that a change not yet committed
 * (a win being recorded) is counted.
 */
export function goalReader(db: Db, clock: Clock) {
  async function ownersOf(ws: Workspace, scope: GoalScope, scopeId: number): Promise<OwnerFilter> {
    if (scope === "company") return EVERYONE;
    if (scope === "member") return { kind: "owners", ownerIds: [scopeId] };
    const rows = await db.member.findMany({
      where: { workspaceId: ws.id, teamId: scopeId },
      select: { id: true },
    });
    return { kind: "owners", ownerIds: rows.map((r) => r.id) };
  }

  async function actualOf(
    ws: Workspace,
    metric: GoalMetric,
    period: Period,
    owners: OwnerFilter,
    until: Date,
  ) {
    const end = until < period.end ? until : period.end;
    const [row] = await db.$queryRaw<{ revenue: bigint; count: bigint }[]>(Prisma.sql`
      SELECT coalesce(sum(amount), 0)::bigint AS revenue, count(*)::bigint AS count
      FROM deal
      WHERE workspace_id = ${ws.id} AND stage = 'won'
        AND closed_at >= ${period.start} AND closed_at < ${end} ${ownerCondition(owners)}`);
    return metric === "revenue" ? (row?.revenue ?? 0n) : (row?.count ?? 0n);
  }

  function periodOf(ws: Workspace, goal: Goal): Period {
    const start = startOfLocalDate(goal.periodStart.toISOString().slice(0, 10), ws.timezone);
    return periodContaining(goal.periodKind, start, calendarOf(ws));
  }

  async function progressOf(ws: Workspace, goal: Goal, at: Date): Promise<GoalProgress> {
    const period = periodOf(ws, goal);
    const actual = await actualOf(
      ws,
      goal.metric,
      period,
      await ownersOf(ws, goal.scope, goal.scopeId),
      new Date(at.getTime() + 1),
    );
    const attainment = goal.target > 0n ? Number(actual) / Number(goal.target) : 0;
    const elapsed = elapsedFraction(period, at);
    return {
      goal,
      period,
      actual,
      attainment,
      elapsed,
      pace: elapsed > 0 ? attainment / elapsed : null,
      reached: MILESTONES.filter((m) => attainment >= m),
      next: MILESTONES.find((m) => attainment < m),
    };
  }

  /** The goals whose period contains `at` for the given scopes, month before quarter before year. */
  async function currentGoals(
    ws: Workspace,
    scopes: { scope: GoalScope; scopeId: number }[],
    at: Date,
  ): Promise<Goal[]> {
    const cal = calendarOf(ws);
    const starts = (["month", "quarter", "year"] as const).map((kind) => ({
      periodKind: kind,
      periodStart: new Date(`${localDate(periodContaining(kind, at, cal).start, ws.timezone)}T00:00:00Z`),
    }));
    const goals = await db.goal.findMany({
      where: { workspaceId: ws.id, OR: scopes.flatMap((s) => starts.map((p) => ({ ...s, ...p }))) },
    });
    return goals.sort((a, b) => PERIOD_ORDER[a.periodKind] - PERIOD_ORDER[b.periodKind] || a.id - b.id);
  }

  /** The member's own goals, then their team's, then the company's. */
  async function progressForMember(ws: Workspace, member: Member, at = clock.now()): Promise<GoalProgress[]> {
    const scopes = [
      { scope: "member" as const, scopeId: member.id },
      ...(member.teamId ? [{ scope: "team" as const, scopeId: member.teamId }] : []),
      { scope: "company" as const, scopeId: 0 },
    ];
    const goals = await currentGoals(ws, scopes, at);
    return Promise.all(goals.map((g) => progressOf(ws, g, at)));
  }

  /**
   * The owner's, team's and company's current goals as a won deal leaves them, and the milestones
   * the deal made them cross: progress with the deal against progress without it.
   */
  async function progressOfWin(
    ws: Workspace,
    owner: Member,
    deal: { amount: bigint; closedAt: Date | null },
  ): Promise<{ progress: GoalProgress[]; crossings: MilestoneCrossing[] }> {
    const closedAt = deal.closedAt;
    if (!closedAt) return { progress: [], crossings: [] };
    const progress = await progressForMember(
      ws,
      owner,
      new Date(Math.max(closedAt.getTime(), clock.now().getTime())),
    );
    const crossings = progress.flatMap((p) => {
      if (closedAt < p.period.start || closedAt >= p.period.end) return [];
      const contribution = p.goal.metric === "revenue" ? deal.amount : 1n;
      const before = Number(p.actual - contribution) / Number(p.goal.target);
      return milestonesCrossed(before, p.attainment).map((threshold) => ({ progress: p, threshold }));
    });
    return { progress, crossings };
  }

  /** The milestones a won deal made its owner's, team's and company's goals cross. */
  async function crossingsOfWin(
    ws: Workspace,
    owner: Member,
    deal: { amount: bigint; closedAt: Date | null },
  ) {
    return (await progressOfWin(ws, owner, deal)).crossings;
  }

  return { ownersOf, progressOf, currentGoals, progressForMember, progressOfWin, crossingsOfWin };
}

export function createGoalService({ db, clock }: SalesDeps) {
  const { ownersOf, progressOf, currentGoals, progressForMember, crossingsOfWin } = goalReader(db, clock);

  return {
    /** Sets (or replaces) the goal of a scope for the current month, quarter or year. Managers only. */
    async setGoal(
      ws: Workspace,
      actor: Member,
      target: GoalTarget,
      metric: GoalMetric,
      periodKind: GoalPeriodKind,
      value: bigint,
    ): Promise<GoalProgress> {
      assertManager(ws, actor);
      if (target.scope === "member") assertInWorkspace(ws, target.member);
      if (target.scope === "team") assertInWorkspace(ws, target.team);
      if (value <= 0n) throw new AppError("invalid_input", "error.goal_target");
      const now = clock.now();
      const period = periodContaining(periodKind, now, calendarOf(ws));
      const key = {
        workspaceId: ws.id,
        scope: target.scope,
        scopeId: scopeIdOf(target),
        metric,
        periodKind,
        periodStart: new Date(`${localDate(period.start, ws.timezone)}T00:00:00Z`),
      };
      const goal = await db.goal.upsert({
        where: { workspaceId_scope_scopeId_metric_periodKind_periodStart: key },
        update: { target: value },
        create: { ...key, target: value },
      });
      return progressOf(ws, goal, now);
    },

    /** Progress, pace and milestones of a scope's current goals. */
    async progress(ws: Workspace, target: GoalTarget): Promise<GoalProgress[]> {
      const now = clock.now();
      const goals = await currentGoals(ws, [{ scope: target.scope, scopeId: scopeIdOf(target) }], now);
      return Promise.all(goals.map((g) => progressOf(ws, g, now)));
    },

    progressForMember,

    crossingsOfWin,

    ownersOf,
  };
}

export type GoalService = ReturnType<typeof createGoalService>;
