import type { Prisma } from "../../src/generated/prisma/client.js";
import { monthsEnding } from "../../src/sales/dashboard/dashboard-service.js";
import {
  funnelSql,
  monthlyWonSql,
  pipelineSql,
  repFiguresSql,
} from "../../src/sales/dashboard/dashboard-sql.js";
import type { Workspace } from "../../src/sales/deps.js";
import { kpiSql, lostReasonsSql, sourceConversionSql } from "../../src/sales/kpis/kpi-service.js";
import type { Period } from "../../src/sales/periods/period.js";
import type { Scope } from "../../src/sales/scope.js";

/**
 * The statements `sales.dashboard.figures` sends, from the builders it uses, labelled; its two goal
 * look-ups (Prisma `findMany` on the goal table's unique key, well under a millisecond) are left out.
 * The forecast needs none of its own: its won revenue is the sources', its weighted pipeline the stages'.
 */
export function figureStatements(
  ws: Workspace,
  scope: Scope,
  period: Period,
  now: Date,
): { label: string; sql: Prisma.Sql }[] {
  return [
    { label: "monthlyWonSql (12 months)", sql: monthlyWonSql(ws, monthsEnding(ws, period), scope) },
    { label: "pipelineSql (and the weighted pipeline)", sql: pipelineSql(ws, period, scope, now) },
    { label: "funnelSql", sql: funnelSql(ws, period, scope) },
    { label: "lostReasonsSql", sql: lostReasonsSql(ws, period, scope) },
    { label: "sourceConversionSql", sql: sourceConversionSql(ws, period, scope) },
    { label: "repFiguresSql", sql: repFiguresSql(ws, period, scope) },
  ];
}

/**
 * Not the page's: `/kpi`'s own query for the same period and scope, timed in the same rounds, so a
 * run on a busy machine can be read against `bench/kpi`'s figures for it.
 */
export function referenceStatement(ws: Workspace, scope: Scope, period: Period, now: Date) {
  return { label: "reference: kpiSql (/kpi, not on the page)", sql: kpiSql(ws, period, scope, now) };
}
