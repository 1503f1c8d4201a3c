import { parseArgs } from "node:util";

export type Backend = "pglite" | "pg";

export interface ImportBenchOptions {
  rows: number;
  owners: number;
  companies: number;
  seed: number;
  backends: Backend[];
  pgUrl: string;
  /** Each round imports into fresh databases: a commit cannot be repeated on the same one. */
  rounds: number;
  /** Where the markdown section goes; empty to print only. */
  out: string;
}

export const USAGE = `usage: tsx bench/import/run.ts [--rows N] [--owners N] [--companies N] [--seed N]
       [--backend pglite|pg|both] [--pg-url postgres://…] [--rounds N] [--out FILE | --no-write]`;

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value.replaceAll("_", "").replaceAll(",", ""));
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer\n${USAGE}`);
  return n;
}

/** Parses the command line; throws with the usage on a bad flag. */
export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): ImportBenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      rows: { type: "string" },
      owners: { type: "string" },
      companies: { type: "string" },
      seed: { type: "string" },
      backend: { type: "string", default: "both" },
      "pg-url": { type: "string" },
      rounds: { type: "string" },
      out: { type: "string", default: "bench/RESULTS.md" },
      "no-write": { type: "boolean", default: false },
    },
    strict: true,
  });
  const backend = values.backend;
  if (backend !== "pg" && backend !== "pglite" && backend !== "both")
    throw new Error(`--backend must be pglite, pg or both\n${USAGE}`);
  return {
    rows: positiveInt("rows", values.rows, 100_000),
    owners: positiveInt("owners", values.owners, 50),
    companies: positiveInt("companies", values.companies, 20_000),
    seed: positiveInt("seed", values.seed, 1),
    backends: backend === "both" ? ["pglite", "pg"] : [backend],
    pgUrl: values["pg-url"] ?? env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432",
    rounds: positiveInt("rounds", values.rounds, 1),
    out: values["no-write"] ? "" : values.out,
  };
}
