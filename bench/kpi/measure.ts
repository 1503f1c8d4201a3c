import pino from "pino";
import { commandContext } from "../../src/commands/context.js";
import type { MemberRef } from "../../src/commands/grammar/tokens.js";
import type { Database } from "../../src/db/client.js";
import type { Prisma } from "../../src/generated/prisma/client.js";
import { createEdge } from "../../src/platforms/edge.js";
import { renderText } from "../../src/platforms/shell/render-text.js";
import { forecastSql } from "../../src/sales/forecast/forecast-service.js";
import { kpiSql } from "../../src/sales/kpis/kpi-service.js";
import { memberFiguresSql } from "../../src/sales/leaderboard/leaderboard-service.js";
import { localDate, periodContaining } from "../../src/sales/periods/period.js";
import { COMPANY } from "../../src/sales/scope.js";
import { calendarOf } from "../../src/sales/workspaces/workspace-service.js";
import { type Summary, summarize } from "../support/percentiles.js";
import { BENCH_NOW, openSession } from "./dataset.js";
import { digestCase, type LabelledSql } from "./digest.js";
import { createRssSampler, maxRssBytes } from "./stats.js";

/** One command (or the digest) and the raw SQL it needs, timed three ways. */
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
}

interface Case {
  command: string;
  rawLabel: string;
  raw: LabelledSql[];
  /** What is timed as the command; returns the reply as text. */
  run(): Promise<string>;
}

/** When a case has several statements, the plans kept are those of at least this share of its baseline. */
const EXPLAIN_FROM_SHARE = 0.05;

const edge = createEdge({ platform: "shell", log: pino({ level: "silent" }) });

/** The digest's row in the tables: the company digest, as the digest channel gets it. */
export const DIGEST_COMMAND = "daily digest (company)";

async function time(run: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await run();
  return performance.now() - t0;
}

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

  const command = (text: string, rawLabel: string, sql: Prisma.Sql): Case => ({
    command: text,
    rawLabel,
    raw: [{ label: rawLabel, sql }],
    async run() {
      const { reply: out } = await edge({
        identify: async () => commandContext(sales, ws, admin, identityOf),
        input: { line: text },
      });
      if (out.tone === "error") throw new Error(`${text} failed: ${renderText(out)}`);
      return renderText(out);
    },
  });
  const digest = await digestCase(db.prisma, session);
  // `/forecast quarter` also reads the goals and their progress; its raw aggregate is the forecast.
  const cases: Case[] = [
    command("/kpi month", "kpiSql(month)", kpiSql(ws, month, COMPANY, now)),
    command(
      "/leaderboard quarter",
      "memberFiguresSql(quarter, revenue, 10)",
      memberFiguresSql(ws, quarter, { order: "revenue", limit: 10 }),
    ),
    command("/forecast quarter", "forecastSql(quarter)", forecastSql(ws, quarter, COMPANY, now)),
    {
      command: DIGEST_COMMAND,
      rawLabel: `${digest.statements.length} recorded statements, sequential`,
      raw: digest.statements,
      run: digest.run,
    },
  ];

  const shape = await dataShape(db, ws.id, month, quarter, {
    today: localDate(now, ws.timezone),
    quarterEnd: localDate(quarter.end, ws.timezone),
  });
  const results: CaseResult[] = [];
  for (const c of cases) {
    let reply = "";
    let measuring = false;
    const partSamples: number[][] = c.raw.map(() => []);
    const variants: (() => Promise<unknown>)[] = [
      async () => {
        for (const [i, { sql }] of c.raw.entries()) {
          // Prisma.Sql: `.text` has PostgreSQL's $1 placeholders (`.sql` has `?`).
          const ms = await time(() => db.sql.query(sql.text, sql.values));
          if (measuring) partSamples[i]?.push(ms);
        }
      },
      async () => {
        for (const { sql } of c.raw) await db.prisma.$queryRaw(sql);
      },
      async () => {
        reply = await c.run();
      },
    ];
    const samples: number[][] = [[], [], []];
    for (let round = 0; round < opts.warmup + opts.iterations; round++) {
      measuring = round >= opts.warmup;
      for (let k = 0; k < variants.length; k++) {
        const v = (round + k) % variants.length;
        const ms = await time(variants[v] as () => Promise<unknown>);
        rss.sample();
        if (measuring) samples[v]?.push(ms);
      }
    }
    const [rawMs, prismaMs, commandMs] = samples.map(summarize) as [Summary, Summary, Summary];
    const rawParts = c.raw.map(({ label }, i) => ({ label, ms: summarize(partSamples[i] ?? []) }));
    const rawBaselineMs = rawParts.reduce((sum, p) => sum + p.ms.median, 0);
    results.push({
      command: c.command,
      rawLabel: c.rawLabel,
      commandMs,
      prismaMs,
      rawMs,
      rawParts,
      rawBaselineMs,
      ratio: commandMs.median / rawBaselineMs,
      reply,
    });
  }
  rss.stop();

  const explain: Record<string, string> = {};
  for (const [i, c] of cases.entries()) {
    for (const [j, { label, sql }] of c.raw.entries()) {
      const result = results[i];
      const share = (result?.rawParts[j]?.ms.median ?? 0) / (result?.rawBaselineMs ?? 1);
      if (c.raw.length > 1 && share < EXPLAIN_FROM_SHARE) continue;
      const rows = await db.sql.query<{ "QUERY PLAN": string }>(
        `EXPLAIN (ANALYZE, BUFFERS) ${sql.text}`,
        sql.values,
      );
      explain[c.raw.length > 1 ? `${c.command}: ${label}` : label] = rows
        .map((r) => r["QUERY PLAN"])
        .join("\n");
    }
  }
  return {
    openMs: opts.openMs,
    cases: results,
    shape,
    rss: { afterOpen, peakSampled: rss.peak, maxRss: maxRssBytes() },
    explain,
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
