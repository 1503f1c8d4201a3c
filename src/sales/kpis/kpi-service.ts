import { Prisma } from "../../generated/prisma/client.js";
import {
  closedIn,
  createdIn,
  type ExpectedDays,
  expectedDaysOf,
  expectedKeyIn,
  isOpen,
  lostIn,
  salesCycleDays,
  weightedPipeline,
  wonIn,
} from "../deals/deal-sql.js";
import { OPEN_STAGES, type OpenStage } from "../deals/stages.js";
import type { LostReason, SalesDeps, Workspace } from "../deps.js";
import { companyDays, type DayRange, type FigureSource, inDays } from "../figures/figure-sql.js";
import type { Period } from "../periods/period.js";
import { readPart } from "../read-together.js";
import { ownedBy, type Scope } from "../scope.js";

export interface Kpis {
  wonRevenue: bigint;
  wonCount: number;
  /** Won revenue / won count, null without wins. */
  averageDeal: bigint | null;
  lostCount: number;
  /** Won / (won + lost) closed in the period, null when none closed. */
  winRate: number | null;
  newCount: number;
  newAmount: bigint;
  openCount: number;
  openPipeline: bigint;
  weightedPipeline: bigint;
  /** Mean days from creation to close of the period's wins, null without wins. */
  salesCycleDays: number | null;
}

export interface LostReasonRow {
  reason: LostReason;
  count: number;
  amount: bigint;
}

export interface SourceRow {
  source: string | null;
  won: number;
  lost: number;
  winRate: number | null;
  revenue: bigint;
}

/**
 * The SQL of the period's KPIs: the kept sums for the company's whole days ({@link companyDays}),
 * the deals otherwise or when `source` says so. An open deal with no expected close date, or one
 * already past, is expected today.
 */
export function kpiSql(
  ws: Workspace,
  period: Period,
  scope: Scope,
  now: Date,
  source?: FigureSource,
): Prisma.Sql {
  const days = companyDays(ws, period, scope, source);
  if (days) return keptKpiSql(ws, days, expectedDaysOf(ws, period, now));
  return dealsKpiSql(ws, period, scope, now);
}

/** The company's KPIs over whole local days, from `figure_day` and `figure_open`: a few hundred rows. */
function keptKpiSql(ws: Workspace, days: DayRange, expected: ExpectedDays): Prisma.Sql {
  return Prisma.sql`
    WITH closed AS (
      SELECT coalesce(sum(won_count), 0) AS won_count, coalesce(sum(won_amount), 0) AS won_revenue,
             coalesce(sum(lost_count), 0) AS lost_count,
             sum(won_cycle_seconds) / nullif(sum(won_count), 0) / 86400 AS cycle,
             coalesce(sum(new_count), 0) AS new_count, coalesce(sum(new_amount), 0) AS new_amount
      FROM figure_day
      WHERE workspace_id = ${ws.id} AND ${inDays("day", days)}
    ), open AS (
      SELECT coalesce(sum(open_count), 0) AS n, coalesce(sum(amount), 0) AS amount,
             coalesce(sum(weighted) FILTER (WHERE ${expectedKeyIn(expected, Prisma.raw("expected"))}), 0) AS weighted
      FROM figure_open
      WHERE workspace_id = ${ws.id}
    )
    SELECT closed.won_count::int AS won_count, closed.won_revenue::bigint AS won_revenue,
           closed.lost_count::int AS lost_count, closed.cycle::float8 AS cycle,
           closed.new_count::int AS new_count, closed.new_amount::bigint AS new_amount,
           open.n::int AS open_count, open.amount::bigint AS open_amount,
           round(open.weighted / 100)::bigint AS weighted
    FROM closed, open`;
}

/**
 * The period's KPIs from the deals. Each part reads one index range: closed deals through
 * (workspace, stage, closed_at), new deals through (workspace, created_at), open deals through
 * the open deals' index.
 */
function dealsKpiSql(ws: Workspace, period: Period, scope: Scope, now: Date): Prisma.Sql {
  const owner = ownedBy(scope);
  const days = expectedDaysOf(ws, period, now);
  return Prisma.sql`
    WITH closed AS (
      SELECT count(*) FILTER (WHERE stage = 'won') AS won_count,
             coalesce(sum(amount) FILTER (WHERE stage = 'won'), 0) AS won_revenue,
             count(*) FILTER (WHERE stage = 'lost') AS lost_count,
             ${salesCycleDays()} AS cycle
      FROM deal
      WHERE ${closedIn(ws, period)} ${owner}
    ), created AS (
      SELECT count(*) AS n, coalesce(sum(amount), 0) AS amount
      FROM deal
      WHERE ${createdIn(ws, period)} ${owner}
    ), open AS (
      SELECT count(*) AS n, coalesce(sum(amount), 0) AS amount, ${weightedPipeline(days)} AS weighted
      FROM deal
      WHERE workspace_id = ${ws.id} AND ${isOpen()} ${owner}
    )
    SELECT closed.won_count::int AS won_count, closed.won_revenue::bigint AS won_revenue,
           closed.lost_count::int AS lost_count, closed.cycle::float8 AS cycle,
           created.n::int AS new_count, created.amount::bigint AS new_amount,
           open.n::int AS open_count, open.amount::bigint AS open_amount,
           round(open.weighted / 100)::bigint AS weighted
    FROM closed, created, open`;
}

/**
 * SQL of the deals lost in the period by reason, most frequent first: from the kept close sums
 * (`figure_close`) when the period is the company's whole days, else from the deals.
 */
export function lostReasonsSql(
  ws: Workspace,
  period: Period,
  scope: Scope,
  source?: FigureSource,
): Prisma.Sql {
  const days = companyDays(ws, period, scope, source);
  return days
    ? Prisma.sql`
    SELECT nullif(reason, '')::"LostReason" AS reason, sum(closed_count)::int AS count,
           sum(amount)::bigint AS amount
    FROM figure_close
    WHERE workspace_id = ${ws.id} AND ${inDays("day", days)} AND stage = 'lost'
    GROUP BY reason
    HAVING sum(closed_count) <> 0
    ORDER BY count DESC, amount DESC, reason NULLS FIRST`
    : Prisma.sql`
    SELECT lost_reason AS reason, count(*)::int AS count, sum(amount)::bigint AS amount
    FROM deal
    WHERE ${lostIn(ws, period)} ${ownedBy(scope)}
    GROUP BY lost_reason
    ORDER BY count DESC, amount DESC, reason NULLS FIRST`;
}

/**
 * SQL of the lead sources of the deals closed in the period, by won revenue (an empty source is
 * none): from the kept close sums when the period is the company's whole days, else from the deals.
 */
export function sourceConversionSql(
  ws: Workspace,
  period: Period,
  scope: Scope,
  source?: FigureSource,
): Prisma.Sql {
  const days = companyDays(ws, period, scope, source);
  return days
    ? Prisma.sql`
    SELECT nullif(source, '') AS source,
           coalesce(sum(closed_count) FILTER (WHERE stage = 'won'), 0)::int AS won,
           coalesce(sum(closed_count) FILTER (WHERE stage = 'lost'), 0)::int AS lost,
           coalesce(sum(amount) FILTER (WHERE stage = 'won'), 0)::bigint AS revenue
    FROM figure_close
    WHERE workspace_id = ${ws.id} AND ${inDays("day", days)}
    GROUP BY source
    HAVING sum(closed_count) <> 0
    ORDER BY revenue DESC, won DESC, source NULLS FIRST`
    : Prisma.sql`
    SELECT nullif(lead_source, '') AS source,
           count(*) FILTER (WHERE stage = 'won')::int AS won,
           count(*) FILTER (WHERE stage = 'lost')::int AS lost,
           coalesce(sum(amount) FILTER (WHERE stage = 'won'), 0)::bigint AS revenue
    FROM deal
    WHERE ${closedIn(ws, period)} ${ownedBy(scope)}
    GROUP BY 1
    ORDER BY revenue DESC, won DESC, source NULLS FIRST`;
}

/** A row of {@link lossesAndSourcesPart}: a lost reason (its count in `lost`) or a lead source. */
export type LossOrSourceRow = SourceSqlRow & { part: "lost" | "source" };

/**
 * {@link lostReasonsSql} and {@link sourceConversionSql} as one statement, each in its own order;
 * its rows go to {@link lossesAndSourcesOf}.
 */
export const lossesAndSourcesPart = (ws: Workspace, period: Period, scope: Scope) =>
  readPart<LossOrSourceRow>({
    sql: Prisma.sql`
      SELECT 'lost' AS part, row_number() OVER (ORDER BY count DESC, amount DESC, reason NULLS FIRST) AS n,
             reason::text AS source, 0 AS won, count AS lost, amount AS revenue
      FROM (${lostReasonsSql(ws, period, scope)}) r
      UNION ALL
      SELECT 'source', row_number() OVER (ORDER BY revenue DESC, won DESC, source NULLS FIRST),
             source, won, lost, revenue
      FROM (${sourceConversionSql(ws, period, scope)}) s
      ORDER BY part, n`,
  });

/** The lost reasons and the lead sources from {@link lossesAndSourcesPart}'s rows. */
export function lossesAndSourcesOf(rows: LossOrSourceRow[]): { lost: LostReasonRow[]; sources: SourceRow[] } {
  return {
    lost: rows
      .filter((r) => r.part === "lost")
      .map((r) => lostRow({ reason: r.source as LostReason | null, count: r.lost, amount: r.revenue })),
    sources: rows.filter((r) => r.part === "source").map(sourceRow),
  };
}

/** A row of {@link lostReasonsSql}; a reason is null for a loss without one. */
interface LostSqlRow {
  reason: LostReason | null;
  count: number;
  amount: bigint;
}

const lostRow = (r: LostSqlRow): LostReasonRow => ({
  reason: r.reason ?? "other",
  count: r.count,
  amount: r.amount,
});

/** A row of {@link sourceConversionSql}. */
interface SourceSqlRow {
  source: string | null;
  won: number;
  lost: number;
  revenue: bigint;
}

const sourceRow = ({ source, won, lost, revenue }: SourceSqlRow): SourceRow => ({
  source,
  won,
  lost,
  winRate: won + lost > 0 ? won / (won + lost) : null,
  revenue,
});

/** {@link kpiSql} as a part of a {@link readTogether}; its rows go to {@link kpisOf}. */
export const kpiPart = (ws: Workspace, period: Period, scope: Scope, now: Date) =>
  readPart<KpiRow>({
    sql: kpiSql(ws, period, scope, now),
  });

/** The KPIs from {@link kpiSql}'s one row. */
export function kpisOf([row]: KpiRow[]): Kpis {
  if (!row) throw new Error("KPI query returned no row");
  const closedCount = row.won_count + row.lost_count;
  return {
    wonRevenue: row.won_revenue,
    wonCount: row.won_count,
    averageDeal: row.won_count > 0 ? row.won_revenue / BigInt(row.won_count) : null,
    lostCount: row.lost_count,
    winRate: closedCount > 0 ? row.won_count / closedCount : null,
    newCount: row.new_count,
    newAmount: row.new_amount,
    openCount: row.open_count,
    openPipeline: row.open_amount,
    weightedPipeline: row.weighted,
    salesCycleDays: row.cycle,
  };
}

/** A row of {@link kpiSql}. */
export interface KpiRow {
  won_count: number;
  won_revenue: bigint;
  lost_count: number;
  cycle: number | null;
  new_count: number;
  new_amount: bigint;
  open_count: number;
  open_amount: bigint;
  weighted: bigint;
}

/** What was won on one local day of a period. */
export interface WonDay {
  /** The local day, `2026-11-03`. */
  day: string;
  revenue: bigint;
  count: number;
}

/** The open pipeline of one stage, now. */
export interface StageAmount {
  stage: OpenStage;
  count: number;
  amount: bigint;
}

export function createKpiService({ db, clock }: SalesDeps) {
  return {
    /** Every KPI of a period (docs/architecture.md §4), computed by one SQL aggregation. */
    async computeKpis(ws: Workspace, period: Period, scope: Scope): Promise<Kpis> {
      return kpisOf(await db.$queryRaw<KpiRow[]>(kpiSql(ws, period, scope, clock.now())));
    },

    /** Deals lost in the period by reason, most frequent first. */
    async lostReasons(ws: Workspace, period: Period, scope: Scope): Promise<LostReasonRow[]> {
      return (await db.$queryRaw<LostSqlRow[]>(lostReasonsSql(ws, period, scope))).map(lostRow);
    },

    /** Lead sources of the deals closed in the period, by won revenue: which sources convert. */
    async sourceConversion(ws: Workspace, period: Period, scope: Scope): Promise<SourceRow[]> {
      return (await db.$queryRaw<SourceSqlRow[]>(sourceConversionSql(ws, period, scope))).map(sourceRow);
    },

    /**
     * {@link lostReasons} and {@link sourceConversion} in one statement, each in its own order: the
     * dashboard shows both.
     */
    async lossesAndSources(
      ws: Workspace,
      period: Period,
      scope: Scope,
    ): Promise<{ lost: LostReasonRow[]; sources: SourceRow[] }> {
      const part = lossesAndSourcesPart(ws, period, scope);
      return lossesAndSourcesOf(await db.$queryRaw<LossOrSourceRow[]>(part.sql));
    },

    /**
     * Won revenue and count per local day of the period (only days with a win), oldest first: the
     * same deals as {@link computeKpis}'s won figures, so the days add up to them.
     */
    async wonByDay(ws: Workspace, period: Period, scope: Scope): Promise<WonDay[]> {
      const days = companyDays(ws, period, scope);
      const rows = await db.$queryRaw<{ day: string; revenue: bigint; count: number }[]>(
        days
          ? Prisma.sql`
        SELECT to_char(day, 'YYYY-MM-DD') AS day, won_amount AS revenue, won_count AS count
        FROM figure_day
        WHERE workspace_id = ${ws.id} AND ${inDays("day", days)} AND won_count > 0
        ORDER BY day`
          : Prisma.sql`
        SELECT to_char((closed_at AT TIME ZONE ${ws.timezone})::date, 'YYYY-MM-DD') AS day,
               sum(amount)::bigint AS revenue, count(*)::int AS count
        FROM deal
        WHERE ${wonIn(ws, period)} ${ownedBy(scope)}
        GROUP BY 1
        ORDER BY 1`,
      );
      return rows;
    },

    /** The open pipeline per stage, now, every open stage in the pipeline's order (empty ones at 0). */
    async openByStage(ws: Workspace, scope: Scope): Promise<StageAmount[]> {
      const rows = await db.$queryRaw<{ stage: OpenStage; count: number; amount: bigint }[]>(
        scope.scope === "company"
          ? Prisma.sql`
        SELECT stage, sum(open_count)::int AS count, sum(amount)::bigint AS amount
        FROM figure_open
        WHERE workspace_id = ${ws.id}
        GROUP BY stage`
          : Prisma.sql`
        SELECT stage, count(*)::int AS count, sum(amount)::bigint AS amount
        FROM deal
        WHERE workspace_id = ${ws.id} AND ${isOpen()} ${ownedBy(scope)}
        GROUP BY stage`,
      );
      const byStage = new Map(rows.map((r) => [r.stage, r]));
      return OPEN_STAGES.map((stage) => ({
        stage,
        count: byStage.get(stage)?.count ?? 0,
        amount: byStage.get(stage)?.amount ?? 0n,
      }));
    },
  };
}

export type KpiService = ReturnType<typeof createKpiService>;
