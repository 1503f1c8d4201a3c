import { DateTime } from "luxon";
import type { ChartSpec } from "../charts/spec.js";
import type { StageAmount, WonDay } from "../sales/kpis/kpi-service.js";
import { type Calendar, type Period, periodDays, periodOfDate } from "../sales/periods/period.js";
import { currencyDigits, INTL_LOCALE } from "./format.js";
import type { Speaker } from "./speaker.js";

/** How won revenue is added up along a period: per day up to a month, per week up to a quarter, else per month. */
export type ChartStep = "day" | "week" | "month";

export function chartStep(period: Period, timezone: string): ChartStep {
  const { first, last } = periodDays(period, timezone);
  const days = DateTime.fromISO(last).diff(DateTime.fromISO(first), "days").days + 1;
  return days <= 31 ? "day" : days <= 92 ? "week" : "month";
}

/** Minor units as units of the currency, what a chart's axis counts in. */
export function inUnits(minor: bigint, currency: string): number {
  return Number(minor) / 10 ** currencyDigits(currency);
}

interface Bucket {
  /** Its first and last local days within the period. */
  first: string;
  last: string;
}

/** The period's days cut into steps (a week or month cut at the period's bounds), oldest first. */
function bucketsOf(period: Period, cal: Calendar, step: ChartStep): Bucket[] {
  const { first, last } = periodDays(period, cal.timezone);
  const buckets: Bucket[] = [];
  for (let day = first; day <= last; ) {
    const end = step === "day" ? day : periodDays(periodOfDate(step, day, cal), cal.timezone).last;
    const bucketLast = end < last ? end : last;
    buckets.push({ first: day, last: bucketLast });
    day = DateTime.fromISO(bucketLast).plus({ days: 1 }).toISODate() ?? last;
  }
  return buckets;
}

function bucketLabel(s: Speaker, bucket: Bucket, step: ChartStep): string {
  const at = new Date(`${bucket.first}T12:00:00Z`);
  const tag = INTL_LOCALE[s.locale];
  if (step === "day") return new Intl.DateTimeFormat(tag, { timeZone: "UTC", day: "numeric" }).format(at);
  if (step === "week")
    return new Intl.DateTimeFormat(tag, { timeZone: "UTC", day: "numeric", month: "short" }).format(at);
  return new Intl.DateTimeFormat(tag, { timeZone: "UTC", month: "short" }).format(at);
}

export interface WonAgainstGoal {
  period: Period;
  /** How the title names the period and whose figures they are. */
  periodLabel: string;
  who: string;
  days: WonDay[];
  /** The scope's revenue goal for the period, in minor units, or null without one. */
  goal: bigint | null;
  /** Today, local: the steps after it have no won value yet. */
  today: string;
}

/**
 * Won revenue against the goal: the cumulative won per day, week or month (as fits the period) up
 * to today, the pace line from nothing to the goal at the period's end, and the goal as the target.
 * The last won value is the period's won revenue, as `/kpi` shows it.
 */
export function wonAgainstGoalChart(s: Speaker, cal: Calendar, input: WonAgainstGoal): ChartSpec {
  const { t, fmt } = s;
  const step = chartStep(input.period, cal.timezone);
  const buckets = bucketsOf(input.period, cal, step);
  const totalDays = buckets.reduce(
    (n, b) => n + DateTime.fromISO(b.last).diff(DateTime.fromISO(b.first), "days").days + 1,
    0,
  );
  let won = 0n;
  let daysSoFar = 0;
  const wonValues: (number | null)[] = [];
  const paceValues: number[] = [];
  for (const b of buckets) {
    for (const d of input.days) if (d.day >= b.first && d.day <= b.last) won += d.revenue;
    daysSoFar += DateTime.fromISO(b.last).diff(DateTime.fromISO(b.first), "days").days + 1;
    wonValues.push(b.first > input.today ? null : inUnits(won, fmt.currency));
    if (input.goal !== null)
      paceValues.push((inUnits(input.goal, fmt.currency) * daysSoFar) / Math.max(1, totalDays));
  }
  const goal = input.goal;
  return {
    kind: "line",
    title: t("chart.won_title", { period: input.periodLabel, who: input.who }),
    locale: s.locale,
    unit: { currency: fmt.currency },
    labels: buckets.map((b) => bucketLabel(s, b, step)),
    series: [
      { name: t("chart.won"), values: wonValues },
      ...(goal === null ? [] : [{ name: t("chart.pace"), values: paceValues, dashed: true }]),
    ],
    ...(goal === null ? {} : { target: { label: t("chart.goal"), value: inUnits(goal, fmt.currency) } }),
  };
}

/** The open pipeline by stage, now: one bar per open stage, in the pipeline's order. */
export function pipelineChart(s: Speaker, who: string, stages: StageAmount[]): ChartSpec {
  return {
    kind: "bar",
    horizontal: true,
    title: s.t("chart.pipeline_title", { who }),
    locale: s.locale,
    unit: { currency: s.fmt.currency },
    labels: stages.map((x) => s.t(`stage.${x.stage}`)),
    series: [{ name: s.t("chart.open"), values: stages.map((x) => inUnits(x.amount, s.fmt.currency)) }],
  };
}
