/**
 * `npm run bench:ack`: the acknowledgement budget (docs/architecture.md §7). 50 `/deal log` requests in flight to
 * Closer running as a whole process (`node bin/closer.js start`, on a fresh PostgreSQL database),
 * and the same requests to a bare app in a process of its own, in turns within one run:
 * - Slack: signed slash-command requests over HTTP; a bare Bolt app that only acks;
 * - Discord: INTERACTION_CREATE from the Discord emulator's gateway, until the interaction callback
 *   arrives; a bare discord.js client that replies with a fixed message.
 * Latency p50/p99 and throughput side by side; every Closer answer must say "Deal #n logged".
 * Writes its section of bench/RESULTS.md (the other sections are kept).
 * Flags: see `args.ts` (`--only slack|discord`, `--requests N`, `--warmup N`, `--concurrency N`, …).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, release, tmpdir, totalmem, type } from "node:os";
import { join } from "node:path";
import { startDiscordEmulator } from "../../test/emulators/discord/discord-emulator.js";
import { startSlackEmulator } from "../../test/emulators/slack/slack-emulator.js";
import { adminQuery } from "../support/postgres.js";
import { type Part, parseOptions } from "./args.js";
import { ROOT } from "./closer.js";
import { discordPart } from "./discord.js";
import { type PartResult, runPart } from "./part.js";
import { type Invocation, partSummary, passed, withAckSection } from "./report.js";
import { SIGNING_SECRET, slackPart } from "./slack.js";

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

async function runOne(
  part: Part,
  opts: ReturnType<typeof parseOptions>,
  logDir: string,
): Promise<PartResult> {
  const step = (what: string) => console.error(`[${part}] ${what}`);
  if (part === "slack") {
    const emulator = await startSlackEmulator({ signingSecret: SIGNING_SECRET });
    cleanups.add(emulator.close);
    try {
      return await runPart(slackPart(emulator, opts), opts, logDir, step, cleanups);
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
    return await runPart(discordPart(closerEmulator, referenceEmulator, opts), opts, logDir, step, cleanups);
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
  let ok = true;
  for (const part of opts.parts) {
    const result = await runOne(part, opts, logDir);
    inv.results.push(result);
    console.log(`\n${partSummary(result)}\n`);
    if (!passed(result)) ok = false;
  }
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
