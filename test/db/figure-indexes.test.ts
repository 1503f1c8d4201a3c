import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { Prisma } from "../../src/generated/prisma/client.js";
import { monthsEnding } from "../../src/sales/dashboard/dashboard-service.js";
import {
  funnelSql,
  monthlyWonSql,
  pipelineSql,
  repFiguresSql,
} from "../../src/sales/dashboard/dashboard-sql.js";
import type { Workspace } from "../../src/sales/deps.js";
import { forecastSql } from "../../src/sales/forecast/forecast-service.js";
import { kpiSql, lostReasonsSql, sourceConversionSql } from "../../src/sales/kpis/kpi-service.js";
import { memberFiguresSql } from "../../src/sales/leaderboard/leaderboard-service.js";
import { periodContaining } from "../../src/sales/periods/period.js";
import type { Scope } from "../../src/sales/scope.js";
import { calendarOf } from "../../src/sales/workspaces/workspace-service.js";
import { createTestSales, seedRep, seedWorkspace } from "../fixtures/sales.js";
import { openTestDatabase } from "../support/db.js";

/**
 * The figures of the company, a team or a member are answered by the deal indexes alone (docs/architecture.md
 * §7, "Indexes"): each index holds the columns its figures sum and only the deals they count, so no
 * statement reads the deal table. With sequential and bitmap scans turned off, on a workspace of
 * some thousands of deals vacuumed as autovacuum (or PGlite's upkeep) leaves it, the planner picks
 * an index-only scan wherever one can answer, for it costs less than an index scan that also reads
 * each row; a statement whose predicate stops matching an index's, or that needs a column no index
 * holds, gets another scan of deal, and fails here.
 */

const NOW = new Date("2026-11-18T10:00:00Z");

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  Plans?: PlanNode[];
}

/** Each scan of `deal` in the plan: its node type and index. */
function dealScans(node: PlanNode): string[] {
  const own =
    node["Relation Name"] === "deal" ? [`${node["Node Type"]} ${node["Index Name"] ?? ""}`.trim()] : [];
  return [...own, ...(node.Plans ?? []).flatMap(dealScans)];
}

describe("the figures' statements, planned with index-only scans preferred", () => {
  let db: Database;
  let ws: Workspace;
  let scopes: [string, Scope][];

  beforeAll(async () => {
    db = await openTestDatabase();
    const { sales } = createTestSales(db, NOW.toISOString());
    ws = await seedWorkspace(sales, { timezone: "Europe/Paris" });
    const rep = await seedRep(sales, ws, "ana");
    const team = await db.prisma.team.create({
      data: { workspaceId: ws.id, name: "North", nameKey: "north" },
    });
    await db.prisma.member.update({ where: { id: rep.id }, data: { teamId: team.id } });
    const customer = await db.prisma.customer.create({
      data: { workspaceId: ws.id, name: "Acme", nameKey: "acme" },
    });
    // 6,000 deals over two years: a third open, the rest won or lost, as bench/kpi's data set is.
    await db.sql.query(
      `INSERT INTO deal (workspace_id, number, customer_id, owner_id, amount, stage, probability, lead_source,
                         expected_close_date, created_at, closed_at, lost_reason, updated_at)
       SELECT $1, n, $2, $3, 1000 + n, s.stage::"Stage", 50, 'web',
              CASE WHEN n % 5 > 0 THEN DATE '2026-11-18' + (n % 120) - 30 END,
              c.at, CASE WHEN n % 3 > 0 THEN c.at + interval '20 days' END,
              CASE WHEN n % 3 = 2 THEN 'price'::"LostReason" END, now()
       FROM generate_series(1, 6000) AS n,
            LATERAL (SELECT timestamptz '2026-11-18 10:00Z' - (n % 730) * interval '1 day' AS at) AS c,
            LATERAL (SELECT CASE n % 3 WHEN 0 THEN (ARRAY['lead', 'qualified', 'proposal', 'negotiation'])[1 + n % 4]
                                       WHEN 1 THEN 'won' ELSE 'lost' END AS stage) AS s`,
      [ws.id, customer.id, rep.id],
    );
    await db.sql.exec("VACUUM (ANALYZE) deal");
    scopes = [
      ["company", { scope: "company" }],
      ["a member", { scope: "member", member: rep }],
      ["a team", { scope: "team", team }],
    ];
  });
  afterAll(() => db?.close());

  async function scansOf(sql: Prisma.Sql): Promise<string[]> {
    return db.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SET LOCAL enable_seqscan = off`;
      await tx.$executeRaw`SET LOCAL enable_bitmapscan = off`;
      const [row] = await tx.$queryRaw<{ "QUERY PLAN": [{ Plan: PlanNode }] }[]>(
        Prisma.sql`EXPLAIN (FORMAT JSON) ${sql}`,
      );
      const plan = row?.["QUERY PLAN"][0]?.Plan;
      if (!plan) throw new Error("no plan");
      return dealScans(plan);
    });
  }

  it("GIVEN /kpi, /forecast, the leaderboard and the dashboard's statements THEN each reads deal by an index alone", async () => {
    const month = periodContaining("month", NOW, calendarOf(ws));
    const quarter = periodContaining("quarter", NOW, calendarOf(ws));
    const found: Record<string, string[]> = {};
    for (const [name, scope] of scopes) {
      const statements: Record<string, Prisma.Sql> = {
        // From the deals, as for a team or a period the kept sums cannot serve.
        kpi: kpiSql(ws, month, scope, NOW, "deals"),
        forecast: forecastSql(ws, quarter, scope, NOW, "deals"),
        leaderboard: memberFiguresSql(ws, quarter, { order: "revenue", scope, limit: 10, source: "deals" }),
        "lost reasons": lostReasonsSql(ws, month, scope, "deals"),
        sources: sourceConversionSql(ws, month, scope, "deals"),
        "twelve months": monthlyWonSql(ws, monthsEnding(ws, month), scope),
        pipeline: pipelineSql(ws, month, scope, NOW),
        funnel: funnelSql(ws, month, scope),
        reps: repFiguresSql(ws, month, scope),
      };
      for (const [label, sql] of Object.entries(statements)) {
        found[`${name}: ${label}`] = (await scansOf(sql)).filter(
          (scan) => !scan.startsWith("Index Only Scan"),
        );
      }
    }
    expect(Object.entries(found).filter(([, other]) => other.length > 0)).toEqual([]);
    // Not vacuous: the statements were planned, and scan deal through the three indexes.
    const kpi = await scansOf(kpiSql(ws, month, { scope: "company" }, NOW, "deals"));
    expect(kpi.sort()).toEqual([
      "Index Only Scan deal_closed_idx",
      "Index Only Scan deal_created_idx",
      "Index Only Scan deal_open_idx",
    ]);
  });
});
