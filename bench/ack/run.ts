/**
 * `npm run bench:ack`: the acknowledgement budget (issue 10; docs/architecture.md §7). A matrix of
 * scenarios: `/deal log` and `/kpi month`, 50 and 200 in flight, on PostgreSQL and on PGlite, from
 * known users, new users and new users of new teams (`scenario.ts`). In each, Closer runs as a whole
 * process (`node bin/closer.js start`, on a fresh database) and a bare app in a process of its own
 * gets the same requests, in turns within one run:
 * - Slack: signed slash-command requests over HTTP; a bare Bolt app that answers in its ack;
 * - Discord (`/deal log`, known users, PostgreSQL only): INTERACTION_CREATE from the Discord
 *   emulator's gateway, until the interaction callback arrives; a bare discord.js client.
 * Ack latency and throughput side by side, and the time until Closer's answer is there (in its ack,
 * or posted to response_url); every answer is checked. Writes its section of bench/RESULTS.md (the
 * other sections are kept). Flags: see `args.ts` (`--only`, `--scenarios`, `--commands`, …).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, release, tmpdir, totalmem, type } from "node:os";
import { join } from "node:path";
import { startDiscordEmulator } from "../../test/emulators/discord/discord-emulator.js";
import { startSlackEmulator } from "../../test/emulators/slack/slack-emulator.js";
import { adminQuery } from "../support/postgres.js";
import { type AckOptions, type Part, parseOptions } from "./args.js";
import { ROOT } from "./closer.js";
import { discordPart, discordRuns } from "./discord.js";
import { planOf, runScenario, type ScenarioResult } from "./part.js";
import { type Invocation, passed, scenarioSummary, withAckSection } from "./report.js";
import { type Scenario, scenarioName } from "./scenario.js";
import { createArrivals, SIGNING_SECRET, slackPart } from "./slack.js";

/** Drops the databases and stops the processes a run made, also on Ctrl-C. */
const cleanups = new Set<() => Promise<unknown>>();

function commandLine(argv: string[]): string {
  const args = argv.join(" ");
  if (process.env.npm_lifecycle_event === "bench:ack") return `npm run bench:ack${args ? ` -- ${args}` : ""}`;
  return `npx tsx bench/ack/run.ts${args ? ` ${args}` : ""}`;
}

/** The commit checked out, with `+` and a count when src/ or prisma/ differ from it (read-only git commands). */
function codeVersion(): string {
  try {
    const git = (...args: string[]) => execFileSync("git", args, { cwd: ROOT, encoding: "utf8" }).trim();
    const changed = git("status", "--porcelain", "--", "src", "prisma").split("\n").filter(Boolean).length;
    const head = git("rev-parse", "--short", "HEAD");
    return changed ? `${head}+ (${changed} uncommitted file(s) in src/, prisma/)` : head;
  } catch {
    return "?";
  }
}

/** The scenarios a part runs: all on Slack; on Discord those it supports, at 50 in flight unless chosen. */
function scenariosOf(part: Part, opts: AckOptions): Scenario[] {
  if (part === "slack") return opts.scenarios;
  return opts.scenarios.filter((s) => discordRuns(s) && (opts.concurrencyChosen || s.concurrency === 50));
}

async function runOne(
  part: Part,
  scenario: Scenario,
  opts: AckOptions,
  logDir: string,
): Promise<ScenarioResult> {
  const step = (what: string) => console.error(`[${part} ${scenarioName(scenario)}] ${what}`);
  const plan = planOf(scenario, opts);
  if (part === "slack") {
    const arrivals = createArrivals();
    const emulator = await startSlackEmulator({
      signingSecret: SIGNING_SECRET,
      onResponseUrlPost: arrivals.record,
    });
    cleanups.add(emulator.close);
    try {
      const spec = slackPart(emulator, arrivals, scenario, plan, opts);
      return await runScenario(spec, scenario, plan, opts, logDir, step, cleanups);
    } finally {
      await emulator.close();
      cleanups.delete(emulator.close);
    }
  }
  const closerEmulator = await startDiscordEmulator();
  const referenceEmulator = await startDiscordEmulator();
  const close = () => Promise.allSettled([closerEmulator.close(), referenceEmulator.close()]);
  cleanups.add(close);
  try {
    const spec = discordPart(closerEmulator, referenceEmulator, scenario, plan, opts);
    return await runScenario(spec, scenario, plan, opts, logDir, step, cleanups);
  } finally {
    await close();
    cleanups.delete(close);
  }
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const opts = parseOptions(argv, process.env);
  const [version] = await adminQuery<{ server_version: string }>(opts.pgUrl, "SHOW server_version");
  const inv: Invocation = {
    command: commandLine(argv),
    code: codeVersion(),
    machine: `${availableParallelism()} CPUs (${cpus()[0]?.model.trim() ?? "?"}), ${(totalmem() / 1024 / 1024).toFixed(0)} MB RAM, ${type()} ${release()}; Node ${process.version}`,
    postgres: `PostgreSQL ${version?.server_version.split(" ")[0] ?? "?"} on this machine`,
    options: opts,
    results: [],
  };
  const logDir = mkdtempSync(join(tmpdir(), "closer-bench-ack-"));
  const started = performance.now();
  let ok = true;
  for (const part of opts.parts) {
    const scenarios = scenariosOf(part, opts);
    console.error(`[${part}] ${scenarios.length} scenario(s): ${scenarios.map(scenarioName).join(", ")}`);
    for (const scenario of scenarios) {
      const result = await runOne(part, scenario, opts, logDir);
      inv.results.push(result);
      console.log(`\n${scenarioSummary(result)}\n`);
      if (!passed(result)) ok = false;
    }
  }
  console.error(`done in ${((performance.now() - started) / 60_000).toFixed(1)} min`);
  if (opts.out) {
    const previous = existsSync(opts.out) ? readFileSync(opts.out, "utf8") : "";
    writeFileSync(opts.out, withAckSection(previous, inv));
    console.log(`wrote ${opts.out}`);
  }
  if (ok) rmSync(logDir, { recursive: true, force: true });
  else console.error(`some answers failed; the processes' logs are kept in ${logDir}`);
  return ok ? 0 : 1;
}

// On Ctrl-C or a kill, still stop the processes and drop the databases this run made.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    Promise.allSettled([...cleanups].map((c) => c())).finally(() => process.exit(130));
  });
}

process.exitCode = await main().catch(async (error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  await Promise.allSettled([...cleanups].map((c) => c()));
  return 1;
});
