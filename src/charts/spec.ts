import type { Locale } from "../sales/workspaces/locales.js";

/**
 * A chart as data: what to draw, already worded in the workspace's language. Plain JSON (numbers
 * in units, not minor units), so it can wait in an outbox row and be drawn when it is delivered.
 */
export type ChartSpec = LineChart | BarChart;

interface ChartBase {
  /** The heading drawn above the chart, and its text alternative's first words. */
  title: string;
  locale: Locale;
  /** How the values read on the axis and in the labels: money in a currency, a count, a ratio (0.25 is 25 %). */
  unit: { currency: string } | "count" | "ratio";
  /** The category labels along the axis (days, months, stages, reps), one per value of each series. */
  labels: string[];
  series: Series[];
  /** A horizontal line at a value, labelled: the goal. */
  target?: { label: string; value: number };
}

/** Lines over the labels: cumulative won against the pace to the goal. */
export interface LineChart extends ChartBase {
  kind: "line";
}

/** Bars per label, side by side per series; `horizontal` for long labels (stages, reasons, reps). */
export interface BarChart extends ChartBase {
  kind: "bar";
  horizontal?: boolean;
}

export interface Series {
  name: string;
  /** One per label; null where there is no value (the days still to come). */
  values: (number | null)[];
  /** Dashed: what is projected (pace, forecast) rather than what happened. */
  dashed?: boolean;
}

/** A size in CSS pixels: chat images are drawn at 2x for sharp text. */
export interface ChartSize {
  width: number;
  height: number;
}

/** The chat image's size: a 16:9 picture that Slack and Discord show whole in a message. */
export const CHAT_CHART_SIZE: ChartSize = { width: 800, height: 450 };
