/**
 * `npm run bench`: the KPI and digest budget (docs/architecture.md §7). For each backend, in a database made for the
 * run and removed after it, bulk-loads 1,000,000 deals for 1,000 reps (`load.ts`), then times
 * `/kpi month`, `/leaderboard quarter` and `/forecast quarter` through the command layer, and the
 * company digest (`digest.ts`), against the raw SQL they need (`measure.ts`), each step in its own
 * process (`worker.ts`), and writes its section of bench/RESULTS.md (other sections are kept).
 * Flags: see `args.ts` (`--deals`, `--reps`, `--backend pg|pglite|both`, `--pg-url`, …).
 */
import { type ChildProcess, fork } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, release, tmpdir, totalmem, type } from "node:os";
import { join } from "node:path";
import { adminQuery, createScratchDatabase } from "../support/postgres.js";
import { type Backend, type BenchOptions, parseOptions } from "./args.js";
import type { LoadResult } from "./dataset.js";
import type { MeasureResult } from "./measure.js";
import {
  type BackendRun,
  budgetLines,
  keptAnalysis,
  type Machine,
  otherSections,
  renderReport,
  resultsTable,
} from "./report.js";
import type { Job } from "./worker.js";

const WORKER = new URL("./worker.ts", import.meta.url).pathname;

/** A database to benchmark on, created for this run and removed after it, even on failure. */
interface Target {
  url: string;
  label: string;
  sizeBytes(): Promise<number>;
  remove(): Promise<void>;
}

const children = new Set<ChildProcess>();
const removals = new Set<() => Promise<void>>();

/** Runs one step in a fresh Node process (with tsx), so its peak RSS is its own. */
function runJob<T>(job: Job): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(WORKER, [JSON.stringify(job)], {
      execArgv: ["--import", "tsx"],
      serialization: "advanced",
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    children.add(child);
    let answer: { ok: boolean; result?: unknown; error?: string } | undefined;
    child.on("message", (m) => {
      answer = m as typeof answer;
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      children.delete(child);
      if (answer?.ok) resolve(answer.result as T);
      else reject(new Error(answer?.error ?? `${job.kind} step exited with ${signal ?? code}`));
    });
  });
}

async function postgresTarget(adminUrl: string): Promise<Target> {
  const [version] = await adminQuery<{ server_version: string }>(adminUrl, "SHOW server_version");
  const { url, name, drop } = await createScratchDatabase(adminUrl, "closer_bench");
  const remove = async () => {
    removals.delete(remove);
    await drop();
  };
  removals.add(remove);
  return {
    url,
    label: `PostgreSQL ${version?.server_version.split(" ")[0] ?? "?"}`,
    async sizeBytes() {
      const [row] = await adminQuery<{ size: string }>(
        adminUrl,
        `SELECT pg_database_size('${name}') AS size`,
      );
      return Number(row?.size ?? 0);
    },
    remove,
  };
}

function directorySize(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
  }
  return total;
}

function pgliteTarget(): Target {
  const dir = mkdtempSync(join(tmpdir(), "closer-bench-"));
  const remove = async () => {
    removals.delete(remove);
    rmSync(dir, { recursive: true, force: true });
  };
  removals.add(remove);
  return {
    url: `pglite://${dir}`,
    label: "PGlite",
    sizeBytes: async () => directorySize(dir),
    remove,
  };
}

async function benchBackend(backend: Backend, opts: BenchOptions): Promise<BackendRun> {
  const target = backend === "pg" ? await postgresTarget(opts.pgUrl) : pgliteTarget();
  const run: BackendRun = { backend, label: target.label };
  const step = (what: string) => console.error(`[${target.label}] ${what}`);
  try {
    step(`loading ${opts.deals.toLocaleString("en-US")} deals into ${target.url}`);
    run.load = await runJob<LoadResult & { maxRss: number }>({
      kind: "load",
      url: target.url,
      deals: opts.deals,
      reps: opts.reps,
      customers: opts.customers,
      vacuum: opts.vacuum,
      sharedBuffers: backend === "pglite" ? opts.pgliteSharedBuffers : undefined,
    });
    step(`loaded in ${(run.load.totalMs / 1000).toFixed(1)} s; measuring`);
    const measureJob: Job = {
      kind: "measure",
      url: target.url,
      iterations: opts.iterations,
      warmup: opts.warmup,
    };
    run.measured = await runJob<MeasureResult>(measureJob);
    run.sizeBytes = await target.sizeBytes();
  } catch (error) {
    run.error = error instanceof Error ? error.message : String(error);
    step(`failed: ${run.error}`);
  } finally {
    await target.remove();
  }
  return run;
}

async function machine(opts: BenchOptions): Promise<Machine> {
  const pglite = JSON.parse(
    readFileSync(new URL("../../node_modules/@electric-sql/pglite/package.json", import.meta.url), "utf8"),
  ) as { version: string };
  let postgres: string | undefined;
  if (opts.backends.includes("pg")) {
    const rows = await adminQuery<{ name: string; setting: string }>(
      opts.pgUrl,
      `SELECT name, setting FROM pg_settings
       WHERE name IN ('server_version', 'shared_buffers', 'work_mem', 'max_parallel_workers_per_gather', 'jit')
       ORDER BY name`,
    ).catch(() => []);
    const get = (n: string) => rows.find((r) => r.name === n)?.setting;
    postgres = rows.length
      ? `PostgreSQL ${get("server_version")?.split(" ")[0]} (shared_buffers ${(Number(get("shared_buffers")) * 8) / 1024} MB, ` +
        `work_mem ${Number(get("work_mem")) / 1024} MB, ` +
        `max_parallel_workers_per_gather ${get("max_parallel_workers_per_gather")}, jit ${get("jit")})`
      : "PostgreSQL (unreachable)";
  }
  return {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? "?",
    memoryBytes: totalmem(),
    node: process.version,
    os: `${type()} ${release()}`,
    postgres,
    pglite: pglite.version,
    loadAverage: { start: loadavg()[0] ?? 0, end: 0 },
  };
}

function commandLine(argv: string[]): string {
  const args = argv.join(" ");
  if (process.env.npm_lifecycle_event === "bench") return `npm run bench${args ? ` -- ${args}` : ""}`;
  return `npx tsx bench/kpi/run.ts${args ? ` ${args}` : ""}`;
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const opts = parseOptions(argv, process.env);
  const startedAt = new Date();
  const host = await machine(opts);
  const runs: BackendRun[] = [];
  for (const backend of opts.backends) runs.push(await benchBackend(backend, opts));

  console.log(`\n${resultsTable(runs, (r) => r.measured)}\n`);
  console.log(budgetLines(runs).join("\n"));
  if (opts.out) {
    // Read after the runs, not before: another benchmark may have added its section meanwhile.
    const previous = existsSync(opts.out) ? readFileSync(opts.out, "utf8") : "";
    host.loadAverage.end = loadavg()[0] ?? 0;
    const report = {
      startedAt,
      command: commandLine(argv),
      size: { deals: opts.deals, reps: opts.reps, customers: opts.customers },
      iterations: opts.iterations,
      warmup: opts.warmup,
      vacuum: opts.vacuum,
      pgliteSharedBuffers: opts.pgliteSharedBuffers,
      machine: host,
      runs,
    };
    writeFileSync(opts.out, renderReport(report, keptAnalysis(previous), otherSections(previous)));
    console.log(`\nwrote ${opts.out} (${((Date.now() - startedAt.getTime()) / 1000).toFixed(0)} s in all)`);
  }
  return runs.some((r) => r.error) ? 1 : 0;
}

// On Ctrl-C or a kill, stop the steps and still remove the databases this run created.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    for (const child of children) child.kill("SIGKILL");
    Promise.allSettled([...removals].map((remove) => remove())).finally(() => process.exit(130));
  });
}

process.exitCode = await main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  return 1;
});
