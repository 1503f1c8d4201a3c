import { parseArgs } from "node:util";
import { positiveInt } from "../support/args.js";

export type Backend = "pg" | "pglite";

export interface BenchOptions {
  deals: number;
  reps: number;
  customers: number;
  backends: Backend[];
  pgUrl: string;
  iterations: number;
  warmup: number;
  /** VACUUM (ANALYZE) after the load (what autovacuum does on PostgreSQL; PGlite has none). */
  vacuum: boolean;
  /** PGlite only: `ALTER SYSTEM SET shared_buffers` after the load (PGlite's default is 128MB). */
  pgliteSharedBuffers: string | undefined;
  /** Where the markdown report goes; empty to print only. */
  out: string;
}

const USAGE = `usage: tsx bench/kpi/run.ts [--deals N] [--reps N] [--customers N] [--backend pg|pglite|both]
       [--pg-url postgres://…] [--iterations N] [--warmup N] [--no-vacuum] [--pglite-shared-buffers 32MB] [--out FILE | --no-write]`;

/** Parses the command line; throws with the usage on a bad flag. */
export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions {
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
      "no-vacuum": { type: "boolean", default: false },
      "pglite-shared-buffers": { type: "string" },
      out: { type: "string", default: "bench/RESULTS.md" },
      "no-write": { type: "boolean", default: false },
    },
    strict: true,
  });
  const backend = values.backend;
  if (backend !== "pg" && backend !== "pglite" && backend !== "both") {
    throw new Error(`--backend must be pg, pglite or both\n${USAGE}`);
  }
  const sharedBuffers = values["pglite-shared-buffers"];
  if (sharedBuffers !== undefined && !/^\d+(kB|MB|GB)$/.test(sharedBuffers)) {
    throw new Error(`--pglite-shared-buffers must be a size such as 32MB\n${USAGE}`);
  }
  return {
    deals: positiveInt("deals", values.deals, 1_000_000, USAGE),
    reps: positiveInt("reps", values.reps, 1000, USAGE),
    customers: positiveInt("customers", values.customers, 5000, USAGE),
    backends: backend === "both" ? ["pg", "pglite"] : [backend],
    pgUrl: values["pg-url"] ?? env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test",
    iterations: positiveInt("iterations", values.iterations, 20, USAGE),
    warmup: positiveInt("warmup", values.warmup, 3, USAGE),
    vacuum: !values["no-vacuum"],
    pgliteSharedBuffers: sharedBuffers,
    out: values["no-write"] ? "" : values.out,
  };
}
