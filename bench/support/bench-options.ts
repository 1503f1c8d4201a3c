import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { Database } from "../../src/db/client.js";
import { buildDataset } from "../kpi/dataset.js";
import { positiveInt } from "./args.js";
import { withSection } from "./results-section.js";

/** The options of a bench that times a command on the KPI bench's data set, on each backend. */
export interface DatasetBenchOptions {
  deals: number;
  reps: number;
  customers: number;
  backends: ("pg" | "pglite")[];
  /** The server to create the bench database on (its admin connection). */
  pgUrl: string;
  iterations: number;
  warmup: number;
  /** Keep the loaded database for the next run: `closer_bench_<name>` on PostgreSQL, `pgliteDir` on PGlite. */
  reuse: boolean;
  pgliteDir: string;
  /** Where the markdown section goes; empty to print only. */
  out: string;
}

/** Parses a dataset bench's command line (`bench/<name>/run.ts`); throws with its usage on a bad flag. */
export function parseDatasetBenchOptions(
  name: string,
  argv: string[],
  env: NodeJS.ProcessEnv,
): DatasetBenchOptions {
  const usage = `usage: tsx bench/${name}/run.ts [--deals N] [--reps N] [--customers N] [--backend pg|pglite|both]
       [--pg-url postgres://…] [--iterations N] [--warmup N] [--reuse] [--pglite-dir DIR] [--out FILE | --no-write]`;
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
      "pglite-dir": { type: "string", default: `/tmp/closer-bench-${name}` },
      out: { type: "string", default: "bench/RESULTS.md" },
      "no-write": { type: "boolean", default: false },
    },
    strict: true,
  });
  const backend = values.backend;
  if (backend !== "pg" && backend !== "pglite" && backend !== "both")
    throw new Error(`--backend must be pg, pglite or both\n${usage}`);
  return {
    deals: positiveInt("deals", values.deals, 1_000_000, usage),
    reps: positiveInt("reps", values.reps, 1000, usage),
    customers: positiveInt("customers", values.customers, 5000, usage),
    backends: backend === "both" ? ["pg", "pglite"] : [backend],
    pgUrl: values["pg-url"] ?? env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test",
    iterations: positiveInt("iterations", values.iterations, 15, usage),
    warmup: positiveInt("warmup", values.warmup, 3, usage),
    reuse: values.reuse,
    pgliteDir: values["pglite-dir"],
    out: values["no-write"] ? "" : values.out,
  };
}

/** Loads the KPI bench's data set unless the database holds it already (`--reuse`); refuses another one. */
export async function ensureKpiDataset(db: Database, opts: DatasetBenchOptions): Promise<void> {
  const [held] = await db.sql
    .query<{ n: number }>(
      `SELECT count(*)::int AS n FROM deal d JOIN workspace w ON w.id = d.workspace_id WHERE w.external_id = 'bench-kpi'`,
    )
    .catch(() => [{ n: 0 }]);
  if ((held?.n ?? 0) === opts.deals) return;
  if ((held?.n ?? 0) > 0)
    throw new Error("the database holds another data set; drop it or run without --reuse");
  await buildDataset(db, { deals: opts.deals, reps: opts.reps, customers: opts.customers, vacuum: true });
}

/** Prints a bench's section and writes it into `out` (bench/RESULTS.md), the other sections kept. */
export function writeResultsSection(out: string, title: string, section: string): void {
  console.log(section);
  if (!out) return;
  const previous = existsSync(out) ? readFileSync(out, "utf8") : "";
  writeFileSync(out, withSection(previous, title, section));
  console.error(`wrote ${out}`);
}
