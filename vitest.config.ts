import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // PGlite data directories made once per run, that test databases start from (test/support/db.ts).
    globalSetup: ["test/support/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // A worker runs its test files one after another in one process, so each file no longer imports
    // the application, Prisma and PGlite's WASM anew (158 s of imports in a PGlite run, 112 s on
    // PostgreSQL). Every file opens its own database and closes what it starts.
    isolate: false,
    // Test files mostly wait on a database, a spawned process or an emulator: one per CPU, and at
    // least two, rather than vitest's CPUs - 1 (a single worker on a two-CPU machine).
    maxWorkers: Math.max(2, availableParallelism()),
  },
});
