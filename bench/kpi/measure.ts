import pino from "pino";
import { commandContext } from "../../src/commands/context.js";
import type { MemberRef } from "../../src/commands/grammar/tokens.js";
import type { Database } from "../../src/db/client.js";
import type { Prisma } from "../../src/generated/prisma/client.js";
import { createEdge } from "../../src/platforms/edge.js";
import { renderText } from "../../src/platforms/shell/render-text.js";
import type { Workspace } from "../../src/sales/deps.js";
import { previousDigestDay } from "../../src/sales/digest/digest-service.js";
import { forecastSql } from "../../src/sales/forecast/forecast-service.js";
import { paceElapsed } from "../../src/sales/goals/pace.js";
import { kpiSql } from "../../src/sales/kpis/kpi-service.js";
import { memberFiguresSql } from "../../src/sales/leaderboard/leaderboard-service.js";
import {
  localDate,
  type Period,
  periodContaining,
  startOfLocalDate,
} from "../../src/sales/periods/period.js";
import { COMPANY } from "../../src/sales/scope.js";
import { calendarOf } from "../../src/sales/workspaces/workspace-service.js";
import { type Summary, summarize } from "../support/percentiles.js";
import { time, warmUp } from "../support/timing.js";
import {
  type BestInputs,
  bestDigest,
  bestForecastQuarter,
  bestKpiMonth,
  bestLeaderboardQuarter,
  type Statement,
} from "./best-sql.js";
import { figuresOfBest, figuresOfDigest, firstDifference, type Row } from "./check.js";
import { BENCH_NOW, openSession } from "./dataset.js";
import { digestCase, type LabelledSql } from "./digest.js";
import { createRssSampler, maxRssBytes } from "./stats.js";
import { measureWrites, type WriteCost } from "./writes.js";

/** Statements run one after another on the bare driver: each round's total, and each statement alone. */
export interface SqlTimings {
  label: string;
  /** Each round's sequential total. */
  ms: Summary;
  /** Each statement alone; one entry when there is one statement. */
  parts: { label: string; ms: Summary }[];
  /** The sum of the statements' medians (the median for one statement): a ratio's denominator. */
  baselineMs: number;
}

/** One command (or the digest) and the raw SQL it needs, timed three ways, and the best plain SQL for its figures. */
export interface CaseResult {
  command: string;
  /** What "raw" runs: the exported SQL builders (or the digest's recorded statements), on the driver. */
  rawLabel: string;
  /** End to end: the edge every platform uses (parse, validate, service, Prisma, reply), or computeDigest + renderDigest. */
  commandMs: Summary;
  /** The same SQL through `prisma.$queryRaw` (the driver adapter's cost), statements one after another. */
  prismaMs: Summary;
  /** The SQL on the bare driver (`pg` pool or PGlite), no Prisma: each round's sequential total. */
  rawMs: Summary;
  /** Each statement alone on the bare driver; one entry when the command needs one statement. */
  rawParts: { label: string; ms: Summary }[];
  /** The ratio's denominator: the sum of the statements' medians (the raw median for one statement). */
  rawBaselineMs: number;
  /** Median command / raw baseline. */
  ratio: number;
  /** The best plain SQL for the same figures (`best-sql.ts`), checked equal before timing. */
  best: SqlTimings;
  /** Median command / best baseline. */
  ratioBest: number;
  /**
   * The same figures read from the deals, as the command did before the figure tables (and still
   * does for a team or a period they cannot serve): checked equal, then timed on the bare driver.
   */
  deals?: SqlTimings;
  reply: string;
}

export interface DataShape {
  deals: number;
  open: number;
  closedInMonth: number;
  createdInMonth: number;
  wonInQuarter: number;
  openExpectedInQuarter: number;
}

export interface MeasureResult {
  openMs: number;
  cases: CaseResult[];
  shape: DataShape;
  rss: { afterOpen: number; peakSampled: number; maxRss: number };
  explain: Record<string, string>;
  /** What the figure tables' triggers cost each deal write (measured last: it writes deals). */
  writes: WriteCost[];
}

interface Case {
  command: string;
  rawLabel: string;
  raw: LabelledSql[];
  bestLabel: string;
  best: Statement[];
  /** The figures from the deals, when the command's own SQL reads the figure tables. */
  deals?: LabelledSql;
  /** What is timed as the command; returns the reply as text. */
  run(): Promise<string>;
  /** Compares the figures of the command's own SQL and of the best SQL: the first difference, or null. */
  check(): Promise<string | null>;
}

/** When a case has several statements, the plans kept are those of at least this share of its baseline. */
const EXPLAIN_FROM_SHARE = 0.05;

const edge = createEdge({ platform: "shell", log: pino({ level: "silent" }) });

/** The digest's row in the tables: the company digest, as the digest channel gets it. */
export const DIGEST_COMMAND = "daily digest (company)";

/**
 * Times each command through the command layer, and the company digest, against the raw SQL they
 * need, interleaved (the order rotates each round so no variant always runs on a cache its
 * neighbour warmed).
 */
export async function measure(
  db: Database,
  opts: { iterations: number; warmup: number; openMs: number },
): Promise<MeasureResult> {
  const rss = createRssSampler();
  const afterOpen = rss.sample();
  const session = await openSession(db);
  const { sales, workspace: ws, admin } = session;
  const now = new Date(BENCH_NOW);
  const month = periodContaining("month", now, calendarOf(ws));
  const quarter = periodContaining("quarter", now, calendarOf(ws));
  const identityOf = async (ref: MemberRef) => ({
    platformUserId: ref.platformUserId,
    displayName: ref.displayName ?? ref.platformUserId,
  });

  const inputs = bestInputs(ws, now, month, quarter);
  const query = (s: { text: string; values: unknown[] }) => db.sql.query<Row>(s.text, s.values);
  const command = (
    text: string,
    rawLabel: string,
    sql: Prisma.Sql,
    best: Statement,
    deals?: LabelledSql,
  ): Case => ({
    command: text,
    rawLabel,
    raw: [{ label: rawLabel, sql }],
    bestLabel: best.label,
    best: [best],
    deals,
    async run() {
      const { reply: out } = await edge({
        identify: async () => commandContext(sales, ws, admin, identityOf),
        input: { line: text },
      });
      if (out.tone === "error") throw new Error(`${text} failed: ${renderText(out)}`);
      return renderText(out);
    },
    async check() {
      const own = await query(sql);
      return (
        firstDifference(own, await query(best)) ??
        (deals ? firstDifference(own, await query(deals.sql)) : null)
      );
    },
  });
  const digest = await digestCase(db.prisma, session);
  const digestBest = bestDigest(inputs);
  // `/forecast quarter` also reads the goals and their progress; its raw aggregate is the forecast.
  const cases: Case[] = [
    command("/kpi month", "kpiSql(month)", kpiSql(ws, month, COMPANY, now), bestKpiMonth(inputs), {
      label: "kpiSql(month, deals)",
      sql: kpiSql(ws, month, COMPANY, now, "deals"),
    }),
    command(
      "/leaderboard quarter",
      "memberFiguresSql(quarter, revenue, 10)",
      memberFiguresSql(ws, quarter, { order: "revenue", limit: 10 }),
      bestLeaderboardQuarter(inputs),
      {
        label: "memberFiguresSql(quarter, revenue, 10, deals)",
        sql: memberFiguresSql(ws, quarter, { order: "revenue", limit: 10, source: "deals" }),
      },
    ),
    {
      ...command(
        "/forecast quarter",
        "forecastSql(quarter)",
        forecastSql(ws, quarter, COMPANY, now),
        bestForecastQuarter(inputs),
        { label: "forecastSql(quarter, deals)", sql: forecastSql(ws, quarter, COMPANY, now, "deals") },
      ),
      // The reply also shows the quarter's company revenue goal, which the command reads with its progress.
      async check() {
        const [own] = await query(forecastSql(ws, quarter, COMPANY, now));
        const goals = await sales.goals.progress(ws, COMPANY, quarter);
        const target = goals.find((g) => g.goal.metric === "revenue")?.goal.target ?? null;
        return (
          firstDifference([{ ...own, goal_target: target }], await query(bestForecastQuarter(inputs))) ??
          firstDifference([own ?? {}], await query(forecastSql(ws, quarter, COMPANY, now, "deals")))
        );
      },
    },
    {
      command: DIGEST_COMMAND,
      rawLabel: `${digest.statements.length} recorded statements, sequential`,
      raw: digest.statements,
      bestLabel: `${digestBest.length} statements, sequential`,
      best: digestBest,
      run: digest.run,
      async check() {
        const own = figuresOfDigest(await sales.digest.computeDigest(ws, null));
        const results: Row[][] = [];
        for (const s of digestBest) results.push(await query(s));
        return firstDifference(own, figuresOfBest(results, paceElapsed(ws, month, now)));
      },
    },
  ];

  // Results checked equal before anything is timed: a faster query for other figures proves nothing.
  for (const c of cases) {
    const difference = await c.check();
    if (difference)
      throw new Error(`${c.command}: the best SQL's figures differ from the command's: ${difference}`);
  }

  const shape = await dataShape(db, ws.id, month, quarter, {
    today: localDate(now, ws.timezone),
    quarterEnd: localDate(quarter.end, ws.timezone),
  });
  const results: CaseResult[] = [];
  for (const c of cases) {
    let reply = "";
    let measuring = false;
    const rawParts: number[][] = c.raw.map(() => []);
    const bestParts: number[][] = c.best.map(() => []);
    const dealsParts: number[][] = [[]];
    const sequence = async (statements: { text: string; values: unknown[] }[], parts: number[][]) => {
      for (const [i, s] of statements.entries()) {
        const ms = await time(() => query(s));
        if (measuring) parts[i]?.push(ms);
      }
    };
    // Prisma.Sql: `.text` has PostgreSQL's $1 placeholders (`.sql` has `?`).
    const rawStatements = c.raw.map(({ sql }) => ({ text: sql.text, values: sql.values }));
    const variants: (() => Promise<unknown>)[] = [
      () => sequence(rawStatements, rawParts),
      async () => {
        for (const { sql } of c.raw) await db.prisma.$queryRaw(sql);
      },
      async () => {
        reply = await c.run();
      },
      () => sequence(c.best, bestParts),
    ];
    const deals = c.deals && { text: c.deals.sql.text, values: c.deals.sql.values };
    if (deals) variants.push(() => sequence([deals], dealsParts));
    const samples: number[][] = variants.map(() => []);
    // The command, its SQL through Prisma and on the bare driver; not the slower references, whose
    // time is the server's.
    await warmUp(variants.slice(0, 3));
    for (let round = 0; round < opts.warmup + opts.iterations; round++) {
      measuring = round >= opts.warmup;
      for (let k = 0; k < variants.length; k++) {
        const v = (round + k) % variants.length;
        const ms = await time(variants[v] as () => Promise<unknown>);
        rss.sample();
        if (measuring) samples[v]?.push(ms);
      }
    }
    const [rawMs, prismaMs, commandMs, bestMs, dealsMs] = samples.map(summarize) as [
      Summary,
      Summary,
      Summary,
      Summary,
      Summary | undefined,
    ];
    const raw = timings(c.rawLabel, rawMs, c.raw, rawParts);
    const best = timings(c.bestLabel, bestMs, c.best, bestParts);
    results.push({
      command: c.command,
      rawLabel: c.rawLabel,
      commandMs,
      prismaMs,
      rawMs,
      rawParts: raw.parts,
      rawBaselineMs: raw.baselineMs,
      ratio: commandMs.median / raw.baselineMs,
      best,
      ratioBest: commandMs.median / best.baselineMs,
      deals: c.deals && dealsMs ? timings(c.deals.label, dealsMs, [c.deals], dealsParts) : undefined,
      reply,
    });
  }
  rss.stop();

  const explain: Record<string, string> = {};
  const plan = async (key: string, s: { text: string; values: unknown[] }) => {
    const rows = await db.sql.query<{ "QUERY PLAN": string }>(
      `EXPLAIN (ANALYZE, BUFFERS) ${s.text}`,
      s.values,
    );
    explain[key] = rows.map((r) => r["QUERY PLAN"]).join("\n");
  };
  // When a case has several statements, only those of at least EXPLAIN_FROM_SHARE of its baseline.
  const worthPlanning = (count: number, part: Summary | undefined, baselineMs: number) =>
    count === 1 || (part?.median ?? 0) / baselineMs >= EXPLAIN_FROM_SHARE;
  for (const [i, c] of cases.entries()) {
    const result = results[i];
    if (!result) continue;
    for (const [j, { label, sql }] of c.raw.entries()) {
      if (!worthPlanning(c.raw.length, result.rawParts[j]?.ms, result.rawBaselineMs)) continue;
      await plan(c.raw.length > 1 ? `${c.command}: ${label}` : label, { text: sql.text, values: sql.values });
    }
    for (const [j, s] of c.best.entries()) {
      if (!worthPlanning(c.best.length, result.best.parts[j]?.ms, result.best.baselineMs)) continue;
      await plan(c.best.length > 1 ? `${c.command}: best ${s.label}` : s.label, s);
    }
  }
  const writes = await measureWrites(db, ws.id, { rounds: 10, block: 20 });
  return {
    openMs: opts.openMs,
    cases: results,
    writes,
    shape,
    rss: { afterOpen, peakSampled: rss.peak, maxRss: maxRssBytes() },
    explain,
  };
}

function timings(
  label: string,
  ms: Summary,
  statements: { label: string }[],
  samples: number[][],
): SqlTimings {
  const parts = statements.map((s, i) => ({ label: s.label, ms: summarize(samples[i] ?? []) }));
  return { label, ms, parts, baselineMs: parts.reduce((sum, p) => sum + p.ms.median, 0) };
}

/** The best SQL's parameters, from the bench's clock and workspace, as the services compute them. */
export function bestInputs(ws: Workspace, now: Date, month: Period, quarter: Period): BestInputs {
  const today = localDate(now, ws.timezone);
  const days = (p: Period) => ({
    start: p.start,
    end: p.end,
    startDay: localDate(p.start, ws.timezone),
    endDay: localDate(p.end, ws.timezone),
  });
  return {
    workspaceId: ws.id,
    now,
    goalUntil: new Date(now.getTime() + 1),
    today,
    month: days(month),
    quarter: days(quarter),
    yesterday: {
      start: startOfLocalDate(previousDigestDay(ws, today), ws.timezone),
      end: startOfLocalDate(today, ws.timezone),
    },
    stalledBefore: new Date(now.getTime() - ws.stalledDays * 86_400_000),
    listLength: 5,
  };
}

async function dataShape(
  db: Database,
  workspaceId: number,
  month: { start: Date; end: Date },
  quarter: { start: Date; end: Date },
  local: { today: string; quarterEnd: string },
): Promise<DataShape> {
  const [row] = await db.sql.query<DataShape>(
    `SELECT count(*)::int AS deals,
            count(*) FILTER (WHERE stage NOT IN ('won', 'lost'))::int AS open,
            count(*) FILTER (WHERE stage IN ('won', 'lost') AND closed_at >= $2 AND closed_at < $3)::int
              AS "closedInMonth",
            count(*) FILTER (WHERE created_at >= $2 AND created_at < $3)::int AS "createdInMonth",
            count(*) FILTER (WHERE stage = 'won' AND closed_at >= $4 AND closed_at < $5)::int AS "wonInQuarter",
            count(*) FILTER (WHERE stage NOT IN ('won', 'lost')
              AND greatest(coalesce(expected_close_date, $6::date), $6::date) < $7::date)::int
              AS "openExpectedInQuarter"
     FROM deal WHERE workspace_id = $1`,
    [workspaceId, month.start, month.end, quarter.start, quarter.end, local.today, local.quarterEnd],
  );
  if (!row) throw new Error("no data shape");
  return row;
}
