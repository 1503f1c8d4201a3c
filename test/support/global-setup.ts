import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { TestProject } from "vitest/node";
import { openDatabase, type SqlDriver } from "../../src/db/client.js";
import { migrate } from "../../src/db/migrate.js";
import { withAdmin } from "./db.js";

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
    /** With TEST_DATABASE_URL: a migrated PostgreSQL database that test databases are copies of. */
    postgresTemplate: string | null;
    /**
     * On PGlite: a migrated data directory, closed, that `closer` processes started by tests run on
     * copies of (test/support/pglite-dir.ts).
     */
    pgliteDataDir: string | null;
  }
}

/**
 * A new in-memory PGlite runs initdb (seconds of WASM), and a test database then migrates: done
 * once here, each test file's database starts from a copy instead (test/support/db.ts).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const base = process.env.TEST_DATABASE_URL;
  if (base) {
    project.provide("pgliteSnapshots", null);
    project.provide("pgliteDataDir", null);
    const template = await createPostgresTemplate(base);
    project.provide("postgresTemplate", template);
    return async () => {
      await withAdmin(base, (c) => c.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`));
    };
  }
  project.provide("postgresTemplate", null);
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
  // The migrated snapshot unpacked into a directory, as `pglite:///dir` opens it.
  const dataDir = join(dir, "migrated");
  const onDisk = new PGlite({ dataDir, loadDataDir: new Blob([readFileSync(snapshots.migrated)]) });
  await onDisk.waitReady;
  await onDisk.close();
  project.provide("pgliteSnapshots", snapshots);
  project.provide("pgliteDataDir", dataDir);
  return async () => rmSync(dir, { recursive: true, force: true });
}

/** A migrated database, closed: PostgreSQL copies a template only while no one is connected to it. */
async function createPostgresTemplate(base: string): Promise<string> {
  const name = `closer_template_${randomBytes(6).toString("hex")}`;
  await withAdmin(base, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(base);
  url.pathname = `/${name}`;
  const db = await openDatabase(url.toString());
  try {
    await migrate(db.sql);
  } finally {
    await db.close();
  }
  return name;
}

async function save(pglite: PGlite, file: string): Promise<void> {
  const tarball = await pglite.dumpDataDir("none");
  writeFileSync(file, new Uint8Array(await tarball.arrayBuffer()));
}
