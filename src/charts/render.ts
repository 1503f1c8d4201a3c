import type { EChartsOption } from "echarts";
import { INTL_LOCALE } from "../messages/format.js";
import { CHART_FONT_FAMILY, chartFontFiles } from "./font.js";
import type { ChartSize, ChartSpec } from "./spec.js";

/** Series colours, from the first: won, the second series (pace, last year), and the rest. */
const PALETTE = ["#2563eb", "#16a34a", "#f59e0b", "#9333ea", "#dc2626", "#0891b2", "#64748b"];
const TARGET_COLOUR = "#dc2626";
const TEXT_COLOUR = "#1f2937";

/** How a value of the chart reads: compact on the axis (`12K €`), whole in the labels. */
function valueFormats(spec: ChartSpec): { axis: (v: number) => string; exact: (v: number) => string } {
  const tag = INTL_LOCALE[spec.locale];
  if (spec.unit === "ratio") {
    const pct = new Intl.NumberFormat(tag, { style: "percent", maximumFractionDigits: 0 });
    return { axis: (v) => pct.format(v), exact: (v) => pct.format(v) };
  }
  if (spec.unit === "count") {
    const n = new Intl.NumberFormat(tag, { maximumFractionDigits: 0 });
    return { axis: (v) => n.format(v), exact: (v) => n.format(v) };
  }
  const { currency } = spec.unit;
  const compact = new Intl.NumberFormat(tag, {
    style: "currency",
    currency,
    notation: "compact",
    minimumFractionDigits: 0,
    maximumFractionDigits: 1,
  });
  const whole = new Intl.NumberFormat(tag, { style: "currency", currency, maximumFractionDigits: 0 });
  return { axis: (v) => compact.format(v), exact: (v) => whole.format(v) };
}

/** The ECharts option that draws `spec`: no animation, the bundled font, the target as a marked line. */
export function chartOption(spec: ChartSpec): EChartsOption {
  const formats = valueFormats(spec);
  const horizontal = spec.kind === "bar" && spec.horizontal === true;
  const categoryAxis = {
    type: "category" as const,
    data: spec.labels,
    axisLabel: { color: TEXT_COLOUR, fontSize: 12, hideOverlap: true },
    ...(horizontal ? { inverse: true } : {}),
  };
  const valueAxis = {
    type: "value" as const,
    axisLabel: { color: TEXT_COLOUR, fontSize: 12, formatter: (v: number) => formats.axis(v) },
    splitLine: { lineStyle: { color: "#e5e7eb" } },
    ...(spec.target ? { max: (range: { max: number }) => Math.max(range.max, spec.target?.value ?? 0) } : {}),
  };
  const series = spec.series.map((s, i) => ({
    name: s.name,
    type: spec.kind,
    data: s.values,
    color: PALETTE[i % PALETTE.length],
    ...(spec.kind === "line"
      ? {
          showSymbol: false,
          lineStyle: { width: 3, type: s.dashed ? ("dashed" as const) : ("solid" as const) },
        }
      : {
          barMaxWidth: 48,
          label: {
            show: spec.labels.length <= 12,
            position: horizontal ? "right" : "top",
            formatter: (p: { value: unknown }) => (typeof p.value === "number" ? formats.exact(p.value) : ""),
            color: TEXT_COLOUR,
            fontSize: 11,
          },
        }),
    ...(i === 0 && spec.target
      ? {
          markLine: {
            silent: true,
            symbol: "none",
            lineStyle: { color: TARGET_COLOUR, type: "solid" as const, width: 2 },
            label: {
              formatter: `${spec.target.label}${spec.locale === "fr" ? "\u202f" : ""}: ${formats.exact(spec.target.value)}`,
              color: TARGET_COLOUR,
              position: "insideEndTop" as const,
            },
            data: [horizontal ? { xAxis: spec.target.value } : { yAxis: spec.target.value }],
          },
        }
      : {}),
  }));
  return {
    animation: false,
    backgroundColor: "#ffffff",
    textStyle: { fontFamily: CHART_FONT_FAMILY, color: TEXT_COLOUR },
    title: {
      text: spec.title,
      left: 16,
      top: 12,
      textStyle: { fontSize: 18, fontWeight: "bold", color: TEXT_COLOUR },
    },
    legend: { top: 14, right: 16, textStyle: { fontSize: 12, color: TEXT_COLOUR } },
    grid: { left: 16, right: horizontal ? 96 : 32, top: 64, bottom: 16, containLabel: true },
    xAxis: horizontal ? valueAxis : categoryAxis,
    yAxis: horizontal ? categoryAxis : valueAxis,
    series,
  } as EChartsOption;
}

/**
 * Draws the chart as an SVG document with ECharts' server-side SVG renderer. ECharts is loaded on
 * the first chart, not when Closer starts.
 */
export async function renderSvg(spec: ChartSpec, size: ChartSize): Promise<string> {
  const echarts = await import("echarts");
  const chart = echarts.init(null, null, {
    renderer: "svg",
    ssr: true,
    width: size.width,
    height: size.height,
  });
  try {
    chart.setOption(chartOption(spec));
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** The chart as a PNG at twice its size, drawn by resvg with the bundled font and no system font. */
export async function renderPng(spec: ChartSpec, size: ChartSize): Promise<Buffer> {
  const [svg, { Resvg }] = await Promise.all([renderSvg(spec, size), import("@resvg/resvg-js")]);
  const resvg = new Resvg(svg, {
    fitTo: { mode: "width", value: size.width * 2 },
    font: { loadSystemFonts: false, fontFiles: chartFontFiles(), defaultFontFamily: CHART_FONT_FAMILY },
  });
  return resvg.render().asPng();
}
