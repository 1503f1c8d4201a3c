import { availableParallelism, loadavg } from "node:os";
import { join } from "node:path";
import { createScratchDatabase, type ScratchDatabase } from "../support/postgres.js";
import type { AckOptions, Part } from "./args.js";
import {
  backendPids,
  type CloserInside,
  type CloserProcess,
  closerBuild,
  type DealCounts,
  dealCounts,
  instrumentCloser,
  ROOT,
  startCloser,
} from "./closer.js";
import type { Check } from "./load.js";
import { type Child, type LogLine, startChild } from "./measure/child.js";
import { peakRssOf } from "./measure/cpu.js";
import { busyTimeByCategory } from "./measure/cpu-profile.js";
import { type ActivitySampler, createActivitySampler } from "./measure/pg-activity.js";
import { runRounds, type TargetRun } from "./rounds.js";

/** What a process logged at warn level and above. */
export interface LogProblems {
  warnings: number;
  errors: number;
  first?: string;
}

export interface PartResult {
  part: Part;
  startedAt: Date;
  /** CPUs the processes share. */
  cores: number;
  loadAverage: { start: number; end: number };
  /** What `bin/closer.js` ran, and whether src/ stayed the same while Closer loaded it. */
  closerBuild: string;
  sourcesSteady: boolean;
  /** The reference's name in the report ("bare Bolt app", …). */
  referenceName: string;
  closer: TargetRun;
  reference: TargetRun;
  inside: CloserInside;
  /** Deals in the database after the run, against Closer's answers that said one was logged. */
  deals: DealCounts;
  loggedDeals: number;
  /** `/deal log` requests Closer was sent, warm-up included. */
  sent: number;
  /** Part-specific lines for the report, e.g. answers that went through response_url. */
  notes: string[];
  logs: { closer: LogProblems; reference: LogProblems };
  exitCodes: { closer: number | null; reference: number | null };
  /** With `--cpu-prof`: Closer's main-thread busy time in the measured blocks, by category. */
  profile?: { busyMs: number; shares: [string, number][] };
  peakRss: { closer: number; reference: number };
}

/** How a part drives its platform: the Closer variables, the bare app, and one request i to each. */
export interface PartSpec {
  part: Part;
  referenceName: string;
  /** Closer's platform variables (its database, port and log level are set here). */
  closerEnv: Record<string, string>;
  /** The bare app: its script under bench/ack/ and its environment; it logs `bare app ready` when ready. */
  referenceScript: string;
  referenceEnv: Record<string, string>;
  /** Resolves once the platform sees the process connected (Discord: its gateway session). */
  closerConnected?(): Promise<void>;
  referenceConnected?(): Promise<void>;
  /** Senders, made once the processes are up (the bare app's `ready` line may carry its port). */
  closerSend(closer: CloserProcess): (i: number) => Promise<Check>;
  referenceSend(ready: LogLine): (i: number) => Promise<Check>;
  /** Resolves once Closer's late answers (response_url, deferred edits) are in or timed out. */
  settle(): Promise<void>;
  /** Closer's answers that said "Deal #n logged", each with its own n, in time or late. */
  loggedDeals(): number;
  /** Lines for the report once both processes have stopped. */
  notes(): string[];
}

function problemsOf(child: Child): LogProblems {
  const lines = child.problems();
  const errors = lines.filter((l) => (l.level ?? 0) >= 50);
  const first = errors[0] ?? lines[0];
  const describe = (l: LogLine) => {
    const err = l.err as { message?: string } | string | undefined;
    const detail = typeof err === "string" ? err : err?.message;
    return `${l.msg ?? ""}${detail ? `: ${detail}` : ""}`.replace(/\s+/g, " ").slice(0, 160);
  };
  return {
    warnings: lines.length - errors.length,
    errors: errors.length,
    ...(first ? { first: describe(first) } : {}),
  };
}

/**
 * One part of the benchmark: a fresh PostgreSQL database, Closer and the bare app as processes of
 * their own, the same requests to both (warm-up, then measured rounds in turn), Closer's metrics
 * and its database connections sampled during its blocks; then both stop and the database is
 * checked and dropped.
 */
export async function runPart(
  spec: PartSpec,
  opts: AckOptions,
  logDir: string,
  step: (what: string) => void,
  cleanups: Set<() => Promise<unknown>>,
): Promise<PartResult> {
  const startedAt = new Date();
  const loadStart = loadavg()[0] ?? 0;
  const db: ScratchDatabase = await createScratchDatabase(opts.pgUrl, `closer_bench_ack_${spec.part}`);
  cleanups.add(db.drop);
  const children: Child[] = [];
  let sampler: ActivitySampler | undefined;
  const stopAll = () => Promise.allSettled([...children.map((c) => c.stop()), sampler?.close()]);
  cleanups.add(stopAll);
  try {
    step(`closer start on ${db.name}`);
    const build = await closerBuild();
    const closer = await startCloser({
      databaseUrl: db.url,
      env: spec.closerEnv,
      logLevel: opts.logLevel,
      cpuProf: opts.cpuProf,
      logFile: join(logDir, `${spec.part}-closer.log`),
    });
    children.push(closer.child);
    await spec.closerConnected?.();
    step(`${spec.referenceName} start`);
    const reference = startChild({
      name: spec.referenceName,
      args: ["--import", "tsx", `bench/ack/${spec.referenceScript}`],
      cwd: ROOT,
      env: { PATH: process.env.PATH, ...spec.referenceEnv },
      logFile: join(logDir, `${spec.part}-reference.log`),
    });
    children.push(reference);
    const ready = await reference.line("bare app ready");
    await spec.referenceConnected?.();

    sampler = await createActivitySampler(opts.pgUrl, db.name);
    const hooks = instrumentCloser(closer, sampler, { platform: spec.part, command: "deal log" });
    const [closerRun, referenceRun] = await runRounds(
      [
        {
          name: "Closer",
          pid: closer.child.pid,
          send: spec.closerSend(closer),
          databasePids: () => backendPids(opts.pgUrl, db.name),
          ...hooks,
        },
        { name: spec.referenceName, pid: reference.pid, send: spec.referenceSend(ready) },
      ],
      opts,
      step,
    );
    await sampler.close();
    sampler = undefined;
    step("waiting for Closer's late answers, if any");
    await spec.settle();
    if (!closerRun || !referenceRun) throw new Error("a target did not run");
    const inside = hooks.inside();
    const peakRss = { closer: peakRssOf(closer.child.pid), reference: peakRssOf(reference.pid) };
    step("stopping both; checking the database");
    const exitCodes = { closer: await closer.child.stop(), reference: await reference.stop() };
    // Node writes the profile as the process exits.
    const profile = opts.cpuProf
      ? busyTimeByCategory(opts.cpuProf, closer.child.pid, inside.windows)
      : undefined;
    return {
      part: spec.part,
      startedAt,
      cores: availableParallelism(),
      loadAverage: { start: loadStart, end: loadavg()[0] ?? 0 },
      closerBuild: build,
      sourcesSteady: closer.sourcesSteady,
      referenceName: spec.referenceName,
      closer: closerRun,
      reference: referenceRun,
      inside,
      deals: await dealCounts(db.url),
      loggedDeals: spec.loggedDeals(),
      sent: opts.warmup + opts.requests,
      notes: spec.notes(),
      logs: { closer: problemsOf(closer.child), reference: problemsOf(reference) },
      exitCodes,
      peakRss,
      ...(profile ? { profile } : {}),
    };
  } finally {
    await stopAll();
    cleanups.delete(stopAll);
    await db.drop();
    cleanups.delete(db.drop);
  }
}
