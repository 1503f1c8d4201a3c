import { parsePeriod } from "../../commands/period.js";
import { DATE_RANGE } from "../../commands/when.js";
import type { MessageKey } from "../../messages/i18n.js";
import { speakerFor } from "../../messages/speaker.js";
import type { DashboardFigures, DashboardScope } from "../../sales/dashboard/dashboard-service.js";
import type { Workspace } from "../../sales/deps.js";
import { isCurrentPeriod, type Period, periodContaining } from "../../sales/periods/period.js";
import type { SalesService } from "../../sales/sales-service.js";
import { calendarOf, localeOf } from "../../sales/workspaces/workspace-service.js";

/** Everything the dashboard page shows, read once: the body only formats and draws it. */
export interface DashboardView {
  workspace: Workspace;
  /** Whose figures, as the page names them: the whole company, or the team's name. */
  scopeName: string;
  /** The period as the user typed it in the selector (empty: this month), shown back in the form. */
  periodText: string;
  period: Period;
  /** Whether the period is the current one of its word (`This month`), as replies name it. */
  current: boolean;
  figures: DashboardFigures;
  /** Why the period typed was refused, in the workspace's language; the page then shows this month. */
  error?: string;
}

/** The longest period text shown back in a message; the rest of a long paste is cut. */
const SHOWN = 40;

/**
 * Reads the period typed (`month`, `last month`, `2026-Q3`, … as `/kpi` takes them; empty is this
 * month) and the scope's dashboard figures for it. A period that is not one is told on the page, in
 * the workspace's language, and the page shows this month.
 */
export async function dashboardView(
  sales: SalesService,
  ws: Workspace,
  scope: DashboardScope,
  periodText: string | undefined,
): Promise<DashboardView> {
  const s = speakerFor(ws);
  const now = sales.clock.now();
  const cal = calendarOf(ws);
  const text = (periodText ?? "").trim();
  let period: Period = periodContaining("month", now, cal);
  let error: string | undefined;
  if (text !== "") {
    const read = parsePeriod(text, { ...cal, now, locale: localeOf(ws) });
    if (read.ok) period = read.period;
    else {
      const value = text.length > SHOWN ? `${text.slice(0, SHOWN)}…` : text;
      const key: MessageKey =
        read.error === "order"
          ? "period.invalid_order"
          : read.error === "years"
            ? "period.invalid_years"
            : "period.invalid";
      error = `${s.t(key, { value, first: DATE_RANGE.firstYear, last: DATE_RANGE.lastYear })} ${s.t("dashboard.error_shown")}`;
    }
  }
  return {
    workspace: ws,
    scopeName:
      scope.scope === "team" ? s.t("dashboard.team", { name: scope.team.name }) : s.t("dashboard.company"),
    periodText: text,
    period,
    current: isCurrentPeriod(period, now, cal),
    figures: await sales.dashboard.figures(ws, scope, period),
    ...(error === undefined ? {} : { error }),
  };
}
