import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { AppError } from "../../src/errors.js";
import { Prisma } from "../../src/generated/prisma/client.js";
import { monthsEnding } from "../../src/sales/dashboard/dashboard-service.js";
import { monthlyWonSql, pipelineSql } from "../../src/sales/dashboard/dashboard-sql.js";
import { wonIn } from "../../src/sales/deals/deal-sql.js";
import type { LostReason, Member, Stage, Workspace } from "../../src/sales/deps.js";
import { forecastSql } from "../../src/sales/forecast/forecast-service.js";
import { wonPerOwner, wonSoFar } from "../../src/sales/goals/goal-service.js";
import type { ImportDeal } from "../../src/sales/imports/import-plan.js";
import { kpiSql, lostReasonsSql, sourceConversionSql } from "../../src/sales/kpis/kpi-service.js";
import { memberFiguresSql } from "../../src/sales/leaderboard/leaderboard-service.js";
import { type Period, periodContaining } from "../../src/sales/periods/period.js";
import { type ProductKpiOptions, productKpiSql } from "../../src/sales/products/product-kpis.js";
import type { SalesService } from "../../src/sales/sales-service.js";
import { COMPANY, type Scope } from "../../src/sales/scope.js";
import { calendarOf } from "../../src/sales/workspaces/workspace-service.js";
import { mulberry32 } from "../emulators/slack/posting-limits.js";
import { createTestSales, seedMember, seedRep, seedWorkspace } from "../fixtures/sales.js";
import { openTestDatabase } from "../support/db.js";

/**
 * The figure tables (docs/architecture.md §3, "Figures kept as deals change") are kept by triggers on
 * `deal`. Whatever the service does to deals, each table must hold exactly what its definition,
 * computed here again from the deals by plain SQL, gives: the same buckets (a bucket whose sums are
 * all zero is the same as no bucket), the same sums.
 */

/** Each table as its definition computes it from the deals, and as it is kept; rows as text. */
const TABLES: { name: string; expected: string; kept: string; exact?: boolean }[] = [
  {
    name: "figure_day",
    expected: `
      SELECT day::text, sum(won)::text AS won, sum(won_amount)::text AS won_amount, sum(cycle)::text AS cycle,
             sum(lost)::text AS lost, sum(new)::text AS new, sum(new_amount)::text AS new_amount
      FROM (
        SELECT (d.closed_at AT TIME ZONE w.timezone)::date AS day,
               count(*) FILTER (WHERE d.stage = 'won') AS won,
               coalesce(sum(d.amount) FILTER (WHERE d.stage = 'won'), 0) AS won_amount,
               coalesce(sum(greatest(extract(epoch FROM d.closed_at - d.created_at), 0))
                 FILTER (WHERE d.stage = 'won'), 0) AS cycle,
               count(*) FILTER (WHERE d.stage = 'lost') AS lost, 0 AS new, 0 AS new_amount
        FROM deal d JOIN workspace w ON w.id = d.workspace_id
        WHERE d.workspace_id = $1 AND d.deleted_at IS NULL AND d.stage IN ('won', 'lost')
        GROUP BY 1
        UNION ALL
        SELECT (d.created_at AT TIME ZONE w.timezone)::date, 0, 0, 0, 0, count(*), sum(d.amount)
        FROM deal d JOIN workspace w ON w.id = d.workspace_id
        WHERE d.workspace_id = $1 AND d.deleted_at IS NULL
        GROUP BY 1
      ) x GROUP BY day ORDER BY day`,
    kept: `
      SELECT day::text, won_count::text AS won, won_amount::text, won_cycle_seconds::text AS cycle,
             lost_count::text AS lost, new_count::text AS new, new_amount::text
      FROM figure_day
      WHERE workspace_id = $1
        AND (won_count, won_amount, won_cycle_seconds, lost_count, new_count, new_amount) <> (0, 0, 0, 0, 0, 0)
      ORDER BY day`,
  },
  {
    name: "figure_owner_month",
    expected: `
      SELECT to_char(d.closed_at AT TIME ZONE w.timezone, 'YYYY-MM') AS month, d.owner_id,
             count(*)::text AS won, sum(d.amount)::text AS won_amount
      FROM deal d JOIN workspace w ON w.id = d.workspace_id
      WHERE d.workspace_id = $1 AND d.deleted_at IS NULL AND d.stage = 'won'
      GROUP BY 1, 2 ORDER BY 1, 2`,
    kept: `
      SELECT to_char(month, 'YYYY-MM') AS month, owner_id, won_count::text AS won, won_amount::text
      FROM figure_owner_month
      WHERE workspace_id = $1 AND (won_count, won_amount) <> (0, 0)
      ORDER BY 1, 2`,
  },
  {
    name: "figure_open",
    expected: `
      SELECT coalesce(expected_close_date, '-infinity')::text AS expected, stage::text, count(*)::text AS n,
             sum(amount)::text AS amount, sum(amount * probability::numeric)::text AS weighted
      FROM deal
      WHERE workspace_id = $1 AND deleted_at IS NULL AND stage IN ('lead', 'qualified', 'proposal', 'negotiation')
      GROUP BY 1, 2 ORDER BY 1, 2`,
    kept: `
      SELECT expected::text, stage::text, open_count::text AS n, amount::text, weighted::text
      FROM figure_open
      WHERE workspace_id = $1 AND (open_count, amount, weighted) <> (0, 0, 0)
      ORDER BY 1, 2`,
  },
  {
    name: "figure_close",
    expected: `
      SELECT (d.closed_at AT TIME ZONE w.timezone)::date::text AS day, d.stage::text,
             coalesce(d.lead_source, '') AS source,
             CASE WHEN d.stage = 'lost' THEN coalesce(d.lost_reason::text, '') ELSE '' END AS reason,
             count(*)::text AS n, sum(d.amount)::text AS amount
      FROM deal d JOIN workspace w ON w.id = d.workspace_id
      WHERE d.workspace_id = $1 AND d.deleted_at IS NULL AND d.stage IN ('won', 'lost')
      GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
    kept: `
      SELECT day::text, stage::text, source, reason, closed_count::text AS n, amount::text
      FROM figure_close
      WHERE workspace_id = $1 AND (closed_count, amount) <> (0, 0)
      ORDER BY 1, 2, 3, 4`,
  },
  {
    // The products' figures: each closed deal's amount shared among its lines (an equal share unless
    // every line has an amount and they add up to more than zero), the whole of it under product 0
    // for a deal without lines; numeric sums, compared to the last digit.
    name: "figure_product",
    exact: true,
    expected: `
      WITH c AS (
        SELECT d.id, (d.closed_at AT TIME ZONE w.timezone)::date AS day, d.stage,
               CASE WHEN d.stage = 'lost' THEN coalesce(d.lost_reason::text, '') ELSE '' END AS reason, d.amount
        FROM deal d JOIN workspace w ON w.id = d.workspace_id
        WHERE d.workspace_id = $1 AND d.deleted_at IS NULL AND d.stage IN ('won', 'lost')
      ), l AS (
        SELECT deal_id, product_id, amount, count(*) OVER w AS n, count(amount) OVER w AS priced,
               sum(amount) OVER w AS total
        FROM deal_product WHERE deal_id IN (SELECT id FROM c) WINDOW w AS (PARTITION BY deal_id)
      )
      SELECT c.day::text, c.stage::text, c.reason, coalesce(l.product_id, 0)::text AS product, count(*)::text AS n,
             trim_scale(sum(c.amount * CASE WHEN l.n IS NULL THEN 1
                                            WHEN l.priced = l.n AND l.total > 0 THEN l.amount::numeric / l.total
                                            ELSE 1::numeric / l.n END))::text AS revenue
      FROM c LEFT JOIN l ON l.deal_id = c.id
      GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
    // Kept, the deals without lines are figure_close's closes plus product 0, which holds the deals
    // with lines taken off.
    kept: `
      SELECT day::text, stage::text, reason, product_id::text AS product, n::text, trim_scale(revenue)::text AS revenue
      FROM (
        SELECT day, stage, reason, product_id, closed_count AS n, revenue
        FROM figure_product WHERE workspace_id = $1 AND product_id <> 0
        UNION ALL
        SELECT day, stage, reason, 0, sum(n), sum(revenue) FROM (
          SELECT day, stage, reason, closed_count AS n, revenue
          FROM figure_product WHERE workspace_id = $1 AND product_id = 0
          UNION ALL
          SELECT day, stage, reason, closed_count, amount FROM figure_close WHERE workspace_id = $1
        ) z GROUP BY 1, 2, 3
      ) k
      WHERE (n, revenue) <> (0, 0)
      ORDER BY 1, 2, 3, 4`,
  },
  {
    // What each closed deal with lines is recorded as counting: exactly its rows as they are.
    name: "figure_product_deal",
    exact: true,
    expected: `
      SELECT d.id::text AS deal, (d.closed_at AT TIME ZONE w.timezone)::date::text AS day, d.stage::text,
             CASE WHEN d.stage = 'lost' THEN coalesce(d.lost_reason::text, '') ELSE '' END AS reason,
             d.amount::text, array_agg(l.product_id ORDER BY l.product_id)::text AS products,
             array_agg(trim_scale(d.amount * CASE WHEN l.priced = l.n AND l.total > 0 THEN l.amount::numeric / l.total
                                                  ELSE 1::numeric / l.n END) ORDER BY l.product_id)::text AS revenues
      FROM deal d JOIN workspace w ON w.id = d.workspace_id
      JOIN (SELECT deal_id, product_id, amount, count(*) OVER w AS n, count(amount) OVER w AS priced,
                   sum(amount) OVER w AS total
            FROM deal_product WINDOW w AS (PARTITION BY deal_id)) l ON l.deal_id = d.id
      WHERE d.workspace_id = $1 AND d.deleted_at IS NULL AND d.stage IN ('won', 'lost')
      GROUP BY d.id, w.timezone ORDER BY d.id`,
    kept: `
      SELECT deal_id::text AS deal, day::text, stage::text, reason, amount::text,
             product_ids::text AS products,
             (SELECT array_agg(trim_scale(r) ORDER BY k) FROM unnest(revenues) WITH ORDINALITY AS t(r, k))::text AS revenues
      FROM figure_product_deal
      WHERE workspace_id = $1
      ORDER BY deal_id`,
  },
  {
    name: "figure_activity",
    expected: `
      SELECT (last_activity_at AT TIME ZONE 'UTC')::date::text AS day, count(*)::text AS n
      FROM deal
      WHERE workspace_id = $1 AND deleted_at IS NULL AND stage IN ('lead', 'qualified', 'proposal', 'negotiation')
      GROUP BY 1 ORDER BY 1`,
    kept: `
      SELECT day::text, open_count::text AS n FROM figure_activity
      WHERE workspace_id = $1 AND open_count <> 0 ORDER BY 1`,
  },
];

async function differences(db: Database, ws: Workspace) {
  const found: Record<string, { expected: unknown[]; kept: unknown[] }> = {};
  for (const table of TABLES) {
    const expected = await db.sql.query<Record<string, unknown>>(table.expected, [ws.id]);
    const kept = await db.sql.query<Record<string, unknown>>(table.kept, [ws.id]);
    // Numeric sums keep their scale: compare the numbers, not how they print (an exact table trims
    // the scale in SQL, and its sums must agree to the last digit).
    const same = (a: Record<string, unknown>, b: Record<string, unknown>) =>
      Object.keys(a).every((k) => a[k] === b[k] || (!table.exact && Number(a[k]) === Number(b[k])));
    if (expected.length !== kept.length || expected.some((row, i) => !same(row, kept[i] ?? {})))
      found[table.name] = { expected, kept };
  }
  return found;
}

async function bucketCount(db: Database, ws: Workspace): Promise<number> {
  const [row] = await db.sql.query<{ n: number }>(
    `SELECT ((SELECT count(*) FROM figure_day WHERE workspace_id = $1) + (SELECT count(*) FROM figure_open WHERE workspace_id = $1)
      + (SELECT count(*) FROM figure_owner_month WHERE workspace_id = $1) + (SELECT count(*) FROM figure_activity WHERE workspace_id = $1)
      + (SELECT count(*) FROM figure_close WHERE workspace_id = $1) + (SELECT count(*) FROM figure_product WHERE workspace_id = $1))::int AS n`,
    [ws.id],
  );
  return row?.n ?? 0;
}

const OPEN: Stage[] = ["lead", "qualified", "proposal", "negotiation"];
const REASONS: LostReason[] = ["price", "product", "timing", "competitor", "no_decision", "other"];
const SOURCES = ["referral", "inbound", "event"];
const ZONES = ["Europe/Paris", "America/New_York", "Asia/Tokyo", "UTC"];

describe("the figure tables kept by triggers", () => {
  let db: Database;

  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db?.close());

  it("GIVEN 2,000 random changes of every kind across a DST change, imports and time-zone changes THEN every table equals its recomputation, and every figure read from them the same figure read from the deals", async () => {
    // Starts before Europe's DST change of 2026-10-25 and runs past it.
    const { sales, clock } = createTestSales(db, "2026-10-01T08:00:00Z");
    let ws = await seedWorkspace(sales, { timezone: "Europe/Paris" });
    const admin = (await sales.members.findMember(ws, "admin")) as Member;
    const reps = [
      await seedRep(sales, ws, "ana"),
      await seedRep(sales, ws, "ben"),
      await seedRep(sales, ws, "cy"),
    ];
    const random = mulberry32(2026);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const day = (offset: number) => {
      const d = new Date(clock.now().getTime() + offset * 86_400_000);
      return d.toISOString().slice(0, 10);
    };
    // A catalogue: products with a list price and without (their lines have no amount).
    const products = ["Pro", "Setup", "Support", "Training", "Hardware"];
    for (const [k, name] of products.entries())
      await sales.products.addProduct(ws, admin, name, k % 2 === 0 ? BigInt(1000 * (k + 1)) : undefined);
    const someProducts = () => products.filter(() => random() < 0.35);
    const tally = new Map<string, number>();
    const count = (what: string) => tally.set(what, (tally.get(what) ?? 0) + 1);
    let logged = 0;

    for (let i = 0; i < 2000; i++) {
      clock.advance(Math.floor(random() * 9 * 3_600_000));
      const actor = random() < 0.8 ? pick(reps) : admin;
      const number = 1 + Math.floor(random() * Math.max(logged, 1));
      const op = logged < 10 ? 0 : Math.floor(random() * 18);
      try {
        switch (op) {
          case 0:
          case 1: {
            const stage = pick<Stage>([...OPEN, "won"]);
            await sales.deals.logDeal(ws, actor, {
              amount: BigInt(100 + Math.floor(random() * 50_000)),
              customer: `C${Math.floor(random() * 9)}`,
              stage,
              closeDate: random() < 0.6 ? day(Math.floor(random() * 90) - 20) : undefined,
              owner: random() < 0.3 ? pick(reps) : undefined,
              probability: random() < 0.3 ? Math.floor(random() * 101) : undefined,
              source: random() < 0.5 ? pick(SOURCES) : undefined,
            });
            logged++;
            break;
          }
          case 2:
          case 3:
            await sales.deals.moveStage(ws, actor, number, pick(OPEN));
            break;
          case 4:
            await sales.deals.winDeal(ws, actor, number, {
              amount: random() < 0.3 ? BigInt(500 + Math.floor(random() * 9000)) : undefined,
              closedOn: random() < 0.5 ? day(-Math.floor(random() * 40)) : undefined,
            });
            break;
          case 5:
            await sales.deals.loseDeal(ws, actor, number, pick(REASONS));
            break;
          case 6:
            await sales.deals.editDeal(ws, actor, number, {
              amount: random() < 0.5 ? BigInt(100 + Math.floor(random() * 90_000)) : undefined,
              closeDate: day(Math.floor(random() * 60) - 10),
              source: random() < 0.3 ? pick(SOURCES) : undefined,
            });
            break;
          case 7:
            await sales.deals.reassign(ws, admin, number, pick(reps));
            break;
          case 8:
            await sales.deals.deleteDeal(ws, actor, number);
            break;
          case 9: {
            // Most deals are not deleted: a deleted one, when there is one, comes back.
            const deleted = await db.sql.query<{ number: number }>(
              "SELECT number FROM deal WHERE workspace_id = $1 AND deleted_at IS NOT NULL ORDER BY number",
              [ws.id],
            );
            await sales.deals.restoreDeal(ws, actor, deleted.length ? pick(deleted).number : number);
            break;
          }
          case 10:
          case 11:
            await sales.deals.addNote(ws, actor, number, "called them");
            break;
          case 12: {
            // An import: new deals with their history, and the same records again, changed; some
            // rows carry products, whose lines replace the deal's.
            const rows = importRows(i, clock.now(), random).map((r) =>
              random() < 0.5 ? { ...r, products: someProducts() } : r,
            );
            await sales.imports.importDeals(ws, oneBatch(rows), { createMembers: true, commit: true });
            break;
          }
          case 13:
          case 14: {
            // A deal logged with its lines, in one statement (won: its close and its lines at once);
            // without an amount it is its lines' sum, refused when one has no price.
            await sales.deals.logDeal(ws, actor, {
              amount: random() < 0.5 ? BigInt(100 + Math.floor(random() * 50_000)) : undefined,
              customer: `C${Math.floor(random() * 9)}`,
              stage: pick<Stage>(["lead", "proposal", "won", "won"]),
              products: someProducts(),
              source: random() < 0.5 ? pick(SOURCES) : undefined,
            });
            logged++;
            break;
          }
          case 15:
            // Lines added, replaced or removed (none named), on an open or a closed deal.
            await sales.deals.editDeal(ws, actor, number, {
              products: random() < 0.2 ? [] : someProducts(),
              amount: random() < 0.3 ? BigInt(100 + Math.floor(random() * 90_000)) : undefined,
            });
            break;
          case 16:
            if (random() < 0.7) {
              // Two customers made one: many deals rewritten in one statement, no close changed.
              const [from, into] = [Math.floor(random() * 9), Math.floor(random() * 9)];
              await sales.customers.mergeCustomers(ws, admin, `C${from}`, `C${into}`);
              count("merge");
            } else {
              // A deal deleted outright (no command does; a purge might): its lines go by cascade.
              await db.sql.query("DELETE FROM deal WHERE workspace_id = $1 AND number = $2", [ws.id, number]);
              count("deleted outright");
            }
            break;
          default: {
            if (random() < 0.15) {
              // The change rebuilds every table from the deals, which would hide a drift: look first.
              expect(await differences(db, ws), `before the zone change at ${i + 1}`).toEqual({});
              ws = await sales.workspaces.setConfig(ws, admin, "timezone", pick(ZONES));
              count("timezone");
            } else if (random() < 0.1) {
              ws = await sales.workspaces.setConfig(
                ws,
                admin,
                "fiscal_year_start",
                String(1 + Math.floor(random() * 12)),
              );
              count("fiscal year");
            } else {
              await sales.deals.moveStage(ws, actor, number, pick(OPEN));
            }
          }
        }
        count(String(op));
      } catch (error) {
        // Refused (a closed deal moved, another rep's deal, a deleted one): it changes nothing.
        if (!(error instanceof AppError)) throw error;
        count("refused");
      }
      if (i % 100 === 99) expect(await differences(db, ws), `after change ${i + 1}`).toEqual({});
    }

    expect(await differences(db, ws)).toEqual({});
    // The sequence did go everywhere: each kind of change happened, some were refused, the zone changed.
    for (let op = 0; op <= 17; op++) expect(tally.get(String(op)) ?? 0, `change ${op}`).toBeGreaterThan(0);
    expect(tally.get("refused") ?? 0).toBeGreaterThan(0);
    expect(tally.get("timezone") ?? 0).toBeGreaterThan(0);
    expect(tally.get("merge") ?? 0).toBeGreaterThan(0);
    expect(tally.get("deleted outright") ?? 0).toBeGreaterThan(0);
    expect(await bucketCount(db, ws)).toBeGreaterThan(100);

    const readers = await readersDiffer(db, sales, ws, reps[0] as Member, clock.now());
    expect(readers.differ).toEqual([]);
    expect(readers.compared).toBeGreaterThan(50);
    // Products were sold in many of the periods compared, not only deals without one.
    expect(readers.productsSold).toBeGreaterThan(20);
  }, 240_000);

  it("GIVEN a deal's close and its lines changed in one statement THEN figure_product is its recomputation, whichever table's trigger fires first", async () => {
    const { sales, clock } = createTestSales(db);
    const ws = await seedWorkspace(sales, { timezone: "America/New_York" });
    const admin = (await sales.members.findMember(ws, "admin")) as Member;
    const rep = await seedRep(sales, ws, "ana");
    const [pro, setup, support] = [
      await sales.products.addProduct(ws, admin, "Pro", 40_000n),
      await sales.products.addProduct(ws, admin, "Setup"),
      await sales.products.addProduct(ws, admin, "Support", 9_000n),
    ];
    const log = async (products: string[], stage: Stage = "proposal") =>
      (await sales.deals.logDeal(ws, rep, { amount: 70_000n, customer: "Acme", stage, products })).deal;
    // Which table's statement trigger ran first: a probe after the figure triggers of each table.
    await db.sql.exec(`
      CREATE TABLE trigger_probe (n serial, tbl text);
      CREATE FUNCTION trigger_probe() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN INSERT INTO trigger_probe (tbl) VALUES (TG_TABLE_NAME); RETURN NULL; END $$;
      CREATE TRIGGER zz_probe_insert AFTER INSERT ON deal_product REFERENCING NEW TABLE AS r
        FOR EACH STATEMENT EXECUTE FUNCTION trigger_probe();
      CREATE TRIGGER zz_probe_delete AFTER DELETE ON deal_product REFERENCING OLD TABLE AS r
        FOR EACH STATEMENT EXECUTE FUNCTION trigger_probe();
      CREATE TRIGGER zz_probe_insert AFTER INSERT ON deal REFERENCING NEW TABLE AS r
        FOR EACH STATEMENT EXECUTE FUNCTION trigger_probe();
      CREATE TRIGGER zz_probe_update AFTER UPDATE ON deal REFERENCING OLD TABLE AS o NEW TABLE AS r
        FOR EACH STATEMENT EXECUTE FUNCTION trigger_probe();
      CREATE TRIGGER zz_probe_delete AFTER DELETE ON deal REFERENCING OLD TABLE AS r
        FOR EACH STATEMENT EXECUTE FUNCTION trigger_probe();`);
    const orders: string[] = [];
    const run = async (what: string, sql: string, params: unknown[]) => {
      await db.sql.exec("TRUNCATE trigger_probe");
      await db.sql.query(sql, params);
      const fired = await db.sql.query<{ tbl: string }>("SELECT tbl FROM trigger_probe ORDER BY n");
      orders.push(fired.map((f) => f.tbl).join(" then "));
      expect(await differences(db, ws), what).toEqual({});
    };
    const won = "stage = 'won', probability = 100, closed_at = $2::timestamptz";
    const line = (position: number, amount: bigint | null, product = support) =>
      `INSERT INTO deal_product (workspace_id, deal_id, product_id, position, amount)
       VALUES (${ws.id}, $1, ${product.id}, ${position}, ${amount ?? "NULL"})`;

    // An open deal won while a line is added, the lines' statement written last, then first.
    for (const order of ["deal first", "lines first"]) {
      const deal = await log(["Pro", "Setup"]);
      const [win, add] = [`UPDATE deal SET ${won} WHERE id = $1 RETURNING id`, line(2, 9_000n)];
      await run(
        `won with a line added, ${order}`,
        order === "deal first"
          ? `WITH w AS (${win}), l AS (${add}) SELECT 1`
          : `WITH l AS (${add}), w AS (${win}) SELECT 1`,
        [deal.id, clock.now()],
      );
    }
    // A won deal lost while its lines are deleted, both orders.
    for (const order of ["deal first", "lines first"]) {
      const deal = await log(["Pro", "Support"], "won");
      const [lose, drop] = [
        "UPDATE deal SET stage = 'lost', lost_reason = 'price', probability = 0 WHERE id = $1 RETURNING id",
        "DELETE FROM deal_product WHERE deal_id = $1 AND $2::timestamptz IS NOT NULL",
      ];
      await run(
        `lost with its lines deleted, ${order}`,
        order === "deal first"
          ? `WITH w AS (${lose}), l AS (${drop}) SELECT 1`
          : `WITH l AS (${drop}), w AS (${lose}) SELECT 1`,
        [deal.id, clock.now()],
      );
    }
    // A won deal reopened while an unpriced line is added: it leaves the figures whole.
    for (const order of ["deal first", "lines first"]) {
      const deal = await log(["Pro"], "won");
      const [reopen, add] = [
        "UPDATE deal SET stage = 'negotiation', closed_at = NULL, probability = 75 WHERE id = $1 AND $2::timestamptz IS NOT NULL RETURNING id",
        line(1, null, setup),
      ];
      await run(
        `reopened with a line added, ${order}`,
        order === "deal first"
          ? `WITH w AS (${reopen}), l AS (${add}) SELECT 1`
          : `WITH l AS (${add}), w AS (${reopen}) SELECT 1`,
        [deal.id, clock.now()],
      );
    }
    // A won deal and its lines inserted in one statement, as `/deal log` does, the lines' insert
    // written after the deal's or before it (the deal's id taken first; the lines' foreign key is
    // checked at the statement's end).
    const [customer] = await db.sql.query<{ id: number }>("SELECT id FROM customer WHERE workspace_id = $1", [
      ws.id,
    ]);
    for (const [k, order] of ["deal first", "lines first"].entries()) {
      const [next] = await db.sql.query<{ id: number }>("SELECT nextval('deal_id_seq')::int AS id");
      const insert = `INSERT INTO deal (id, workspace_id, number, customer_id, owner_id, amount, stage, probability, closed_at, updated_at)
        VALUES ($1, ${ws.id}, ${1000 + k}, ${customer?.id}, ${rep.id}, 55500, 'won', 100, $2, $2)`;
      const lines = `INSERT INTO deal_product (workspace_id, deal_id, product_id, position, amount)
        VALUES (${ws.id}, $1, ${pro.id}, 0, 40000), (${ws.id}, $1, ${support.id}, 1, 9000)`;
      await run(
        `logged won with lines, ${order}`,
        order === "deal first"
          ? `WITH d AS (${insert}), l AS (${lines}) SELECT 1`
          : `WITH l AS (${lines}), d AS (${insert}) SELECT 1`,
        [next?.id, clock.now()],
      );
    }
    // The service's own statement, and a won deal with lines deleted outright (its lines by cascade).
    const logged = await log(["Pro", "Setup", "Support"], "won");
    await run("logged by the service", "SELECT $1::int", [logged.id]);
    await run("deleted outright", "DELETE FROM deal WHERE id = $1", [logged.id]);

    // Each pair ran in both orders (PostgreSQL fires the two tables' statement triggers in an order
    // it does not document; the probe shows which).
    for (const k of [0, 2, 4, 6]) {
      expect([orders[k], orders[k + 1]].sort(), `pair ${k / 2 + 1}`).toEqual([
        "deal then deal_product",
        "deal_product then deal",
      ]);
    }
    const [counted] = await db.sql.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM figure_product WHERE workspace_id = $1 AND product_id <> 0 AND closed_count <> 0",
      [ws.id],
    );
    expect(counted?.n).toBeGreaterThan(2);
  });

  it("GIVEN a workspace without a catalogue THEN its wins, losses and deletions keep nothing per product, and /kpi products still gives its deals without one", async () => {
    const { sales, clock } = createTestSales(db, "2026-11-10T10:00:00Z");
    const ws = await seedWorkspace(sales);
    const rep = await seedRep(sales, ws, "ana");
    await sales.deals.logDeal(ws, rep, { amount: 1000n, customer: "Acme", stage: "won" });
    const lost = await sales.deals.logDeal(ws, rep, { amount: 700n, customer: "Globex" });
    await sales.deals.loseDeal(ws, rep, lost.deal.number, "price");
    const deleted = await sales.deals.logDeal(ws, rep, { amount: 5000n, customer: "Initech", stage: "won" });
    await sales.deals.deleteDeal(ws, await seedMember(sales, ws, "ada", "admin"), deleted.deal.number);
    const [kept] = await db.sql.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM figure_product WHERE workspace_id = $1",
      [ws.id],
    );
    expect(kept?.n).toBe(0);
    clock.set("2026-12-02T10:00:00Z");
    const november = periodContaining("month", new Date("2026-11-10T10:00:00Z"), calendarOf(ws));
    expect(await sales.products.productKpis(ws, november, COMPANY)).toEqual([
      {
        product: null,
        wonRevenue: 1000n,
        wonCount: 1,
        lostCount: 1,
        winRate: 0.5,
        averageDeal: 1000n,
        lostReasons: [{ reason: "price", count: 1 }],
      },
    ]);
  });

  it("GIVEN two workspaces THEN each one's changes move only its own buckets", async () => {
    const { sales } = createTestSales(db);
    const [a, b] = [await seedWorkspace(sales), await seedWorkspace(sales, { timezone: "Asia/Tokyo" })];
    const [ra, rb] = [await seedRep(sales, a, "ana"), await seedRep(sales, b, "ana")];
    await sales.deals.logDeal(a, ra, { amount: 1000n, customer: "Acme", stage: "won" });
    const before = await bucketCount(db, b);
    await sales.deals.logDeal(a, ra, { amount: 2000n, customer: "Acme" });
    expect(await bucketCount(db, b)).toBe(before);
    await sales.deals.logDeal(b, rb, { amount: 3000n, customer: "Acme", stage: "won" });
    expect(await differences(db, a)).toEqual({});
    expect(await differences(db, b)).toEqual({});
  });
});

/**
 * Each figure that can read the kept sums, read from them and from the deals, for periods of every
 * kind (whole months, weeks, days, a range, and one that ends mid-day), for the company and a member.
 */
async function readersDiffer(db: Database, sales: SalesService, ws: Workspace, rep: Member, now: Date) {
  const cal = calendarOf(ws);
  const periods: Period[] = [];
  for (const back of [0, 25, 50, 80]) {
    const at = new Date(now.getTime() - back * 86_400_000);
    for (const kind of ["today", "week", "month", "quarter", "year"] as const)
      periods.push(periodContaining(kind, at, cal));
  }
  // Forty days to this instant: it ends mid-day, so the kept sums cannot answer it whole.
  periods.push({
    kind: "range",
    start: new Date(now.getTime() - 40 * 86_400_000),
    end: now,
    label: "to now",
  });
  const scopes: Scope[] = [COMPANY, { scope: "member", member: rep }];
  const read = async (sql: Prisma.Sql) =>
    JSON.stringify(await db.prisma.$queryRaw(sql), (_, v) => (typeof v === "bigint" ? `${v}` : v));
  const differ: string[] = [];
  let compared = 0;
  let productsSold = 0;
  const same = async (label: string, kept: Prisma.Sql, deals: Prisma.Sql) => {
    const [a, b] = [await read(kept), await read(deals)];
    compared++;
    if (a !== b) differ.push(`${label}: kept ${a}, deals ${b}`);
    return a;
  };
  for (const period of periods) {
    const name = `${period.kind} ${period.start.toISOString()}`;
    for (const scope of scopes) {
      const who = scope.scope;
      await same(
        `kpi ${who} ${name}`,
        kpiSql(ws, period, scope, now, "kept"),
        kpiSql(ws, period, scope, now, "deals"),
      );
      await same(
        `forecast ${who} ${name}`,
        forecastSql(ws, period, scope, now, "kept"),
        forecastSql(ws, period, scope, now, "deals"),
      );
      const options = { order: "revenue" as const, scope, limit: 2 };
      await same(
        `leaderboard ${who} ${name}`,
        memberFiguresSql(ws, period, { ...options, source: "kept" }),
        memberFiguresSql(ws, period, { ...options, source: "deals" }),
      );
    }
    for (const scope of scopes) {
      await same(
        `lost reasons ${scope.scope} ${name}`,
        lostReasonsSql(ws, period, scope),
        lostReasonsSql(ws, period, scope, "deals"),
      );
      await same(
        `sources ${scope.scope} ${name}`,
        sourceConversionSql(ws, period, scope),
        sourceConversionSql(ws, period, scope, "deals"),
      );
    }
    for (const scope of scopes) {
      // Rows in a fixed order: both statements group, neither sorts.
      const products = (options: ProductKpiOptions) =>
        Prisma.sql`SELECT * FROM (${productKpiSql(ws, period, scope, options)}) p
                   ORDER BY product_id NULLS FIRST, stage, reason NULLS FIRST`;
      for (const productsOnly of [false, true]) {
        const rows = await same(
          `products ${productsOnly ? "sold " : ""}${scope.scope} ${name}`,
          products({ productsOnly }),
          products({ productsOnly, source: "deals" }),
        );
        if (/"product_id":\d/.test(rows)) productsSold++;
      }
    }
    await same(
      `pipeline ${name}`,
      Prisma.sql`${pipelineSql(ws, period, COMPANY, now)} ORDER BY stage`,
      Prisma.sql`${pipelineSql(ws, period, COMPANY, now, "deals")} ORDER BY stage`,
    );
    if (period.kind === "month" || period.kind === "quarter" || period.kind === "year") {
      const months = monthsEnding(ws, period);
      await same(
        `twelve months ${name}`,
        Prisma.sql`${monthlyWonSql(ws, months, COMPANY)} ORDER BY bucket`,
        Prisma.sql`${monthlyWonSql(ws, months, COMPANY, "deals")} ORDER BY bucket`,
      );
      const until = new Date(period.start.getTime() + (period.end.getTime() - period.start.getTime()) / 3);
      await same(
        `won per owner ${name}`,
        Prisma.sql`SELECT owner_id, revenue::bigint, count::bigint FROM (${wonPerOwner(ws, period, until)}) w
                   WHERE count <> 0 ORDER BY owner_id`,
        Prisma.sql`SELECT owner_id, sum(amount)::bigint AS revenue, count(*)::bigint AS count FROM deal
                   WHERE ${wonIn(ws, { start: period.start, end: until })} GROUP BY owner_id ORDER BY owner_id`,
      );
      await same(
        `company won so far ${name}`,
        Prisma.sql`SELECT coalesce(revenue, 0)::bigint AS revenue, coalesce(count, 0)::bigint AS count
                   FROM (${wonSoFar(ws, period, until, { scope: "company", scopeId: 0 })}) w`,
        Prisma.sql`SELECT coalesce(sum(amount), 0)::bigint AS revenue, count(*)::bigint AS count FROM deal
                   WHERE ${wonIn(ws, { start: period.start, end: until })}`,
      );
    }
  }
  const stalled = await sales.reminders.stalledDeals(ws, { limit: 1 });
  const [plain] = await db.prisma.$queryRaw<{ n: number }[]>(Prisma.sql`
    SELECT count(*)::int AS n FROM deal
    WHERE workspace_id = ${ws.id} AND deleted_at IS NULL AND stage IN ('lead', 'qualified', 'proposal', 'negotiation')
      AND last_activity_at < ${new Date(now.getTime() - ws.stalledDays * 86_400_000)}`);
  compared++;
  if (stalled.total !== plain?.n) differ.push(`stalled: kept ${stalled.total}, deals ${plain?.n}`);
  return { differ, compared, productsSold };
}

async function* oneBatch(rows: ImportDeal[]) {
  yield rows;
}

/** A few imported deals: ids reused across imports, so later imports update earlier ones. */
function importRows(i: number, now: Date, random: () => number): ImportDeal[] {
  // Up to twelve rows: the triggers take a statement of more than eight rows as a set.
  return Array.from({ length: 1 + Math.floor(random() * 12) }, (_, k) => {
    const stage = (["lead", "proposal", "won", "lost"] as const)[Math.floor(random() * 4)] as Stage;
    const createdAt = new Date(now.getTime() - Math.floor(random() * 200) * 86_400_000);
    const closed = stage === "won" || stage === "lost";
    return {
      line: k + 2,
      source: "hubspot",
      externalId: String(Math.floor(random() * 30)),
      title: null,
      customer: `Imported ${k}`,
      owner: { email: null, name: random() < 0.5 ? "ana" : `Importee ${i % 3}` },
      amount: BigInt(1000 + Math.floor(random() * 20_000)),
      stage,
      probability: closed ? (stage === "won" ? 100 : 0) : 30,
      expectedCloseDate: closed ? null : new Date(now.getTime() + 10 * 86_400_000).toISOString().slice(0, 10),
      createdAt,
      closedAt: closed ? new Date(createdAt.getTime() + Math.floor(random() * 60) * 86_400_000) : null,
      lostReason: stage === "lost" ? "price" : null,
      lostNote: null,
      winNote: null,
      leadSource: null,
    };
  });
}
