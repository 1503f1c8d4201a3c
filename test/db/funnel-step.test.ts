import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { migrate, readMigrations } from "../../src/db/migrate.js";
import { AppError } from "../../src/errors.js";
import type { Member, Stage, Workspace } from "../../src/sales/deps.js";
import type { SalesService } from "../../src/sales/sales-service.js";
import { mulberry32 } from "../emulators/slack/posting-limits.js";
import { createTestSales, seedRep, seedWorkspace } from "../fixtures/sales.js";
import { openEmptyDatabase, openTestDatabase } from "../support/db.js";

/**
 * `deal.funnel_step`, the furthest funnel step a deal reached, is kept by a trigger so the dashboard's
 * funnel reads no history. It must always equal what the history says: the furthest of the stage
 * the deal is at and of every stage its events record (lead 0 … negotiation 3, won 4; lost is no step).
 */

const MIGRATION = "20261202004235_kpi_covering_indexes";

/** The furthest step each deal of the workspace reached by its history, beside the one kept on it. */
const STEPS_SQL = `
  WITH step(stage, n) AS (VALUES ('lead', 0), ('qualified', 1), ('proposal', 2), ('negotiation', 3), ('won', 4))
  SELECT d.number, d.funnel_step AS kept,
         greatest(coalesce((SELECT n FROM step WHERE step.stage = d.stage::text), 0),
                  coalesce((SELECT max(s.n) FROM deal_event e JOIN step s ON s.stage = e.stage::text
                            WHERE e.deal_id = d.id), 0)) AS history
  FROM deal d WHERE d.workspace_id = $1 ORDER BY d.number`;

interface StepRow {
  number: number;
  kept: number;
  history: number;
}

describe("the funnel step kept on each deal", () => {
  let db: Database;
  let sales: SalesService;

  beforeAll(async () => {
    db = await openTestDatabase();
    sales = createTestSales(db).sales;
  });
  afterAll(() => db?.close());

  it("GIVEN 200 random logs, moves, wins, losses, reopenings, deletions and restores THEN every deal's step is its history's", async () => {
    const ws = await seedWorkspace(sales);
    const reps = [await seedRep(sales, ws, "ana"), await seedRep(sales, ws, "ben")];
    const random = mulberry32(16);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const openStages: Stage[] = ["lead", "qualified", "proposal", "negotiation"];
    let logged = 0;
    let refused = 0;
    for (let i = 0; i < 200; i++) {
      const rep = pick(reps);
      const number = 1 + Math.floor(random() * Math.max(logged, 1));
      const op = logged < 5 ? 0 : Math.floor(random() * 7);
      try {
        if (op === 0) {
          const stage = pick<Stage>([...openStages, "won"]);
          await sales.deals.logDeal(ws, rep, { amount: 1000n, customer: `C${i % 7}`, stage });
          logged++;
        } else if (op <= 2) await sales.deals.moveStage(ws, rep, number, pick(openStages));
        else if (op === 3) await sales.deals.winDeal(ws, rep, number);
        else if (op === 4) await sales.deals.loseDeal(ws, rep, number, "price");
        else if (op === 5) await sales.deals.deleteDeal(ws, rep, number);
        else await sales.deals.restoreDeal(ws, rep, number);
      } catch (error) {
        // Refused (a closed deal moved, a deal of the other rep): it changes nothing.
        if (!(error instanceof AppError)) throw error;
        refused++;
      }
    }

    const rows = await db.sql.query<StepRow>(STEPS_SQL, [ws.id]);
    expect(rows).toHaveLength(logged);
    expect(rows.filter((r) => r.kept !== r.history)).toEqual([]);
    // The sequence went everywhere: every step is some deal's, and some changes were refused.
    expect(new Set(rows.map((r) => r.kept))).toEqual(new Set([0, 1, 2, 3, 4]));
    expect(refused).toBeGreaterThan(0);
  });

  it("GIVEN a deal won from lead, then lost after reopening THEN it keeps won as its furthest step", async () => {
    const ws = await seedWorkspace(sales);
    const rep = await seedRep(sales, ws, "cleo");
    const { deal } = await sales.deals.logDeal(ws, rep, { amount: 500n, customer: "Acme" });
    await sales.deals.winDeal(ws, rep, deal.number);
    await reopenAndLose(sales, ws, rep, deal.number);

    const [row] = await db.sql.query<StepRow>(STEPS_SQL, [ws.id]);
    expect(row).toEqual({ number: deal.number, kept: 4, history: 4 });
  });
});

async function reopenAndLose(sales: SalesService, ws: Workspace, rep: Member, number: number) {
  await sales.deals.moveStage(ws, rep, number, "proposal");
  await sales.deals.loseDeal(ws, rep, number, "timing");
}

describe("the migration that adds the funnel step", () => {
  it("GIVEN deals and histories written before it THEN it fills each deal's step from its history", async () => {
    const { db, close } = await openEmptyDatabase();
    try {
      const all = readMigrations();
      await migrate(
        db.sql,
        all.filter((m) => m.name < MIGRATION),
      );
      await db.sql.exec(`
        INSERT INTO workspace (id, platform, external_id, name, updated_at) VALUES (1, 'shell', 'w', 'W', now());
        INSERT INTO member (id, workspace_id, platform_user_id, display_name) VALUES (1, 1, 'u', 'U');
        INSERT INTO customer (id, workspace_id, name, name_key) VALUES (1, 1, 'Acme', 'acme');
        INSERT INTO deal (id, workspace_id, number, customer_id, owner_id, amount, stage, probability, updated_at) VALUES
          (1, 1, 1, 1, 1, 100, 'lead', 10, now()),
          (2, 1, 2, 1, 1, 100, 'lost', 0, now()),
          (3, 1, 3, 1, 1, 100, 'won', 100, now()),
          (4, 1, 4, 1, 1, 100, 'qualified', 20, now()),
          (5, 1, 5, 1, 1, 100, 'lost', 0, now());
        INSERT INTO deal_event (workspace_id, deal_id, kind, stage, at) VALUES
          (1, 1, 'created', 'lead', now()),
          (1, 2, 'created', 'lead', now()), (1, 2, 'stage', 'negotiation', now()), (1, 2, 'stage', 'lost', now()),
          (1, 3, 'created', 'lead', now()), (1, 3, 'stage', 'won', now()),
          (1, 4, 'created', 'proposal', now()), (1, 4, 'stage', 'qualified', now()),
          (1, 5, 'created', 'lost', now());`);

      expect(await migrate(db.sql)).toContain(MIGRATION);

      const rows = await db.sql.query<StepRow>(STEPS_SQL, [1]);
      expect(rows.map((r) => [r.number, r.kept])).toEqual([
        [1, 0],
        [2, 3],
        [3, 4],
        [4, 2],
        [5, 0],
      ]);
      expect(rows.filter((r) => r.kept !== r.history)).toEqual([]);
    } finally {
      await close();
    }
  });
});
