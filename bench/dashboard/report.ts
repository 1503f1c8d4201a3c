import type { Summary } from "../support/percentiles.js";
import type { Backend, DashboardBenchOptions } from "./args.js";

export const TITLE = "## `bench/dashboard`: the manager's dashboard on 1,000,000 deals";
/** The hand-written analysis between these lines is kept when a run rewrites the section. */
export const ANALYSIS_START = "<!-- dashboard analysis: kept by bench:dashboard -->";
export const ANALYSIS_END = "<!-- /dashboard analysis -->";
const BUDGET_MS = 300;
/** Plans kept in the report: the statements of at least this share of a case's raw SQL. */
const EXPLAIN_FROM_SHARE = 0.15;

export interface CaseRun {
  name: string;
  periodLabel: string;
  figures: Summary;
  body: Summary;
  page: Summary;
  raw: Summary;
  parts: { label: string; ms: Summary }[];
  explain: Record<string, string>;
}

export interface BackendRun {
  backend: Backend;
  label: string;
  loadMs: number | null;
  cases: CaseRun[];
  error?: string;
}

const ms = (v: number) => (v >= 100 ? `${v.toFixed(0)} ms` : `${v.toFixed(1)} ms`);
const int = (n: number) => n.toLocaleString("en-US");

export function renderSection(run: {
  machine: string;
  code: string;
  load: [number, number];
  when: string;
  now: string;
  opts: DashboardBenchOptions;
  runs: BackendRun[];
  /** The analysis of an earlier run, kept. */
  analysis: string;
}): string {
  const { opts } = run;
  const lines: string[] = [
    TITLE,
    "",
    `- Command: \`npm run bench:dashboard\` (${opts.backends.join(" and ")}; ${opts.warmup} warm-up rounds, then ${opts.iterations} measured)`,
    `- When: ${run.when}; code ${run.code}`,
    `- Machine: ${run.machine}; load average ${run.load[0].toFixed(2)} at the start, ${run.load[1].toFixed(2)} at the end (other work on the machine widens the spread)`,
    `- Data: \`bench/kpi/dataset.ts\`, ${int(opts.deals)} deals, ${int(opts.reps)} reps, ${int(opts.customers)} customers in one workspace (Europe/Paris), one \`created\` event per deal, VACUUM (ANALYZE) after the load; plus a team of the first 50 reps; "now" fixed at ${run.now}`,
    `- Load: ${run.runs.map((r) => `${r.label} ${r.loadMs === null ? "reused from an earlier run (--reuse)" : `${(r.loadMs / 1000).toFixed(1)} s`}`).join(", ")}`,
    "",
    "### Budget (docs/architecture.md §7: dashboard first render < 300 ms server time)",
    "",
  ];
  for (const r of run.runs) {
    if (r.error) lines.push(`- ${r.label}: **failed**: ${r.error.split("\n")[0]}`);
    for (const c of r.cases) {
      const holds = c.page.median < BUDGET_MS;
      lines.push(
        `- ${r.label}, ${c.name}: **${holds ? "holds" : "misses"}** (page median ${ms(c.page.median)}, p95 ${ms(c.page.p95)}: figures ${ms(c.figures.median)}, body ${ms(c.body.median)})`,
      );
    }
  }
  lines.push(
    "",
    "### Timings (medians, p95 in brackets)",
    "",
    "| backend | dashboard | period | page (view + body) | figures | body (7 charts + tables) | raw SQL, sequential |",
    "|---|---|---|--:|--:|--:|--:|",
  );
  for (const r of run.runs) {
    for (const c of r.cases) {
      lines.push(
        `| ${r.label} | ${c.name} | ${c.periodLabel} | **${ms(c.page.median)}** (${ms(c.page.p95)}) | ${ms(c.figures.median)} (${ms(c.figures.p95)}) | ${ms(c.body.median)} (${ms(c.body.p95)}) | ${ms(c.raw.median)} (${ms(c.raw.p95)}) |`,
      );
    }
  }
  lines.push(
    "",
    "- **page**: `dashboardBody(await dashboardView(sales, ws, scope, period))`, what `GET /dashboard/:token` runs after the token: the period parsed, every figure read, seven SVG charts drawn by ECharts and the tables written (the layout around it is not included).",
    "- **figures**: `sales.dashboard.figures(ws, scope, period)`; its queries start together (`Promise.all`): on PostgreSQL they run on several pool connections at once, on PGlite (one connection) one after another.",
    "- **body**: `dashboardBody(view)` on figures already read: the charts (ECharts' SSR SVG renderer) and the HTML.",
    "- **raw SQL**: the figures' statements (`bench/dashboard/statements.ts`, from the builders the service uses) one after another on the bare driver, no Prisma.",
    "",
    "#### Each statement alone on the bare driver",
    "",
    "| backend | dashboard | statement | median | p95 |",
    "|---|---|---|--:|--:|",
  );
  for (const r of run.runs) {
    for (const c of r.cases) {
      for (const p of c.parts)
        lines.push(`| ${r.label} | ${c.name} | \`${p.label}\` | ${ms(p.ms.median)} | ${ms(p.ms.p95)} |`);
    }
  }
  const plans: string[] = [];
  for (const r of run.runs) {
    const c = r.cases[0];
    if (!c) continue;
    const total = c.parts
      .filter((p) => !p.label.startsWith("reference"))
      .reduce((n, p) => n + p.ms.median, 0);
    for (const p of c.parts) {
      const plan = c.explain[p.label];
      if (plan && p.ms.median >= total * EXPLAIN_FROM_SHARE) {
        plans.push(`${r.label}, ${c.name}, \`${p.label}\`:`, "", "```text", plan, "```", "");
      }
    }
  }
  lines.push("", ANALYSIS_START, run.analysis.trim(), ANALYSIS_END);
  if (plans.length > 0) {
    lines.push(
      "",
      `#### Plans of the statements over ${EXPLAIN_FROM_SHARE * 100}% of the raw SQL (EXPLAIN ANALYZE, BUFFERS)`,
      "",
      ...plans,
    );
  }
  return `${lines.join("\n").trimEnd()}\n`;
}
