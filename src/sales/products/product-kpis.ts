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

/** The deals of the scope closed (won or lost) in the period: what every product figure reads. */
function closedDeals(ws: Workspace, period: Period, scope: Scope): Prisma.Sql {
  return Prisma.sql`SELECT id, stage, amount, lost_reason FROM deal WHERE ${closedIn(ws, period)} ${ownedBy(scope)}`;
}

/**
 * Each line of the closed deals with its share of its deal's amount: its amount over its deal's
 * lines' amounts when every line has one, else an equal share. A deal's amount may have moved since
 * its lines were written (a win at another amount), so a product's revenue is a share of the deal's
 * amount as it is, never the line's own amount: the products' revenues add up to the deals'.
 */
function lineShares(): Prisma.Sql {
  return Prisma.sql`
    SELECT l.deal_id, l.product_id,
           CASE WHEN count(l.amount) OVER w = count(*) OVER w AND sum(l.amount) OVER w > 0
                THEN l.amount::numeric / sum(l.amount) OVER w
                ELSE 1::numeric / count(*) OVER w END AS share
    FROM deal_product l JOIN closed c ON c.id = l.deal_id
    WINDOW w AS (PARTITION BY l.deal_id)`;
}

/**
 * SQL of `/kpi products`: per product (null: deals without one), the won revenue (its shares of the
 * deals won), the won and lost counts of the deals carrying it; by won revenue, "no product" last.
 */
export function productKpiSql(ws: Workspace, period: Period, scope: Scope): Prisma.Sql {
  return Prisma.sql`
    WITH closed AS (${closedDeals(ws, period, scope)}), shares AS (${lineShares()})
    SELECT s.product_id,
           count(*) FILTER (WHERE c.stage = 'won')::int AS won,
           count(*) FILTER (WHERE c.stage = 'lost')::int AS lost,
           coalesce(round(sum(c.amount * coalesce(s.share, 1)) FILTER (WHERE c.stage = 'won')), 0)::bigint AS revenue
    FROM closed c LEFT JOIN shares s ON s.deal_id = c.id
    GROUP BY s.product_id
    ORDER BY s.product_id IS NULL, revenue DESC, won DESC, s.product_id`;
}

/** SQL of the deals lost in the period per product (null: without one) and reason. */
export function productLostReasonsSql(ws: Workspace, period: Period, scope: Scope): Prisma.Sql {
  return Prisma.sql`
    WITH closed AS (${closedDeals(ws, period, scope)})
    SELECT l.product_id, c.lost_reason AS reason, count(*)::int AS count
    FROM closed c LEFT JOIN deal_product l ON l.deal_id = c.id
    WHERE c.stage = 'lost'
    GROUP BY l.product_id, c.lost_reason
    ORDER BY count DESC, reason`;
}

interface FigureRow {
  product_id: number | null;
  won: number;
  lost: number;
  revenue: bigint;
}

/**
 * Which products sell, and where they are lost: the per-product figures of the deals closed in a
 * period (docs/architecture.md, "Products").
 */
export async function productKpis(
  db: Db,
  ws: Workspace,
  period: Period,
  scope: Scope,
): Promise<ProductKpiRow[]> {
  const [figures, lost] = await Promise.all([
    db.$queryRaw<FigureRow[]>(productKpiSql(ws, period, scope)),
    db.$queryRaw<{ product_id: number | null; reason: LostReason | null; count: number }[]>(
      productLostReasonsSql(ws, period, scope),
    ),
  ]);
  const ids = figures.flatMap((r) => (r.product_id === null ? [] : [r.product_id]));
  const products = await db.product.findMany({ where: { workspaceId: ws.id, id: { in: ids } } });
  const names = new Map(products.map((p) => [p.id, p.name]));
  return figures.map((r) => {
    const closed = r.won + r.lost;
    return {
      product: r.product_id === null ? null : { id: r.product_id, name: names.get(r.product_id) ?? "?" },
      wonRevenue: r.revenue,
      wonCount: r.won,
      lostCount: r.lost,
      winRate: closed > 0 ? r.won / closed : null,
      averageDeal: r.won > 0 ? r.revenue / BigInt(r.won) : null,
      lostReasons: lost
        .filter((l) => l.product_id === r.product_id)
        .map((l) => ({ reason: l.reason ?? "other", count: l.count })),
    };
  });
}
