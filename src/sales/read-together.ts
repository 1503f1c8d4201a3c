import { Prisma } from "../generated/prisma/client.js";
import type { Db } from "./deps.js";

/**
 * Several reads sent at once. Each service gives its statement as a part (`kpiPart`,
 * `stalledPart`, …) with the function that makes its figures from the rows (`kpisOf`,
 * `stalledOf`, …), used alone by its command and together by the digest, so that a figure has one
 * definition. On PostgreSQL the pool runs the parts at once, each on its own connection; PGlite,
 * one connection, runs them in turn.
 */
export interface ReadPart<Row> {
  sql: Prisma.Sql;
  /** Never set: carries the type of the part's rows to {@link readTogether}'s answer. */
  readonly row?: Row;
}

/** A part whose rows are of type `Row`, as `$queryRaw` gives them. */
export const readPart = <Row>(part: { sql: Prisma.Sql }): ReadPart<Row> => part;

type RowsOf<P> = { [K in keyof P]: P[K] extends ReadPart<infer Row> ? Row[] : never };

/**
 * Runs every part, at once, and gives each its rows. Each statement starts with its part's name as
 * a comment, which the server's logs and the digest's bench show.
 */
export async function readTogether<P extends Record<string, ReadPart<unknown>>>(
  db: Db,
  parts: P,
): Promise<RowsOf<P>> {
  const names = Object.keys(parts);
  const rows = await Promise.all(
    names.map((name) =>
      db.$queryRaw<unknown[]>(
        Prisma.sql`${Prisma.raw(`/* ${name.replace(/[^\w-]/g, "")} */`)} ${(parts[name] as ReadPart<unknown>).sql}`,
      ),
    ),
  );
  return Object.fromEntries(names.map((name, i) => [name, rows[i]])) as RowsOf<P>;
}
