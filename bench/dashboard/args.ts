import { parseArgs } from "node:util";
import { positiveInt } from "../support/args.js";

export type Backend = "pg" | "pglite";

export interface DashboardBenchOptions {
  deals: number;
  reps: number;
  customers: number;
  backends: Backend[];
  /** The server to create the bench database on (its admin connection). */
  pgUrl: string;
  iterations: number;
  warmup: number;
  /** Keep the loaded database for the next run: `closer_bench_dashboard` on PostgreSQL, `pgliteDir` on PGlite. */
  reuse: boolean;
  pgliteDir: string;
  /** Run EXPLAIN (ANALYZE, BUFFERS) of each statement once and report the plans. */
  explain: boolean;
  /** Where the markdown section goes; empty to print only. */
  out: string;
}

const USAGE = `usage: tsx bench/dashboard/run.ts [--deals N] [--reps N] [--customers N] [--backend pg|pglite|both]
       [--pg-url postgres://…] [--iterations N] [--warmup N] [--reuse] [--pglite-dir DIR] [--no-explain] [--out FILE | --no-write]`;

/** Parses the command line; throws with the usage on a bad flag. */
export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): DashboardBenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      deals: { type: "string" },
      reps: { type: "string" },
      customers: { type: "string" },
      backend: { type: "string", default: "both" },
      "pg-url": { type: "string" },
      iterations: { type: "string" },
      warmup: { type: "string" },
      reuse: { type: "boolean", default: false },
      "pglite-dir": { type: "string", default: "/tmp/closer-bench-dashboard" },
      "no-explain": { type: "boolean", default: false },
      out: { type: "string", default: "bench/RESULTS.md" },
      "no-write": { type: "boolean", default: false },
    },
    strict: true,
  });
  const backend = values.backend;
  if (backend !== "pg" && backend !== "pglite" && backend !== "both") {
    throw new Error(`--backend must be pg, pglite or both\n${USAGE}`);
  }
  return {
    deals: positiveInt("deals", values.deals, 1_000_000, USAGE),
    reps: positiveInt("reps", values.reps, 1000, USAGE),
    customers: positiveInt("customers", values.customers, 5000, USAGE),
    backends: backend === "both" ? ["pg", "pglite"] : [backend],
    pgUrl: values["pg-url"] ?? env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test",
    iterations: positiveInt("iterations", values.iterations, 15, USAGE),
    warmup: positiveInt("warmup", values.warmup, 3, USAGE),
    reuse: values.reuse,
    pgliteDir: values["pglite-dir"],
    explain: !values["no-explain"],
    out: values["no-write"] ? "" : values.out,
  };
}
