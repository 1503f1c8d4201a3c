/**
 * `npm run bench:import`: issue 12's import budget. Builds dist/ as `npm install` does, writes a
 * deterministic HubSpot export of 100,000 deals (bench/import/hubspot-file.ts), then on each
 * database (PGlite in a temporary directory, a PostgreSQL database created for the run and dropped
 * after it) creates the workspace and the owners as members, and runs the real command line three
 * times: a dry run, a commit, and the same commit again. Each run's wall time, peak RSS and exit
 * code are measured, and the database checked after each. Writes its section of bench/RESULTS.md
 * (the other sections are kept). Flags: see `USAGE` in args.ts; `--rows 2000` for a quick run.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";
import { adminQuery, createScratchDatabase, type ScratchDatabase } from "../support/postgres.js";
import { keptBlock, withSection } from "../support/results-section.js";
import { buildDist, codeVersion, describeMachine, isBuilt } from "../support/run-info.js";
import { type Backend, type ImportBenchOptions, parseOptions } from "./args.js";
import { type WrittenFile, writeHubspotFile } from "./hubspot-file.js";
import { type Launch, type Measured, runMeasured } from "./measure.js";
import {
  ANALYSIS_END,
  ANALYSIS_START,
  BACKEND_NAMES,
  budgetLines,
  type Report,
  renderSection,
  type Sample,
  SECTION_TITLE,
  type Step,
  sampleKey,
  timingsTable,
} from "./report.js";
import { createWorkspace, type Fingerprint, readFingerprint } from "./workspace.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** The reference reader: csv-parse over the same file with the options src/transfer/csv-read.ts uses. */
const CSV_ONLY = `
import { createReadStream } from "node:fs";
import { parse } from "csv-parse";
let records = 0;
const parser = parse({ bom: true, delimiter: ",", relax_column_count: true, skip_empty_lines: true });
for await (const record of createReadStream(process.argv[1]).pipe(parser)) records++;
console.log(records);
`;

function commandLine(argv: string[]): string {
  const args = argv.join(" ");
  if (process.env.npm_lifecycle_event === "bench:import")
    return `npm run bench:import${args ? ` -- ${args}` : ""}`;
  return `npx tsx bench/import/run.ts${args ? ` ${args}` : ""}`;
}

const scratch = new Set<ScratchDatabase>();
const dirs = new Set<string>();

function temporaryDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.add(dir);
  return dir;
}

const count = (n: number) => n.toLocaleString("en-US");

/** What one round on one database found, for the report. */
interface Outcome {
  checks: string[];
  failures: string[];
  commitOutput?: string;
}

/** Runs the migrate reference and the three imports on a fresh database, checking each. */
async function runBackend(
  backend: Backend,
  url: string,
  file: WrittenFile,
  record: (step: Step, m: Measured) => void,
): Promise<Outcome> {
  const name = BACKEND_NAMES[backend];
  const env = { PATH: process.env.PATH, DATABASE_URL: url, LOG_LEVEL: "info" };
  const closer = (...args: string[]): Launch => ({ args: ["bin/closer.js", ...args], cwd: ROOT, env });
  const failures: string[] = [];
  const run = async (step: Step | "setup", args: string[]): Promise<Measured | undefined> => {
    process.stderr.write(`  ${name}: ${step}…`);
    const m = await runMeasured(closer(...args));
    process.stderr.write(
      ` ${(m.ms / 1000).toFixed(1)} s, ${m.peakRssMb.toFixed(0)} MB, exit ${m.code ?? m.signal}\n`,
    );
    if (m.code !== 0) {
      failures.push(
        `${name}, ${step}: exit ${m.code ?? m.signal}: ${(m.stderr || m.stdout).trim().split("\n").slice(-3).join(" / ")}`,
      );
      return undefined;
    }
    if (step !== "setup") record(step, m);
    return m;
  };
  const done = (checks: string[], commitOutput?: string): Outcome => ({ checks, failures, commitOutput });

  // Applied here, unmeasured: the measured runs find the schema up to date, as an install does.
  if (!(await run("setup", ["migrate"]))) return done([]);
  if (!(await run("migrate", ["migrate"]))) return done([]);
  const workspace = await createWorkspace(url, file.owners);
  const before = await readFingerprint(url, workspace);
  const args = ["import", "deals", file.path, "--preset", "hubspot", "--workspace", String(workspace)];
  const expect = (what: string, ok: boolean, detail: string) => {
    if (!ok) failures.push(`${name}, ${what}: ${detail}`);
    return ok;
  };

  if (!(await run("dry-run", args))) return done([]);
  const afterDry = await readFingerprint(url, workspace);
  expect(
    "dry run",
    isDeepStrictEqual(afterDry, before),
    `it changed the database: ${JSON.stringify(afterDry)}`,
  );

  const commit = await run("commit", [...args, "--commit"]);
  if (!commit) return done([]);
  const afterCommit = await readFingerprint(url, workspace);
  expect("commit", afterCommit.deals === file.rows, `${afterCommit.deals} deals, expected ${file.rows}`);
  expect(
    "commit",
    afterCommit.customers === file.customers,
    `${afterCommit.customers} customers, expected ${file.customers}`,
  );
  expect(
    "commit",
    afterCommit.members === before.members,
    `members went from ${before.members} to ${afterCommit.members}`,
  );

  if (!(await run("recommit", [...args, "--commit"]))) return done([], commit.stdout);
  const afterRecommit = await readFingerprint(url, workspace);
  expect(
    "second commit",
    isDeepStrictEqual(afterRecommit, afterCommit),
    `it changed the database: ${JSON.stringify(afterCommit)} -> ${JSON.stringify(afterRecommit)}`,
  );
  const f = afterCommit;
  return done(
    [
      `${name}: dry run exit 0, nothing written (${before.deals} deals, ${before.members} members, as before)`,
      `${name}: commit exit 0: ${count(f.deals)} deals (expected ${count(file.rows)}), ${count(f.customers)} customers (expected ${count(file.customers)}), ${f.members} members (none added), ${count(f.events)} deal events, amounts summing to ${count(Number(BigInt(f.amount) / 100n))} EUR`,
      `${name}: second commit exit 0, nothing changed: ${sameAs(afterRecommit, afterCommit)}`,
    ],
    commit.stdout,
  );
}

function sameAs(a: Fingerprint, b: Fingerprint): string {
  return isDeepStrictEqual(a, b)
    ? `same deals, customers, members and events counts, same sum of amounts, same latest \`updated_at\` (${a.lastUpdate})`
    : "**it changed**";
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const opts: ImportBenchOptions = parseOptions(argv, process.env);
  const startedAt = new Date();
  const loadStart = loadavg()[0] ?? 0;

  buildDist(ROOT);
  if (!isBuilt(ROOT))
    throw new Error("dist/ does not match src/ right after the build: is someone editing src/?");

  const generating = performance.now();
  const file = await writeHubspotFile(join(temporaryDir("closer-bench-import-"), "hubspot-deals.csv"), {
    rows: opts.rows,
    owners: opts.owners,
    companies: opts.companies,
    seed: opts.seed,
  });
  const generatedMs = performance.now() - generating;
  const fileLine = `${count(file.rows)} deals (${count(file.won)} won, ${count(file.lost)} lost, ${count(file.open)} open) over the three years before 2026-12-01, ${count(file.owners.length)} owners (${file.owners.filter((o) => o.byEmail).length} of them given by email only), ${count(file.customers)} companies, the 30 columns of \`test/fixtures/import/hubspot.csv\`; ${(file.bytes / 2 ** 20).toFixed(1)} MiB, written in ${(generatedMs / 1000).toFixed(1)} s by \`bench/import/hubspot-file.ts\` (seed ${opts.seed})`;
  process.stderr.write(`${fileLine}\n`);

  let postgres = "not run (--backend pglite)";
  const backends = [...opts.backends];
  if (backends.includes("pg")) {
    try {
      const [v] = await adminQuery<{ server_version: string }>(opts.pgUrl, "SHOW server_version");
      postgres = `${v?.server_version.split(" ")[0] ?? "?"} on this machine, a database \`closer_bench_import_…\` created for each round and dropped after it`;
    } catch (error) {
      postgres = `**not run** (${error instanceof Error ? error.message.split("\n")[0] : String(error)})`;
      backends.splice(backends.indexOf("pg"), 1);
    }
  }

  const samples = new Map<string, Sample[]>();
  const add = (key: string, m: Measured) =>
    samples.set(key, [...(samples.get(key) ?? []), { ms: m.ms, rssMb: m.peakRssMb }]);
  const checks: string[] = [];
  const failures: string[] = [];
  const commitOutput = new Map<Backend, string>();

  for (let round = 1; round <= opts.rounds; round++) {
    process.stderr.write(`round ${round}/${opts.rounds}\n`);
    const csv = await runMeasured({
      args: ["--input-type=module", "-e", CSV_ONLY, file.path],
      cwd: ROOT,
      env: { PATH: process.env.PATH },
    });
    process.stderr.write(
      `  csv-parse alone: ${(csv.ms / 1000).toFixed(1)} s, ${csv.peakRssMb.toFixed(0)} MB\n`,
    );
    if (csv.code !== 0 || Number(csv.stdout.trim()) !== file.rows + 1)
      failures.push(
        `csv-parse alone: exit ${csv.code}, ${csv.stdout.trim()} records (expected ${file.rows + 1}): ${csv.stderr.trim()}`,
      );
    else add(sampleKey("none", "csv"), csv);

    for (const backend of backends) {
      let url: string;
      let cleanUp: () => Promise<void>;
      if (backend === "pglite") {
        const dir = temporaryDir("closer-bench-import-pglite-");
        url = `pglite://${dir}`;
        cleanUp = async () => rmSync(dir, { recursive: true, force: true });
      } else {
        const db = await createScratchDatabase(opts.pgUrl, "closer_bench_import");
        scratch.add(db);
        url = db.url;
        cleanUp = () => db.drop();
      }
      try {
        const outcome = await runBackend(backend, url, file, (step, m) => add(sampleKey(backend, step), m));
        failures.push(...outcome.failures.map((f) => `round ${round}, ${f}`));
        if (round === 1) checks.push(...outcome.checks);
        if (outcome.commitOutput && !commitOutput.has(backend))
          commitOutput.set(backend, outcome.commitOutput);
      } finally {
        await cleanUp();
      }
    }
  }

  const stillBuilt = isBuilt(ROOT);
  const report: Report = {
    startedAt,
    command: commandLine(argv),
    file: fileLine,
    machine: describeMachine(),
    loadAverage: { start: loadStart, end: loadavg()[0] ?? 0 },
    code: codeVersion(ROOT),
    build: stillBuilt
      ? "built by `npm run build` at the start of the run; src/ did not change during it"
      : "**src/ changed during the run: some runs may have run the sources through tsx**",
    pglite: `${JSON.parse(readFileSync(join(ROOT, "node_modules/@electric-sql/pglite/package.json"), "utf8")).version} in a temporary directory, one per round`,
    postgres,
    rounds: opts.rounds,
    samples,
    backends,
    checks:
      opts.rounds > 1 && failures.length === 0
        ? [...checks, `the same checks held in all ${opts.rounds} rounds`]
        : checks,
    failures,
    commitOutput,
  };
  console.log(`\n${timingsTable(report)}\n\n${budgetLines(report).join("\n")}\n`);
  for (const failure of failures) console.error(`FAILED: ${failure}`);
  if (opts.out) {
    const previous = existsSync(opts.out) ? readFileSync(opts.out, "utf8") : "";
    const analysis = keptBlock(previous, ANALYSIS_START, ANALYSIS_END);
    writeFileSync(opts.out, withSection(previous, SECTION_TITLE, renderSection(report, analysis)));
    console.log(`wrote ${opts.out}`);
  }
  return failures.length > 0 ? 1 : 0;
}

async function cleanUpAll(): Promise<void> {
  await Promise.allSettled([...scratch].map((db) => db.drop()));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}

// On Ctrl-C or a kill, still drop the databases and remove the directories this run created.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    cleanUpAll().finally(() => process.exit(130));
  });
}

process.exitCode = await main()
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    return 1;
  })
  .finally(cleanUpAll);
