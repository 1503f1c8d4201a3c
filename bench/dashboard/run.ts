/**
 * `npm run bench:dashboard`: the dashboard's first render on 1,000,000 deals (docs/architecture.md §7:
 * < 300 ms server time). For each backend, bulk-loads the KPI bench's data set (`bench/kpi/dataset.ts`,
 * plus a team of 50 reps), then times, interleaved, the figures (`sales.dashboard.figures`), the
 * body drawn from them (`dashboardBody`: seven SVG charts and their tables), the whole page as the
 * route builds it (`dashboardView` + `dashboardBody`), and the figures' raw SQL on the bare driver.
 * Writes its section of bench/RESULTS.md (the others are kept). Flags: see `args.ts`; `--reuse`
 * keeps the loaded database (`closer_bench_dashboard`, or a PGlite directory) for the next run.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { type Database, openDatabase } from "../../src/db/client.js";
import { migrate } from "../../src/db/migrate.js";
import type { DashboardScope } from "../../src/sales/dashboard/dashboard-service.js";
import { dashboardBody } from "../../src/web/dashboard/dashboard-body.js";
import { dashboardView } from "../../src/web/dashboard/dashboard-view.js";
import { BENCH_NOW, buildDataset, openSession } from "../kpi/dataset.js";
import { summarize } from "../support/percentiles.js";
import { keptBlock, withSection } from "../support/results-section.js";
import { codeVersion, describeMachine } from "../support/run-info.js";
import { openTarget } from "../support/target.js";
import { time } from "../support/timing.js";
import { type Backend, type DashboardBenchOptions, parseOptions } from "./args.js";
import {
  ANALYSIS_END,
  ANALYSIS_START,
  type BackendRun,
  type CaseRun,
  renderSection,
  TITLE,
} from "./report.js";
import { figureStatements, referenceStatement } from "./statements.js";

const ROOT = new URL("../..", import.meta.url).pathname;
const TEAM = "Bench team";
const TEAM_SIZE = 50;

/** Loads the data set unless the database already holds it (a `--reuse` run), and the bench team. */
async function ensureData(db: Database, opts: DashboardBenchOptions): Promise<number | null> {
  const [held] = await db.sql
    .query<{ n: number }>(
      `SELECT count(*)::int AS n FROM deal d JOIN workspace w ON w.id = d.workspace_id WHERE w.external_id = 'bench-kpi'`,
    )
    .catch(() => [{ n: 0 }]);
  let loadMs: number | null = null;
  if ((held?.n ?? 0) !== opts.deals) {
    if ((held?.n ?? 0) > 0)
      throw new Error("the database holds another data set; drop it or run without --reuse");
    const load = await buildDataset(db, {
      deals: opts.deals,
      reps: opts.reps,
      customers: opts.customers,
      vacuum: true,
    });
    loadMs = load.totalMs;
  } else if ((await migrate(db.sql)).length > 0) {
    // A database kept from an earlier run, migrated since: vacuumed as `closer migrate` leaves it.
    await db.sql.exec("VACUUM (ANALYZE)");
  }
  await db.sql.exec(`
    INSERT INTO team (workspace_id, name, name_key)
    SELECT id, '${TEAM}', 'bench team' FROM workspace WHERE external_id = 'bench-kpi'
    ON CONFLICT DO NOTHING;
    UPDATE member SET team_id = (SELECT id FROM team WHERE name_key = 'bench team')
    WHERE id IN (SELECT m.id FROM member m JOIN workspace w ON w.id = m.workspace_id
                 WHERE w.external_id = 'bench-kpi' AND m.role = 'rep' ORDER BY m.id LIMIT ${TEAM_SIZE});`);
  return loadMs;
}

async function benchBackend(backend: Backend, opts: DashboardBenchOptions): Promise<BackendRun> {
  const target = await openTarget(backend, { ...opts, name: "dashboard" });
  const run: BackendRun = { backend, label: target.label, cases: [], loadMs: null };
  const step = (what: string) => console.error(`[${target.label}] ${what}`);
  const db = await openDatabase(target.url);
  try {
    step(`data set in ${target.url}`);
    run.loadMs = await ensureData(db, opts);
    const { sales, workspace: ws } = await openSession(db);
    const team = await sales.members.findTeam(ws, TEAM);
    const COMPANY: DashboardScope = { scope: "company" };
    const cases: { name: string; scope: DashboardScope; period: string }[] = [
      { name: "company, month", scope: COMPANY, period: "month" },
      { name: `team of ${TEAM_SIZE}, month`, scope: { scope: "team", team }, period: "month" },
      { name: "company, quarter", scope: COMPANY, period: "quarter" },
    ];
    for (const c of cases) {
      step(`measuring ${c.name}`);
      const view = await dashboardView(sales, ws, c.scope, c.period);
      const statements = figureStatements(ws, c.scope, view.period, sales.clock.now());
      const reference = referenceStatement(ws, c.scope, view.period, sales.clock.now());
      const referenceMs: number[] = [];
      const samples = {
        figures: [] as number[],
        body: [] as number[],
        page: [] as number[],
        raw: [] as number[],
      };
      const parts = statements.map(() => [] as number[]);
      for (let i = 0; i < opts.warmup + opts.iterations; i++) {
        const measured = i >= opts.warmup;
        const figures = await time(() => sales.dashboard.figures(ws, c.scope, view.period));
        const body = await time(() => dashboardBody(view));
        const page = await time(async () => dashboardBody(await dashboardView(sales, ws, c.scope, c.period)));
        let raw = 0;
        for (const [j, s] of statements.entries()) {
          const ms = await time(() => db.sql.query(s.sql.text, s.sql.values));
          raw += ms;
          if (measured) parts[j]?.push(ms);
        }
        const kpi = await time(() => db.sql.query(reference.sql.text, reference.sql.values));
        if (!measured) continue;
        referenceMs.push(kpi);
        samples.figures.push(figures);
        samples.body.push(body);
        samples.page.push(page);
        samples.raw.push(raw);
      }
      const explain: Record<string, string> = {};
      if (opts.explain) {
        for (const s of statements) {
          const rows = await db.sql.query<Record<string, string>>(
            `EXPLAIN (ANALYZE, BUFFERS) ${s.sql.text}`,
            s.sql.values,
          );
          explain[s.label] = rows.map((r) => Object.values(r)[0]).join("\n");
        }
      }
      const caseRun: CaseRun = {
        name: c.name,
        periodLabel: view.period.label,
        figures: summarize(samples.figures),
        body: summarize(samples.body),
        page: summarize(samples.page),
        raw: summarize(samples.raw),
        parts: [
          ...statements.map((s, j) => ({ label: s.label, ms: summarize(parts[j] ?? []) })),
          { label: reference.label, ms: summarize(referenceMs) },
        ],
        explain,
      };
      run.cases.push(caseRun);
      step(
        `page median ${caseRun.page.median.toFixed(0)} ms (figures ${caseRun.figures.median.toFixed(0)}, body ${caseRun.body.median.toFixed(0)}, raw SQL ${caseRun.raw.median.toFixed(0)})`,
      );
    }
  } catch (error) {
    run.error = error instanceof Error ? (error.stack ?? error.message) : String(error);
    step(`failed: ${run.error}`);
  } finally {
    await db.close();
    await target.release();
  }
  return run;
}

const opts = parseOptions(process.argv.slice(2), process.env);
const startLoad = loadavg()[0] ?? 0;
const runs: BackendRun[] = [];
for (const backend of opts.backends) runs.push(await benchBackend(backend, opts));
const previous = opts.out && existsSync(opts.out) ? readFileSync(opts.out, "utf8") : "";
const section = renderSection({
  analysis: keptBlock(previous, ANALYSIS_START, ANALYSIS_END),
  machine: describeMachine(),
  code: codeVersion(ROOT),
  load: [startLoad, loadavg()[0] ?? 0],
  when: new Date().toISOString(),
  now: BENCH_NOW,
  opts,
  runs,
});
console.log(section);
if (opts.out) {
  writeFileSync(opts.out, withSection(previous, TITLE, section));
  console.error(`wrote ${opts.out}`);
}
if (runs.some((r) => r.error)) process.exitCode = 1;
