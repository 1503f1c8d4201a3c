import { Prisma } from "../../generated/prisma/client.js";
import { closedIn } from "../deals/deal-sql.js";
import type { Db, LostReason, Workspace } from "../deps.js";
import { companyDays, type FigureSource, inDays } from "../figures/figure-sql.js";
import type { Period } from "../periods/period.js";
import { readPart } from "../read-together.js";
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

/** Where `/kpi products` reads from, and which of its rows. */
export interface ProductKpiOptions {
  /** `"deals"`: from the deals even where the kept sums could answer (the bench and tests compare both). */
  source?: FigureSource | undefined;
  /** Only the products' rows, not the deals without one; none where the workspace has no catalogue. */
  productsOnly?: boolean | undefined;
}

/**
 * SQL of `/kpi products`: per product (null: the deals without one), stage and, for losses, reason,
 * the scope's deals closed (won or lost) in the period, not deleted, and their won revenue. A deal's
 * revenue is shared among its lines (`deal_line_share`: a line's amount over its deal's lines' amounts
 * when every line has one, else an equal share). A deal's amount may have moved since its lines were
 * written (a win at another amount), so a product's revenue is a share of the deal's amount as it
 * is, never the line's own amount: the products' revenues add up to the deals'.
 *
 * The company's whole local days ({@link companyDays}) read the kept sums (`figure_product`, at most
 * a row a day per product, outcome and reason, which holds the deals with lines; the others are
 * `figure_close`'s), anything else one pass over the closed deals and their lines; both sum the same
 * numeric terms, so they round to the same figures.
 */
export function productKpiSql(
  ws: Workspace,
  period: Period,
  scope: Scope,
  { source, productsOnly = false }: ProductKpiOptions = {},
): Prisma.Sql {
  const days = companyDays(ws, period, scope, source);
  if (days) {
    // The deals without a product are every close (`figure_close`) less the deals with lines, which
    // product 0 holds taken off; the products alone leave product 0 out.
    const withoutProduct = productsOnly
      ? Prisma.sql`AND product_id <> 0`
      : Prisma.sql`
      UNION ALL
      SELECT 0, stage, reason, closed_count, amount FROM figure_close
      WHERE workspace_id = ${ws.id} AND ${inDays("day", days)}`;
    return Prisma.sql`
    SELECT nullif(f.product_id, 0) AS product_id, p.name, f.stage::text AS stage,
           nullif(f.reason, '')::"LostReason" AS reason, f.deals, f.revenue
    FROM (
      SELECT product_id, stage, reason, sum(closed_count)::int AS deals, round(sum(revenue))::bigint AS revenue
      FROM (
        SELECT product_id, stage, reason, closed_count, revenue FROM figure_product
        WHERE workspace_id = ${ws.id} AND ${inDays("day", days)} ${withoutProduct}
      ) k
      GROUP BY product_id, stage, reason
      HAVING sum(closed_count) <> 0
    ) f LEFT JOIN product p ON p.id = f.product_id`;
  }
  // Without a catalogue no deal has a line: a constant condition, so the deals are not even read.
  const sells = productsOnly
    ? Prisma.sql`AND EXISTS (SELECT 1 FROM product WHERE workspace_id = ${ws.id})`
    : Prisma.empty;
  return Prisma.sql`
    WITH c AS (
      SELECT id, stage, amount, lost_reason FROM deal WHERE ${closedIn(ws, period)} ${ownedBy(scope)} ${sells}
    ), l AS (
      SELECT l.deal_id, l.product_id, l.amount, count(*) OVER w AS n, count(l.amount) OVER w AS priced,
             sum(l.amount) OVER w AS total
      FROM deal_product l JOIN c ON c.id = l.deal_id
      WINDOW w AS (PARTITION BY l.deal_id)
    )
    SELECT l.product_id, p.name, c.stage::text AS stage,
           CASE WHEN c.stage = 'lost' THEN c.lost_reason END AS reason, count(*)::int AS deals,
           round(sum(c.amount * deal_line_share(l.amount, l.n, l.priced, l.total)))::bigint AS revenue
    FROM c ${productsOnly ? Prisma.sql`JOIN` : Prisma.sql`LEFT JOIN`} l ON l.deal_id = c.id
      LEFT JOIN product p ON p.id = l.product_id
    GROUP BY 1, 2, 3, 4`;
}

/** {@link productsSold}'s statement as a part of a {@link readTogether}; its rows go to {@link productFigures}. */
export const productsSoldPart = (ws: Workspace, period: Period, scope: Scope) =>
  readPart<ProductKpiSqlRow>({
    sql: productKpiSql(ws, period, scope, { productsOnly: true }),
  });

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
  options: ProductKpiOptions = {},
): Promise<ProductKpiRow[]> {
  return productFigures(await db.$queryRaw<ProductKpiSqlRow[]>(productKpiSql(ws, period, scope, options)));
}

/**
 * {@link productKpis}' products, without the deals that carry none, and nothing where the workspace
 * has no catalogue: the digest and the dashboard show products only where the team sells them. One
 * statement either way; a workspace without products reads a few kept rows, or no deal at all.
 */
export function productsSold(db: Db, ws: Workspace, period: Period, scope: Scope): Promise<ProductKpiRow[]> {
  return productKpis(db, ws, period, scope, { productsOnly: true });
}
