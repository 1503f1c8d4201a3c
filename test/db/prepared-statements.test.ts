import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDataset, openSession } from "../../bench/kpi/dataset.js";
import { digestCase } from "../../bench/kpi/digest.js";
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

  it("THEN each of the digest's statements, run as often as PostgreSQL needs to judge, keeps one generic plan", async () => {
    // bench/kpi's data set, a tenth of it: two years of deals, a goal per rep, vacuumed and analysed. At this
    // size PostgreSQL already plans anew at each run a statement whose range of instants it can see.
    await buildDataset(base.db, { deals: 100_000, reps: 100, customers: 1000, vacuum: true });
    const { statements } = await digestCase(base.db.prisma, await openSession(base.db));
    expect(statements.map((s) => s.label).sort()).toEqual(
      ["goals", "kpis", "lossesAndSources", "products", "reps", "stalled", "yesterday"].sort(),
    );
    // One connection, each statement prepared under a name as Prisma's adapter prepares it
    // (src/db/client.ts): PostgreSQL weighs a generic plan against the custom plans of the first five
    // runs, and a statement whose plan depends on its values is planned again at every run.
    const client = new pg.Client({ connectionString: base.url, options: "-c TimeZone=UTC" });
    await client.connect();
    try {
      for (const s of statements) {
        for (let run = 0; run < 8; run++) {
          await client.query({ name: s.label, text: s.sql.text, values: s.sql.values as unknown[] });
        }
      }
      const { rows } = await client.query<{ name: string; generic_plans: string; custom_plans: string }>(
        "SELECT name, generic_plans, custom_plans FROM pg_prepared_statements ORDER BY name",
      );
      expect(rows.map((r) => r.name)).toEqual(statements.map((s) => s.label).sort());
      expect(rows.filter((r) => Number(r.generic_plans) < 3)).toEqual([]);
    } finally {
      await client.end();
    }
  });
});
