/**
 * `npm run bench:contest`: contest standings on 1,000,000 deals (docs/architecture.md §7: < 300 ms,
 * at most 2× the raw SQL they need). For each backend, bulk-loads the KPI bench's data set
 * (`bench/kpi/dataset.ts`), puts its reps in ten teams with a revenue goal each for the month, adds
 * one contest per metric (and team against team) over the bench's current month, then times,
 * interleaved, `/contest show`'s standings (`sales.contests.showContest`) and their one statement
 * (`contestStandingsSql`) on the bare driver. Writes its section of bench/RESULTS.md (the others are
 * kept). `--reuse` keeps the loaded database (`closer_bench_contest`, or a PGlite directory).
 */
import type { Database } from "../../src/db/client.js";
import { rulesOf } from "../../src/sales/contests/contest-reads.js";
import { contestStandingsSql } from "../../src/sales/contests/contest-sql.js";
import type { ContestMetric } from "../../src/sales/deps.js";
import { localDate, periodContaining } from "../../src/sales/periods/period.js";
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
  type TimedCase,
  timedCasesTable,
  writeResultsSection,
} from "../support/bench-options.js";
import { codeVersion, describeMachine } from "../support/run-info.js";
import { warmedUp } from "../support/timing.js";

const ROOT = new URL("../..", import.meta.url).pathname;
const TITLE = "## Contest standings";
const TEAMS = 10;
const opts = parseDatasetBenchOptions("contest", process.argv.slice(2), process.env);

/**
 * The data set, its reps in ten teams with a month revenue goal each, and the contests, all over the
 * bench's current month. Contests are written directly: the service refuses one that started in the
 * past, and the bench needs a month of history inside one.
 */
async function ensureData(db: Database): Promise<void> {
  await ensureKpiDataset(db, opts);
  const { workspace: ws, admin } = await openSession(db);
  const month = periodContaining("month", new Date(BENCH_NOW), calendarOf(ws));
  const first = localDate(month.start, ws.timezone);
  await db.sql.exec(`
    INSERT INTO team (workspace_id, name, name_key)
    SELECT ${ws.id}, 'Team ' || n, 'team ' || n FROM generate_series(1, ${TEAMS}) n ON CONFLICT DO NOTHING;
    UPDATE member m SET team_id = t.id
    FROM team t WHERE m.workspace_id = ${ws.id} AND m.role = 'rep'
      AND t.workspace_id = ${ws.id} AND t.name_key = 'team ' || (1 + m.id % ${TEAMS});
    INSERT INTO goal (workspace_id, scope, scope_id, metric, period_kind, period_start, target, updated_at)
    SELECT ${ws.id}, 'member', id, 'revenue', 'month', '${first}', 1000000 + (id % 7) * 500000, now()
    FROM member WHERE workspace_id = ${ws.id} AND role = 'rep' ON CONFLICT DO NOTHING;`);
  for (const [name, metric, teamMode] of CASES) {
    await db.sql.query(
      `INSERT INTO contest (workspace_id, name, name_key, metric, from_date, to_date, team_mode, created_by_id, created_at)
       VALUES ($1, $2, lower($2), $3::"ContestMetric", $4::date, ($4::date + interval '1 month' - interval '1 day')::date, $5, $6, now())
       ON CONFLICT DO NOTHING`,
      [ws.id, name, metric, first, teamMode, admin.id],
    );
  }
}

const CASES: [string, ContestMetric, boolean][] = [
  ["revenue month", "revenue", false],
  ["deals month", "deals", false],
  ["new pipeline month", "new_pipeline", false],
  ["attainment month", "attainment", false],
  ["teams revenue month", "revenue", true],
];

/** Loads the data on `backend` and times each contest's standings. */
function benchBackend(backend: "pg" | "pglite"): Promise<BackendRun<TimedCase>> {
  return onBackend<TimedCase>(backend, opts, async (db, label, cases) => {
    await ensureData(db);
    const { sales, workspace: ws } = await openSession(db);
    for (const [name] of CASES) {
      const contest = await db.prisma.contest.findFirstOrThrow({ where: { workspaceId: ws.id, name } });
      const sql = contestStandingsSql(ws, rulesOf(ws, contest));
      let rows = 0;
      const times = await interleaved(
        opts,
        async () => {
          rows = (await sales.contests.showContest(ws, name)).rows.length;
        },
        () => db.sql.query(sql.text, sql.values),
      );
      const run = { name, rows, ...times };
      recordCase(cases, label, run);
    }
  });
}

const { runs, load } = await onEachBackend(opts, benchBackend);
const section = [
  TITLE,
  "",
  `\`npx tsx bench/contest/run.ts\` (${opts.deals.toLocaleString("en")} deals, ${opts.reps} reps in ${TEAMS} teams, ${opts.iterations} rounds after ${warmedUp(opts.warmup)}, now ${BENCH_NOW}), ${new Date().toISOString()}; ${describeMachine()}; load ${load}; code ${codeVersion(ROOT)}.`,
  "Budget: < 300 ms, at most 2× the raw SQL (`contestStandingsSql` on the bare driver, in the same rounds).",
  "",
  ...runs.flatMap((run) => timedCasesTable(run, "contest (current month)", "rows")),
].join("\n");
writeResultsSection(opts.out, TITLE, section);
if (runs.some((r) => r.error)) process.exitCode = 1;
