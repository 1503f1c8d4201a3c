import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, SqlDriver } from "../../src/db/client.js";
import { readMigrations } from "../../src/db/migrate.js";
import { openTestDatabase } from "../support/db.js";
import {
  type ColumnField,
  type KeySpec,
  type Model,
  parseSchema,
  readSchema,
  type Schema,
} from "./schema-model.js";

/**
 * DESIGN.md §3: the hand-written migrations, applied to an empty database, must produce exactly
 * what schema.prisma declares. Every check collects its findings as sentences naming the model and
 * field, so one failing run lists all the drift at once.
 */

const schema = readSchema();
const BOOKKEEPING_TABLE = "_prisma_migrations";

describe("the schema.prisma reader", () => {
  it("GIVEN schema.prisma THEN it finds all 12 models and their tables", () => {
    expect(schema.models.map((m) => `${m.name} -> ${m.table}`)).toEqual([
      "Workspace -> workspace",
      "Member -> member",
      "Team -> team",
      "Customer -> customer",
      "Deal -> deal",
      "DealEvent -> deal_event",
      "Goal -> goal",
      "Reminder -> reminder",
      "Outbox -> outbox",
      "JobRun -> job_run",
      "Installation -> installation",
      "ProcessedRequest -> processed_request",
    ]);
  });

  it("GIVEN schema.prisma THEN it finds the 9 enums with their values in order", () => {
    expect(schema.enums.map((e) => e.name)).toEqual([
      "Platform",
      "Role",
      "Stage",
      "LostReason",
      "DealEventKind",
      "GoalScope",
      "GoalMetric",
      "PeriodKind",
      "OutboxStatus",
    ]);
    expect(schema.enums.find((e) => e.name === "Stage")?.values).toEqual([
      "lead",
      "qualified",
      "proposal",
      "negotiation",
      "won",
      "lost",
    ]);
  });

  it("GIVEN a model with relations THEN relation fields are not columns and @map names the column", () => {
    const deal = modelNamed(schema, "Deal");
    expect(deal.columns.map((c) => c.column)).toContain("customer_id");
    expect(deal.columns.map((c) => c.field)).not.toContain("customer");
    expect(deal.relations.map((r) => r.field)).toEqual([
      "workspace",
      "customer",
      "owner",
      "events",
      "reminders",
    ]);
    expect(deal.relations.find((r) => r.field === "customer")).toMatchObject({
      model: "Customer",
      fields: ["customerId"],
      references: ["id"],
      onDelete: "Restrict",
    });
    expect(deal.columns.find((c) => c.field === "expectedCloseDate")).toMatchObject({
      column: "expected_close_date",
      optional: true,
      native: { name: "Date", args: [] },
    });
  });

  it("GIVEN schema.prisma THEN it reads keys, uniques with map: and indexes as columns", () => {
    expect(modelNamed(schema, "ProcessedRequest").primaryKey).toEqual({
      fields: ["key"],
      columns: ["key"],
      map: undefined,
    });
    expect(modelNamed(schema, "Outbox").uniques).toEqual([
      { fields: ["dedupeKey"], columns: ["dedupe_key"], map: undefined },
    ]);
    expect(modelNamed(schema, "Goal").uniques[0]).toEqual({
      fields: ["workspaceId", "scope", "scopeId", "metric", "periodKind", "periodStart"],
      columns: ["workspace_id", "scope", "scope_id", "metric", "period_kind", "period_start"],
      map: "goal_scope_metric_period_key",
    });
    expect(modelNamed(schema, "Deal").indexes.map((i) => i.columns)).toEqual([
      ["workspace_id", "stage", "closed_at"],
      ["workspace_id", "owner_id", "closed_at"],
      ["workspace_id", "customer_id"],
      ["workspace_id", "created_at"],
      ["workspace_id", "stage", "last_activity_at"],
    ]);
  });

  it("GIVEN @@id, comments, mapped enums and sort arguments THEN it reads them", () => {
    const parsed = parseSchema(`
      enum Color {
        red   @map("RED") // a comment
        green
        @@map("colour")
      }
      model Pair {
        a     Int
        b     String   @default("x // not a comment")
        c     Color?   @default(green)
        when  DateTime @default(now()) @db.Timestamptz(6)
        @@id([a, b], map: "pair_pk")
        @@index([b(sort: Desc), a])
        @@map("pair")
      }
    `);
    expect(parsed.enums).toEqual([{ name: "Color", dbName: "colour", values: ["RED", "green"] }]);
    const pair = modelNamed(parsed, "Pair");
    expect(pair.primaryKey).toEqual({ fields: ["a", "b"], columns: ["a", "b"], map: "pair_pk" });
    expect(pair.indexes).toEqual([{ fields: ["b", "a"], columns: ["b", "a"], map: undefined }]);
    expect(pair.columns.map((c) => [c.field, c.kind, c.optional, c.default])).toEqual([
      ["a", "scalar", false, undefined],
      ["b", "scalar", false, '"x // not a comment"'],
      ["c", "enum", true, "green"],
      ["when", "scalar", false, "now()"],
    ]);
    expect(pair.columns[3]?.native).toEqual({ name: "Timestamptz", args: ["6"] });
  });

  it("GIVEN a field of an unknown type THEN it refuses rather than skip it", () => {
    expect(() => parseSchema("model A {\n  id Int @id\n  x Strng\n}")).toThrow("A.x: unknown type Strng");
  });
});

interface ColumnRow {
  table_name: string;
  column_name: string;
  data_type: string;
  udt_name: string;
  is_nullable: "YES" | "NO";
  datetime_precision: number | null;
  character_maximum_length: number | null;
  numeric_precision: number | null;
  numeric_scale: number | null;
  column_default: string | null;
}

interface IndexRow {
  table_name: string;
  index_name: string;
  is_unique: boolean;
  is_primary: boolean;
  /** Partial or expression indexes are never what schema.prisma declares. */
  is_plain: boolean;
  columns: string[];
}

interface ForeignKeyRow {
  table_name: string;
  name: string;
  columns: string[];
  ref_table: string;
  ref_columns: string[];
  on_delete: string;
  on_update: string;
}

interface Catalog {
  tables: string[];
  columns: ColumnRow[];
  indexes: IndexRow[];
  foreignKeys: ForeignKeyRow[];
  enums: { name: string; labels: string[] }[];
}

describe("the migrations applied to an empty database", () => {
  let db: Database;
  let catalog: Catalog;

  beforeAll(async () => {
    db = await openTestDatabase();
    catalog = await readCatalog(db.sql);
  });
  afterAll(async () => {
    await db?.close();
  });

  it("GIVEN a fresh database THEN every migration was applied", async () => {
    const rows = await db.sql.query<{ migration_name: string }>(
      `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL ORDER BY migration_name`,
    );
    expect(rows.map((r) => r.migration_name)).toEqual(readMigrations().map((m) => m.name));
  });

  it("THEN there is a table for every model and no other table", () => {
    const expected = [...schema.models.map((m) => m.table), BOOKKEEPING_TABLE].sort();
    expect(catalog.tables).toEqual(expected);
  });

  it("THEN the enum types have the schema's labels in order, and there is no other enum", () => {
    const expected = schema.enums.map((e) => ({ name: e.dbName, labels: e.values }));
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    expect(catalog.enums.sort(byName)).toEqual(expected.sort(byName));
  });

  for (const model of schema.models) {
    describe(`model ${model.name} (table ${model.table})`, () => {
      it("has exactly the model's columns", () => {
        const actual = columnsOf(catalog, model).map((c) => c.column_name);
        const problems = [
          ...model.columns
            .filter((f) => !actual.includes(f.column))
            .map((f) => `${model.name}.${f.field}: column ${model.table}.${f.column} is missing`),
          ...actual
            .filter((name) => !model.columns.some((f) => f.column === name))
            .map((name) => `${model.name}: column ${model.table}.${name} is not in schema.prisma`),
        ];
        expect(problems).toEqual([]);
      });

      it("has each column's type and nullability", () => {
        const problems: string[] = [];
        for (const field of model.columns) {
          const row = columnsOf(catalog, model).find((c) => c.column_name === field.column);
          if (!row) continue; // reported by the columns test
          const where = `${model.name}.${field.field} (${model.table}.${field.column})`;
          const expected = expectedType(schema, model, field);
          if (describeType(row) !== expected) {
            problems.push(`${where}: type is ${describeType(row)}, schema.prisma says ${expected}`);
          }
          const nullable = row.is_nullable === "YES";
          if (nullable !== field.optional) {
            problems.push(
              `${where}: column is ${nullable ? "nullable" : "NOT NULL"}, the field is ${field.optional ? "optional" : "required"}`,
            );
          }
        }
        expect(problems).toEqual([]);
      });

      it("has each column's default", () => {
        const problems: string[] = [];
        for (const field of model.columns) {
          const row = columnsOf(catalog, model).find((c) => c.column_name === field.column);
          if (!row) continue;
          const expected = expectedDefault(schema, model, field);
          if (row.column_default !== expected) {
            problems.push(
              `${model.name}.${field.field} (${model.table}.${field.column}): default is ${row.column_default ?? "none"}, schema.prisma says ${expected ?? "none"}`,
            );
          }
        }
        expect(problems).toEqual([]);
      });

      it("has the @id / @@id as its primary key", () => {
        const primary = indexesOf(catalog, model).filter((i) => i.is_primary);
        if (!model.primaryKey) {
          expect(primary, `${model.name} declares no @id`).toEqual([]);
          return;
        }
        const expected = {
          name: keyName(model, model.primaryKey, "pkey"),
          columns: model.primaryKey.columns,
        };
        expect(
          primary.map((i) => ({ name: i.index_name, columns: i.columns })),
          `${model.name}: primary key on (${model.primaryKey.fields.join(", ")})`,
        ).toEqual([expected]);
      });

      it("has a unique index for each @unique / @@unique, and an index for each @@index", () => {
        const problems = [
          ...model.uniques.map((key) => checkIndex(catalog, model, key, true)),
          ...model.indexes.map((key) => checkIndex(catalog, model, key, false)),
        ].filter((p): p is string => p !== undefined);
        expect(problems).toEqual([]);
      });

      it("has no unique or plain index that schema.prisma does not declare", () => {
        const declared = [
          ...model.uniques.map((key) => keyName(model, key, "key")),
          ...model.indexes.map((key) => keyName(model, key, "idx")),
        ];
        const undeclared = indexesOf(catalog, model)
          .filter((i) => !i.is_primary && !declared.includes(i.index_name))
          .map(
            (i) =>
              `${model.name}: ${i.is_unique ? "unique index" : "index"} ${i.index_name} on ${model.table}(${i.columns.join(", ")}) is not declared in schema.prisma`,
          );
        expect(undeclared).toEqual([]);
      });

      it("has a foreign key for each relation, with its referential actions, and no other", () => {
        const problems: string[] = [];
        const expectedNames: string[] = [];
        for (const relation of model.relations.filter((r) => r.fields.length > 0)) {
          const target = modelNamed(schema, relation.model);
          const columns = relation.fields.map((f) => columnNamed(model, f).column);
          const name = relation.map ?? `${model.table}_${columns.join("_")}_fkey`;
          expectedNames.push(name);
          const expected = {
            columns,
            ref_table: target.table,
            ref_columns: relation.references.map((f) => columnNamed(target, f).column),
            // Prisma's defaults: Restrict for a required relation, SetNull for an optional one; Cascade on update.
            on_delete: relation.onDelete ?? (relation.optional ? "SetNull" : "Restrict"),
            on_update: relation.onUpdate ?? "Cascade",
          };
          const fk = catalog.foreignKeys.find((k) => k.table_name === model.table && k.name === name);
          if (!fk) {
            problems.push(`${model.name}.${relation.field}: foreign key ${name} is missing`);
            continue;
          }
          const actual = {
            columns: fk.columns,
            ref_table: fk.ref_table,
            ref_columns: fk.ref_columns,
            on_delete: fk.on_delete,
            on_update: fk.on_update,
          };
          if (JSON.stringify(actual) !== JSON.stringify(expected)) {
            problems.push(
              `${model.name}.${relation.field}: foreign key ${name} is ${JSON.stringify(actual)}, schema.prisma says ${JSON.stringify(expected)}`,
            );
          }
        }
        for (const fk of catalog.foreignKeys.filter((k) => k.table_name === model.table)) {
          if (!expectedNames.includes(fk.name)) {
            problems.push(
              `${model.name}: foreign key ${fk.name} is not declared by a relation in schema.prisma`,
            );
          }
        }
        expect(problems).toEqual([]);
      });
    });
  }
});

function modelNamed(s: Schema, name: string): Model {
  const model = s.models.find((m) => m.name === name);
  if (!model) throw new Error(`schema.prisma has no model ${name}`);
  return model;
}

function columnNamed(model: Model, field: string): ColumnField {
  const column = model.columns.find((c) => c.field === field);
  if (!column) throw new Error(`${model.name}.${field} is not a scalar field`);
  return column;
}

function columnsOf(catalog: Catalog, model: Model): ColumnRow[] {
  return catalog.columns.filter((c) => c.table_name === model.table);
}

function indexesOf(catalog: Catalog, model: Model): IndexRow[] {
  return catalog.indexes.filter((i) => i.table_name === model.table);
}

/** Prisma's default constraint names: `{table}_{columns}_key|_idx`, `{table}_pkey`. */
function keyName(model: Model, key: KeySpec, suffix: "pkey" | "key" | "idx"): string {
  if (key.map) return key.map;
  return suffix === "pkey" ? `${model.table}_pkey` : `${model.table}_${key.columns.join("_")}_${suffix}`;
}

function checkIndex(catalog: Catalog, model: Model, key: KeySpec, unique: boolean): string | undefined {
  const kind = unique ? "@@unique" : "@@index";
  const what = `${model.name} ${kind}([${key.fields.join(", ")}])`;
  const name = keyName(model, key, unique ? "key" : "idx");
  const index = indexesOf(catalog, model).find((i) => i.index_name === name);
  if (!index) {
    const same = indexesOf(catalog, model).find((i) => i.columns.join() === key.columns.join());
    return same
      ? `${what}: expected index ${name}, found ${same.index_name} on the same columns`
      : `${what}: index ${name} on ${model.table}(${key.columns.join(", ")}) is missing`;
  }
  if (index.columns.join() !== key.columns.join()) {
    return `${what}: index ${name} is on (${index.columns.join(", ")}), expected (${key.columns.join(", ")})`;
  }
  if (index.is_unique !== unique) return `${what}: index ${name} is ${index.is_unique ? "" : "not "}unique`;
  if (!index.is_plain) return `${what}: index ${name} is partial or on expressions`;
  return undefined;
}

function describeType(row: ColumnRow): string {
  switch (row.data_type) {
    case "USER-DEFINED":
      return `USER-DEFINED(${row.udt_name})`;
    case "timestamp with time zone":
    case "timestamp without time zone":
    case "time with time zone":
    case "time without time zone":
      return `${row.data_type}(${row.datetime_precision})`;
    case "character varying":
    case "character":
      return row.character_maximum_length === null
        ? row.data_type
        : `${row.data_type}(${row.character_maximum_length})`;
    case "numeric":
      return `numeric(${row.numeric_precision},${row.numeric_scale})`;
    default:
      return row.data_type;
  }
}

/** The column type Prisma's PostgreSQL connector gives a field, in `describeType`'s notation. */
function expectedType(s: Schema, model: Model, field: ColumnField): string {
  const where = `${model.name}.${field.field}`;
  if (field.list) throw new Error(`${where}: scalar lists are not supported by this test`);
  if (field.kind === "enum") {
    const e = s.enums.find((x) => x.name === field.type);
    return `USER-DEFINED(${e?.dbName ?? field.type})`;
  }
  if (field.native) {
    const [a, b] = field.native.args;
    switch (field.native.name) {
      case "Timestamptz":
        return `timestamp with time zone(${a ?? 6})`;
      case "Timestamp":
        return `timestamp without time zone(${a ?? 6})`;
      case "Timetz":
        return `time with time zone(${a ?? 6})`;
      case "Time":
        return `time without time zone(${a ?? 6})`;
      case "Date":
        return "date";
      case "Text":
        return "text";
      case "VarChar":
        return a ? `character varying(${a})` : "character varying";
      case "Char":
        return `character(${a ?? 1})`;
      case "Uuid":
        return "uuid";
      case "Integer":
        return "integer";
      case "SmallInt":
        return "smallint";
      case "BigInt":
        return "bigint";
      case "Boolean":
        return "boolean";
      case "DoublePrecision":
        return "double precision";
      case "Real":
        return "real";
      case "Decimal":
        return `numeric(${a ?? 65},${b ?? 30})`;
      case "JsonB":
        return "jsonb";
      case "Json":
        return "json";
      case "ByteA":
        return "bytea";
      default:
        throw new Error(`${where}: @db.${field.native.name} is not known to this test`);
    }
  }
  const byType: Record<string, string> = {
    String: "text",
    Int: "integer",
    BigInt: "bigint",
    Float: "double precision",
    Decimal: "numeric(65,30)",
    Boolean: "boolean",
    DateTime: "timestamp without time zone(3)",
    Json: "jsonb",
    Bytes: "bytea",
  };
  const type = byType[field.type];
  if (!type) throw new Error(`${where}: type ${field.type} is not known to this test`);
  return type;
}

/** The default as PostgreSQL prints it back (`information_schema.columns.column_default`). */
function expectedDefault(s: Schema, model: Model, field: ColumnField): string | null {
  const value = field.default;
  if (value === undefined) return null;
  const where = `${model.name}.${field.field}`;
  if (value === "autoincrement()")
    return `nextval('${quoteIdent(`${model.table}_${field.column}_seq`)}'::regclass)`;
  if (value === "now()") return "CURRENT_TIMESTAMP";
  // Computed by Prisma Client, not the database.
  if (/^(uuid|cuid|ulid|nanoid)\(.*\)$/.test(value)) return null;
  const generated = /^dbgenerated\("(.*)"\)$/.exec(value);
  if (generated) return generated[1] ?? null;
  if (value === "true" || value === "false") return value;
  if (/^\d+$/.test(value)) return value;
  const cast =
    field.kind === "enum"
      ? quoteIdent(s.enums.find((e) => e.name === field.type)?.dbName ?? field.type)
      : castOf(field);
  if (field.kind === "enum") return `'${value}'::${cast}`;
  const text = /^"((?:[^"\\]|\\.)*)"$/.exec(value);
  if (text) return `'${(text[1] ?? "").replace(/\\(.)/g, "$1").replace(/'/g, "''")}'::${cast}`;
  throw new Error(`${where}: @default(${value}) is not known to this test`);
}

function castOf(field: ColumnField): string {
  if (field.native?.name === "VarChar") return "character varying";
  if (field.type === "Json") return "jsonb";
  return "text";
}

function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

async function readCatalog(sql: SqlDriver): Promise<Catalog> {
  const tables = await sql.query<{ table_name: string }>(
    `SELECT table_name::text FROM information_schema.tables
     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const columns = await sql.query<ColumnRow>(
    `SELECT table_name::text, column_name::text, data_type::text, udt_name::text, is_nullable::text,
            datetime_precision::int, character_maximum_length::int, numeric_precision::int,
            numeric_scale::int, column_default::text
     FROM information_schema.columns
     WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`,
  );
  const indexes = await sql.query<IndexRow>(
    `SELECT t.relname::text AS table_name, i.relname::text AS index_name,
            ix.indisunique AS is_unique, ix.indisprimary AS is_primary,
            (ix.indpred IS NULL AND ix.indexprs IS NULL) AS is_plain,
            (SELECT coalesce(json_agg(a.attname::text ORDER BY k.ord), '[]'::json)
             FROM unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum) AS columns
     FROM pg_index ix
     JOIN pg_class i ON i.oid = ix.indexrelid
     JOIN pg_class t ON t.oid = ix.indrelid
     JOIN pg_namespace n ON n.oid = t.relnamespace
     WHERE n.nspname = current_schema()
     ORDER BY t.relname, i.relname`,
  );
  const foreignKeys = await sql.query<ForeignKeyRow>(
    `SELECT t.relname::text AS table_name, c.conname::text AS name, rt.relname::text AS ref_table,
            (SELECT json_agg(a.attname::text ORDER BY k.ord)
             FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) AS columns,
            (SELECT json_agg(a.attname::text ORDER BY k.ord)
             FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum) AS ref_columns,
            c.confdeltype::text AS on_delete, c.confupdtype::text AS on_update
     FROM pg_constraint c
     JOIN pg_class t ON t.oid = c.conrelid
     JOIN pg_class rt ON rt.oid = c.confrelid
     JOIN pg_namespace n ON n.oid = t.relnamespace
     WHERE c.contype = 'f' AND n.nspname = current_schema()
     ORDER BY t.relname, c.conname`,
  );
  const enums = await sql.query<{ name: string; labels: string[] }>(
    `SELECT t.typname::text AS name, json_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
     FROM pg_type t
     JOIN pg_enum e ON e.enumtypid = t.oid
     JOIN pg_namespace n ON n.oid = t.typnamespace
     WHERE n.nspname = current_schema()
     GROUP BY t.typname`,
  );
  const actions: Record<string, string> = {
    a: "NoAction",
    r: "Restrict",
    c: "Cascade",
    n: "SetNull",
    d: "SetDefault",
  };
  return {
    tables: tables.map((t) => t.table_name),
    columns,
    indexes,
    foreignKeys: foreignKeys.map((k) => ({
      ...k,
      on_delete: actions[k.on_delete] ?? k.on_delete,
      on_update: actions[k.on_update] ?? k.on_update,
    })),
    enums,
  };
}
