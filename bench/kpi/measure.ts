import pino from "pino";
import { commandContext } from "../../src/commands/context.js";
import { executeText } from "../../src/commands/execute.js";
import type { MemberRef } from "../../src/commands/grammar/tokenize.js";
import type { Database } from "../../src/db/client.js";
import type { Prisma } from "../../src/generated/prisma/client.js";
import { renderText } from "../../src/platforms/shell/render-text.js";
import { forecastSql } from "../../src/sales/forecast/forecast-service.js";
import { kpiSql } from "../../src/sales/kpis/kpi-service.js";
import { EVERYONE } from "../../src/sales/kpis/scope-filter.js";
import { leaderboardSql } from "../../src/sales/leaderboard/leaderboard-service.js";
import { localDate, periodContaining } from "../../src/sales/periods/period.js";
import { calendarOf } from "../../src/sales/workspaces/workspace-service.js";
import { BENCH_NOW, openSession } from "./dataset.js";
import { createRssSampler, maxRssBytes, type Summary, summarize } from "./stats.js";

/** One command and the raw SQL aggregate(s) it needs, timed three ways. */
export interface CaseResult {
  command: string;
  /** What "raw" runs: the exported SQL builders, straight on the driver. */
  rawLabel: string;
  /** `executeText` end to end: parse, validate, service, Prisma, reply. */
  commandMs: Summary;
  /** The same SQL through `prisma.$queryRaw` (the driver adapter's cost). */
  prismaMs: Summary;
  /** The SQL on the bare driver (`pg` pool or PGlite), no Prisma. */
  rawMs: Summary;
  /** Median command / median raw. */
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
  raw: Prisma.Sql;
}

const log = pino({ level: "silent" });

async function time(run: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await run();
  return performance.now() - t0;
}

/**
 * Times each command through the command layer against the raw SQL it needs, interleaved (the
 * order rotates each round so no variant always runs on a cache its neighbour warmed).
 */
export async function measure(
  db: Database,
  opts: { iterations: number; warmup: number; openMs: number },
): Promise<MeasureResult> {
  const rss = createRssSampler();
  const afterOpen = rss.sample();
  const { sales, workspace: ws, admin } = await openSession(db);
  const now = new Date(BENCH_NOW);
  const month = periodContaining("month", now, calendarOf(ws));
  const quarter = periodContaining("quarter", now, calendarOf(ws));
  const resolveMember = (ref: MemberRef) =>
    sales.members.ensureMember(ws, {
      platformUserId: ref.platformUserId,
      displayName: ref.displayName ?? ref.platformUserId,
    });

  // `/forecast quarter` also reads the goals and their progress; its raw aggregate is the forecast.
  const cases: Case[] = [
    { command: "/kpi month", rawLabel: "kpiSql(month)", raw: kpiSql(ws, month, EVERYONE, now) },
    {
      command: "/leaderboard quarter",
      rawLabel: "leaderboardSql(quarter, revenue, 10)",
      raw: leaderboardSql(ws, quarter, "revenue", 10),
    },
    {
      command: "/forecast quarter",
      rawLabel: "forecastSql(quarter)",
      raw: forecastSql(ws, quarter, EVERYONE, now),
    },
  ];

  const shape = await dataShape(db, ws.id, month, quarter, {
    today: localDate(now, ws.timezone),
    quarterEnd: localDate(quarter.end, ws.timezone),
  });
  const results: CaseResult[] = [];
  for (const c of cases) {
    let reply = "";
    const variants: (() => Promise<unknown>)[] = [
      // Prisma.Sql: `.text` has PostgreSQL's $1 placeholders (`.sql` has `?`).
      () => db.sql.query(c.raw.text, c.raw.values),
      () => db.prisma.$queryRaw(c.raw),
      async () => {
        const out = await executeText(commandContext(sales, ws, admin, resolveMember), c.command, log);
        if (out.tone === "error") throw new Error(`${c.command} failed: ${renderText(out)}`);
        reply = renderText(out);
      },
    ];
    const samples: number[][] = [[], [], []];
    for (let round = 0; round < opts.warmup + opts.iterations; round++) {
      for (let k = 0; k < variants.length; k++) {
        const v = (round + k) % variants.length;
        const ms = await time(variants[v] as () => Promise<unknown>);
        rss.sample();
        if (round >= opts.warmup) samples[v]?.push(ms);
      }
    }
    const [rawMs, prismaMs, commandMs] = samples.map(summarize) as [Summary, Summary, Summary];
    results.push({
      command: c.command,
      rawLabel: c.rawLabel,
      commandMs,
      prismaMs,
      rawMs,
      ratio: commandMs.median / rawMs.median,
      reply,
    });
  }
  rss.stop();

  const explain: Record<string, string> = {};
  for (const c of cases) {
    const rows = await db.sql.query<{ "QUERY PLAN": string }>(
      `EXPLAIN (ANALYZE, BUFFERS) ${c.raw.text}`,
      c.raw.values,
    );
    explain[c.rawLabel] = rows.map((r) => r["QUERY PLAN"]).join("\n");
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
