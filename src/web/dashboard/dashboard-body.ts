import { html, raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import { withoutInlineStyles } from "../../charts/inline-styles.js";
import { renderSvg } from "../../charts/render.js";
import type { ChartSpec } from "../../charts/spec.js";
import { periodNameAtStart } from "../../messages/period-name.js";
import { type Speaker, speakerFor } from "../../messages/speaker.js";
import type { DashboardFigures } from "../../sales/dashboard/dashboard-service.js";
import { capital, DASHBOARD_CHART_SIZE, type DashboardCharts, dashboardCharts } from "./dashboard-charts.js";
import type { DashboardView } from "./dashboard-view.js";

type Html = HtmlEscapedString;
type Cell = string | { text: string; numeric: true };

/** What a figure that does not exist reads as, as in replies. */
const NONE = "–";

const num = (text: string): Cell => ({ text, numeric: true });

/**
 * A table of exact figures: a header row, then one row a value. Every cell is text, escaped by
 * `html`; numbers are aligned right by their class.
 */
function table(caption: string, columns: string[], rows: Cell[][]): Html {
  const cell = (c: Cell, tag: "td" | "th") =>
    typeof c === "string"
      ? tag === "th"
        ? html`<th scope="row">${c}</th>`
        : html`<td>${c}</td>`
      : html`<td class="num">${c.text}</td>`;
  return html`<table class="dash-table">
<caption>${caption}</caption>
<thead><tr>${columns.map((c, i) => (i === 0 ? html`<th scope="col">${c}</th>` : html`<th scope="col" class="num">${c}</th>`))}</tr></thead>
<tbody>${rows.map((r) => html`<tr>${r.map((c, i) => cell(c, i === 0 ? "th" : "td"))}</tr>`)}</tbody>
</table>` as Html;
}

/**
 * A chart drawn by ECharts, which escapes its text: the one place raw markup enters the page. Its
 * styles are attributes (see `withoutInlineStyles`), so a CSP without inline styles keeps them.
 */
const chart = (title: string, svg: string) =>
  html`<figure class="dash-chart" role="img" aria-label="${title}">${raw(svg)}</figure>`;

function section(id: string, title: string, charts: string[], body: Html | Html[]): Html {
  return html`<section class="dash-section" id="${id}">
<h2>${title}</h2>
${charts.map((svg) => chart(title, svg))}
${body}
</section>` as Html;
}

const empty = (text: string) => html`<p class="dash-empty">${text}</p>` as Html;

function wonSection(s: Speaker, f: DashboardFigures, svg: string): Html {
  const rows = f.months.map((m) => [
    capital(s, s.fmt.month(m.month.start)),
    num(s.fmt.money(m.won)),
    num(m.goal === null ? NONE : s.fmt.money(m.goal)),
    num(m.goal === null || m.goal === 0n ? NONE : s.fmt.percent(Number(m.won) / Number(m.goal))),
  ]);
  const title = s.t("dashboard.won_title");
  const columns = [
    s.t("dashboard.month"),
    s.t("kpi.won"),
    s.t("dashboard.goal"),
    s.t("dashboard.attainment"),
  ];
  return section("won", title, [svg], table(title, columns, rows));
}

function pipelineSection(s: Speaker, f: DashboardFigures, svgs: string[]): Html {
  const title = s.t("dashboard.pipeline_title");
  const rows = f.stages.map((st) => [
    capital(s, s.t(`stage.${st.stage}`)),
    num(st.stage === "won" ? NONE : s.fmt.integer(st.openCount)),
    num(st.stage === "won" ? NONE : s.fmt.money(st.openAmount)),
    num(s.fmt.integer(st.reached)),
    num(st.conversion === null ? NONE : s.fmt.percent(st.conversion)),
  ]);
  const columns = [
    s.t("field.stage"),
    s.t("field.open_deals"),
    s.t("dashboard.open_amount"),
    s.t("dashboard.reached"),
    s.t("dashboard.conversion"),
  ];
  return section("pipeline", title, svgs, [
    table(title, columns, rows),
    html`<p class="dash-note">${s.t("dashboard.funnel_note")}</p>` as Html,
  ]);
}

function forecastSection(s: Speaker, f: DashboardFigures, svg: string): Html {
  const { forecast } = f;
  const target = forecast.goal?.target ?? null;
  const ofGoal = (v: bigint | null) =>
    num(v === null || target === null || target === 0n ? NONE : s.fmt.percent(Number(v) / Number(target)));
  const runRate =
    forecast.runRate === null
      ? s.t(f.now < f.period.start ? "forecast.not_started" : "forecast.too_early")
      : s.fmt.money(forecast.runRate);
  const rows: Cell[][] = [
    [s.t("forecast.won"), num(s.fmt.money(forecast.won)), ofGoal(forecast.won)],
    [s.t("forecast.elapsed"), num(s.fmt.percent(forecast.elapsed)), num(NONE)],
    [s.t("forecast.run_rate"), num(runRate), ofGoal(forecast.runRate)],
    [s.t("forecast.weighted_open"), num(s.fmt.money(forecast.weightedOpen)), num(NONE)],
    [s.t("forecast.weighted"), num(s.fmt.money(forecast.weighted)), ofGoal(forecast.weighted)],
    [s.t("dashboard.goal"), num(target === null ? NONE : s.fmt.money(target)), num(NONE)],
  ];
  const title = s.t("dashboard.forecast_title");
  const columns = [s.t("dashboard.figure"), s.t("field.amount"), s.t("dashboard.attainment")];
  return section(
    "forecast",
    title,
    [svg],
    [table(title, columns, rows), target === null ? empty(s.t("dashboard.no_goal")) : (html`` as Html)],
  );
}

function lostSection(s: Speaker, f: DashboardFigures, svg: string): Html {
  const title = s.t("dashboard.lost_title");
  if (f.lost.length === 0) return section("lost", title, [], empty(s.t("dashboard.nothing_closed")));
  const rows = f.lost.map((r) => [
    capital(s, s.t(`reason.${r.reason}`)),
    num(s.fmt.integer(r.count)),
    num(s.fmt.money(r.amount)),
  ]);
  const columns = [s.t("field.lost_reason"), s.t("field.deals"), s.t("field.amount")];
  return section("lost", title, [svg], table(title, columns, rows));
}

function sourcesSection(s: Speaker, f: DashboardFigures, svg: string): Html {
  const title = s.t("dashboard.sources_title");
  if (f.sources.length === 0) return section("sources", title, [], empty(s.t("dashboard.nothing_closed")));
  const rows = f.sources.map((r) => [
    r.source ?? s.t("kpi.no_source"),
    num(s.fmt.integer(r.deals)),
    num(s.fmt.integer(r.won)),
    num(r.winRate === null ? NONE : s.fmt.percent(r.winRate)),
    num(s.fmt.money(r.revenue)),
  ]);
  const columns = [
    s.t("field.source"),
    s.t("field.deals"),
    s.t("field.won"),
    s.t("field.win_rate"),
    s.t("field.revenue"),
  ];
  return section("sources", title, [svg], table(title, columns, rows));
}

function repsSection(s: Speaker, f: DashboardFigures, svg: string): Html {
  const title = s.t("dashboard.reps_title");
  if (f.reps.length === 0) return section("reps", title, [], empty(s.t("dashboard.nothing_closed")));
  const rows = f.reps.map((r) => [
    r.name,
    num(s.fmt.money(r.won)),
    num(s.fmt.integer(r.wonCount)),
    num(s.fmt.integer(r.lostCount)),
    num(r.winRate === null ? NONE : s.fmt.percent(r.winRate)),
    num(r.averageDeal === null ? NONE : s.fmt.money(r.averageDeal)),
    num(r.cycleDays === null ? NONE : s.t("kpi.days", { days: Math.round(r.cycleDays * 10) / 10 })),
  ]);
  const columns = [
    s.t("field.rep"),
    s.t("field.revenue"),
    s.t("field.won"),
    s.t("field.lost"),
    s.t("field.win_rate"),
    s.t("kpi.average"),
    s.t("kpi.cycle"),
  ];
  return section("reps", title, [svg], table(title, columns, rows));
}

/** `/kpi products` as a table, where the team sells products; nothing otherwise. */
function productsSection(s: Speaker, f: DashboardFigures): Html | string {
  if (f.products.length === 0) return "";
  const title = s.t("dashboard.products_title");
  const rows = f.products.map((r) => [
    r.product?.name ?? "",
    num(s.fmt.money(r.wonRevenue)),
    num(s.fmt.integer(r.wonCount)),
    num(s.fmt.integer(r.lostCount)),
    num(r.winRate === null ? NONE : s.fmt.percent(r.winRate)),
    num(r.averageDeal === null ? NONE : s.fmt.money(r.averageDeal)),
  ]);
  const columns = [
    s.t("field.product"),
    s.t("field.revenue"),
    s.t("field.won"),
    s.t("field.lost"),
    s.t("field.win_rate"),
    s.t("field.average"),
  ];
  return section("products", title, [], table(title, columns, rows));
}

/** Draws every chart of the page at once; ECharts is loaded on the first. */
async function drawCharts(charts: DashboardCharts): Promise<Record<keyof DashboardCharts, string>> {
  const entries = Object.entries(charts) as [keyof DashboardCharts, ChartSpec][];
  const drawn = await Promise.all(entries.map(([, spec]) => renderSvg(spec, DASHBOARD_CHART_SIZE)));
  return Object.fromEntries(entries.map(([key], i) => [key, withoutInlineStyles(drawn[i] ?? "")])) as Record<
    keyof DashboardCharts,
    string
  >;
}

/**
 * The dashboard page's body (the layout wraps it in a document, with `dashboard.css`): a period
 * selector, a plain GET form, then for each figure a chart drawn server-side and a table of its
 * exact values, in the workspace's language, currency and time zone. Every text is escaped; only
 * the charts' SVG, which ECharts escapes itself, is inserted as it is. No script, no inline style.
 */
export async function dashboardBody(view: DashboardView): Promise<Html> {
  const s = speakerFor(view.workspace);
  const f = view.figures;
  const svg = await drawCharts(dashboardCharts(view.workspace, s, f));
  const periodName = periodNameAtStart(s, view.period, view.current);
  return html`<main class="dash">
<header class="dash-head">
<h1>${s.t("dashboard.title")}</h1>
<p class="dash-subtitle">${s.t("dashboard.subtitle", { who: view.scopeName, period: periodName })}</p>
<form class="dash-period" method="get">
<label for="dash-period">${s.t("field.period")}</label>
<input id="dash-period" name="period" type="text" value="${view.periodText}" placeholder="${s.t("period.option.any")}" autocomplete="off">
<button type="submit">${s.t("dashboard.show")}</button>
</form>
${view.error === undefined ? "" : html`<p class="dash-error" role="alert">${view.error}</p>`}
</header>
<div class="dash-grid">
${wonSection(s, f, svg.won)}
${forecastSection(s, f, svg.forecast)}
${pipelineSection(s, f, [svg.pipeline, svg.funnel])}
${lostSection(s, f, svg.lost)}
${sourcesSection(s, f, svg.sources)}
${repsSection(s, f, svg.reps)}
${productsSection(s, f)}
</div>
</main>` as Html;
}
