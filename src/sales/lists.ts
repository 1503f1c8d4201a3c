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
