import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { TestProject } from "vitest/node";
import type { SqlDriver } from "../../src/db/client.js";
import { migrate } from "../../src/db/migrate.js";

/** Files holding PGlite data directories (`dumpDataDir` tarballs) made once for the whole run. */
export interface PgliteSnapshots {
  /** Just as initdb leaves it. */
  empty: string;
  /** `empty` with every migration applied by our runner. */
  migrated: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    pgliteSnapshots: PgliteSnapshots | null;
  }
}

/**
 * A new in-memory PGlite runs initdb (seconds of WASM), and a test database then migrates: done
 * once here, each test file's PGlite starts from a copy instead (test/support/db.ts).
 */
export default async function setup(project: TestProject): Promise<() => void> {
  if (process.env.TEST_DATABASE_URL) {
    project.provide("pgliteSnapshots", null);
    return () => {};
  }
  const dir = mkdtempSync(join(tmpdir(), "closer-pglite-snapshots-"));
  const snapshots: PgliteSnapshots = { empty: join(dir, "empty.tar"), migrated: join(dir, "migrated.tar") };
  const pglite = new PGlite();
  try {
    await pglite.waitReady;
    await save(pglite, snapshots.empty);
    const sql: SqlDriver = {
      exec: async (script) => {
        await pglite.exec(script);
      },
      query: async <T>(text: string, params: unknown[] = []) => (await pglite.query<T>(text, params)).rows,
      withLock: (fn) => fn(sql),
    };
    await migrate(sql);
    await save(pglite, snapshots.migrated);
  } finally {
    await pglite.close();
  }
  project.provide("pgliteSnapshots", snapshots);
  return () => rmSync(dir, { recursive: true, force: true });
}

async function save(pglite: PGlite, file: string): Promise<void> {
  const tarball = await pglite.dumpDataDir("none");
  writeFileSync(file, new Uint8Array(await tarball.arrayBuffer()));
}
