import type { Digest } from "../../src/sales/digest/digest-service.js";
import { attainmentOf } from "../../src/sales/goals/goal-service.js";

/** A row as a driver returns it. */
export type Row = Record<string, unknown>;

/**
 * A value as the comparison sees it: integers (number, bigint, or int8 as text) as decimal text,
 * other numbers to 10 significant digits (a mean of days computed in float8 or in numeric agrees
 * that far), instants as ISO text; arrays and objects value by value, keys in order.
 */
export function normalize(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : value.toPrecision(10);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(normalize);
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).sort(([a], [b]) => a.localeCompare(b));
    return Object.fromEntries(entries.map(([k, v]) => [k, normalize(v)]));
  }
  return value;
}

/**
 * The first difference between two results, as a path and both values, or null when they are
 * equal once {@link normalize}d.
 */
export function firstDifference(own: unknown, best: unknown, path = "$"): string | null {
  const a = normalize(own);
  const b = normalize(best);
  if (JSON.stringify(a) === JSON.stringify(b)) return null;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path}: ${a.length} rows vs ${b.length}`;
    for (const [i, v] of a.entries()) {
      const d = firstDifference(v, b[i], `${path}[${i}]`);
      if (d) return d;
    }
  }
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const d = firstDifference((a as Row)[key], (b as Row)[key], `${path}.${key}`);
      if (d) return d;
    }
  }
  return `${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
}

/** Every figure the company digest shows, as plain values (what `renderDigest` prints, before formatting). */
export interface DigestFigures {
  yesterday: {
    count: unknown;
    revenue: unknown;
    wins: { number: unknown; customer: unknown; owner: unknown; amount: unknown }[];
  };
  won: { revenue: unknown; count: unknown };
  lostCount: unknown;
  goals: { metric: unknown; actual: unknown; target: unknown }[];
  newPipeline: { count: unknown; amount: unknown };
  weightedForecast: unknown;
  top: { name: unknown; revenue: unknown; deals: unknown }[];
  behind: { items: { name: unknown; attainment: unknown }[]; total: number };
  stalled: {
    items: { number: unknown; customer: unknown; amount: unknown; since: unknown }[];
    total: unknown;
  };
  lost: { reason: unknown; count: unknown }[];
  sources: { items: { source: unknown; won: unknown; lost: unknown; revenue: unknown }[]; total: number };
}

/** The figures of a digest as `computeDigest` returns it. */
export function figuresOfDigest(d: Digest): DigestFigures {
  return {
    yesterday: {
      count: d.yesterday.count,
      revenue: d.yesterday.revenue,
      wins: d.yesterday.wins.map((w) => ({
        number: w.number,
        customer: w.customer,
        owner: w.owner,
        amount: w.amount,
      })),
    },
    won: { revenue: d.kpis.wonRevenue, count: d.kpis.wonCount },
    lostCount: d.kpis.lostCount,
    goals: d.goals.map((g) => ({ metric: g.goal.metric, actual: g.actual, target: g.goal.target })),
    newPipeline: { count: d.kpis.newCount, amount: d.kpis.newAmount },
    weightedForecast: d.weightedForecast,
    top: d.top.map((r) => ({ name: r.name, revenue: r.revenue, deals: r.deals })),
    behind: {
      items: d.behind.items.map((r) => ({ name: r.name, attainment: r.attainment })),
      total: d.behind.total,
    },
    stalled: {
      items: d.stalled.items.map((s) => ({
        number: s.number,
        customer: s.customer,
        amount: s.amount,
        since: s.lastEventAt,
      })),
      total: d.stalled.total,
    },
    lost: d.lost.map((r) => ({ reason: r.reason, count: r.count })),
    sources: {
      items: d.sources.items.map((s) => ({ source: s.source, won: s.won, lost: s.lost, revenue: s.revenue })),
      total: d.sources.total,
    },
  };
}

const LIST = 5;
const asNumber = (v: unknown) => Number(v);
const asBigint = (v: unknown) => BigInt(v as string | number | bigint);
const rowsOf = (results: Row[][], i: number): Row[] => results[i] ?? [];

/**
 * The same figures from the results of `bestDigest`'s statements, in its order. The few rules
 * applied here are the digest's own, on values the SQL returns: won / (won + lost), reps behind
 * pace (`elapsed`: `paceElapsed` of the month now, null while too early), first five of a list.
 */
export function figuresOfBest(results: Row[][], elapsed: number | null): DigestFigures {
  const closed = rowsOf(results, 0);
  const totals = closed.find((r) => asNumber(r.grouping) === 3) ?? {};
  const pipeline = rowsOf(results, 1)[0] ?? {};
  const people = rowsOf(results, 2);
  const yesterday = rowsOf(results, 3);
  const stalled = rowsOf(results, 4);

  const metricOrder = (m: unknown) => (m === "revenue" ? 0 : 1);
  const goals = people
    .filter((r) => r.kind === "company")
    .sort((a, b) => metricOrder(a.metric) - metricOrder(b.metric))
    .map((g) => ({
      metric: g.metric,
      actual: g.metric === "revenue" ? totals.revenue_so_far : totals.won_so_far,
      target: g.target,
    }));

  const members = people
    .filter((r) => r.kind === "member" && r.active === true)
    .map((r) => ({ name: String(r.name), attainment: attainmentOf(asBigint(r.actual), asBigint(r.target)) }))
    .sort((a, b) => a.attainment - b.attainment || a.name.localeCompare(b.name));
  const behind = elapsed === null || elapsed <= 0 ? [] : members.filter((r) => r.attainment / elapsed < 1);

  const sources = closed
    .filter((r) => asNumber(r.grouping) === 2 && asNumber(r.won) > 0)
    .sort((a, b) => {
      const byRevenue = asBigint(b.revenue) - asBigint(a.revenue);
      return byRevenue !== 0n ? (byRevenue > 0n ? 1 : -1) : asNumber(b.won) - asNumber(a.won);
    });

  const lost = closed
    .filter((r) => asNumber(r.grouping) === 1 && asNumber(r.lost) > 0)
    .sort((a, b) => {
      const byCount = asNumber(b.lost) - asNumber(a.lost);
      if (byCount !== 0) return byCount;
      const byAmount = asBigint(b.lost_amount) - asBigint(a.lost_amount);
      return byAmount > 0n ? 1 : byAmount < 0n ? -1 : 0;
    });

  return {
    yesterday: {
      count: yesterday[0]?.count ?? 0,
      revenue: yesterday[0]?.total ?? 0,
      wins: yesterday.map((w) => ({
        number: w.number,
        customer: w.customer,
        owner: w.owner,
        amount: w.amount,
      })),
    },
    won: { revenue: totals.revenue ?? 0, count: totals.won ?? 0 },
    lostCount: totals.lost ?? 0,
    goals,
    newPipeline: { count: pipeline.new_count, amount: pipeline.new_amount },
    weightedForecast: asBigint(totals.revenue ?? 0) + asBigint(pipeline.weighted ?? 0),
    top: people
      .filter((r) => r.kind === "top")
      .map((r) => ({ name: r.name, revenue: r.actual, deals: r.deals })),
    behind: { items: behind.slice(0, LIST), total: behind.length },
    stalled: {
      items: stalled.map((s) => ({
        number: s.number,
        customer: s.customer,
        amount: s.amount,
        since: s.last_activity_at instanceof Date ? s.last_activity_at : new Date(String(s.last_activity_at)),
      })),
      total: stalled[0]?.total ?? 0,
    },
    lost: lost.map((r) => ({ reason: r.reason ?? "other", count: r.lost })),
    sources: {
      items: sources
        .slice(0, 3)
        .map((s) => ({ source: s.source, won: s.won, lost: s.lost, revenue: s.revenue })),
      total: sources.length,
    },
  };
}
