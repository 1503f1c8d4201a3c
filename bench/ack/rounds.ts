import { type Check, drive, type Phase } from "./load.js";
import { cpuBetween, cpuMsOf, cpuOf } from "./measure/cpu.js";

/** A process under load: how to send it request i, and what to do around each measured block. */
export interface Target {
  name: string;
  pid: number;
  send(i: number): Promise<Check>;
  /** The PostgreSQL backends serving this target, whose CPU time counts as its database's. */
  databasePids?(): Promise<number[]>;
  /**
   * Resolves once the answers still owed for the requests sent so far are in (Closer: response_url
   * posts), so that a block's CPU time holds all of its work and the next block starts clean.
   */
  settle?(): Promise<void>;
  /** Called right before and right after each measured block (Closer: scrape /metrics). */
  beforePhase?(): Promise<void>;
  afterPhase?(): Promise<void>;
}

/** How many requests, how many in flight, in how many blocks. */
export interface Plan {
  warmup: number;
  requests: number;
  rounds: number;
  concurrency: number;
}

/** CPU time spent during a target's measured blocks, in ms. */
export interface CpuTotals {
  /** The target's own process. */
  target: number;
  /** The PostgreSQL backends serving the target's connections. */
  postgres: number;
  /** This process: the load generator and the emulator. */
  bench: number;
}

export interface TargetRun {
  name: string;
  warmup: Phase;
  phases: Phase[];
  cpu: CpuTotals;
  /** The measured blocks' wall time, each to its last ack and then its late answers: what `cpu` spans. */
  blockMs: number;
}

const benchCpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/**
 * Drives every target with the same requests: a warm-up block each, then `rounds` measured blocks
 * each, the targets taking turns and the order flipping every round, so that neither always runs
 * first or last. Request i is the same request for every target; each target gets every i once.
 */
export async function runRounds(
  targets: readonly Target[],
  opts: Plan,
  step: (what: string) => void,
): Promise<TargetRun[]> {
  const runs = targets.map((t) => ({
    name: t.name,
    warmup: { latencies: [], wallMs: 0, failures: new Map() } as Phase,
    phases: [] as Phase[],
    cpu: { target: 0, postgres: 0, bench: 0 },
    blockMs: 0,
  }));
  for (const [k, target] of targets.entries()) {
    step(`warm-up: ${opts.warmup} requests to ${target.name}`);
    const run = runs[k];
    if (run) run.warmup = await drive(opts.warmup, opts.concurrency, target.send);
    await target.settle?.();
  }
  const block = Math.floor(opts.requests / opts.rounds);
  for (let r = 0; r < opts.rounds; r++) {
    const first = opts.warmup + r * block;
    const count = r === opts.rounds - 1 ? opts.requests - r * block : block;
    const order = r % 2 === 0 ? [...targets.keys()] : [...targets.keys()].reverse();
    for (const k of order) {
      const target = targets[k];
      const run = runs[k];
      if (!target || !run) continue;
      await target.beforePhase?.();
      const backends = cpuOf((await target.databasePids?.()) ?? []);
      const cpu0 = { target: cpuMsOf(target.pid), bench: benchCpuMs() };
      const phase = await drive(count, opts.concurrency, (i) => target.send(first + i));
      const settling = performance.now();
      await target.settle?.();
      const settled = performance.now() - settling;
      const cpu1 = { target: cpuMsOf(target.pid), bench: benchCpuMs() };
      // Backends opened during the block count too; one closed during it is missed (the pool keeps them).
      const pids = new Set([...backends.keys(), ...((await target.databasePids?.()) ?? [])]);
      run.blockMs += phase.wallMs + settled;
      run.cpu.target += cpu1.target - cpu0.target;
      run.cpu.bench += cpu1.bench - cpu0.bench;
      run.cpu.postgres += cpuBetween(backends, cpuOf([...pids]));
      await target.afterPhase?.();
      run.phases.push(phase);
      const failed = [...phase.failures.values()].reduce((a, b) => a + b, 0);
      step(
        `round ${r + 1}/${opts.rounds}: ${target.name} ${count} requests in ${(phase.wallMs / 1000).toFixed(1)} s` +
          ` (${((count / phase.wallMs) * 1000).toFixed(0)}/s)${failed ? `, ${failed} failed` : ""}` +
          (target.settle ? `; late answers in ${(settled / 1000).toFixed(1)} s more` : ""),
      );
    }
  }
  return runs;
}
