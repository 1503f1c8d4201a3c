import { availableParallelism, loadavg } from "node:os";
import { join } from "node:path";
import { adminQuery } from "../support/postgres.js";
import type { AckOptions, Part } from "./args.js";
import { createBackend, type DealCounts, type ScratchBackend } from "./backend.js";
import {
  backendPids,
  type CloserInside,
  type CloserProcess,
  closerBuild,
  instrumentCloser,
  ROOT,
  startCloser,
} from "./closer.js";
import type { Check } from "./load.js";
import { type Child, type LogLine, startChild } from "./measure/child.js";
import { peakRssOf } from "./measure/cpu.js";
import { busyTimeByCategory } from "./measure/cpu-profile.js";
import { type ActivitySampler, createActivitySampler } from "./measure/pg-activity.js";
import type { AnswerBook, AnswerSummary } from "./requests.js";
import { type Plan, runRounds, type TargetRun } from "./rounds.js";
import { defaultRequests, defaultWarmup, type Scenario, scenarioName } from "./scenario.js";

/** How long Closer's background statements are counted, with no request, after the measured blocks. */
const IDLE_MS = 1000;

/** What a process logged at warn level and above. */
export interface LogProblems {
  warnings: number;
  errors: number;
  first?: string;
}

export interface ScenarioResult {
  part: Part;
  scenario: Scenario;
  plan: Plan;
  startedAt: Date;
  /** CPUs the processes share. */
  cores: number;
  loadAverage: { start: number; end: number };
  /** What `bin/closer.js` ran, and whether src/ stayed the same while Closer loaded it. */
  closerBuild: string;
  sourcesSteady: boolean;
  /** Closer's database, as the report names it. */
  database: string;
  /** The reference's name in the report ("bare Bolt app", …). */
  referenceName: string;
  closer: TargetRun;
  reference: TargetRun;
  inside: CloserInside;
  /** Closer's answers to the measured requests (in the ack or later). */
  answers: AnswerSummary;
  /** Deals in the database after the run, against Closer's answers that said one was logged. */
  deals: DealCounts;
  /** `/deal log` requests Closer was sent, warm-up included. */
  dealRequests: number;
  /** Part-specific lines for the report, e.g. how many answers went through response_url. */
  notes: string[];
  logs: { closer: LogProblems; reference: LogProblems };
  exitCodes: { closer: number | null; reference: number | null };
  /** With `--cpu-prof`: Closer's main-thread busy time in the measured blocks, by category. */
  profile?: { busyMs: number; shares: [string, number][] };
  peakRss: { closer: number; reference: number };
}

/** How a part drives its platform in one scenario: the Closer variables, the bare app, request i to each. */
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
  /** Closer's answers, in the ack or later; `settle` waits for the late ones. */
  answers: AnswerBook;
  /** `/deal log` requests among the first n. */
  dealRequests(n: number): number;
  /** Lines for the report once both processes have stopped. */
  notes(): string[];
}

/** The scenario's request counts: the flags', else the defaults for its concurrency. */
export function planOf(s: Scenario, opts: AckOptions): Plan {
  return {
    warmup: opts.warmup ?? defaultWarmup(s.concurrency),
    requests: opts.requests ?? defaultRequests(s.concurrency),
    rounds: opts.rounds,
    concurrency: s.concurrency,
  };
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
 * One scenario: a fresh database (a PostgreSQL scratch database, or a PGlite directory), Closer and
 * the bare app as processes of their own, the same requests to both (warm-up, then measured rounds
 * in turn); Closer's late answers awaited after each of its blocks, its metrics, statements and
 * PostgreSQL connections read around and during them; then both stop and the database is checked
 * and dropped.
 */
export async function runScenario(
  spec: PartSpec,
  scenario: Scenario,
  plan: Plan,
  opts: AckOptions,
  logDir: string,
  step: (what: string) => void,
  cleanups: Set<() => Promise<unknown>>,
): Promise<ScenarioResult> {
  const startedAt = new Date();
  const loadStart = loadavg()[0] ?? 0;
  const tag = `${spec.part}-${scenarioName(scenario).replaceAll("/", "-")}`;
  const backend: ScratchBackend = await createBackend(
    scenario.backend,
    opts.pgUrl,
    `closer_bench_ack_${spec.part}`,
  );
  cleanups.add(backend.drop);
  const children: Child[] = [];
  let sampler: ActivitySampler | undefined;
  const stopAll = () => Promise.allSettled([...children.map((c) => c.stop()), sampler?.close()]);
  cleanups.add(stopAll);
  try {
    step(`closer start on ${scenario.backend}`);
    const build = await closerBuild();
    const closer = await startCloser({
      databaseUrl: backend.url,
      env: spec.closerEnv,
      logLevel: opts.logLevel,
      cpuProf: opts.cpuProf,
      backend: scenario.backend,
      logFile: join(logDir, `${tag}-closer.log`),
    });
    children.push(closer.child);
    if (opts.figureTriggers === "off") {
      if (backend.kind !== "postgres") throw new Error("--figure-triggers off needs PostgreSQL");
      await adminQuery(
        backend.url,
        "ALTER TABLE deal DISABLE TRIGGER deal_figures_insert, DISABLE TRIGGER deal_figures_update, DISABLE TRIGGER deal_figures_delete",
      );
    }
    await spec.closerConnected?.();
    step(`${spec.referenceName} start`);
    const reference = startChild({
      name: spec.referenceName,
      args: ["--import", "tsx", `bench/ack/${spec.referenceScript}`],
      cwd: ROOT,
      env: { PATH: process.env.PATH, ...spec.referenceEnv },
      logFile: join(logDir, `${tag}-reference.log`),
    });
    children.push(reference);
    const ready = await reference.line("bare app ready");
    await spec.referenceConnected?.();

    const database = backend.database;
    if (database) sampler = await createActivitySampler(opts.pgUrl, database);
    const hooks = instrumentCloser(closer, sampler, { platform: spec.part });
    const [closerRun, referenceRun] = await runRounds(
      [
        {
          name: "Closer",
          pid: closer.child.pid,
          send: spec.closerSend(closer),
          settle: spec.answers.settle,
          ...(database ? { databasePids: () => backendPids(opts.pgUrl, database) } : {}),
          ...hooks,
        },
        { name: spec.referenceName, pid: reference.pid, send: spec.referenceSend(ready) },
      ],
      plan,
      step,
    );
    await sampler?.close();
    sampler = undefined;
    await hooks.idleStatements(IDLE_MS);
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
      scenario,
      plan,
      startedAt,
      cores: availableParallelism(),
      loadAverage: { start: loadStart, end: loadavg()[0] ?? 0 },
      closerBuild: build,
      sourcesSteady: closer.sourcesSteady,
      database: backend.label,
      referenceName: spec.referenceName,
      closer: closerRun,
      reference: referenceRun,
      inside,
      answers: spec.answers.summary(),
      deals: await backend.counts(),
      dealRequests: spec.dealRequests(plan.warmup + plan.requests),
      notes: spec.notes(),
      logs: { closer: problemsOf(closer.child), reference: problemsOf(reference) },
      exitCodes,
      peakRss,
      ...(profile ? { profile } : {}),
    };
  } finally {
    await stopAll();
    cleanups.delete(stopAll);
    await backend.drop();
    cleanups.delete(backend.drop);
  }
}
