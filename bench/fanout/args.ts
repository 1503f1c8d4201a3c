import { parseArgs } from "node:util";

export interface FanoutOptions {
  workspaces: number;
  /** Runs in a row, each on a fresh database and a fresh emulator. */
  runs: number;
  pgUrl: string;
  /** Dispatcher: rows claimed at once, and destinations served at the same time. */
  batchSize: number;
  concurrency: number;
  /** Scheduler: workspaces worked on at the same time during the sweep. */
  sweepConcurrency: number;
  /**
   * How the due jobs are started: `sweep`, the scheduler's catch-up sweep with its concurrency, or
   * `cron`, every workspace's node-cron task fired at once as `closer start` does at the due minute.
   */
  via: "sweep" | "cron";
  /** Switch the morning reminders off, so the sweep queues digests only. */
  digestOnly: boolean;
  /** The share of chat.postMessage calls the emulator answers with a random 429. */
  randomRateLimit: number;
  /** Where the results section goes; empty to print only. */
  out: string;
}

export const USAGE = `usage: tsx bench/fanout/run.ts [--workspaces N] [--runs N] [--pg-url postgres://…]
       [--batch-size N] [--concurrency N] [--sweep-concurrency N] [--via sweep|cron] [--digest-only]
       [--random-429 P] [--out FILE | --no-write]`;

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value.replaceAll("_", "").replaceAll(",", ""));
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer\n${USAGE}`);
  return n;
}

/** Parses the command line; throws with the usage on a bad flag. */
export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): FanoutOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      workspaces: { type: "string" },
      runs: { type: "string" },
      "pg-url": { type: "string" },
      "batch-size": { type: "string" },
      concurrency: { type: "string" },
      "sweep-concurrency": { type: "string" },
      via: { type: "string", default: "sweep" },
      "digest-only": { type: "boolean", default: false },
      "random-429": { type: "string" },
      out: { type: "string", default: "bench/RESULTS.md" },
      "no-write": { type: "boolean", default: false },
    },
    strict: true,
  });
  const via = values.via;
  if (via !== "sweep" && via !== "cron") throw new Error(`--via must be sweep or cron\n${USAGE}`);
  const probability = Number(values["random-429"] ?? "0.05");
  if (!(probability >= 0 && probability < 1)) throw new Error(`--random-429 must be in [0, 1)\n${USAGE}`);
  return {
    workspaces: positiveInt("workspaces", values.workspaces, 2000),
    runs: positiveInt("runs", values.runs, 1),
    pgUrl: values["pg-url"] ?? env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test",
    batchSize: positiveInt("batch-size", values["batch-size"], 200),
    concurrency: positiveInt("concurrency", values.concurrency, 32),
    sweepConcurrency: positiveInt("sweep-concurrency", values["sweep-concurrency"], 8),
    via,
    digestOnly: values["digest-only"],
    randomRateLimit: probability,
    out: values["no-write"] ? "" : values.out,
  };
}
