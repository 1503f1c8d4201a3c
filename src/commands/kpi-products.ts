import type { Period } from "../sales/periods/period.js";
import type { ProductKpiRow } from "../sales/products/product-service.js";
import type { Scope } from "../sales/scope.js";
import type { Answer, CommandContext } from "./command.js";

/** A product's lost deals by reason: `price 2, timing 1`; a dash when none was lost. */
function lostText(ctx: CommandContext, row: ProductKpiRow): string {
  if (row.lostReasons.length === 0) return "–";
  return row.lostReasons
    .map((l) =>
      ctx.t("kpi.products_lost", { reason: ctx.t(`reason.${l.reason}`), count: ctx.fmt.integer(l.count) }),
    )
    .join(", ");
}

/**
 * `/kpi products`: per product, the won revenue, won count, win rate, average won deal and why its
 * deals were lost; by won revenue, the deals without a product last.
 */
export async function kpiProducts(
  ctx: CommandContext,
  period: Period,
  scope: Scope,
  title: string,
): Promise<Answer> {
  const rows = await ctx.sales.products.productKpis(ctx.workspace, period, scope);
  return {
    title,
    lines: rows.length ? [] : [ctx.t("kpi.none")],
    table: rows.length
      ? {
          columns: [
            ctx.t("field.product"),
            ctx.t("field.revenue"),
            ctx.t("field.won"),
            ctx.t("field.win_rate"),
            ctx.t("field.average"),
            ctx.t("field.lost_reasons"),
          ],
          rows: rows.map((r) => [
            r.product?.name ?? ctx.t("kpi.no_product"),
            ctx.fmt.money(r.wonRevenue),
            ctx.fmt.integer(r.wonCount),
            r.winRate === null ? "–" : ctx.fmt.percent(r.winRate),
            r.averageDeal === null ? "–" : ctx.fmt.money(r.averageDeal),
            lostText(ctx, r),
          ]),
        }
      : undefined,
  };
}
