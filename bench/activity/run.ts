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
import type { ActivityKpis } from "../../src/sales/activities/activity-service.js";
import { periodContaining } from "../../src/sales/periods/period.js";
import { COMPANY } from "../../src/sales/scope.js";
import { calendarOf } from "../../src/sales/workspaces/workspace-service.js";
import { BENCH_NOW, openSession } from "../kpi/dataset.js";
import {
  type BackendRun,
  ensureKpiDataset,
  interleaved,
  onBackend,
  onEachBackend,
  parseDatasetBenchOptions,
  recordCase,
  SALES_DATA_SET,
  type TimedCase,
  timedCasesTable,
  writeResultsSection,
} from "../support/bench-options.js";
import { codeVersion, describeMachine } from "../support/run-info.js";
import { warmedUp } from "../support/timing.js";

const TITLE = "## Activity KPIs";
const opts = parseDatasetBenchOptions("activity", process.argv.slice(2), process.env, SALES_DATA_SET);

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

/** Loads the data on `backend` and times `/kpi activity` for the month and the quarter. */
function benchBackend(backend: "pg" | "pglite"): Promise<BackendRun<TimedCase>> {
  return onBackend<TimedCase>(backend, opts, async (db, label, cases) => {
    await ensureKpiDataset(db, opts, label);
    const { sales, workspace: ws } = await openSession(db);
    for (const kind of ["month", "quarter"] as const) {
      const name = `/kpi activity ${kind}`;
      const period = periodContaining(kind, new Date(BENCH_NOW), calendarOf(ws));
      let answer: ActivityKpis | undefined;
      let rawRows: { member_id: number; kind: string; n: number }[] = [];
      const times = await interleaved(
        opts,
        async () => {
          answer = await sales.activities.activityKpis(ws, period, COMPANY);
        },
        async () => {
          rawRows = await db.sql.query(RAW_SQL, [ws.id, period.start, period.end]);
        },
      );
      if (!answer) throw new Error(`${name}: no answer`);
      const mine = figuresOfCommand(answer);
      const best = figuresOfRaw(rawRows);
      if (JSON.stringify(mine) !== JSON.stringify(best))
        throw new Error(
          `${name}: the command and the raw SQL disagree (${mine.length} vs ${best.length} figures)`,
        );
      const run = { name, rows: answer.rows.length, ...times };
      recordCase(cases, label, run);
    }
  });
}

const { runs, load } = await onEachBackend(opts, benchBackend);
const section = [
  TITLE,
  "",
  `\`npm run bench:activity -- --deals ${opts.deals} --activities ${opts.activities}\` (${opts.reps} reps, ${opts.iterations} rounds after ${warmedUp(opts.warmup)}, now ${BENCH_NOW}), ${new Date().toISOString()}; ${describeMachine()}; load ${load}; code ${codeVersion(new URL("../..", import.meta.url).pathname)}.`,
  "Budget: < 300 ms, at most 2× the raw SQL (activities per member and kind and wins per owner, grouped, one round trip, on the bare driver, in the same rounds); both answers are checked equal.",
  "",
  ...runs.flatMap((run) => timedCasesTable(run, "command (company)", "reps")),
].join("\n");
writeResultsSection(opts.out, TITLE, section);
if (runs.some((r) => r.error)) process.exitCode = 1;
