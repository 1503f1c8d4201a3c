import { DateTime } from "luxon";
import { Prisma } from "../../generated/prisma/client.js";
import { boundsAtRun, wonIn } from "../deals/deal-sql.js";
import type { GoalMetric, SalesDeps, Team, Workspace } from "../deps.js";
import { type GoalProgress, goalProgressRead, memberAttainmentsSql } from "../goals/goal-service.js";
import { paceElapsed } from "../goals/pace.js";
import {
  type Kpis,
  kpiPart,
  kpisOf,
  type LostReasonRow,
  lossesAndSourcesOf,
  lossesAndSourcesPart,
  type SourceRow,
} from "../kpis/kpi-service.js";
import { memberFiguresSql } from "../leaderboard/leaderboard-service.js";
import { type CutList, limitSql } from "../lists.js";
import {
  localDate,
  type Period,
  periodContaining,
  startOfLocalDate,
  type Weekday,
} from "../periods/period.js";
import { type ProductKpiRow, productFigures, productsSoldPart } from "../products/product-kpis.js";
import { readPart, readTogether } from "../read-together.js";
import { type StalledDeal, stalledOf, stalledPart } from "../reminders/reminder-service.js";
import { COMPANY, goalScopeOf, ownedBy, type Scope } from "../scope.js";
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
  /**
   * The scope's goals for this month, revenue then deals, each with attainment and pace; empty
   * when the month has none. Quarter and year goals are never shown under the month's figures.
   */
  goals: GoalProgress[];
  /** Won so far plus the weighted pipeline expected to close before the month ends. */
  weightedForecast: bigint;
  /** The top three reps: a ranking, not a list cut short (the leaderboard has the rest). */
  top: RepFigure[];
  /** Reps behind pace, furthest behind first; the first five, and how many in all. */
  behind: CutList<RepBehind>;
  /** Stalled deals, oldest activity first; the first five, and how many in all. */
  stalled: CutList<StalledDeal>;
  /** The workspace's stalled_days: what "stalled" means here. */
  stalledDays: number;
  lost: LostReasonRow[];
  /** Lead sources with at least one win this month, best revenue first; the first three, and how many. */
  sources: CutList<SourceRow>;
  /** Products with a win this month, best revenue first; the first three, and how many. */
  products: CutList<ProductKpiRow>;
}

const LIST = 5;

/** The first `n` of a list read whole, and its length. */
const firstOf = <T>(rows: T[], n: number): CutList<T> => ({ items: rows.slice(0, n), total: rows.length });

const METRIC_ORDER: Record<GoalMetric, number> = { revenue: 0, deals: 1 };

/** The month's goals, revenue first. */
function monthGoals(progress: GoalProgress[]): GoalProgress[] {
  return progress.sort((a, b) => METRIC_ORDER[a.goal.metric] - METRIC_ORDER[b.goal.metric]);
}

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

/** A row of {@link yesterdayPart}: one of the five biggest wins, with the count and sum of all. */
interface YesterdayRow {
  number: number;
  customer: string;
  owner: string;
  amount: bigint;
  total: bigint;
  count: number;
}

/**
 * The wins since the previous digest day began until today began: the five biggest, joined to
 * their names, and the count and sum of all, from the closed deals' index alone.
 */
function yesterdayPart(ws: Workspace, since: string, today: string, scope: Scope) {
  const start = startOfLocalDate(since, ws.timezone);
  const end = startOfLocalDate(today, ws.timezone);
  return readPart<YesterdayRow>({
    sql: Prisma.sql`
      WITH top AS (
        SELECT d.number, d.customer_id, d.owner_id, d.amount,
               sum(d.amount) OVER ()::bigint AS total, (count(*) OVER ())::int AS count
        FROM deal d
        WHERE ${wonIn(ws, boundsAtRun({ start, end }), "d")} ${ownedBy(scope, Prisma.raw("d.owner_id"))}
        ORDER BY d.amount DESC, d.number ASC
        LIMIT ${limitSql(LIST)}
      )
      SELECT top.number, c.name AS customer, m.display_name AS owner, top.amount, top.total, top.count
      FROM top JOIN customer c ON c.id = top.customer_id JOIN member m ON m.id = top.owner_id
      ORDER BY top.amount DESC, top.number ASC`,
  });
}

/** A row of {@link repsPart}: a top rep (`figure` their revenue) or a rep behind (`figure` won so far). */
interface RepRow {
  part: "top" | "behind";
  name: string;
  figure: bigint;
  deals: bigint;
  attainment: number;
  total: number;
}

/**
 * The month's reps: the top three by won revenue, and the active reps whose own goal for the month
 * is behind pace (attainment below the elapsed fraction `elapsed`), with how many in all; nobody
 * behind while it is too early to tell (`elapsed` null or 0, the month's first working day). The
 * reps behind come as the five furthest behind and those tied with the fifth, so that names are
 * ordered here, as people read them ({@link repsOf}), not by the database's bytes.
 */
function repsPart(ws: Workspace, period: Period, scope: Scope, at: Date, elapsed: number | null) {
  const top = Prisma.sql`
    SELECT 'top' AS part, member_id, name, revenue AS figure, deals::bigint AS deals, NULL::float8 AS attainment,
           0 AS total
    FROM (${memberFiguresSql(ws, period, { order: "revenue", scope, limit: 3 })}) top`;
  const behind = Prisma.sql`
    SELECT 'behind', member_id, name, actual, target, attainment, total FROM (
      SELECT member_id, name, actual, target, attainment, (count(*) OVER ())::int AS total
      FROM (${memberAttainmentsSql(ws, { kind: "month", period }, at, scope)}) a
      WHERE active AND attainment / ${elapsed}::float8 < 1
      ORDER BY attainment FETCH FIRST ${limitSql(LIST)} ROWS WITH TIES
    ) behind`;
  return readPart<RepRow>({
    sql: Prisma.sql`${elapsed === null || elapsed <= 0 ? top : Prisma.sql`${top} UNION ALL ${behind}`}
      ORDER BY part DESC, figure DESC, deals DESC, member_id`,
  });
}

function repsOf(rows: RepRow[], elapsed: number | null): { top: RepFigure[]; behind: CutList<RepBehind> } {
  const behind = rows.filter((r) => r.part === "behind");
  return {
    top: rows
      .filter((r) => r.part === "top")
      .map((r) => ({ name: r.name, revenue: r.figure, deals: Number(r.deals) })),
    behind: {
      items: behind
        .sort((a, b) => a.attainment - b.attainment || a.name.localeCompare(b.name))
        .slice(0, LIST)
        .map((r) => ({ name: r.name, attainment: r.attainment, pace: r.attainment / (elapsed ?? 1) })),
      total: behind[0]?.total ?? 0,
    },
  };
}

export function createDigestService({ db, clock }: SalesDeps) {
  return {
    /**
     * The daily digest as of `at` (the scheduled instant): yesterday's wins, the month to date
     * against the goal with pace, win rate, new pipeline, weighted forecast, top three reps, reps
     * behind pace, stalled deals, lost reasons, the lead sources that convert and the products that
     * sell: seven statements sent at once ({@link readTogether}).
     */
    async computeDigest(ws: Workspace, team: Team | null): Promise<Digest> {
      const at = clock.now();
      const today = localDate(at, ws.timezone);
      const since = previousDigestDay(ws, today);
      const scope: Scope = team ? { scope: "team", team } : COMPANY;
      const period = periodContaining("month", at, calendarOf(ws));
      const elapsed = paceElapsed(ws, period, at);
      // Only the month's goals: quarter and year goals are never shown under the month's figures.
      const goals = goalProgressRead(ws, [goalScopeOf(scope)], [period], at);
      const rows = await readTogether(db, {
        yesterday: yesterdayPart(ws, since, today, scope),
        kpis: kpiPart(ws, period, scope, at),
        goals: goals.part,
        reps: repsPart(ws, period, scope, at, elapsed),
        stalled: stalledPart(ws, at, { scope, limit: LIST }),
        lossesAndSources: lossesAndSourcesPart(ws, period, scope),
        products: productsSoldPart(ws, period, scope),
      });
      const figures = kpisOf(rows.kpis);
      const { top, behind } = repsOf(rows.reps, elapsed);
      const { lost, sources } = lossesAndSourcesOf(rows.lossesAndSources);
      const [first] = rows.yesterday;
      return {
        date: today,
        team,
        yesterday: {
          since,
          count: first?.count ?? 0,
          revenue: first?.total ?? 0n,
          wins: rows.yesterday.map((r) => ({
            number: r.number,
            customer: r.customer,
            owner: r.owner,
            amount: r.amount,
          })),
        },
        period,
        kpis: figures,
        goals: monthGoals(goals.progress(rows.goals)),
        // The month's weighted pipeline is what is expected to close before it ends (the weighted forecast).
        weightedForecast: figures.wonRevenue + figures.weightedPipeline,
        top,
        behind,
        stalled: stalledOf(rows.stalled),
        stalledDays: ws.stalledDays,
        lost,
        sources: firstOf(
          sources.filter((s) => s.won > 0),
          3,
        ),
        products: firstOf(
          productFigures(rows.products).filter((p) => p.product !== null && p.wonCount > 0),
          3,
        ),
      };
    },
  };
}

export type DigestService = ReturnType<typeof createDigestService>;
