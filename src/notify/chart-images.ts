import { renderPng } from "../charts/render.js";
import { CHAT_CHART_SIZE, type ChartSpec } from "../charts/spec.js";
import type { Logger } from "../logger.js";
import { MAX_CHARTS } from "../messages/reply.js";

/** A reply's chart drawn for chat: a PNG, its file name, and its title as the text alternative. */
export interface ChartImage {
  /** `chart.png`, `chart-2.png`…: unique within one message, as Discord's `attachment://` needs. */
  name: string;
  title: string;
  png: Buffer;
}

/** How a chart becomes a PNG: the bundled renderer; a test may pass one that fails. */
export type DrawChart = (spec: ChartSpec) => Promise<Buffer>;

export const drawChatChart: DrawChart = (spec) => renderPng(spec, CHAT_CHART_SIZE);

/**
 * Draws a reply's charts for a chat message. A chart that cannot be drawn is logged and left out:
 * the text says the same, so the message still goes, without that picture.
 */
export async function drawCharts(
  charts: ChartSpec[] | undefined,
  log: Logger,
  draw: DrawChart = drawChatChart,
): Promise<ChartImage[]> {
  const images: ChartImage[] = [];
  for (const [i, spec] of (charts ?? []).slice(0, MAX_CHARTS).entries()) {
    try {
      images.push({
        name: i === 0 ? "chart.png" : `chart-${i + 1}.png`,
        title: spec.title,
        png: await draw(spec),
      });
    } catch (error) {
      log.warn({ err: error, chart: spec.title }, "chart not drawn; the message goes without it");
    }
  }
  return images;
}
