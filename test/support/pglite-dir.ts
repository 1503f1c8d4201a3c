import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";

export interface PgliteDir {
  /** `pglite:///…`, for DATABASE_URL. */
  url: string;
  dir: string;
  remove(): void;
}

/**
 * A PGlite data directory of its own, for a `closer` process a test starts: a copy of the migrated
 * one made once per run (test/support/global-setup.ts). The process opens it as it opens a user's
 * `pglite:///dir` and finds no migration to apply, instead of running initdb (seconds of WASM) and
 * every migration. Without that copy (a run on TEST_DATABASE_URL), an empty directory.
 */
export function pgliteDir(): PgliteDir {
  const dir = mkdtempSync(join(tmpdir(), "closer-pglite-"));
  const template = inject("pgliteDataDir");
  if (template) cpSync(template, dir, { recursive: true });
  return { url: `pglite://${dir}`, dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * `pgliteDir()` for a file that starts several processes: each call gives a new directory, and
 * `remove()` (in the file's `afterAll`, once they have stopped) deletes them all.
 */
export function pgliteDirs(): { url(): string; remove(): void } {
  const made: PgliteDir[] = [];
  return {
    url() {
      const data = pgliteDir();
      made.push(data);
      return data.url;
    },
    remove() {
      for (const data of made.splice(0)) data.remove();
    },
  };
}
