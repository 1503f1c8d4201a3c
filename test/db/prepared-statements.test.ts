import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { preparedNames } from "../../src/db/client.js";
import { Prisma } from "../../src/generated/prisma/client.js";
import { type EmptyDatabase, openMigratedDatabase } from "../support/db.js";

describe("GIVEN the names given to statement texts", () => {
  it("THEN a text keeps its name, another text gets another, and past the limit new texts run unnamed", () => {
    const nameOf = preparedNames(2);
    const first = nameOf({ sql: "SELECT 1" });
    const second = nameOf({ sql: "SELECT 2" });
    expect(first).not.toBe("");
    expect(second).not.toBe("");
    expect(second).not.toBe(first);
    expect(nameOf({ sql: "SELECT 1" })).toBe(first);
    expect(nameOf({ sql: "SELECT 3" })).toBe("");
    expect(nameOf({ sql: "SELECT 3" })).toBe("");
    expect(nameOf({ sql: "SELECT 2" })).toBe(second);
  });
});

describe.runIf(process.env.TEST_DATABASE_URL)("GIVEN Closer's statements on PostgreSQL", () => {
  let base: EmptyDatabase;

  beforeAll(async () => {
    base = await openMigratedDatabase();
  });
  afterAll(async () => {
    await base?.close();
  });

  it("THEN the server keeps them prepared under their name", async () => {
    const rows = await base.db.prisma.$queryRaw<{ name: string; statement: string }[]>(
      Prisma.sql`SELECT name, statement FROM pg_prepared_statements WHERE statement LIKE '%pg_prepared_statements%'`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.name).toMatch(/^closer_\d+$/);
  });

  it("THEN one prepared statement run many times, past the point a generic plan may be kept, answers each run for its own values", async () => {
    const answers: number[] = [];
    for (let n = 1; n <= 12; n++) {
      const [row] = await base.db.prisma.$queryRaw<{ n: number }[]>(
        Prisma.sql`SELECT count(*)::int AS n FROM generate_series(1, ${n}::int) WHERE generate_series % 2 = 0`,
      );
      answers.push(row?.n ?? -1);
    }
    expect(answers).toEqual([0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6]);
  });
});
