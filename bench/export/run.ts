/**
 * `npm run bench:export`: the export budget (docs/architecture.md §7: "export streams with flat
 * memory"). For each backend, in a database made for the run and removed after it, bulk-loads
 * 1,000,000 deals (`bench/kpi/dataset.ts`), then times `closer export deals > /dev/null` as a
 * process, with its peak RSS, against the same keyset reads without CSV and, on PostgreSQL, the
 * server's own `COPY … TO STDOUT`; one more run samples its RSS as each tenth of the rows goes by.
 * Writes its section of bench/RESULTS.md (the others are kept). Flags: see `args.ts`.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, release, tmpdir, totalmem, type } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../../src/db/client.js";
import { BENCH_WORKSPACE, buildDataset } from "../kpi/dataset.js";
import { adminQuery, createScratchDatabase } from "../support/postgres.js";
import { type Backend, type ExportBenchOptions, parseOptions } from "./args.js";
import { type Command, sampledRun, timedRun } from "./processes.js";
import { type BackendResult, type KeysetRun, type Machine, renderSection, withSection } from "./report.js";

const ROOT = new URL("../..", import.meta.url).pathname;

/** The columns `closer export deals` reads, in one statement, for the server to write as CSV. */
const COPY_SQL = `COPY (
  SELECT d.number, d.title, c.name AS customer, m.display_name AS owner, m.email AS owner_email,
         d.amount, d.stage, d.probability, to_char(d.expected_close_date, 'YYYY-MM-DD') AS expected_close_date,
         d.created_at, d.closed_at, d.lost_reason, d.lost_note, d.win_note, d.lead_source,
         d.external_source, d.external_id
  FROM deal d JOIN customer c ON c.id = d.customer_id JOIN member m ON m.id = d.owner_id
  WHERE d.workspace_id = (SELECT id FROM workspace WHERE external_id = '${BENCH_WORKSPACE.externalId}')
    AND d.deleted_at IS NULL
  ORDER BY d.number
) TO STDOUT WITH (FORMAT csv, HEADER)`;

interface Target {
  url: string;
  label: string;
  remove(): Promise<void>;
}

const removals = new Set<() => Promise<void>>();

async function target(backend: Backend, opts: ExportBenchOptions): Promise<Target> {
  if (backend === "pg") {
    const [version] = await adminQuery<{ server_version: string }>(opts.pgUrl, "SHOW server_version");
    const scratch = await createScratchDatabase(opts.pgUrl, "closer_bench_export");
    const remove = async () => {
      removals.delete(remove);
      await scratch.drop();
    };
    removals.add(remove);
    return { url: scratch.url, label: `PostgreSQL ${version?.server_version.split(" ")[0] ?? "?"}`, remove };
  }
  const dir = mkdtempSync(join(tmpdir(), "closer-bench-export-"));
  const remove = async () => {
    removals.delete(remove);
    rmSync(dir, { recursive: true, force: true });
  };
  removals.add(remove);
  return { url: `pglite://${dir}`, label: "PGlite", remove };
}

function closer(url: string, ...args: string[]): Command {
  return {
    command: process.execPath,
    args: ["bin/closer.js", "export", "deals", "--workspace", BENCH_WORKSPACE.name, ...args],
    env: { PATH: process.env.PATH ?? "", DATABASE_URL: url, LOG_LEVEL: "warn" },
    cwd: ROOT,
  };
}

async function keyset(url: string): Promise<KeysetRun> {
  const run = await timedRun(
    {
      command: process.execPath,
      args: ["--import", "tsx", "bench/export/keyset.ts", url],
      env: { PATH: process.env.PATH ?? "" },
      cwd: ROOT,
    },
    true,
  );
  const own = JSON.parse(run.stdout.trim()) as { rows: number; openMs: number; readMs: number };
  return { ...run, ...own };
}

const copy = (url: string): Command => ({
  command: "psql",
  args: ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", COPY_SQL],
  env: { PATH: process.env.PATH ?? "" },
  cwd: ROOT,
});

async function benchBackend(backend: Backend, opts: ExportBenchOptions): Promise<BackendResult> {
  const db = await target(backend, opts);
  const result: BackendResult = { label: db.label };
  const step = (what: string) => console.error(`[${db.label}] ${what}`);
  try {
    step(`loading ${opts.deals.toLocaleString("en-US")} deals`);
    const database = await openDatabase(db.url);
    try {
      const load = await buildDataset(database, { ...opts, vacuum: true });
      result.loadMs = load.totalMs;
      result.deals = load.deals;
    } finally {
      await database.close();
    }
    step(
      `loaded in ${((result.loadMs ?? 0) / 1000).toFixed(1)} s; an export of nothing, then the sampled run`,
    );
    result.empty = await timedRun(closer(db.url, "--from", "2000-01-01", "--to", "2000-01-01"));
    result.sampled = await sampledRun(closer(db.url), result.deals ?? opts.deals);
    if (result.sampled.rows !== result.deals)
      throw new Error(`exported ${result.sampled.rows} of ${result.deals} deals`);
    result.closer = [];
    result.keyset = [];
    if (backend === "pg") result.copy = [];
    for (let i = 1; i <= opts.runs; i++) {
      step(`round ${i} of ${opts.runs}`);
      result.closer.push(await timedRun(closer(db.url)));
      result.keyset.push(await keyset(db.url));
      if (result.copy) result.copy.push(await timedRun(copy(db.url)));
    }
  } catch (error) {
    result.error = error instanceof Error ? error.message : String(error);
    step(`failed: ${result.error}`);
  } finally {
    await db.remove();
  }
  return result;
}

async function machine(opts: ExportBenchOptions): Promise<Machine> {
  const pglite = JSON.parse(
    readFileSync(new URL("../../node_modules/@electric-sql/pglite/package.json", import.meta.url), "utf8"),
  ) as { version: string };
  const [pg] = opts.backends.includes("pg")
    ? await adminQuery<{ server_version: string }>(opts.pgUrl, "SHOW server_version").catch(() => [])
    : [];
  return {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? "?",
    memoryBytes: totalmem(),
    node: process.version,
    os: `${type()} ${release()}`,
    postgres: pg ? `PostgreSQL ${pg.server_version.split(" ")[0]} on this machine` : undefined,
    pglite: pglite.version,
    loadAverage: { start: loadavg()[0] ?? 0, end: 0 },
  };
}

function commandLine(argv: string[]): string {
  const args = argv.join(" ");
  if (process.env.npm_lifecycle_event === "bench:export")
    return `npm run bench:export${args ? ` -- ${args}` : ""}`;
  return `npx tsx bench/export/run.ts${args ? ` ${args}` : ""}`;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const opts = parseOptions(argv, process.env);
  const startedAt = new Date();
  const host = await machine(opts);
  // Closer runs as `npm install` leaves it: dist/ compiled from the sources as they are now.
  execFileSync(process.execPath, ["scripts/build.js"], { cwd: ROOT, stdio: "inherit" });
  const results: BackendResult[] = [];
  for (const backend of opts.backends) results.push(await benchBackend(backend, opts));
  host.loadAverage.end = loadavg()[0] ?? 0;
  const section = renderSection({
    startedAt,
    command: commandLine(argv),
    size: { deals: opts.deals, reps: opts.reps, customers: opts.customers },
    runs: opts.runs,
    machine: host,
    results,
  });
  console.log(`\n${section}\n`);
  if (opts.out) {
    const previous = readFileSync(opts.out, "utf8");
    writeFileSync(opts.out, withSection(previous, section));
    console.error(`wrote ${opts.out}`);
  }
  if (results.some((r) => r.error)) process.exitCode = 1;
}

// Interrupted: remove what was created, then stop.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void Promise.allSettled([...removals].map((remove) => remove())).then(() => process.exit(130));
  });
}

main().catch(async (error: unknown) => {
  await Promise.allSettled([...removals].map((remove) => remove()));
  console.error(error);
  process.exitCode = 1;
});
