import { parseArgs } from "node:util";

export type Backend = "pg" | "pglite";

export interface ExportBenchOptions {
  deals: number;
  reps: number;
  customers: number;
  backends: Backend[];
  /** Where scratch databases are created (and dropped) on PostgreSQL. */
  pgUrl: string;
  /** Timed runs of each command; the median is reported. */
  runs: number;
  /** Where the markdown report goes; empty to print only. */
  out: string;
}

const USAGE = `usage: tsx bench/export/run.ts [--deals N] [--reps N] [--customers N] [--backend pg|pglite|both]
       [--pg-url postgres://…] [--runs N] [--out FILE | --no-write]`;

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value.replaceAll("_", "").replaceAll(",", ""));
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer\n${USAGE}`);
  return n;
}

/** Parses the command line; throws with the usage on a bad flag. */
export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): ExportBenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      deals: { type: "string" },
      reps: { type: "string" },
      customers: { type: "string" },
      backend: { type: "string", default: "both" },
      "pg-url": { type: "string" },
      runs: { type: "string" },
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
    deals: positiveInt("deals", values.deals, 1_000_000),
    reps: positiveInt("reps", values.reps, 1000),
    customers: positiveInt("customers", values.customers, 5000),
    backends: backend === "both" ? ["pg", "pglite"] : [backend],
    pgUrl: values["pg-url"] ?? env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test",
    runs: positiveInt("runs", values.runs, 3),
    out: values["no-write"] ? "" : values.out,
  };
}
