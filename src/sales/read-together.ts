import { Prisma } from "../generated/prisma/client.js";
import type { Db } from "./deps.js";

/**
 * Several reads in one statement. Once figures come from a few hundred kept rows, an answer's time
 * is mostly its round trips and plans: the digest's reads, sent one statement each, cost more in
 * those than in the database. Here each part's rows come back as one JSON array, in the part's own
 * order, all in one row of one statement.
 *
 * JSON has no 64-bit integers or instants: a part names its `bigint` and timestamp columns, which
 * are given back as `bigint` and `Date`, as `$queryRaw` gives them. A bigint beyond 2^53 would
 * have lost digits on the way, so it fails the read rather than be wrong (money in minor units
 * stays far below: 2^53 cents is 90 trillion).
 */
export interface JsonPart<Row> {
  sql: Prisma.Sql;
  /** Columns that are `bigint` (or `numeric` read as one): given back as `bigint`. */
  bigints?: readonly (keyof Row & string)[];
  /** Columns that are `timestamptz` or `date`: given back as `Date`. */
  dates?: readonly (keyof Row & string)[];
}

/** A part for rows of type `Row`: the type travels with the SQL, checked by the caller's reader. */
export const jsonPart = <Row>(part: JsonPart<Row>): JsonPart<Row> => part;

type RowsOf<P> = { [K in keyof P]: P[K] extends JsonPart<infer Row> ? Row[] : never };

export class UnsafeIntegerError extends Error {}

function bigintOf(column: string, value: unknown): bigint | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "number" && Number.isSafeInteger(value)) return BigInt(value);
  throw new UnsafeIntegerError(`column ${column}: ${String(value)} is not an integer JSON keeps exactly`);
}

const dateOf = (value: unknown): Date | null =>
  value === null || value === undefined ? null : new Date(String(value));

function decode(part: JsonPart<unknown>, rows: Record<string, unknown>[]): unknown[] {
  for (const row of rows) {
    for (const c of part.bigints ?? []) row[c] = bigintOf(c, row[c]);
    for (const c of part.dates ?? []) row[c] = dateOf(row[c]);
  }
  return rows;
}

/** Runs every part in one statement and gives each its rows, decoded. */
export async function readTogether<P extends Record<string, JsonPart<never>>>(
  db: Db,
  parts: P,
): Promise<RowsOf<P>> {
  const names = Object.keys(parts);
  const columns = names.map(
    (
      name,
    ) => Prisma.sql`(SELECT coalesce(json_agg(t), '[]'::json) FROM (${parts[name]?.sql ?? Prisma.empty}) t)
      AS ${Prisma.raw(`"${name.replaceAll('"', "")}"`)}`,
  );
  const [row] = await db.$queryRaw<Record<string, Record<string, unknown>[]>[]>(
    Prisma.sql`SELECT ${Prisma.join(columns)}`,
  );
  const out: Record<string, unknown[]> = {};
  for (const name of names) out[name] = decode(parts[name] as JsonPart<unknown>, row?.[name] ?? []);
  return out as RowsOf<P>;
}
