import { moreLines } from "../messages/lines.js";
import { ACTIVITY_KINDS } from "../sales/activities/activity-sql.js";
import type { Period } from "../sales/periods/period.js";
import type { Scope } from "../sales/scope.js";
import type { Answer, CommandContext } from "./command.js";

/** How many reps `/kpi activity` lists before "…and N more". */
const ROWS = 15;

/**
 * `/kpi activity`: the activities of the period per rep and kind, beside the deals each won, and
 * activities per won deal (docs/architecture.md, KPI definitions), per rep and in all.
 */
export async function kpiActivity(
  ctx: CommandContext,
  period: Period,
  scope: Scope,
  title: { period: string; who: string },
): Promise<Answer> {
  const { rows, totals } = await ctx.sales.activities.activityKpis(ctx.workspace, period, scope);
  const perWon = (total: number, won: number) => (won === 0 ? "–" : ctx.fmt.decimal(total / won));
  const shown = rows.slice(0, ROWS);
  return {
    title: ctx.t("activity.kpi_title", title),
    fields: [
      {
        label: ctx.t("activity.kpi_total"),
        value: ACTIVITY_KINDS.map((kind) =>
          ctx.t(`activity.kpi_count.${kind}`, { count: totals[kind] }),
        ).join(" · "),
      },
      { label: ctx.t("activity.kpi_won"), value: ctx.fmt.integer(totals.won) },
      { label: ctx.t("activity.kpi_per_won"), value: perWon(totals.total, totals.won) },
    ],
    lines: rows.length ? moreLines(ctx, { items: shown, total: rows.length }) : [ctx.t("activity.kpi_none")],
    table: rows.length
      ? {
          columns: [
            ctx.t("field.rep"),
            ...ACTIVITY_KINDS.map((kind) => ctx.t(`activity.column.${kind}`)),
            ctx.t("activity.column.total"),
            ctx.t("field.won"),
            ctx.t("activity.column.per_won"),
          ],
          rows: shown.map((r) => [
            r.name,
            ...ACTIVITY_KINDS.map((kind) => ctx.fmt.integer(r[kind])),
            ctx.fmt.integer(r.total),
            ctx.fmt.integer(r.won),
            perWon(r.total, r.won),
          ]),
        }
      : undefined,
  };
}
