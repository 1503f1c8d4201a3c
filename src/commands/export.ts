import { AppError } from "../errors.js";
import { closerCsvFile } from "../transfer/closer-export.js";
import { defineCommand } from "./command.js";
import { tokenText } from "./grammar/tokens.js";
import { periodLabel } from "./kpi.js";
import { periodOption } from "./options.js";
import { takePeriod } from "./period.js";

/** The largest file a reply carries: what a Discord bot may attach (Slack takes more). */
export const CHAT_FILE_LIMIT = 10 * 1024 * 1024;

/**
 * `/closer export deals [period]`: the deals as a CSV file in Closer's format, for the user alone.
 * Admins get every deal, managers their team's; reps are refused. A period takes the deals created
 * or closed in it; without one, every deal.
 */
export const exportDeals = defineCommand({
  name: "closer export deals",
  description: "command.export_deals",
  visibility: "ephemeral",
  options: { period: periodOption("any") },
  fromText(tokens) {
    const { period, rest } = takePeriod(tokens.map(tokenText));
    return { period, extra: rest.join(" ") || undefined };
  },
  async run(ctx, input) {
    const scope = await ctx.sales.exports.exportScope(ctx.workspace, ctx.actor);
    const period = input.period;
    const filter = { owners: scope.owners, from: period?.start, to: period?.end };
    const file = await closerCsvFile(ctx.sales.exports, ctx.workspace, "deals", filter, CHAT_FILE_LIMIT);
    if (file === "too_large") {
      throw new AppError("invalid_input", "export.too_large", {
        size: CHAT_FILE_LIMIT / 2 ** 20,
        command: "closer export deals",
      });
    }
    // A range's label is `2026-11-01..2026-11-15`: no dots in a row in a file name.
    const name = `closer-deals-${period ? period.label.replace("..", "_") : "all"}.csv`;
    return {
      title: period ? ctx.t("export.title", { period: periodLabel(ctx, period) }) : ctx.t("export.title_all"),
      lines: [
        ctx.t("export.file", { file: name, count: file.count }),
        scope.team ? ctx.t("export.scope_team", { team: scope.team.name }) : ctx.t("export.scope_all"),
      ],
      file: { name, type: "text/csv; charset=utf-8", content: file.content },
    };
  },
});
