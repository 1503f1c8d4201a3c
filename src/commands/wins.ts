import { moreLines } from "../messages/lines.js";
import type { WinNote } from "../sales/wins/win-note-service.js";
import { type CommandContext, defineCommand, type ParseContext } from "./command.js";
import { tokenText } from "./grammar/tokens.js";
import { periodLabel } from "./kpi.js";
import { periodOption, sourceOption, textOption } from "./options.js";
import { parsePeriod, takePeriod } from "./period.js";

/**
 * A period among the words of `/wins`, at their head (`last month demo`) or their tail (`demo last
 * month`), and the other words: the text searched. Words that only look like a period are text.
 */
function splitPeriod(words: string[], p: ParseContext): { period?: string; text: string[] } {
  const isPeriod = (candidate: string[]) => {
    const { period, rest } = takePeriod(candidate);
    return period !== undefined && rest.length === 0 && parsePeriod(period, p).ok;
  };
  const head = takePeriod(words);
  if (head.period !== undefined && parsePeriod(head.period, p).ok)
    return { period: head.period, text: head.rest };
  for (const n of [3, 2, 1]) {
    if (words.length <= n) continue;
    const tail = words.slice(-n);
    if (isPeriod(tail)) return { period: tail.join(" "), text: words.slice(0, -n) };
  }
  return { text: words };
}

/** `12 Nov 2026 · #12 Acme · €12,000 · alice: the note`. */
function winNoteLine(ctx: CommandContext, n: WinNote): string {
  return ctx.t("wins.line", {
    date: ctx.fmt.date(n.closedAt),
    number: n.number,
    customer: n.customer,
    amount: ctx.fmt.money(n.amount),
    owner: n.owner,
    note: n.note,
  });
}

/** `/wins [text…] [period] [source:<src>]`: how the team's deals were won, newest first. */
export const wins = defineCommand({
  name: "wins",
  description: "command.wins",
  visibility: "ephemeral",
  options: {
    text: textOption(100, { description: "option.wins_text", placeholder: "usage.text" }),
    period: periodOption("any"),
    source: sourceOption,
  },
  fromText(tokens, _named, p) {
    const { period, text } = splitPeriod(tokens.map(tokenText), p);
    return { period, text: text.length ? text.join(" ") : undefined };
  },
  async run(ctx, input) {
    const notes = await ctx.sales.winNotes.findWinNotes(ctx.workspace, {
      text: input.text,
      period: input.period,
      source: input.source,
    });
    const about = [
      ...(input.text ? [ctx.t("wins.about_text", { text: input.text })] : []),
      ...(input.period ? [periodLabel(ctx, input.period)] : []),
      ...(input.source ? [ctx.t("wins.about_source", { source: input.source })] : []),
    ].join(" · ");
    return {
      title: about ? ctx.t("wins.title_filtered", { about }) : ctx.t("wins.title"),
      lines: notes.items.length
        ? [...notes.items.map((n) => winNoteLine(ctx, n)), ...moreLines(ctx, notes)]
        : [ctx.t("wins.none")],
    };
  },
});
