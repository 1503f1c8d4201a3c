import type { Logger } from "../../logger.js";
import { speakerFor } from "../../messages/speaker.js";
import { type DrawChart, drawCharts } from "../../notify/chart-images.js";
import type { DeliveryPort } from "../../notify/port.js";
import { renderText } from "./render-text.js";
import { saveCharts } from "./save-file.js";

/** `[#wins]` for a channel, `[dm @alice]` for a direct message. */
export function shellLabel(destination: string): string {
  return destination.startsWith("@") ? `[dm ${destination}]` : `[${destination}]`;
}

export interface ShellPortOptions {
  /**
   * Save a notification's charts as PNG files in `directory` (a chart that cannot be drawn is logged
   * to `log`). Without it the text is printed alone: it says everything the pictures show.
   */
  charts?: { directory: string; log: Logger; draw?: DrawChart };
}

/**
 * The shell's delivery port: a notification is printed, prefixed with where it would have gone;
 * its charts are saved as PNG files and their paths printed under it.
 */
export function createShellPort(write: (text: string) => void, options: ShellPortOptions = {}): DeliveryPort {
  return {
    minIntervalMs: 0,
    async deliver(message) {
      const text = `${shellLabel(message.destination)} ${renderText(message.reply)}`;
      const charts = options.charts;
      if (!message.reply.charts?.length || !charts) {
        write(text);
        return `shell:${message.dedupeKey}`;
      }
      const saved = await saveCharts(
        charts.directory,
        await drawCharts(message.reply.charts, charts.log, charts.draw),
      );
      const { t } = speakerFor(message.workspace);
      write([text, ...saved.map((path) => `  ${t("shell.chart_saved", { path })}`)].join("\n"));
      return `shell:${message.dedupeKey}`;
    },
  };
}
