import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { type Database, openDatabase } from "../../src/db/client.js";
import { migrate } from "../../src/db/migrate.js";
import { BENCH_NOW, buildDataset, openSession } from "../kpi/dataset.js";
import { positiveInt } from "./args.js";
import { loadActivities } from "./load-activities.js";
import { type Summary, summarize } from "./percentiles.js";
import { withSection } from "./results-section.js";
import { openTarget } from "./target.js";
import { time, warmUp } from "./timing.js";

/** The options of a bench that times a command on the KPI bench's data set, on each backend. */
export interface DatasetBenchOptions {
  deals: number;
  reps: number;
  customers: number;
  /** Activities added to the deals (`load-activities.ts`): the data set of issue 15's budgets. */
  activities: number;
  backends: ("pg" | "pglite")[];
  /** The server to create the bench database on (its admin connection). */
  pgUrl: string;
  iterations: number;
  warmup: number;
  /** Keep the loaded database for the next run: `closer_bench_<name>` on PostgreSQL, `pgliteDir` on PGlite. */
  reuse: boolean;
  pgliteDir: string;
  /** The kept database's name: `closer_bench_<dataSet>`. */
  dataSet: string;
  /** Where the markdown section goes; empty to print only. */
  out: string;
}

/**
 * The data set of the benches of products, activities and focus: the KPI deals and their activities,
 * each bench adding what it needs, so that with `--reuse` they load it once between them.
 */
export const SALES_DATA_SET = "sales";

/**
 * Parses a dataset bench's command line (`bench/<name>/run.ts`); throws with its usage on a bad flag.
 * `dataSet` names the kept database (`--reuse`): the bench's own, or one it shares.
 */
export function parseDatasetBenchOptions(
  name: string,
  argv: string[],
  env: NodeJS.ProcessEnv,
  dataSet = name,
): DatasetBenchOptions {
  const usage = `usage: tsx bench/${name}/run.ts [--deals N] [--activities N] [--reps N] [--customers N] [--backend pg|pglite|both]
       [--pg-url postgres://…] [--iterations N] [--warmup N] [--reuse] [--pglite-dir DIR] [--out FILE | --no-write]`;
  const { values } = parseArgs({
    args: argv,
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
      "pglite-dir": { type: "string", default: `/tmp/closer-bench-${dataSet}` },
      out: { type: "string", default: "bench/RESULTS.md" },
      "no-write": { type: "boolean", default: false },
    },
    strict: true,
  });
  const backend = values.backend;
  if (backend !== "pg" && backend !== "pglite" && backend !== "both")
    throw new Error(`--backend must be pg, pglite or both\n${usage}`);
  return {
    deals: positiveInt("deals", values.deals, 1_000_000, usage),
    activities: positiveInt("activities", values.activities, 5_000_000, usage),
    reps: positiveInt("reps", values.reps, 1000, usage),
    customers: positiveInt("customers", values.customers, 5000, usage),
    backends: backend === "both" ? ["pg", "pglite"] : [backend],
    pgUrl: values["pg-url"] ?? env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test",
    iterations: positiveInt("iterations", values.iterations, 15, usage),
    warmup: positiveInt("warmup", values.warmup, 3, usage),
    reuse: values.reuse,
    pgliteDir: values["pglite-dir"],
    dataSet,
    out: values["no-write"] ? "" : values.out,
  };
}

/**
 * Loads the KPI bench's data set and its activities unless the database holds them already
 * (`--reuse`), then migrated to the code's schema; refuses another data set. Logs what it loaded,
 * under `label`.
 */
export async function ensureKpiDataset(
  db: Database,
  opts: Pick<DatasetBenchOptions, "deals" | "reps" | "customers" | "activities">,
  label = "",
): Promise<void> {
  const [held] = await db.sql
    .query<{ deals: number; activities: number }>(
      `SELECT (SELECT count(*) FROM deal d JOIN workspace w ON w.id = d.workspace_id WHERE w.external_id = 'bench-kpi')::int AS deals,
              (SELECT count(*) FROM activity a JOIN workspace w ON w.id = a.workspace_id WHERE w.external_id = 'bench-kpi')::int AS activities`,
    )
    .catch(() => [{ deals: 0, activities: 0 }]);
  if ((held?.deals ?? 0) !== opts.deals) {
    if ((held?.deals ?? 0) > 0)
      throw new Error("the database holds another data set; drop it or run without --reuse");
    const loaded = await buildDataset(db, {
      deals: opts.deals,
      reps: opts.reps,
      customers: opts.customers,
      vacuum: true,
    });
    console.error(`[${label}] ${loaded.deals} deals loaded in ${(loaded.totalMs / 1000).toFixed(1)} s`);
  } else {
    // A database kept from an earlier run (`--reuse`), migrated since: a migration may fill tables
    // from the deals, so it is vacuumed and analysed as autovacuum would leave it.
    const t0 = performance.now();
    const applied = await migrate(db.sql);
    if (applied.length > 0) {
      await db.sql.exec("VACUUM (ANALYZE)");
      console.error(
        `[${label}] ${applied.join(", ")} applied in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
      );
    }
  }
  if ((held?.activities ?? 0) !== opts.activities) {
    const { workspace } = await openSession(db);
    await db.sql.query("DELETE FROM activity WHERE workspace_id = $1", [workspace.id]);
    const loaded = await loadActivities(db, {
      workspaceId: workspace.id,
      activities: opts.activities,
      now: new Date(BENCH_NOW),
      vacuum: true,
    });
    console.error(`[${label}] ${loaded.rows} activities loaded in ${(loaded.ms / 1000).toFixed(1)} s`);
  }
}

/** Prints a bench's section and writes it into `out` (bench/RESULTS.md), the other sections kept. */
export function writeResultsSection(out: string, title: string, section: string): void {
  console.log(section);
  if (!out) return;
  const previous = existsSync(out) ? readFileSync(out, "utf8") : "";
  writeFileSync(out, withSection(previous, title, section));
  console.error(`wrote ${out}`);
}

/**
 * Times a command and its raw SQL in turns, after {@link warmUp} and `warmup` rounds left out:
 * each sees the same cache.
 * With `deals`, a third statement in the same rounds: the figures read from the deals, where the
 * command reads sums kept by triggers (the reference those sums replace).
 */
export async function interleaved(
  opts: Pick<DatasetBenchOptions, "warmup" | "iterations">,
  command: () => Promise<unknown>,
  raw: () => Promise<unknown>,
  deals?: () => Promise<unknown>,
): Promise<{ command: Summary; raw: Summary; deals?: Summary }> {
  const commands: number[] = [];
  const raws: number[] = [];
  const fromDeals: number[] = [];
  await warmUp(deals ? [command, raw, deals] : [command, raw]);
  for (let i = 0; i < opts.warmup + opts.iterations; i++) {
    const c = await time(command);
    const r = await time(raw);
    const d = deals ? await time(deals) : 0;
    if (i < opts.warmup) continue;
    commands.push(c);
    raws.push(r);
    fromDeals.push(d);
  }
  const summary = { command: summarize(commands), raw: summarize(raws) };
  return deals ? { ...summary, deals: summarize(fromDeals) } : summary;
}

/** One backend's run: its cases, and the error that stopped it if any (the section shows it). */
export interface BackendRun<C> {
  label: string;
  cases: C[];
  error?: string;
}

/**
 * Runs `work` on a database of `backend` made for the bench (kept with `--reuse`), collecting its
 * cases; an error ends the backend's run and is reported, the database released either way.
 */
export async function onBackend<C>(
  backend: "pg" | "pglite",
  opts: DatasetBenchOptions,
  work: (db: Database, label: string, cases: C[]) => Promise<void>,
): Promise<BackendRun<C>> {
  const target = await openTarget(backend, {
    name: opts.dataSet,
    pgUrl: opts.pgUrl,
    reuse: opts.reuse,
    pgliteDir: opts.pgliteDir,
  });
  const cases: C[] = [];
  const db = await openDatabase(target.url);
  try {
    console.error(`[${target.label}] data set in ${target.url}`);
    await work(db, target.label, cases);
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

/**
 * A case timed against its raw SQL: the command's and the SQL's times, and how many rows it gave;
 * `deals`, when timed, the same figures read from the deals instead of the kept sums.
 */
export interface TimedCase {
  name: string;
  rows: number;
  command: Summary;
  raw: Summary;
  deals?: Summary | undefined;
}

/**
 * A backend's run as markdown: its heading, the error that stopped it if any, a row per case; a
 * column "from the deals" when a case timed that reference.
 */
export function timedCasesTable(
  run: BackendRun<TimedCase>,
  caseHeader: string,
  rowsHeader: string,
): string[] {
  const ms = (n: number) => n.toFixed(1);
  const times = (s: Summary) => `${ms(s.median)} / ${ms(s.p95)}`;
  const deals = run.cases.some((c) => c.deals);
  return [
    `### ${run.label}`,
    "",
    ...(run.error ? ["```", run.error, "```", ""] : []),
    `| ${caseHeader} | ${rowsHeader} | command median / p95 ms | raw SQL median / p95 ms |${deals ? " from the deals median / p95 ms |" : ""} ratio |`,
    `|---|---|---|---|---|${deals ? "---|" : ""}`,
    ...run.cases.map(
      (c) =>
        `| ${c.name} | ${c.rows} | ${times(c.command)} | ${times(c.raw)} |${deals ? ` ${c.deals ? times(c.deals) : "–"} |` : ""} ${(c.command.median / c.raw.median).toFixed(2)} |`,
    ),
    "",
  ];
}

/** Records a timed case in its backend's `cases` and logs its medians. */
export function recordCase<
  C extends { name: string; command: Summary; raw: Summary; deals?: Summary | undefined },
>(cases: C[], label: string, run: C): void {
  cases.push(run);
  const deals = run.deals ? `, from the deals ${run.deals.median.toFixed(1)} ms` : "";
  console.error(
    `[${label}] ${run.name}: ${run.command.median.toFixed(1)} ms, raw ${run.raw.median.toFixed(1)} ms${deals}`,
  );
}

/** Runs a bench on each of its backends in turn; `load` is the machine's load average before → after. */
export async function onEachBackend<C>(
  opts: Pick<DatasetBenchOptions, "backends">,
  bench: (backend: "pg" | "pglite") => Promise<BackendRun<C>>,
): Promise<{ runs: BackendRun<C>[]; load: string }> {
  const start = loadavg()[0] ?? 0;
  const runs: BackendRun<C>[] = [];
  for (const backend of opts.backends) runs.push(await bench(backend));
  return { runs, load: `${start.toFixed(1)} → ${(loadavg()[0] ?? 0).toFixed(1)}` };
}
