/**
 * `npm run bench:fanout`: the fan-out budget (docs/architecture.md §7). 2,000 Slack workspaces whose digest is due the
 * same minute, swept by the scheduler and delivered by the dispatcher to the Slack emulator, which
 * enforces one message per second per channel and answers random 429s; checks that every
 * notification arrived exactly once and adds the figures to bench/RESULTS.md.
 * `--via cron` starts the due jobs as node-cron does in `closer start` (all at once) instead of by sweep.
 * Flags: see `args.ts` (`--workspaces N`, `--runs N`, `--via sweep|cron`, `--digest-only`, `--no-write`, …).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, release, tmpdir, totalmem, type } from "node:os";
import { join } from "node:path";
import { createScratchDatabase, type ScratchDatabase } from "../support/postgres.js";
import { parseOptions } from "./args.js";
import { describeServer } from "./dataset.js";
import { type RunResult, runFanout } from "./fanout.js";
import { type Invocation, summaryTable, withFanoutSection } from "./report.js";
import { passed } from "./verify.js";

const scratch = new Set<ScratchDatabase>();

function commandLine(argv: string[]): string {
  const args = argv.join(" ");
  if (process.env.npm_lifecycle_event === "bench:fanout")
    return `npm run bench:fanout${args ? ` -- ${args}` : ""}`;
  return `npx tsx bench/fanout/run.ts${args ? ` ${args}` : ""}`;
}

/** The commit checked out, with `+` when src/ differs from it (read-only git commands). */
function codeVersion(): string {
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "src", "prisma"], {
      encoding: "utf8",
    }).trim();
    return `${head}${dirty ? "+" : ""}`;
  } catch {
    return "?";
  }
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const opts = parseOptions(argv, process.env);
  const inv: Invocation = {
    startedAt: new Date(),
    command: commandLine(argv),
    options: opts,
    code: codeVersion(),
    machine: {
      cpus: availableParallelism(),
      cpuModel: cpus()[0]?.model.trim() ?? "?",
      memoryBytes: totalmem(),
      node: process.version,
      os: `${type()} ${release()}`,
      postgres: await describeServer(opts.pgUrl),
    },
    loadAverages: [],
    runs: [],
  };
  const logDir = mkdtempSync(join(tmpdir(), "closer-bench-fanout-"));
  let failed = false;
  for (let i = 1; i <= opts.runs; i++) {
    const step = (what: string) => console.error(`[run ${i}/${opts.runs}] ${what}`);
    inv.loadAverages.push(loadavg()[0] ?? 0);
    const db = await createScratchDatabase(opts.pgUrl, "closer_bench_fanout");
    scratch.add(db);
    const logFile = join(logDir, `run-${i}.log`);
    let run: RunResult | { error: string };
    try {
      run = await runFanout(opts, db.url, logFile, step);
      console.log(`\n${summaryTable(run)}\n`);
      if (!passed(run.verdict)) failed = true;
    } catch (error) {
      run = { error: error instanceof Error ? error.message : String(error) };
      step(`failed: ${run.error}`);
      failed = true;
    } finally {
      await db.drop();
      scratch.delete(db);
    }
    inv.runs.push(run);
  }
  if (failed) console.error(`app logs kept in ${logDir}`);
  else rmSync(logDir, { recursive: true, force: true });
  if (opts.out) {
    const previous = existsSync(opts.out) ? readFileSync(opts.out, "utf8") : "";
    writeFileSync(opts.out, withFanoutSection(previous, inv));
    console.log(`wrote ${opts.out} (${((Date.now() - inv.startedAt.getTime()) / 1000).toFixed(0)} s in all)`);
  }
  return failed ? 1 : 0;
}

// On Ctrl-C or a kill, still drop the databases this run created (the emulator child exits with us).
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    Promise.allSettled([...scratch].map((db) => db.drop())).finally(() => process.exit(130));
  });
}

process.exitCode = await main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  return 1;
});
