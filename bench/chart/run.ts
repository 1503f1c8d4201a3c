/**
 * `npm run bench:chart`: how long a chat chart takes to draw, as Slack, Discord and the shell draw
 * them (`renderPng` at `CHAT_CHART_SIZE`: ECharts' SVG, then resvg's PNG at 2x in the bundled
 * font), next to ECharts' SVG alone, the reference. The first chart of a process also loads ECharts
 * and resvg: it is timed in processes of its own (`--runs` of them, median). Warm charts are timed
 * `--runs` times in one process after a few untimed ones, median. The charts are the two of
 * `/kpi chart` for a month (30 days, won and pace, the goal) and the pipeline by stage (4 bars), as
 * `messages/charts.ts` words them. Writes its section of bench/RESULTS.md (the others are kept).
 * Flags: `--runs N` (21), `--out FILE` | `--no-write`.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { ChartSpec } from "../../src/charts/spec.js";
import { withSection } from "../support/results-section.js";
import { codeVersion, describeMachine } from "../support/run-info.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SELF = fileURLToPath(import.meta.url);
const TITLE = "## `bench/chart`: drawing the chat charts";

type Format = "png" | "svg";
type ChartName = "won" | "pipeline";

/** The month of `/kpi chart`: won day by day to the 18th, the pace to the €40,000 goal, in French. */
const CHARTS: Record<ChartName, ChartSpec> = {
  won: {
    kind: "line",
    title: "Gagné face à l’objectif · novembre 2026 · entreprise",
    locale: "fr",
    unit: { currency: "EUR" },
    labels: Array.from({ length: 30 }, (_, i) => String(i + 1)),
    series: [
      {
        name: "Gagné",
        values: Array.from({ length: 30 }, (_, i) => (i < 18 ? Math.round(1_000 * i * (1 + (i % 3))) : null)),
      },
      {
        name: "Rythme vers l’objectif",
        values: Array.from({ length: 30 }, (_, i) => (40_000 * (i + 1)) / 30),
        dashed: true,
      },
    ],
    target: { label: "Objectif", value: 40_000 },
  },
  pipeline: {
    kind: "bar",
    horizontal: true,
    title: "Portefeuille en cours par étape · entreprise",
    locale: "fr",
    unit: { currency: "EUR" },
    labels: ["piste", "qualifiée", "proposition", "négociation"],
    series: [{ name: "Portefeuille en cours", values: [12_000, 48_500, 120_000, 64_250] }],
  },
};

async function drawOnce(format: Format, spec: ChartSpec): Promise<number> {
  const { renderPng, renderSvg } = await import("../../src/charts/render.js");
  const { CHAT_CHART_SIZE } = await import("../../src/charts/spec.js");
  const started = performance.now();
  if (format === "png") await renderPng(spec, CHAT_CHART_SIZE);
  else await renderSvg(spec, CHAT_CHART_SIZE);
  return performance.now() - started;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};
const range = (values: number[]) => `${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)} ms`;

/** A child process: draws one chart first thing, prints how long it took. */
async function child(format: Format, chart: ChartName) {
  process.stdout.write(`${JSON.stringify({ ms: await drawOnce(format, CHARTS[chart]) })}\n`);
}

/** The first chart of a fresh process (tsx already loaded, as in Closer), in `runs` processes. */
function firstCharts(format: Format, chart: ChartName, runs: number): number[] {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(process.execPath, ["--import", "tsx", SELF, "--child", format, chart], {
      cwd: ROOT,
      encoding: "utf8",
    });
    times.push((JSON.parse(out.trim().split("\n").at(-1) ?? "{}") as { ms: number }).ms);
  }
  return times;
}

async function warmCharts(format: Format, chart: ChartName, runs: number): Promise<number[]> {
  for (let i = 0; i < 3; i++) await drawOnce(format, CHARTS[chart]);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await drawOnce(format, CHARTS[chart]));
  return times;
}

async function main() {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      runs: { type: "string", default: "21" },
      out: { type: "string", default: "bench/RESULTS.md" },
      "no-write": { type: "boolean", default: false },
      child: { type: "boolean", default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.child) {
    const [format, chart] = process.argv.slice(3) as [Format, ChartName];
    return child(format, chart);
  }
  const runs = Number(values.runs);
  if (!Number.isSafeInteger(runs) || runs < 5) throw new Error("--runs must be an integer of at least 5");
  const loadBefore = loadavg()[0] ?? 0;
  const rows: string[] = [];
  const sizes: string[] = [];
  for (const chart of ["won", "pipeline"] as const) {
    const cells: Record<Format, { first: number[]; warm: number[] }> = {
      svg: { first: firstCharts("svg", chart, runs), warm: await warmCharts("svg", chart, runs) },
      png: { first: firstCharts("png", chart, runs), warm: await warmCharts("png", chart, runs) },
    };
    const { renderPng } = await import("../../src/charts/render.js");
    const { CHAT_CHART_SIZE } = await import("../../src/charts/spec.js");
    const png = await renderPng(CHARTS[chart], CHAT_CHART_SIZE);
    sizes.push(`${chart}: ${(png.length / 1024).toFixed(0)} KiB`);
    const { svg, png: p } = cells;
    rows.push(
      `| ${chart === "won" ? "won against goal (line, 30 days, 2 series, target)" : "pipeline by stage (4 horizontal bars)"} | **${median(p.first).toFixed(0)} ms** (${range(p.first)}) | ${median(svg.first).toFixed(0)} ms (${range(svg.first)}) | **${median(p.warm).toFixed(0)} ms** (${range(p.warm)}) | ${median(svg.warm).toFixed(0)} ms (${range(svg.warm)}) | ${(median(p.warm) - median(svg.warm)).toFixed(0)} ms |`,
    );
    process.stderr.write(`${rows.at(-1)}\n`);
  }
  const section = `${TITLE}

- Command: \`npm run bench:chart\` (${new Date().toISOString()}), code ${codeVersion(ROOT)}
- Machine: ${describeMachine()}; load average ${loadBefore.toFixed(2)} at the start, ${(loadavg()[0] ?? 0).toFixed(2)} at the end
- What is timed: \`renderPng(spec, CHAT_CHART_SIZE)\`, what each platform calls to draw a chart (ECharts 6 server-side SVG, then resvg at 2x, 1600×900, DejaVu Sans only), against \`renderSvg\` alone, the reference (what the web pages draw). First: the first chart of a fresh process (Node with tsx loaded; loading ECharts, resvg and the font is part of it), ${runs} processes, median (min–max). Warm: ${runs} charts in one process after 3 untimed, median (min–max).
- Charts: the two pictures of \`/kpi chart\` for a month, worded in French; PNG sizes ${sizes.join(", ")}.

| chart | PNG, first in a process | SVG alone, first | PNG, warm | SVG alone, warm | resvg's share, warm |
|---|--:|--:|--:|--:|--:|
${rows.join("\n")}
`;
  if (values["no-write"]) process.stdout.write(section);
  else {
    const path = `${ROOT}${values.out}`;
    let previous = "";
    try {
      previous = readFileSync(path, "utf8");
    } catch {}
    writeFileSync(path, withSection(previous, TITLE, section));
    process.stdout.write(section);
  }
}

await main();
