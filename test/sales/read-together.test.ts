import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { Prisma } from "../../src/generated/prisma/client.js";
import { readPart, readTogether } from "../../src/sales/read-together.js";
import { openTestDatabase } from "../support/db.js";

/** Several statements sent at once: each part's rows, in its order and with its types. */
describe("GIVEN parts read together", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db.close());

  it("THEN each part has its own rows in its own order, bigints and instants as $queryRaw gives them, and an empty part none", async () => {
    const rows = await readTogether(db.prisma, {
      numbers: readPart<{ n: number; big: bigint }>({
        sql: Prisma.sql`SELECT n, (n * 1000000000000)::bigint AS big FROM generate_series(1, 5) n ORDER BY n DESC`,
      }),
      times: readPart<{ at: Date }>({
        sql: Prisma.sql`SELECT ${new Date("2026-11-18T10:00:00.123Z")}::timestamptz AS at`,
      }),
      nothing: readPart<{ x: number }>({ sql: Prisma.sql`SELECT 1 AS x WHERE false` }),
    });
    expect(rows.numbers).toEqual([5, 4, 3, 2, 1].map((n) => ({ n, big: BigInt(n) * 1_000_000_000_000n })));
    expect(rows.times).toEqual([{ at: new Date("2026-11-18T10:00:00.123Z") }]);
    expect(rows.nothing).toEqual([]);
  });
});
