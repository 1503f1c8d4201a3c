import { Prisma } from "../generated/prisma/client.js";

/**
 * The first items of a list and how many it holds in all: what an answer cut at N needs to say
 * "and 12 more". `total` is exact, counted by the database, never the length of what was read.
 */
export interface CutList<T> {
  items: T[];
  total: number;
}

/**
 * A list read one row past its limit: when that row is there, more exist and `count` (run only
 * then) says how many; otherwise the rows are the whole list and nothing more is asked.
 */
export async function cutAt<T>(rows: T[], limit: number, count: () => Promise<number>): Promise<CutList<T>> {
  if (rows.length <= limit) return { items: rows, total: rows.length };
  return { items: rows.slice(0, limit), total: await count() };
}

/**
 * A list's limit written into the statement's text rather than sent as a value, so that a plan made
 * without the values (PostgreSQL's generic plan of a prepared statement) knows how few rows are
 * asked for. Whole numbers from the code only.
 */
export function limitSql(n: number): Prisma.Sql {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`a list's limit is a whole number, not ${n}`);
  return Prisma.raw(String(n));
}
