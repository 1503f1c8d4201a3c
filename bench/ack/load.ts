import { nearestRank } from "../support/percentiles.js";
import { THREE_SECONDS_MS } from "./scenario.js";

/** What one request came back with: ok, or why not (a short reason, counted by kind). */
export type Check = { ok: true } | { ok: false; reason: string };

/** One block of requests driven at a fixed concurrency. */
export interface Phase {
  /** Latency of each request in ms, in the order they were issued (failures included). */
  latencies: number[];
  /** From the first request sent to the last answer received. */
  wallMs: number;
  failures: Map<string, number>;
}

/**
 * A closed loop: `concurrency` workers each send a request, wait for its answer, check it and send
 * the next, until `count` requests have been answered. `send(i)` sends request i and resolves with
 * its check once the answer is in; the time between is its latency.
 */
export async function drive(
  count: number,
  concurrency: number,
  send: (i: number) => Promise<Check>,
): Promise<Phase> {
  const latencies = new Array<number>(count).fill(0);
  const failures = new Map<string, number>();
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const t0 = performance.now();
      let check: Check;
      try {
        check = await send(i);
      } catch (error) {
        check = { ok: false, reason: error instanceof Error ? error.message : String(error) };
      }
      latencies[i] = performance.now() - t0;
      if (!check.ok) {
        // Reasons are counted by kind: one line, without what an error appends about its context.
        const reason = (check.reason.split("\n")[0] ?? "").slice(0, 120);
        failures.set(reason, (failures.get(reason) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return { latencies, wallMs: performance.now() - started, failures };
}

/** Latency percentiles in ms (nearest rank) and throughput over several phases of one target. */
export interface Summary {
  requests: number;
  failed: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** Requests whose answer took longer than Slack's 3 s. */
  over3s: number;
  /** Requests answered per second: all the phases' requests over all their wall time. */
  throughput: number;
  /** Each phase's own requests per second, to show the spread. */
  phaseThroughputs: number[];
}

export function summarize(phases: readonly Phase[]): Summary {
  const all = phases.flatMap((p) => p.latencies).sort((a, b) => a - b);
  const wall = phases.reduce((s, p) => s + p.wallMs, 0);
  let failed = 0;
  for (const p of phases) for (const n of p.failures.values()) failed += n;
  return {
    requests: all.length,
    failed,
    p50: nearestRank(all, 0.5),
    p90: nearestRank(all, 0.9),
    p99: nearestRank(all, 0.99),
    max: all.at(-1) ?? Number.NaN,
    over3s: all.filter((ms) => ms > THREE_SECONDS_MS).length,
    throughput: (all.length / wall) * 1000,
    phaseThroughputs: phases.map((p) => (p.latencies.length / p.wallMs) * 1000),
  };
}

/** Failure reasons over several phases, most frequent first. */
export function failureCounts(phases: readonly Phase[]): [string, number][] {
  const out = new Map<string, number>();
  for (const p of phases) for (const [reason, n] of p.failures) out.set(reason, (out.get(reason) ?? 0) + n);
  return [...out].sort((a, b) => b[1] - a[1]);
}
