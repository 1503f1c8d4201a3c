import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { adminQuery, createScratchDatabase } from "./postgres.js";

/** A database to benchmark on: made for the run and removed after it, or kept with `--reuse`. */
export interface Target {
  url: string;
  label: string;
  release(): Promise<void>;
}

export interface TargetOptions {
  /** The bench's name: its kept database is `closer_bench_<name>`, its scratch ones start so. */
  name: string;
  /** The server to create the database on (its admin connection). */
  pgUrl: string;
  /** Keep the loaded database for the next run: the named one on PostgreSQL, `pgliteDir` on PGlite. */
  reuse: boolean;
  pgliteDir: string;
}

export async function openTarget(backend: "pg" | "pglite", opts: TargetOptions): Promise<Target> {
  if (backend === "pglite") {
    if (opts.reuse) return { url: `pglite://${opts.pgliteDir}`, label: "PGlite", release: async () => {} };
    const dir = mkdtempSync(join(tmpdir(), `closer-bench-${opts.name}-`));
    return {
      url: `pglite://${dir}`,
      label: "PGlite",
      release: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const [version] = await adminQuery<{ server_version: string }>(opts.pgUrl, "SHOW server_version");
  const label = `PostgreSQL ${version?.server_version.split(" ")[0] ?? "?"}`;
  const kept = `closer_bench_${opts.name}`;
  if (opts.reuse) {
    const exists = await adminQuery(opts.pgUrl, `SELECT 1 FROM pg_database WHERE datname = '${kept}'`);
    if (exists.length === 0) await adminQuery(opts.pgUrl, `CREATE DATABASE ${kept}`);
    const url = new URL(opts.pgUrl);
    url.pathname = `/${kept}`;
    return { url: url.toString(), label, release: async () => {} };
  }
  const scratch = await createScratchDatabase(opts.pgUrl, kept);
  return { url: scratch.url, label, release: () => scratch.drop() };
}
