/**
 * `npm run bench:startup`: issue 9's start-up budget. Builds dist/ as `npm install` does, then times
 * whole processes, round after round: `closer start` to ready on an existing PGlite directory and on
 * a fresh PostgreSQL database (created and dropped here), the shell's first reply to `/kpi month`,
 * the same from the sources through tsx, and for reference bare `node -e 0` and PGlite alone opening
 * the same directory. Writes its section of bench/RESULTS.md (the other sections are kept).
 * Flags: `--runs N` (15), `--warmup N` (1), `--pg-url URL`, `--no-sources`, `--out FILE` | `--no-write`.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, release, tmpdir, totalmem, type } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { PGlite } from "@electric-sql/pglite";
import { DIST_DIR, STAMP_FILE, sourceStamp } from "../../scripts/source-stamp.js";
import { pgliteStartParams } from "../../src/db/client.js";
import { adminQuery, createScratchDatabase, type ScratchDatabase } from "../support/postgres.js";
import { isLogLine, type Launch, type Timing, timeProcess, type Until } from "./measure.js";
import {
  keptAnalysis,
  type Report,
  type Row,
  renderSection,
  timingsTable,
  withStartupSection,
} from "./report.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** What bin/closer.js runs when dist/ is stale, and ran before there was a build step. */
const SOURCE_ENTRY = "src/cli/index.ts";

const USAGE = `usage: tsx bench/startup/run.ts [--runs N] [--warmup N] [--pg-url postgres://…] [--no-sources] [--out FILE | --no-write]`;

function options(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      runs: { type: "string", default: "15" },
      warmup: { type: "string", default: "1" },
      "pg-url": { type: "string" },
      "no-sources": { type: "boolean", default: false },
      out: { type: "string", default: "bench/RESULTS.md" },
      "no-write": { type: "boolean", default: false },
    },
    strict: true,
  });
  const runs = Number(values.runs);
  const warmup = Number(values.warmup);
  if (!Number.isSafeInteger(runs) || runs < 10)
    throw new Error(`--runs must be an integer of at least 10\n${USAGE}`);
  if (!Number.isSafeInteger(warmup) || warmup < 0) throw new Error(`--warmup must be an integer\n${USAGE}`);
  return {
    runs,
    warmup,
    pgUrl: values["pg-url"] ?? process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432",
    sources: !values["no-sources"],
    out: values["no-write"] ? "" : values.out,
  };
}

function commandLine(argv: string[]): string {
  const args = argv.join(" ");
  if (process.env.npm_lifecycle_event === "bench:startup")
    return `npm run bench:startup${args ? ` -- ${args}` : ""}`;
  return `npx tsx bench/startup/run.ts${args ? ` ${args}` : ""}`;
}

/** The commit checked out, with `+` when src/ differs from it (read-only git commands). */
function codeVersion(): string {
  try {
    const git = (...args: string[]) => execFileSync("git", args, { cwd: ROOT, encoding: "utf8" }).trim();
    return `${git("rev-parse", "--short", "HEAD")}${git("status", "--porcelain", "--", "src", "prisma") ? "+" : ""}`;
  } catch {
    return "?";
  }
}

const isBuilt = () => {
  try {
    return readFileSync(join(ROOT, DIST_DIR, STAMP_FILE), "utf8") === sourceStamp(ROOT);
  } catch {
    return false;
  }
};

/** A process to time each round, and what it adds to which rows. */
interface Case {
  name: string;
  launch: Launch;
  until: Until;
  record(t: Timing): void;
}

const scratch = new Set<ScratchDatabase>();
const dirs = new Set<string>();

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const opts = options(argv);
  const startedAt = new Date();
  const loadStart = loadavg()[0] ?? 0;

  // The compiled rows time what `npm install` leaves: build it now from the sources as they are.
  execFileSync(process.execPath, ["scripts/build.js"], { cwd: ROOT, stdio: "inherit" });
  if (!isBuilt())
    throw new Error("dist/ does not match src/ right after the build: is someone editing src/?");

  const node = process.execPath;
  const env = (url: string): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    DATABASE_URL: url,
    LOG_LEVEL: "info",
  });
  const closer = (url: string, input = ""): Launch => ({
    command: node,
    args: ["bin/closer.js", "start"],
    cwd: ROOT,
    env: env(url),
    input,
  });
  const fromSources = (url: string, input = ""): Launch => ({
    ...closer(url, input),
    args: ["--import", "tsx/esm", SOURCE_ENTRY, "start"],
  });

  const dir = mkdtempSync(join(tmpdir(), "closer-bench-startup-"));
  dirs.add(dir);
  const pgliteUrl = `pglite://${dir}`;
  await timeProcess(
    { command: node, args: ["bin/closer.js", "migrate"], cwd: ROOT, env: env(pgliteUrl) },
    "exit",
  );

  let pgUrl: string | undefined;
  let postgres: string;
  try {
    const [version] = await adminQuery<{ server_version: string }>(opts.pgUrl, "SHOW server_version");
    const db = await createScratchDatabase(opts.pgUrl, "closer_bench_startup");
    scratch.add(db);
    await timeProcess(
      { command: node, args: ["bin/closer.js", "migrate"], cwd: ROOT, env: env(db.url) },
      "exit",
    );
    pgUrl = db.url;
    postgres = `PostgreSQL ${version?.server_version.split(" ")[0] ?? "?"} on this machine, database \`${db.name}\` created for the run and dropped after it`;
  } catch (error) {
    postgres = `**not run** (${error instanceof Error ? error.message.split("\n")[0] : String(error)})`;
  }

  const rows: Row[] = [];
  const row = (group: string, label: string, budget?: Row["budget"]): Row => {
    const r: Row = { group, label, samples: [], ...(budget ? { budget } : {}) };
    rows.push(r);
    return r;
  };
  const ready = isLogLine("closer ready");
  const anyLine = (line: string) => line.trim() !== "";
  let firstReply = "";

  const cases: Case[] = [];
  const reference = "Reference";
  const bare = row(reference, "`node -e 0`, to exit");
  cases.push({
    name: "node -e 0",
    launch: { command: node, args: ["-e", "0"], cwd: ROOT, env: env("") },
    until: "exit",
    record: (t) => bare.samples.push(t.eventMs),
  });
  const pgliteWhole = row(reference, "PGlite alone opens the directory: whole process to ready");
  const pgliteInside = row(reference, "PGlite alone: `new PGlite(dir)` to `waitReady`, inside that process");
  cases.push({
    name: "PGlite alone",
    launch: {
      command: node,
      args: [
        "--input-type=module",
        "-e",
        `const { PGlite } = await import("@electric-sql/pglite");
         const opening = performance.now();
         const db = new PGlite(process.argv[1], { startParams: JSON.parse(process.argv[2]) });
         await db.waitReady;
         console.log("ready " + (performance.now() - opening));
         await db.close();`,
        dir,
        JSON.stringify(pgliteStartParams(PGlite.defaultStartParams)),
      ],
      cwd: ROOT,
      env: env(""),
    },
    until: { stream: "stdout", match: (line: string) => line.startsWith("ready ") },
    record: (t) => {
      pgliteWhole.samples.push(t.eventMs);
      pgliteInside.samples.push(Number(t.line.slice("ready ".length)));
    },
  });

  const addCloserCases = (
    group: string,
    launch: (url: string, input?: string) => Launch,
    budget: boolean,
  ) => {
    const databases: ["PGlite" | "PostgreSQL", string | undefined][] = [
      ["PGlite", pgliteUrl],
      ["PostgreSQL", pgUrl],
    ];
    for (const [label, url] of databases) {
      if (!url) continue;
      const toReady = row(group, `\`closer start\` to ready, ${label}`, budget ? label : undefined);
      const toExit = row(group, `\`closer start\` to exit (end of input), ${label}`);
      cases.push({
        name: `${group}: ready, ${label}`,
        launch: launch(url),
        until: { stream: "stderr", match: ready },
        record: (t) => {
          toReady.samples.push(t.eventMs);
          toExit.samples.push(t.exitMs);
        },
      });
      const reply = row(group, `shell's first reply to \`/kpi month\`, ${label}`);
      cases.push({
        name: `${group}: first reply, ${label}`,
        launch: launch(url, "/kpi month\n"),
        until: { stream: "stdout", match: anyLine },
        record: (t) => {
          if (!t.line.startsWith("KPIs")) throw new Error(`unexpected first reply: ${t.line}`);
          firstReply = `\`${t.line}\``;
          reply.samples.push(t.eventMs);
        },
      });
    }
  };
  addCloserCases("Compiled: `node bin/closer.js start`", closer, true);
  if (opts.sources) addCloserCases("From sources through tsx", fromSources, false);

  const rounds = opts.warmup + opts.runs;
  for (let round = 0; round < rounds; round++) {
    const warm = round < opts.warmup;
    process.stderr.write(`${warm ? "warm-up" : `round ${round - opts.warmup + 1}/${opts.runs}`}:`);
    // Rotated each round, so a slow spell of the machine does not always land on the same case.
    for (let i = 0; i < cases.length; i++) {
      const c = cases[(i + round) % cases.length];
      if (!c) continue;
      const t = await timeProcess(c.launch, c.until);
      if (!warm) c.record(t);
      process.stderr.write(` ${c.name} ${t.eventMs.toFixed(0)}`);
    }
    process.stderr.write("\n");
  }
  const stillBuilt = isBuilt();

  const report: Report = {
    startedAt,
    command: commandLine(argv),
    machine: `${availableParallelism()} CPUs (${cpus()[0]?.model.trim() ?? "?"}), ${(totalmem() / 1024 / 1024).toFixed(0)} MB RAM, ${type()} ${release()}; Node ${process.version}`,
    loadAverage: { start: loadStart, end: loadavg()[0] ?? 0 },
    code: codeVersion(),
    build: stillBuilt
      ? "built by `npm run build` at the start of the run; src/ did not change during it"
      : "**src/ changed during the run: some compiled rows may have run the sources through tsx**",
    runs: opts.runs,
    warmup: opts.warmup,
    pglite: `${JSON.parse(readFileSync(join(ROOT, "node_modules/@electric-sql/pglite/package.json"), "utf8")).version} in a temporary directory`,
    postgres,
    firstReply: firstReply ? `here ${firstReply}` : "not run",
    rows,
  };
  console.log(`\n${timingsTable(rows)}\n`);
  if (opts.out) {
    const previous = existsSync(opts.out) ? readFileSync(opts.out, "utf8") : "";
    writeFileSync(opts.out, withStartupSection(previous, renderSection(report, keptAnalysis(previous))));
    console.log(`wrote ${opts.out}`);
  }
  if (!stillBuilt)
    console.error("src/ changed during the run: the compiled rows may include runs from the sources");
  return 0;
}

async function cleanUp(): Promise<void> {
  await Promise.allSettled([...scratch].map((db) => db.drop()));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}

// On Ctrl-C or a kill, still drop the database and the directory this run created.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    cleanUp().finally(() => process.exit(130));
  });
}

process.exitCode = await main()
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    return 1;
  })
  .finally(cleanUp);
