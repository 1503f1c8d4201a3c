import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { Prisma } from "../../src/generated/prisma/client.js";
import { jsonPart, readTogether, UnsafeIntegerError } from "../../src/sales/read-together.js";
import { openTestDatabase } from "../support/db.js";

/** Several statements read as one: each part's rows, in its order and with its types. */
describe("GIVEN parts read together", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db.close());

  it("THEN each part has its rows in its own order, bigints, instants and days as $queryRaw gives them, and an empty part none", async () => {
    const rows = await readTogether(db.prisma, {
      numbers: jsonPart<{ n: number; big: bigint; half: number }>({
        sql: Prisma.sql`SELECT n, (n * 1000000000000)::bigint AS big, n / 2.0::float8 AS half
          FROM generate_series(1, 5) n ORDER BY n DESC`,
        bigints: ["big"],
      }),
      times: jsonPart<{ at: Date; day: Date; none: Date | null }>({
        sql: Prisma.sql`SELECT ${new Date("2026-11-18T10:00:00.123Z")}::timestamptz AS at,
          '2026-11-25'::date AS day, NULL::timestamptz AS none`,
        dates: ["at", "day", "none"],
      }),
      nothing: jsonPart<{ x: number }>({ sql: Prisma.sql`SELECT 1 AS x WHERE false` }),
    });
    expect(rows.numbers).toEqual(
      [5, 4, 3, 2, 1].map((n) => ({ n, big: BigInt(n) * 1_000_000_000_000n, half: n / 2 })),
    );
    expect(rows.times).toEqual([
      { at: new Date("2026-11-18T10:00:00.123Z"), day: new Date("2026-11-25T00:00:00Z"), none: null },
    ]);
    expect(rows.nothing).toEqual([]);
  });

  it("THEN a bigint beyond what JSON keeps exactly fails the read instead of being rounded", async () => {
    const read = readTogether(db.prisma, {
      big: jsonPart<{ v: bigint }>({ sql: Prisma.sql`SELECT 9007199254740993::bigint AS v`, bigints: ["v"] }),
    });
    await expect(read).rejects.toBeInstanceOf(UnsafeIntegerError);
  });
});
