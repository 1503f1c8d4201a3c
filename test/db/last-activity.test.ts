import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, readMigrations } from "../../src/db/migrate.js";
import { type EmptyDatabase, openEmptyDatabase } from "../support/db.js";

const ADDED = "20261123010000_deal_last_activity";

describe("the deal_last_activity migration", () => {
  let database: EmptyDatabase;
  beforeAll(async () => {
    database = await openEmptyDatabase();
  });
  afterAll(() => database.close());

  it("GIVEN deals logged before it THEN each takes its latest event's time, or its creation without events", async () => {
    const { sql } = database.db;
    const all = readMigrations();
    await migrate(
      sql,
      all.filter((m) => m.name < ADDED),
    );
    await sql.exec(`
      INSERT INTO workspace (platform, external_id, name, updated_at) VALUES ('shell', 'w', 'W', now());
      INSERT INTO member (workspace_id, platform_user_id, display_name) VALUES (1, 'a', 'a');
      INSERT INTO customer (workspace_id, name, name_key) VALUES (1, 'Acme', 'acme');
      INSERT INTO deal (workspace_id, number, customer_id, owner_id, amount, stage, probability, created_at, updated_at)
      VALUES (1, 1, 1, 1, 100, 'lead', 10, '2026-10-01T09:00Z', now()),
             (1, 2, 1, 1, 100, 'lead', 10, '2026-10-02T09:00Z', now());
      INSERT INTO deal_event (workspace_id, deal_id, kind, at)
      VALUES (1, 1, 'created', '2026-10-01T09:00Z'), (1, 1, 'note', '2026-11-05T10:00Z'),
             (1, 1, 'stage', '2026-10-20T10:00Z');`);
    expect(await migrate(sql, all)).toEqual([ADDED, ...all.filter((m) => m.name > ADDED).map((m) => m.name)]);
    const rows = await sql.query<{ number: number; last: Date }>(
      "SELECT number, last_activity_at AS last FROM deal ORDER BY number",
    );
    expect(rows.map((r) => [r.number, new Date(r.last).toISOString()])).toEqual([
      [1, "2026-11-05T10:00:00.000Z"],
      [2, "2026-10-02T09:00:00.000Z"],
    ]);
  });
});
