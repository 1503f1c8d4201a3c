/**
 * `npm run bench:activity`: `/kpi activity month` and `quarter` on 1,000,000 deals with 5,000,000
 * activities (docs/architecture.md §7: < 300 ms, at most 2× the raw SQL they need). For each
 * backend, bulk-loads the KPI bench's data set (`bench/kpi/dataset.ts`) and adds the activities
 * (`bench/support/load-activities.ts`), then times, interleaved, the command's figures
 * (`sales.activities.activityKpis`, the statement `/kpi activity` sends) and the best plain SQL for
 * the same figures (two grouped counts, one round trip, no join) on the bare driver, and checks that
 * both give the same numbers. Writes its section of bench/RESULTS.md (the others are kept).
 * `--reuse` keeps the loaded database (`closer_bench_activity`, or a PGlite directory).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { openDatabase } from "../../src/db/client.js";
import type { ActivityKpis } from "../../src/sales/activities/activity-service.js";
import { type Period, periodContaining } from "../../src/sales/periods/period.js";
import { COMPANY } from "../../src/sales/scope.js";
import { calendarOf } from "../../src/sales/workspaces/workspace-service.js";
import { BENCH_NOW, openSession } from "../kpi/dataset.js";
import { positiveInt } from "../support/args.js";
import { ensureKpiDataset } from "../support/bench-options.js";
import { type Summary, summarize } from "../support/percentiles.js";
import { withSection } from "../support/results-section.js";
import { codeVersion, describeMachine } from "../support/run-info.js";
import { openTarget } from "../support/target.js";

const TITLE = "## Activity KPIs";
const USAGE = `usage: tsx bench/activity/run.ts [--deals N] [--activities N] [--reps N] [--customers N]
       [--backend pg|pglite|both] [--pg-url postgres://…] [--iterations N] [--warmup N] [--reuse]
       [--pglite-dir DIR] [--out FILE | --no-write]`;

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    deals: { type: "string" },
    activities: { type: "string" },
    reps: { type: "string" },
    customers: { type: "string" },
    backend: { type: "string", default: "both" },
    "pg-url": { type: "string" },
    iterations: { type: "string" },
    warmup: { type: "string" },
    reuse: { type: "boolean", default: false },
    "pglite-dir": { type: "string", default: "/tmp/closer-bench-activity" },
    out: { type: "string", default: "bench/RESULTS.md" },
    "no-write": { type: "boolean", default: false },
  },
  strict: true,
});
const backend = values.backend;
if (backend !== "pg" && backend !== "pglite" && backend !== "both")
  throw new Error(`--backend must be pg, pglite or both\n${USAGE}`);
const opts = {
  deals: positiveInt("deals", values.deals, 1_000_000, USAGE),
  activities: positiveInt("activities", values.activities, 5_000_000, USAGE),
  reps: positiveInt("reps", values.reps, 1000, USAGE),
  customers: positiveInt("customers", values.customers, 5000, USAGE),
  backends: (backend === "both" ? ["pg", "pglite"] : [backend]) as ("pg" | "pglite")[],
  pgUrl: values["pg-url"] ?? process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test",
  iterations: positiveInt("iterations", values.iterations, 15, USAGE),
  warmup: positiveInt("warmup", values.warmup, 3, USAGE),
  out: values["no-write"] ? "" : values.out,
};

/** The best plain SQL for the figures: activities per member and kind, wins per owner, no join. */
const RAW_SQL = `
  SELECT member_id, kind::text AS kind, count(*)::int AS n FROM activity
  WHERE workspace_id = $1 AND at >= $2 AND at < $3 GROUP BY member_id, kind
  UNION ALL
  SELECT owner_id, 'won', count(*)::int FROM deal
  WHERE workspace_id = $1 AND stage = 'won' AND closed_at >= $2 AND closed_at < $3 AND deleted_at IS NULL
  GROUP BY owner_id`;

/** Both answers as `member kind count` lines, sorted: equal when the figures are. */
function figuresOfCommand(k: ActivityKpis): string[] {
  return k.rows
    .flatMap((r) =>
      (["call", "meeting", "email", "demo", "won"] as const)
        .filter((kind) => r[kind] > 0)
        .map((kind) => `${r.member_id} ${kind} ${r[kind]}`),
    )
    .sort();
}
const figuresOfRaw = (rows: { member_id: number; kind: string; n: number }[]) =>
  rows.map((r) => `${r.member_id} ${r.kind} ${r.n}`).sort();

async function time(run: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await run();
  return performance.now() - t0;
}

interface CaseRun {
  name: string;
  rows: number;
  command: Summary;
  raw: Summary;
}

async function benchBackend(backend: "pg" | "pglite") {
  const target = await openTarget(backend, {
    name: "activity",
    pgUrl: opts.pgUrl,
    reuse: values.reuse,
    pgliteDir: values["pglite-dir"],
  });
  const cases: CaseRun[] = [];
  const db = await openDatabase(target.url);
  try {
    await ensureKpiDataset(db, opts, target.label);
    const { sales, workspace: ws } = await openSession(db);
    const periods: [string, Period][] = (["month", "quarter"] as const).map((kind) => [
      `/kpi activity ${kind}`,
      periodContaining(kind, new Date(BENCH_NOW), calendarOf(ws)),
    ]);
    for (const [name, period] of periods) {
      const params = [ws.id, period.start, period.end];
      const command: number[] = [];
      const raw: number[] = [];
      let answer: ActivityKpis | undefined;
      let rawRows: { member_id: number; kind: string; n: number }[] = [];
      for (let i = 0; i < opts.warmup + opts.iterations; i++) {
        const c = await time(async () => {
          answer = await sales.activities.activityKpis(ws, period, COMPANY);
        });
        const r = await time(async () => {
          rawRows = await db.sql.query(RAW_SQL, params);
        });
        if (i < opts.warmup) continue;
        command.push(c);
        raw.push(r);
      }
      if (!answer) throw new Error(`${name}: no answer`);
      const mine = figuresOfCommand(answer);
      const best = figuresOfRaw(rawRows);
      if (JSON.stringify(mine) !== JSON.stringify(best))
        throw new Error(
          `${name}: the command and the raw SQL disagree (${mine.length} vs ${best.length} figures)`,
        );
      const run = { name, rows: answer.rows.length, command: summarize(command), raw: summarize(raw) };
      cases.push(run);
      console.error(
        `[${target.label}] ${name}: ${run.command.median.toFixed(1)} ms, raw ${run.raw.median.toFixed(1)} ms`,
      );
    }
    return { label: target.label, cases };
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    console.error(`[${target.label}] failed: ${message}`);
    return { label: target.label, cases, error: message };
  } finally {
    await db.close();
    await target.release();
  }
}

const startLoad = loadavg()[0] ?? 0;
const runs = [];
for (const b of opts.backends) runs.push(await benchBackend(b));
const ms = (n: number) => n.toFixed(1);
const section = [
  TITLE,
  "",
  `\`npm run bench:activity -- --deals ${opts.deals} --activities ${opts.activities}\` (${opts.reps} reps, ${opts.iterations} rounds after ${opts.warmup} warm-up, now ${BENCH_NOW}), ${new Date().toISOString()}; ${describeMachine()}; load ${startLoad.toFixed(1)} → ${(loadavg()[0] ?? 0).toFixed(1)}; code ${codeVersion(new URL("../..", import.meta.url).pathname)}.`,
  "Budget: < 300 ms, at most 2× the raw SQL (activities per member and kind and wins per owner, grouped, one round trip, on the bare driver, in the same rounds); both answers are checked equal.",
  "",
  ...runs.flatMap((run) => [
    `### ${run.label}`,
    "",
    ...(run.error ? ["```", run.error, "```", ""] : []),
    "| command (company) | reps | command median / p95 ms | raw SQL median / p95 ms | ratio |",
    "|---|---|---|---|---|",
    ...run.cases.map(
      (c) =>
        `| ${c.name} | ${c.rows} | ${ms(c.command.median)} / ${ms(c.command.p95)} | ${ms(c.raw.median)} / ${ms(c.raw.p95)} | ${(c.command.median / c.raw.median).toFixed(2)} |`,
    ),
    "",
  ]),
].join("\n");
console.log(section);
if (opts.out) {
  const previous = existsSync(opts.out) ? readFileSync(opts.out, "utf8") : "";
  writeFileSync(opts.out, withSection(previous, TITLE, section));
  console.error(`wrote ${opts.out}`);
}
if (runs.some((r) => r.error)) process.exitCode = 1;
