import { Prisma } from "../../generated/prisma/client.js";
import { expectedDaysOf, expectedIn, expectedKeyIn, isOpen, wonIn } from "../deals/deal-sql.js";
import type { Goal, SalesDeps, Workspace } from "../deps.js";
import { companyDays, type FigureSource, inDays } from "../figures/figure-sql.js";
import { paceElapsed } from "../goals/pace.js";
import { elapsedFraction, type Period } from "../periods/period.js";
import { ownedBy, type Scope } from "../scope.js";

export interface Forecast {
  period: Period;
  won: bigint;
  elapsed: number;
  /** Won so far / elapsed fraction; null until the period's first working day is over. */
  runRate: bigint | null;
  /** Weighted value of open deals expected to close before the period ends. */
  weightedOpen: bigint;
  /** Won so far + weighted open pipeline. */
  weighted: bigint;
  goal: Goal | null;
}

/**
 * SQL for a forecast: won so far in the period, and the probability-weighted amount of open deals
 * expected to close within it (no date, or a date already past, means today; so a later period
 * counts only the deals expected in it). From the kept sums for the company's whole days
 * ({@link companyDays}), the deals otherwise or when `source` says so.
 */
export function forecastSql(
  ws: Workspace,
  period: Period,
  scope: Scope,
  now: Date,
  source?: FigureSource,
): Prisma.Sql {
  const days = expectedDaysOf(ws, period, now);
  const whole = companyDays(ws, period, scope, source);
  if (whole) {
    return Prisma.sql`
      SELECT
        (SELECT coalesce(sum(won_amount), 0) FROM figure_day
          WHERE workspace_id = ${ws.id} AND ${inDays("day", whole)})::bigint AS won,
        (SELECT round(coalesce(sum(weighted), 0) / 100) FROM figure_open
          WHERE workspace_id = ${ws.id} AND ${expectedKeyIn(days, Prisma.raw("expected"))})::bigint AS weighted_open`;
  }
  const owner = ownedBy(scope);
  return Prisma.sql`
    SELECT
      (SELECT coalesce(sum(amount), 0) FROM deal WHERE ${wonIn(ws, period)} ${owner})::bigint AS won,
      (SELECT round(coalesce(sum(amount * probability), 0) / 100) FROM deal
        WHERE workspace_id = ${ws.id} AND ${isOpen()} AND ${expectedIn(days)} ${owner})::bigint AS weighted_open`;
}

/**
 * The forecast of a period at `now` from what was won in it so far and the weighted open pipeline
 * expected in it (both as {@link forecastSql} reads them): the run-rate and the weighted forecast.
 */
export function forecastOf(
  ws: Workspace,
  period: Period,
  now: Date,
  read: { won: bigint; weightedOpen: bigint },
  goal: Goal | null,
): Forecast {
  const { won, weightedOpen } = read;
  const paced = paceElapsed(ws, period, now);
  return {
    period,
    won,
    elapsed: elapsedFraction(period, now),
    runRate: paced === null ? null : BigInt(Math.round(Number(won) / paced)),
    weightedOpen,
    weighted: won + weightedOpen,
    goal,
  };
}

export function createForecastService({ db, clock }: SalesDeps) {
  return {
    /**
     * Weighted pipeline and run-rate for a current or later period, with the revenue goal when one
     * is set. A period not begun has won nothing and no run-rate yet.
     */
    async forecast(ws: Workspace, period: Period, scope: Scope, goal: Goal | null): Promise<Forecast> {
      const now = clock.now();
      const [row] = await db.$queryRaw<{ won: bigint; weighted_open: bigint }[]>(
        forecastSql(ws, period, scope, now),
      );
      return forecastOf(
        ws,
        period,
        now,
        { won: row?.won ?? 0n, weightedOpen: row?.weighted_open ?? 0n },
        goal,
      );
    },
  };
}

export type ForecastService = ReturnType<typeof createForecastService>;
