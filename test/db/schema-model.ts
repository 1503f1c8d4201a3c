import { readFileSync } from "node:fs";

/**
 * A small reader of `prisma/schema.prisma`, enough for the drift test to know which tables, columns,
 * keys, indexes and enums the migrations must create. It understands the subset of the Prisma
 * schema language a PostgreSQL schema uses, and throws on what it does not understand rather than
 * skipping it, so the drift test cannot pass by overlooking a declaration.
 */

export const SCHEMA_PATH = new URL("../../prisma/schema.prisma", import.meta.url).pathname;

const SCALAR_TYPES = new Set([
  "String",
  "Int",
  "BigInt",
  "Float",
  "Decimal",
  "Boolean",
  "DateTime",
  "Json",
  "Bytes",
]);

export interface Attribute {
  /** Without the `@`/`@@`, e.g. `map`, `db.Timestamptz`, `unique`. */
  name: string;
  /** Positional arguments, as written (strings keep their quotes). */
  positional: string[];
  /** Named arguments (`map: "x"`), as written. */
  named: Record<string, string>;
}

/** A native database type from `@db.Name(args)`. */
export interface NativeType {
  name: string;
  args: string[];
}

/** A field stored in a column: a scalar or an enum. */
export interface ColumnField {
  field: string;
  column: string;
  /** The Prisma type: a scalar (`String`, `DateTime`, ...) or an enum's name. */
  type: string;
  kind: "scalar" | "enum";
  optional: boolean;
  list: boolean;
  id: boolean;
  /** `@default(...)`'s argument as written, e.g. `now()`, `"UTC"`, `rep`, `true`. */
  default: string | undefined;
  updatedAt: boolean;
  native: NativeType | undefined;
}

/** A field whose type is another model: no column of its own. */
export interface RelationField {
  field: string;
  model: string;
  optional: boolean;
  list: boolean;
  /** Only on the side that holds the foreign key. */
  fields: string[];
  references: string[];
  onDelete: string | undefined;
  onUpdate: string | undefined;
  map: string | undefined;
}

/** A primary key, unique or index over fields, with their columns in the same order. */
export interface KeySpec {
  fields: string[];
  columns: string[];
  /** The database name given with `map:`, if any. */
  map: string | undefined;
}

export interface Model {
  name: string;
  table: string;
  columns: ColumnField[];
  relations: RelationField[];
  primaryKey: KeySpec | undefined;
  uniques: KeySpec[];
  indexes: KeySpec[];
}

export interface Enum {
  name: string;
  /** The type's name in the database (`@@map`, else the enum's name). */
  dbName: string;
  /** The labels in the database, in declaration order (`@map` on a value renames it). */
  values: string[];
}

export interface Schema {
  models: Model[];
  enums: Enum[];
}

export function readSchema(path = SCHEMA_PATH): Schema {
  return parseSchema(readFileSync(path, "utf8"));
}

interface Block {
  keyword: string;
  name: string;
  lines: string[];
}

export function parseSchema(source: string): Schema {
  const blocks = splitBlocks(stripComments(source));
  const modelNames = new Set(blocks.filter((b) => b.keyword === "model").map((b) => b.name));
  const enums = blocks.filter((b) => b.keyword === "enum").map(parseEnum);
  const enumNames = new Set(enums.map((e) => e.name));
  for (const block of blocks) {
    if (block.keyword === "view" || block.keyword === "type") {
      throw new Error(`schema.prisma: ${block.keyword} ${block.name} is not supported by this reader`);
    }
  }
  const models = blocks.filter((b) => b.keyword === "model").map((b) => parseModel(b, modelNames, enumNames));
  return { models, enums };
}

function stripComments(source: string): string {
  return source
    .split("\n")
    .map((line) => {
      let inString = false;
      for (let i = 0; i < line.length; i++) {
        const c = line[i];
        if (c === "\\" && inString) i++;
        else if (c === '"') inString = !inString;
        else if (!inString && c === "/" && line[i + 1] === "/") return line.slice(0, i);
      }
      return line;
    })
    .join("\n");
}

function splitBlocks(source: string): Block[] {
  const blocks: Block[] = [];
  const header = /^\s*(model|enum|view|type|generator|datasource)\s+(\w+)\s*\{\s*$/;
  let current: Block | undefined;
  for (const [index, raw] of source.split("\n").entries()) {
    const line = raw.trim();
    if (line === "") continue;
    if (!current) {
      const match = header.exec(line);
      if (!match?.[1] || !match[2]) throw new Error(`schema.prisma:${index + 1}: unexpected "${line}"`);
      current = { keyword: match[1], name: match[2], lines: [] };
    } else if (line === "}") {
      blocks.push(current);
      current = undefined;
    } else {
      current.lines.push(line);
    }
  }
  if (current) throw new Error(`schema.prisma: ${current.keyword} ${current.name} is not closed`);
  return blocks;
}

function parseEnum(block: Block): Enum {
  let dbName = block.name;
  const values: string[] = [];
  for (const line of block.lines) {
    if (line.startsWith("@@")) {
      const [attribute] = parseAttributes(line, `enum ${block.name}`);
      if (attribute?.name === "map") dbName = stringArg(attribute, `enum ${block.name}`);
      continue;
    }
    const match = /^(\w+)\s*(.*)$/.exec(line);
    if (!match?.[1]) throw new Error(`enum ${block.name}: cannot read "${line}"`);
    const mapped = parseAttributes(match[2] ?? "", `enum ${block.name}.${match[1]}`).find(
      (a) => a.name === "map",
    );
    values.push(mapped ? stringArg(mapped, `enum ${block.name}.${match[1]}`) : match[1]);
  }
  return { name: block.name, dbName, values };
}

function parseModel(block: Block, modelNames: Set<string>, enumNames: Set<string>): Model {
  const where = `model ${block.name}`;
  const columns: ColumnField[] = [];
  const relations: RelationField[] = [];
  const blockAttributes: Attribute[] = [];
  const fieldUniques: { field: string; map: string | undefined }[] = [];
  let fieldId: { field: string; map: string | undefined } | undefined;

  for (const line of block.lines) {
    if (line.startsWith("@@")) {
      blockAttributes.push(...parseAttributes(line, where));
      continue;
    }
    const match = /^(\w+)\s+(\w+(?:\([^)]*\))?)(\[\])?(\?)?(?:\s+(.*))?$/.exec(line);
    if (!match?.[1] || !match[2]) throw new Error(`${where}: cannot read field "${line}"`);
    const [, name, type, list, optional, rest] = match;
    const fieldWhere = `${block.name}.${name}`;
    const attributes = parseAttributes(rest ?? "", fieldWhere);
    const find = (n: string) => attributes.find((a) => a.name === n);

    if (modelNames.has(type)) {
      const relation = find("relation");
      relations.push({
        field: name,
        model: type,
        optional: optional === "?",
        list: list === "[]",
        fields: relation?.named.fields ? listArg(relation.named.fields) : [],
        references: relation?.named.references ? listArg(relation.named.references) : [],
        onDelete: relation?.named.onDelete,
        onUpdate: relation?.named.onUpdate,
        map: relation?.named.map ? unquote(relation.named.map, fieldWhere) : undefined,
      });
      continue;
    }
    if (!SCALAR_TYPES.has(type) && !enumNames.has(type)) {
      throw new Error(`${fieldWhere}: unknown type ${type}`);
    }
    const map = find("map");
    const id = find("id");
    const unique = find("unique");
    const native = attributes.find((a) => a.name.startsWith("db."));
    const column = map ? stringArg(map, fieldWhere) : name;
    if (id) fieldId = { field: name, map: id.named.map ? unquote(id.named.map, fieldWhere) : undefined };
    if (unique) {
      fieldUniques.push({
        field: name,
        map: unique.named.map ? unquote(unique.named.map, fieldWhere) : undefined,
      });
    }
    const known = new Set(["map", "id", "unique", "default", "updatedAt"]);
    for (const a of attributes) {
      if (!known.has(a.name) && !a.name.startsWith("db.")) {
        throw new Error(`${fieldWhere}: unknown attribute @${a.name}`);
      }
    }
    columns.push({
      field: name,
      column,
      type,
      kind: enumNames.has(type) ? "enum" : "scalar",
      optional: optional === "?",
      list: list === "[]",
      id: id !== undefined,
      default: find("default")?.positional[0],
      updatedAt: find("updatedAt") !== undefined,
      native: native ? { name: native.name.slice(3), args: native.positional } : undefined,
    });
  }

  const columnOf = (field: string): string => {
    const column = columns.find((c) => c.field === field);
    if (!column) throw new Error(`${where}: ${field} is not a scalar field of the model`);
    return column.column;
  };
  const key = (fields: string[], map: string | undefined): KeySpec => ({
    fields,
    columns: fields.map(columnOf),
    map,
  });
  const keyFrom = (attribute: Attribute): KeySpec => {
    const fields = attribute.named.fields ?? attribute.positional[0];
    if (!fields) throw new Error(`${where}: @@${attribute.name} has no fields`);
    return key(listArg(fields), attribute.named.map ? unquote(attribute.named.map, where) : undefined);
  };

  let table = block.name;
  let primaryKey = fieldId ? key([fieldId.field], fieldId.map) : undefined;
  const uniques = fieldUniques.map((u) => key([u.field], u.map));
  const indexes: KeySpec[] = [];
  for (const attribute of blockAttributes) {
    switch (attribute.name) {
      case "map":
        table = stringArg(attribute, where);
        break;
      case "id":
        if (primaryKey) throw new Error(`${where}: both @id and @@id`);
        primaryKey = keyFrom(attribute);
        break;
      case "unique":
        uniques.push(keyFrom(attribute));
        break;
      case "index":
        indexes.push(keyFrom(attribute));
        break;
      default:
        throw new Error(`${where}: unknown attribute @@${attribute.name}`);
    }
  }
  return { name: block.name, table, columns, relations, primaryKey, uniques, indexes };
}

/** Reads every `@name(args)` / `@@name(args)` in a piece of a line. */
export function parseAttributes(text: string, where: string): Attribute[] {
  const attributes: Attribute[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === " " || c === "\t") {
      i++;
      continue;
    }
    const head = /^@@?([\w.]+)/.exec(text.slice(i));
    if (!head?.[1]) throw new Error(`${where}: cannot read attributes "${text}"`);
    i += head[0].length;
    let args = "";
    if (text[i] === "(") {
      const end = closingParen(text, i, where);
      args = text.slice(i + 1, end);
      i = end + 1;
    }
    const positional: string[] = [];
    const named: Record<string, string> = {};
    for (const arg of splitTopLevel(args)) {
      const namedArg = /^(\w+)\s*:\s*([\s\S]+)$/.exec(arg);
      if (namedArg?.[1] && namedArg[2]) named[namedArg[1]] = namedArg[2].trim();
      else positional.push(arg);
    }
    attributes.push({ name: head[1], positional, named });
  }
  return attributes;
}

function closingParen(text: string, open: number, where: string): number {
  let depth = 0;
  let inString = false;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "(" || c === "[") depth++;
    else if (c === ")" || c === "]") {
      depth--;
      if (depth === 0) return i;
    }
  }
  throw new Error(`${where}: unbalanced parentheses in "${text}"`);
}

/** Splits on commas outside strings, parentheses and brackets; trims and drops empty parts. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "(" || c === "[") depth++;
    else if (c === ")" || c === "]") depth--;
    else if (c === "," && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== "");
}

/** `[a, b(sort: Desc)]` -> `["a", "b"]`. */
function listArg(text: string): string[] {
  const inner = /^\[([\s\S]*)\]$/.exec(text.trim());
  if (!inner) throw new Error(`expected a list, got ${text}`);
  return splitTopLevel(inner[1] ?? "").map((item) => item.replace(/\(.*\)$/s, "").trim());
}

function stringArg(attribute: Attribute, where: string): string {
  const value = attribute.positional[0] ?? attribute.named.name;
  if (value === undefined) throw new Error(`${where}: @${attribute.name} needs a string`);
  return unquote(value, where);
}

export function unquote(text: string, where: string): string {
  const match = /^"((?:[^"\\]|\\.)*)"$/.exec(text);
  if (!match) throw new Error(`${where}: expected a string, got ${text}`);
  return (match[1] ?? "").replace(/\\(.)/g, "$1");
}
