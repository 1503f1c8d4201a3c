import { existsSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { messages, PGlite } from "@electric-sql/pglite";
import {
  bindMigrationAwareSqlAdapterFactory,
  DriverAdapterError,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import * as wasmBindings from "@prisma/schema-engine-wasm/schema_engine_bg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { readMigrations } from "../src/db/migrate.js";

/** A database schema the engine can read: what a migrations folder builds, or what a schema.prisma declares. */
export type SchemaSource = { migrations: string } | { schema: { path: string; text: string } };

/** Prisma's own schema engine (WASM), with an in-memory PGlite as its shadow database. */
export interface SchemaEngine {
  /**
   * The SQL that takes the database `from` describes to the one `to` describes, as `prisma migrate
   * diff --script` writes it; undefined when the two are the same.
   */
  diff(from: SchemaSource, to: SchemaSource): Promise<string | undefined>;
  close(): Promise<void>;
}

export async function openSchemaEngine(): Promise<SchemaEngine> {
  const Engine = await loadEngine();
  const pglite = new PGlite();
  const adapterFactory = bindMigrationAwareSqlAdapterFactory(shadowDatabase(pglite));
  const engine = await Engine.new({ datamodels: undefined }, () => {}, adapterFactory);
  return {
    async diff(from, to) {
      const result = await engine.diff({
        from: diffTarget(from),
        to: diffTarget(to),
        script: true,
        exitCode: true,
        filters: { externalTables: [], externalEnums: [] },
      });
      // With `exitCode`, the engine answers 2 for a non-empty diff and 0 for an empty one.
      return result.exitCode === 0 ? undefined : (result.stdout ?? "");
    },
    async close() {
      engine.free();
      await pglite.close();
    },
  };
}

let engineClass: Promise<typeof wasmBindings.SchemaEngine> | undefined;

/** Node's global; the ES2023 lib we compile against does not declare it. */
declare const WebAssembly: {
  instantiate(
    bytes: Uint8Array,
    imports: object,
  ): Promise<{ instance: { exports: Record<string, unknown> } }>;
};

/** Instantiates the WASM module once per process: its bindings keep the instance in module state. */
function loadEngine(): Promise<typeof wasmBindings.SchemaEngine> {
  engineClass ??= (async () => {
    const bindingsPath = createRequire(import.meta.url).resolve(
      "@prisma/schema-engine-wasm/schema_engine_bg",
    );
    const bytes = await readFile(join(dirname(bindingsPath), "schema_engine_bg.wasm"));
    const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": wasmBindings });
    wasmBindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return wasmBindings.SchemaEngine;
  })();
  return engineClass;
}

/**
 * One PGlite serves as the engine's database and as its shadow database, emptied each time the engine
 * asks for a shadow (a `migrations` source is replayed there). Diffs never touch the main database.
 */
function shadowDatabase(pglite: PGlite): SqlMigrationAwareDriverAdapterFactory {
  const factory = new PrismaPGlite(pglite);
  const connect = async (): Promise<SqlDriverAdapter> => {
    const adapter = await factory.connect();
    // pglite-prisma-adapter 0.7.2 does not await the script, so a migration that fails would pass.
    adapter.executeScript = async (script) => {
      try {
        await pglite.exec(script);
      } catch (error) {
        throw asDriverAdapterError(error);
      }
    };
    return adapter;
  };
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect,
    async connectToShadowDb() {
      await pglite.exec("DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
      return connect();
    },
  };
}

/** A PostgreSQL error as the engine reads it; any other error would reach it as an opaque id. */
function asDriverAdapterError(error: unknown): unknown {
  if (!(error instanceof messages.DatabaseError)) return error;
  return new DriverAdapterError({
    kind: "postgres",
    code: error.code ?? "",
    severity: error.severity ?? "ERROR",
    message: error.message,
    detail: error.detail,
    column: error.column,
    hint: error.hint,
  });
}

function diffTarget(source: SchemaSource): wasmBindings.DiffTarget {
  if ("schema" in source) {
    return {
      tag: "schemaDatamodel",
      files: [{ path: source.schema.path, content: source.schema.text }],
    };
  }
  const dir = source.migrations;
  return {
    tag: "migrations",
    baseDir: dir,
    lockfile: { path: "migration_lock.toml", content: readLockfile(dir) },
    shadowDbInitScript: "",
    migrationDirectories: readMigrations(dir).map((m) => ({
      path: m.name,
      migrationFile: { path: "migration.sql", content: { tag: "ok", value: m.script } },
    })),
  };
}

/** The engine reads the provider from the lock file, as `prisma migrate` does. */
function readLockfile(dir: string): string | null {
  const path = join(dir, "migration_lock.toml");
  return existsSync(path) ? readFileSync(path, "utf8") : null;
}
