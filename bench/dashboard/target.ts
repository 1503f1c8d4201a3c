import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { adminQuery, createScratchDatabase } from "../support/postgres.js";
import type { Backend, DashboardBenchOptions } from "./args.js";

/** A database to benchmark on: made for the run and removed after it, or kept with `--reuse`. */
export interface Target {
  url: string;
  label: string;
  release(): Promise<void>;
}

const REUSED = "closer_bench_dashboard";

export async function openTarget(backend: Backend, opts: DashboardBenchOptions): Promise<Target> {
  if (backend === "pglite") {
    if (opts.reuse) return { url: `pglite://${opts.pgliteDir}`, label: "PGlite", release: async () => {} };
    const dir = mkdtempSync(join(tmpdir(), "closer-bench-dashboard-"));
    return {
      url: `pglite://${dir}`,
      label: "PGlite",
      release: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const [version] = await adminQuery<{ server_version: string }>(opts.pgUrl, "SHOW server_version");
  const label = `PostgreSQL ${version?.server_version.split(" ")[0] ?? "?"}`;
  if (opts.reuse) {
    const exists = await adminQuery(opts.pgUrl, `SELECT 1 FROM pg_database WHERE datname = '${REUSED}'`);
    if (exists.length === 0) await adminQuery(opts.pgUrl, `CREATE DATABASE ${REUSED}`);
    const url = new URL(opts.pgUrl);
    url.pathname = `/${REUSED}`;
    return { url: url.toString(), label, release: async () => {} };
  }
  const scratch = await createScratchDatabase(opts.pgUrl, "closer_bench_dashboard");
  return { url: scratch.url, label, release: () => scratch.drop() };
}
