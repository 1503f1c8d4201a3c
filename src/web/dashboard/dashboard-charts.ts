import type { ChartSize, ChartSpec } from "../../charts/spec.js";
import { currencyDigits, INTL_LOCALE, toDecimal } from "../../messages/format.js";
import type { Speaker } from "../../messages/speaker.js";
import type { DashboardFigures } from "../../sales/dashboard/dashboard-service.js";
import type { Workspace } from "../../sales/deps.js";

/** Each chart's size on the page; CSS scales it to its column, the SVG keeping its proportions. */
export const DASHBOARD_CHART_SIZE: ChartSize = { width: 880, height: 360 };

/** How many reps the chart draws; the table beneath lists them all. */
export const CHART_REPS = 15;

/** The charts of each section of the dashboard, worded in the workspace's language. */
export interface DashboardCharts {
  won: ChartSpec;
  pipeline: ChartSpec;
  funnel: ChartSpec;
  forecast: ChartSpec;
  lost: ChartSpec;
  sources: ChartSpec;
  reps: ChartSpec;
}

/** A stage, reason or name with a capital, as a label starts. */
export const capital = (s: Speaker, text: string) =>
  text.charAt(0).toLocaleUpperCase(s.locale) + text.slice(1);

export function dashboardCharts(ws: Workspace, s: Speaker, f: DashboardFigures): DashboardCharts {
  const digits = currencyDigits(ws.currency);
  const units = (minor: bigint) => Number(toDecimal(minor, digits));
  const money = { currency: ws.currency };
  const base = { locale: s.locale, unit: money } as const;
  const shortMonth = new Intl.DateTimeFormat(INTL_LOCALE[s.locale], {
    timeZone: ws.timezone,
    month: "short",
    year: "2-digit",
  });
  const open = f.stages.filter((st) => st.stage !== "won");
  const goal = f.forecast.goal;
  const reps = f.reps.slice(0, CHART_REPS);
  return {
    won: {
      ...base,
      kind: "bar",
      title: s.t("dashboard.won_title"),
      labels: f.months.map((m) => shortMonth.format(m.month.start)),
      series: [
        { name: s.t("kpi.won"), values: f.months.map((m) => units(m.won)) },
        {
          name: s.t("dashboard.goal"),
          values: f.months.map((m) => (m.goal === null ? null : units(m.goal))),
        },
      ],
    },
    pipeline: {
      ...base,
      kind: "bar",
      horizontal: true,
      title: s.t("dashboard.pipeline_title"),
      labels: open.map((st) => capital(s, s.t(`stage.${st.stage}`))),
      series: [{ name: s.t("dashboard.open_amount"), values: open.map((st) => units(st.openAmount)) }],
    },
    funnel: {
      locale: s.locale,
      unit: "count",
      kind: "bar",
      horizontal: true,
      title: s.t("dashboard.funnel_title"),
      labels: f.stages.map((st) => capital(s, s.t(`stage.${st.stage}`))),
      series: [{ name: s.t("dashboard.reached"), values: f.stages.map((st) => st.reached) }],
    },
    forecast: {
      ...base,
      kind: "bar",
      title: s.t("dashboard.forecast_title"),
      labels: [s.t("forecast.won"), s.t("forecast.run_rate"), s.t("forecast.weighted")],
      series: [
        {
          name: s.t("field.amount"),
          values: [
            units(f.forecast.won),
            f.forecast.runRate === null ? null : units(f.forecast.runRate),
            units(f.forecast.weighted),
          ],
        },
      ],
      ...(goal ? { target: { label: s.t("dashboard.goal"), value: units(goal.target) } } : {}),
    },
    lost: {
      ...base,
      kind: "bar",
      horizontal: true,
      title: s.t("dashboard.lost_title"),
      labels: f.lost.map((r) => capital(s, s.t(`reason.${r.reason}`))),
      series: [{ name: s.t("field.amount"), values: f.lost.map((r) => units(r.amount)) }],
    },
    sources: {
      locale: s.locale,
      unit: "ratio",
      kind: "bar",
      horizontal: true,
      title: s.t("dashboard.sources_title"),
      labels: f.sources.map((r) => r.source ?? s.t("kpi.no_source")),
      series: [{ name: s.t("field.win_rate"), values: f.sources.map((r) => r.winRate) }],
    },
    reps: {
      ...base,
      kind: "bar",
      horizontal: true,
      title: s.t("dashboard.reps_title"),
      labels: reps.map((r) => r.name),
      series: [{ name: s.t("field.revenue"), values: reps.map((r) => units(r.won)) }],
    },
  };
}
