import type { Clock } from "../../clock.js";
import { AppError } from "../../errors.js";
import { Prisma } from "../../generated/prisma/client.js";
import { boundsAtRun, wonIn } from "../deals/deal-sql.js";
import type { Db, Goal, GoalMetric, GoalPeriodKind, Member, SalesDeps, Tx, Workspace } from "../deps.js";
import { inDays, oneMonth, wholeDays, wholeMonths } from "../figures/figure-sql.js";
import {
  elapsedFraction,
  localDate,
  type Period,
  periodContaining,
  periodOfDate,
} from "../periods/period.js";
import { assertCanSetGoal } from "../permissions.js";
import { readPart } from "../read-together.js";
import { COMPANY, goalScopeOf, ownedBy, type Scope, type ScopeRef } from "../scope.js";
import { calendarOf } from "../workspaces/workspace-service.js";
import { paceOf } from "./pace.js";

/** A period a goal can have: a month, a quarter or a year. */
export type GoalPeriod = Period<GoalPeriodKind>;

/** Whether a period is one a goal can have (not a day, a week or a range of days). */
export function isGoalPeriod(period: Period): period is GoalPeriod {
  return period.kind === "month" || period.kind === "quarter" || period.kind === "year";
}

/** Attainment thresholds that are announced when crossed. */
export const MILESTONES = [0.5, 0.75, 1, 1.5] as const;

export interface GoalProgress {
  goal: Goal;
  period: GoalPeriod;
  /**
   * Where the period stands at the time of the progress: not begun (`upcoming`: nothing won, no
   * pace), under way, or `ended` (its pace is then its final attainment).
   */
  phase: "upcoming" | "running" | "ended";
  /** Won revenue (minor units) or won deals over the period so far. */
  actual: bigint;
  attainment: number;
  elapsed: number;
  /** Attainment / elapsed fraction: 1 is on pace; null until the period's first working day is over. */
  pace: number | null;
  reached: number[];
  next: number | undefined;
}

/** A goal deleted: its metric and target. */
export interface DeletedGoal {
  metric: GoalMetric;
  target: bigint;
}

/** A goal just set: its progress, and the target of the goal it replaced (null when it is new). */
export interface GoalSet extends GoalProgress {
  replaced: bigint | null;
}

export interface MilestoneCrossing {
  progress: GoalProgress;
  threshold: number;
  /** Whose goal, as people call it: the member's or the team's name; null for the company's. */
  scopeName: string | null;
}

/** What a win does to its owner's, team's and company's current goals: their progress, and the milestones crossed. */
export interface WinProgress {
  progress: GoalProgress[];
  crossings: MilestoneCrossing[];
}

/** A goal's attainment: its metric so far over its target (0 for a target of zero). */
export function attainmentOf(actual: bigint, target: bigint): number {
  return target > 0n ? Number(actual) / Number(target) : 0;
}

/** Thresholds in (before, after]: those a change from `before` to `after` attainment crosses. */
export function milestonesCrossed(before: number, after: number): number[] {
  return MILESTONES.filter((m) => before < m && after >= m);
}

/** A member's own goal for a period, and how far their wins have taken it. */
export interface MemberAttainment {
  memberId: number;
  name: string;
  active: boolean;
  actual: bigint;
  target: bigint;
  attainment: number;
}

/**
 * Every member's attainment of their own goal of `goal.kind` starting on `goal.startDay`, from their
 * wins in `[goal.period.start, until)`, for the members in `scope`: one query for the awards' goal
 * crushers and the digest's reps behind pace.
 */
export async function memberAttainments(
  db: Db,
  ws: Workspace,
  goal: { kind: GoalPeriodKind; period: Period },
  until: Date,
  scope: Scope = COMPANY,
): Promise<MemberAttainment[]> {
  const rows = await db.$queryRaw<MemberAttainmentRow[]>(memberAttainmentsSql(ws, goal, until, scope));
  return rows.map((r) => ({
    memberId: r.member_id,
    name: r.name,
    active: r.active,
    actual: r.actual,
    target: r.target,
    attainment: r.attainment,
  }));
}

/** A row of {@link memberAttainmentsSql}. */
export interface MemberAttainmentRow {
  member_id: number;
  name: string;
  active: boolean;
  actual: bigint;
  target: bigint;
  /** {@link attainmentOf} in SQL (float8, as JavaScript divides), so the database can filter on it. */
  attainment: number;
}

/**
 * SQL of {@link memberAttainments}: each member with a goal in the scope, their goal's metric won
 * so far (`actual`) and its target; `attainment` as {@link attainmentOf} computes it, in float8.
 */
export function memberAttainmentsSql(
  ws: Workspace,
  goal: { kind: GoalPeriodKind; period: Period },
  until: Date,
  scope: Scope = COMPANY,
): Prisma.Sql {
  return Prisma.sql`
    WITH won AS (${wonPerOwner(ws, goal.period, until, scope)})
    SELECT member_id, name, active, actual, target,
           CASE WHEN target > 0 THEN actual::float8 / target::float8 ELSE 0 END AS attainment
    FROM (
      SELECT g.scope_id AS member_id, m.display_name AS name, m.active,
             (CASE g.metric WHEN 'revenue' THEN coalesce(won.revenue, 0) ELSE coalesce(won.count, 0) END)::bigint AS actual,
             g.target
      FROM goal g
      JOIN member m ON m.id = g.scope_id AND m.workspace_id = g.workspace_id
      LEFT JOIN won ON won.owner_id = g.scope_id
      WHERE g.workspace_id = ${ws.id} AND g.scope = 'member' AND g.period_kind = ${goal.kind}::"PeriodKind"
        AND g.period_start = ${localDate(goal.period.start, ws.timezone)}::date ${ownedBy(scope, Prisma.raw("g.scope_id"))}
    ) a`;
}

/**
 * SQL of a scope's won revenue and count in `[period.start, until)` (at most the period), one row
 * (null sums when nothing was won). The company's whole days come from the kept days (`figure_day`),
 * less the wins from `until` to the period's end, as {@link wonPerOwner} does with the months;
 * any other scope sums {@link wonPerOwner}.
 */
export function wonSoFar(ws: Workspace, period: Period, until: Date, scope: ScopeRef): Prisma.Sql {
  const days = scope.scope === "company" ? wholeDays(ws, period) : null;
  if (!days) {
    return Prisma.sql`SELECT sum(revenue) AS revenue, sum(count) AS count
      FROM (${wonPerOwner(ws, period, until, scope)}) won`;
  }
  const end = until < period.end ? until : period.end;
  const after = end > period.start ? end : period.start;
  return Prisma.sql`
    SELECT sum(revenue) AS revenue, sum(count) AS count FROM (
      SELECT won_amount AS revenue, won_count AS count
      FROM figure_day WHERE workspace_id = ${ws.id} AND ${inDays("day", days)}
      UNION ALL
      SELECT -amount, -1 FROM deal WHERE ${wonIn(ws, boundsAtRun({ start: after, end: period.end }))}
    ) won`;
}

/**
 * SQL of each owner's won revenue and count in `[period.start, until)` (at most the period), in a
 * scope (all owners by default); owners who won nothing may be missing or at zero. For a period of
 * whole months, as goals' periods are, the kept monthly sums of the period less the wins from
 * `until` to its end (normally none: a win is dated when it happens); otherwise from the deals.
 */
export function wonPerOwner(
  ws: Workspace,
  period: Period,
  until: Date,
  scope: Scope | ScopeRef = COMPANY,
): Prisma.Sql {
  const owner = ownedBy(scope);
  const months = wholeMonths(ws, period);
  const end = until < period.end ? until : period.end;
  if (!months) {
    return Prisma.sql`
      SELECT owner_id, sum(amount) AS revenue, count(*) AS count
      FROM deal WHERE ${wonIn(ws, { start: period.start, end })} ${owner}
      GROUP BY owner_id`;
  }
  const after = end > period.start ? end : period.start;
  const late = wonIn(ws, boundsAtRun({ start: after, end: period.end }));
  const month = oneMonth(months);
  if (month) {
    // One row per owner: the month's row, less the owner's wins after `until`, if any.
    return Prisma.sql`
      SELECT f.owner_id, f.won_amount - coalesce(late.revenue, 0) AS revenue,
             f.won_count - coalesce(late.count, 0) AS count
      FROM figure_owner_month f
      LEFT JOIN (
        SELECT owner_id, sum(amount)::bigint AS revenue, count(*) AS count
        FROM deal WHERE ${late} ${owner}
        GROUP BY owner_id
      ) late ON late.owner_id = f.owner_id
      WHERE f.workspace_id = ${ws.id} AND f.month = ${month}::date ${ownedBy(scope, Prisma.raw("f.owner_id"))}`;
  }
  return Prisma.sql`
    SELECT owner_id, sum(revenue) AS revenue, sum(count) AS count FROM (
      SELECT owner_id, won_amount AS revenue, won_count AS count
      FROM figure_owner_month WHERE workspace_id = ${ws.id} AND ${inDays("month", months)} ${owner}
      UNION ALL
      SELECT owner_id, -amount, -1
      FROM deal WHERE ${late} ${owner}
    ) won
    GROUP BY owner_id`;
}

const PERIOD_ORDER: Record<GoalPeriodKind, number> = { month: 0, quarter: 1, year: 2 };
const METRIC_ORDER: Record<GoalMetric, number> = { revenue: 0, deals: 1 };

/** How a goal stores its period: its kind and its first local day, a `@db.Date` value. */
function storedPeriod(ws: Workspace, period: GoalPeriod): { periodKind: GoalPeriodKind; periodStart: Date } {
  return {
    periodKind: period.kind,
    periodStart: new Date(`${localDate(period.start, ws.timezone)}T00:00:00Z`),
  };
}

/** The month, quarter and year containing `at`. */
function currentGoalPeriods(ws: Workspace, at: Date): GoalPeriod[] {
  const cal = calendarOf(ws);
  return (["month", "quarter", "year"] as const).map((kind) => periodContaining(kind, at, cal));
}

/** Month before quarter before year, then the older goal first. */
const byPeriod = (a: Goal, b: Goal) => PERIOD_ORDER[a.periodKind] - PERIOD_ORDER[b.periodKind] || a.id - b.id;

/** A goal's wins are counted up to and including the instant of its progress. */
const wonUntil = (at: Date) => new Date(at.getTime() + 1);

/** A goal as {@link goalProgressRead}'s statement returns it, with its pair's wins. */
interface GoalRow {
  id: number;
  workspace_id: number;
  scope: Goal["scope"];
  scope_id: number;
  metric: GoalMetric;
  period_kind: GoalPeriodKind;
  period_start: string;
  target: bigint;
  created_at: Date;
  updated_at: Date;
  pair: number;
  revenue: bigint;
  count: bigint;
}

function goalOfRow(r: GoalRow): Goal {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    scope: r.scope,
    scopeId: r.scope_id,
    metric: r.metric,
    periodKind: r.period_kind,
    periodStart: new Date(`${r.period_start}T00:00:00Z`),
    target: r.target,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** A goal's progress at `at`, its scope having won `actual` over its period so far. */
function progressAt(ws: Workspace, goal: Goal, period: GoalPeriod, actual: bigint, at: Date): GoalProgress {
  const attainment = attainmentOf(actual, goal.target);
  return {
    goal,
    period,
    phase: at < period.start ? "upcoming" : at < period.end ? "running" : "ended",
    actual,
    attainment,
    elapsed: elapsedFraction(period, at),
    pace: paceOf(ws, period, attainment, at),
    reached: MILESTONES.filter((m) => attainment >= m),
    next: MILESTONES.find((m) => attainment < m),
  };
}

/**
 * The goals of the given scopes for the given periods, month before quarter before year, each with
 * its progress at `at`: one statement (`part`, also a part of a {@link readTogether}) for the goals
 * and the wins of each scope and period that has one (a pair without a goal reads nothing), and
 * what its rows make (`progress`). With no pair there is nothing to read.
 */
export function goalProgressRead(ws: Workspace, scopes: ScopeRef[], periods: GoalPeriod[], at: Date) {
  const pairs = scopes.flatMap((scope) => periods.map((period) => ({ scope, period })));
  const key = (scope: ScopeRef, period: GoalPeriod) =>
    Prisma.sql`scope = ${scope.scope}::"GoalScope" AND scope_id = ${scope.scopeId}
      AND period_kind = ${period.kind}::"PeriodKind" AND period_start = ${localDate(period.start, ws.timezone)}::date`;
  const won = pairs.map(
    ({ scope, period }, i) => Prisma.sql`
      SELECT ${i}::int AS pair, revenue, count
      FROM (${wonSoFar(ws, period, wonUntil(at), scope)}) won
      WHERE EXISTS (SELECT 1 FROM g WHERE ${key(scope, period)})`,
  );
  const sql =
    pairs.length === 0
      ? Prisma.sql`SELECT NULL WHERE false`
      : Prisma.sql`
    WITH g AS (
      SELECT *, CASE ${Prisma.join(
        pairs.map(({ scope, period }, i) => Prisma.sql`WHEN ${key(scope, period)} THEN ${i}::int`),
        " ",
      )} END AS pair
      FROM goal
      WHERE workspace_id = ${ws.id} AND (${Prisma.join(
        pairs.map(({ scope, period }) => Prisma.sql`(${key(scope, period)})`),
        " OR ",
      )})
    )
    SELECT g.id, g.workspace_id, g.scope::text AS scope, g.scope_id, g.metric::text AS metric,
           g.period_kind::text AS period_kind, to_char(g.period_start, 'YYYY-MM-DD') AS period_start,
           g.target, g.created_at, g.updated_at, g.pair,
           coalesce(won.revenue, 0)::bigint AS revenue, coalesce(won.count, 0)::bigint AS count
    FROM g LEFT JOIN (${Prisma.join(won, " UNION ALL ")}) won ON won.pair = g.pair`;
  return {
    pairs: pairs.length,
    part: readPart<GoalRow>({
      sql,
    }),
    progress(rows: GoalRow[]): GoalProgress[] {
      return rows
        .map((r) => {
          const goal = goalOfRow(r);
          const period = pairs[r.pair]?.period ?? periodOfGoal(ws, goal);
          return progressAt(ws, goal, period, goal.metric === "revenue" ? r.revenue : r.count, at);
        })
        .sort((a, b) => byPeriod(a.goal, b.goal));
    },
  };
}

/** The period a goal is for. */
function periodOfGoal(ws: Workspace, goal: Goal): GoalPeriod {
  return periodOfDate(goal.periodKind, goal.periodStart.toISOString().slice(0, 10), calendarOf(ws));
}

/**
 * Goal progress read through `db`: the client, or a transaction so that a change not yet committed
 * (a win being recorded) is counted.
 */
export function goalReader(db: Db, clock: Clock) {
  /** One goal's progress: {@link progressIn} for its scope and period. */
  async function progressOf(ws: Workspace, goal: Goal, at: Date): Promise<GoalProgress> {
    const progress = await progressIn(ws, [goal], [periodOfGoal(ws, goal)], at);
    const mine = progress.find((p) => p.goal.id === goal.id);
    if (!mine) throw new Error(`goal ${goal.id} not found`);
    return mine;
  }

  /**
   * The goals of the given scopes for the given periods (the current ones: {@link currentGoalPeriods}),
   * month before quarter before year.
   */
  async function goalsIn(ws: Workspace, scopes: ScopeRef[], periods: GoalPeriod[]): Promise<Goal[]> {
    const stored = periods.map((p) => storedPeriod(ws, p));
    const goals = await db.goal.findMany({
      where: { workspaceId: ws.id, OR: scopes.flatMap((s) => stored.map((p) => ({ ...s, ...p }))) },
    });
    return goals.sort(byPeriod);
  }

  /** {@link goalProgressRead}'s goals and their progress, in one statement. */
  async function progressIn(
    ws: Workspace,
    scopes: ScopeRef[],
    periods: GoalPeriod[],
    at: Date,
  ): Promise<GoalProgress[]> {
    const read = goalProgressRead(ws, scopes, periods, at);
    return read.progress(read.pairs === 0 ? [] : await db.$queryRaw<GoalRow[]>(read.part.sql));
  }

  /**
   * The member's own goals, then their team's, then the company's: those of `period`, or the
   * current ones at `at`.
   */
  async function progressForMember(
    ws: Workspace,
    member: Member,
    at = clock.now(),
    period?: GoalPeriod,
  ): Promise<GoalProgress[]> {
    const scopes = [
      { scope: "member" as const, scopeId: member.id },
      ...(member.teamId ? [{ scope: "team" as const, scopeId: member.teamId }] : []),
      { scope: "company" as const, scopeId: 0 },
    ];
    return progressIn(ws, scopes, period ? [period] : currentGoalPeriods(ws, at), at);
  }

  /**
   * The owner's, team's and company's current goals as a won deal leaves them, and the milestones
   * the deal made them cross: progress with the deal against progress without it. Read through a
   * transaction, it counts the win being recorded.
   */
  async function progressOfWin(
    ws: Workspace,
    owner: Member,
    deal: { amount: bigint; closedAt: Date | null },
  ): Promise<WinProgress> {
    const closedAt = deal.closedAt;
    if (!closedAt) return { progress: [], crossings: [] };
    const progress = await progressForMember(
      ws,
      owner,
      new Date(Math.max(closedAt.getTime(), clock.now().getTime())),
    );
    const crossed = progress.flatMap((p) => {
      if (closedAt < p.period.start || closedAt >= p.period.end) return [];
      const contribution = p.goal.metric === "revenue" ? deal.amount : 1n;
      const before = attainmentOf(p.actual - contribution, p.goal.target);
      return milestonesCrossed(before, p.attainment).map((threshold) => ({ progress: p, threshold }));
    });
    const team =
      owner.teamId !== null && crossed.some((c) => c.progress.goal.scope === "team")
        ? await db.team.findFirst({ where: { id: owner.teamId, workspaceId: ws.id }, select: { name: true } })
        : null;
    const nameOf = { member: owner.displayName, team: team?.name ?? null, company: null };
    const crossings = crossed.map((c) => ({ ...c, scopeName: nameOf[c.progress.goal.scope] }));
    return { progress, crossings };
  }

  return { progressOf, goalsIn, progressIn, progressForMember, progressOfWin };
}

/**
 * Records the milestones a win crossed and returns those never announced before, for the goal's
 * current target: a deal reopened and won again announces nothing twice, while what a bigger
 * re-win newly crosses is announced. One statement inside the win's transaction, so it commits
 * with the win; wins of a workspace take turns, and the key makes a repeat a no-op regardless.
 */
export async function recordMilestones(
  tx: Tx,
  ws: Workspace,
  dealId: number,
  crossings: MilestoneCrossing[],
  at: Date,
): Promise<MilestoneCrossing[]> {
  if (crossings.length === 0) return [];
  const rows = crossings.map(
    (c) =>
      Prisma.sql`(${ws.id}::int, ${c.progress.goal.id}::int, ${c.progress.goal.target}::bigint, ${percentOf(c.threshold)}::int, ${dealId}::int, ${at}::timestamptz)`,
  );
  const fresh = await tx.$queryRaw<{ goal_id: number; threshold: number }[]>(Prisma.sql`
    INSERT INTO goal_milestone (workspace_id, goal_id, target, threshold, deal_id, at)
    VALUES ${Prisma.join(rows)}
    ON CONFLICT (goal_id, target, threshold) DO NOTHING
    RETURNING goal_id, threshold`);
  const announced = new Set(fresh.map((r) => `${r.goal_id}:${r.threshold}`));
  return crossings.filter((c) => announced.has(`${c.progress.goal.id}:${percentOf(c.threshold)}`));
}

/** A milestone threshold as a whole percentage (0.75 -> 75), as it is stored. */
const percentOf = (threshold: number) => Math.round(threshold * 100);

export function createGoalService({ db, clock }: SalesDeps) {
  const { progressOf, progressIn, progressForMember } = goalReader(db, clock);

  return {
    /**
     * Sets (or replaces) the goal of a scope for a month, quarter or year: `period` itself, past,
     * current or future, or the current one of a kind (`"month"`). An admin sets any goal, a manager
     * those of their team and its members (see `assertCanSetGoal`). The progress carries the target
     * it replaced, if any.
     */
    async setGoal(
      ws: Workspace,
      actor: Member,
      scope: Scope,
      metric: GoalMetric,
      period: GoalPeriodKind | GoalPeriod,
      value: bigint,
    ): Promise<GoalSet> {
      assertCanSetGoal(ws, actor, scope);
      if (value <= 0n) throw new AppError("invalid_input", "error.goal_target");
      const now = clock.now();
      const goalPeriod = typeof period === "string" ? periodContaining(period, now, calendarOf(ws)) : period;
      const key = { workspaceId: ws.id, ...goalScopeOf(scope), metric, ...storedPeriod(ws, goalPeriod) };
      const where = { workspaceId_scope_scopeId_metric_periodKind_periodStart: key };
      const { goal, replaced } = await db.$transaction(async (tx) => {
        const previous = await tx.goal.findUnique({ where, select: { target: true } });
        const goal = await tx.goal.upsert({
          where,
          update: { target: value },
          create: { ...key, target: value },
        });
        return { goal, replaced: previous?.target ?? null };
      });
      return { ...(await progressOf(ws, goal, now)), replaced };
    },

    /**
     * Deletes the goals of a scope for a period: of `metric`, or of every metric when none is
     * given; the same people may as may set them (see `assertCanSetGoal`).
     *
     * @returns the goals deleted, none when there were none.
     */
    async deleteGoal(
      ws: Workspace,
      actor: Member,
      scope: Scope,
      period: GoalPeriod,
      metric?: GoalMetric,
    ): Promise<DeletedGoal[]> {
      assertCanSetGoal(ws, actor, scope);
      const where = {
        workspaceId: ws.id,
        ...goalScopeOf(scope),
        ...storedPeriod(ws, period),
        ...(metric ? { metric } : {}),
      };
      return db.$transaction(async (tx) => {
        const goals = await tx.goal.findMany({ where, select: { id: true, metric: true, target: true } });
        await tx.goal.deleteMany({ where: { id: { in: goals.map((g) => g.id) } } });
        return goals
          .sort((a, b) => METRIC_ORDER[a.metric] - METRIC_ORDER[b.metric])
          .map(({ metric, target }) => ({ metric, target }));
      });
    },

    /** Progress, pace and milestones of a scope's goals for `period`, or its current goals. */
    async progress(ws: Workspace, scope: Scope, period?: GoalPeriod): Promise<GoalProgress[]> {
      const now = clock.now();
      return progressIn(ws, [goalScopeOf(scope)], period ? [period] : currentGoalPeriods(ws, now), now);
    },

    progressForMember,
  };
}

export type GoalService = ReturnType<typeof createGoalService>;
