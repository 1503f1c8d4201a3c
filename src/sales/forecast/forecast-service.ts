import { Prisma } from "../../generated/prisma/client.js";
import type { Goal, SalesDeps, Workspace } from "../deps.js";
import { type OwnerFilter, ownerCondition } from "../kpis/scope-filter.js";
import { elapsedFraction, localDate, type Period } from "../periods/period.js";

export interface Forecast {
  period: Period;
  won: bigint;
  elapsed: number;
  /** Won so far / elapsed fraction; null at the very start of the period. */
  runRate: bigint | null;
  /** Weighted value of open deals expected to close before the period ends. */
  weightedOpen: bigint;
  /** Won so far + weighted open pipeline. */
  weighted: bigint;
  goal: Goal | null;
}

/**
 * SQL for a forecast: won so far in the period, and the probability-weighted amount of open deals
 * expected to close before its end (no date, or a date already past, means today).
 */
export function forecastSql(ws: Workspace, period: Period, filter: OwnerFilter, now: Date): Prisma.Sql {
  const owner = ownerCondition(filter);
  const today = localDate(now, ws.timezone);
  const endDay = localDate(period.end, ws.timezone);
  return Prisma.sql`
    SELECT
      (SELECT coalesce(sum(amount), 0) FROM deal
        WHERE workspace_id = ${ws.id} AND stage = 'won'
          AND closed_at >= ${period.start} AND closed_at < ${period.end} ${owner})::bigint AS won,
      (SELECT coalesce(round(sum(amount * probability) / 100), 0) FROM deal
        WHERE workspace_id = ${ws.id} AND stage IN ('lead', 'qualified', 'proposal', 'negotiation')
          AND greatest(coalesce(expected_close_date, ${today}::date), ${today}::date) < ${endDay}::date
          ${owner})::bigint AS weighted_open`;
}

export function createForecastService({ db, clock }: SalesDeps) {
  return {
    /** Weighted pipeline and run-rate for a period, with the company revenue goal when one is set. */
    async forecast(ws: Workspace, period: Period, filter: OwnerFilter, goal: Goal | null): Promise<Forecast> {
      const now = clock.now();
      const [row] = await db.$queryRaw<{ won: bigint; weighted_open: bigint }[]>(
        forecastSql(ws, period, filter, now),
      );
      const won = row?.won ?? 0n;
      const weightedOpen = row?.weighted_open ?? 0n;
      const elapsed = elapsedFraction(period, now);
      return {
        period,
        won,
        elapsed,
        runRate: elapsed > 0 ? BigInt(Math.round(Number(won) / elapsed)) : null,
        weightedOpen,
        weighted: won + weightedOpen,
        goal,
      };
    },
  };
}

export type ForecastService = ReturnType<typeof createForecastService>;
