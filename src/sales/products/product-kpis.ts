import { Prisma } from "../../generated/prisma/client.js";
import { closedIn } from "../deals/deal-sql.js";
import type { Db, LostReason, Workspace } from "../deps.js";
import type { Period } from "../periods/period.js";
import { ownedBy, type Scope } from "../scope.js";

/** One product's figures over a period; `product` null for the deals that carry none. */
export interface ProductKpiRow {
  product: { id: number; name: string } | null;
  wonRevenue: bigint;
  wonCount: number;
  lostCount: number;
  /** Won / (won + lost) of the deals carrying it closed in the period; null when none closed. */
  winRate: number | null;
  /** Its won revenue / its won count; null without wins. */
  averageDeal: bigint | null;
  /** Its lost deals by reason, most frequent first. */
  lostReasons: { reason: LostReason; count: number }[];
}

/**
 * SQL of `/kpi products`, one pass over the scope's deals closed in the period (not deleted) and
 * their lines: per product (null: deals without one), stage and, for losses, reason, the deals and
 * the won revenue. A line's share of its deal's amount is its amount over its deal's lines' amounts
 * when every line has one, else an equal share. A deal's amount may have moved since its lines were
 * written (a win at another amount), so a product's revenue is a share of the deal's amount as it
 * is, never the line's own amount: the products' revenues add up to the deals'.
 */
export function productKpiSql(ws: Workspace, period: Period, scope: Scope): Prisma.Sql {
  return Prisma.sql`
    WITH c AS (
      SELECT id, stage, amount, lost_reason FROM deal WHERE ${closedIn(ws, period)} ${ownedBy(scope)}
    ), l AS (
      SELECT l.deal_id, l.product_id, l.amount, count(*) OVER w AS n, count(l.amount) OVER w AS priced,
             sum(l.amount) OVER w AS total
      FROM deal_product l JOIN c ON c.id = l.deal_id
      WINDOW w AS (PARTITION BY l.deal_id)
    )
    SELECT l.product_id, p.name, c.stage::text AS stage,
           CASE WHEN c.stage = 'lost' THEN c.lost_reason END AS reason, count(*)::int AS deals,
           round(sum(c.amount * CASE WHEN l.n IS NULL THEN 1
                                     WHEN l.priced = l.n AND l.total > 0 THEN l.amount::numeric / l.total
                                     ELSE 1::numeric / l.n END))::bigint AS revenue
    FROM c LEFT JOIN l ON l.deal_id = c.id LEFT JOIN product p ON p.id = l.product_id
    GROUP BY 1, 2, 3, 4`;
}

/** A row of {@link productKpiSql}. */
export interface ProductKpiSqlRow {
  product_id: number | null;
  name: string | null;
  stage: "won" | "lost";
  reason: LostReason | null;
  deals: number;
  revenue: bigint;
}

/**
 * The figures of each product from {@link productKpiSql}'s rows: by won revenue, then won deals,
 * then name; the deals without a product last. Lost reasons most frequent first.
 */
export function productFigures(rows: readonly ProductKpiSqlRow[]): ProductKpiRow[] {
  const byProduct = new Map<number | null, ProductKpiRow>();
  for (const r of rows) {
    const row = byProduct.get(r.product_id) ?? {
      product: r.product_id === null ? null : { id: r.product_id, name: r.name ?? "" },
      wonRevenue: 0n,
      wonCount: 0,
      lostCount: 0,
      winRate: null,
      averageDeal: null,
      lostReasons: [],
    };
    if (r.stage === "won") {
      row.wonCount += r.deals;
      row.wonRevenue += BigInt(r.revenue);
    } else {
      row.lostCount += r.deals;
      row.lostReasons.push({ reason: r.reason ?? "other", count: r.deals });
    }
    byProduct.set(r.product_id, row);
  }
  const figures = [...byProduct.values()].map((row) => {
    const closed = row.wonCount + row.lostCount;
    row.lostReasons.sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
    return {
      ...row,
      winRate: closed > 0 ? row.wonCount / closed : null,
      averageDeal: row.wonCount > 0 ? row.wonRevenue / BigInt(row.wonCount) : null,
    };
  });
  return figures.sort(
    (a, b) =>
      Number(a.product === null) - Number(b.product === null) ||
      (b.wonRevenue > a.wonRevenue ? 1 : b.wonRevenue < a.wonRevenue ? -1 : 0) ||
      b.wonCount - a.wonCount ||
      (a.product?.name ?? "").localeCompare(b.product?.name ?? ""),
  );
}

/**
 * Which products sell, and where they are lost: the per-product figures of the deals closed in a
 * period (docs/architecture.md, "Products"), in one statement.
 */
export async function productKpis(
  db: Db,
  ws: Workspace,
  period: Period,
  scope: Scope,
): Promise<ProductKpiRow[]> {
  return productFigures(await db.$queryRaw<ProductKpiSqlRow[]>(productKpiSql(ws, period, scope)));
}

/**
 * {@link productKpis} where the workspace has a product catalogue, and nothing where it has none:
 * the digest and the dashboard show products only where the team sells them, and a workspace
 * without products does not pay for reading its closed deals' lines.
 */
export async function productsSold(
  db: Db,
  ws: Workspace,
  period: Period,
  scope: Scope,
): Promise<ProductKpiRow[]> {
  const [catalogue] = await db.$queryRaw<{ sells: boolean }[]>(
    Prisma.sql`SELECT EXISTS (SELECT 1 FROM product WHERE workspace_id = ${ws.id}) AS sells`,
  );
  return catalogue?.sells ? productKpis(db, ws, period, scope) : [];
}
