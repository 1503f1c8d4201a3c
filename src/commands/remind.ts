import { z } from "zod";
import type { ReminderView } from "../sales/reminders/reminder-service.js";
import { type CommandContext, defineCommand } from "./command.js";
import { dealNumber, nothingMore, text, when } from "./grammar/fields.js";
import { leftover, tokenText } from "./grammar/tokenize.js";
import { parseWhen } from "./when.js";

function reminderLine(ctx: CommandContext, r: ReminderView): string {
  const about = r.deal ? `#${r.deal.number}` : (r.customer?.name ?? "");
  return ctx.t("remind.line", { id: r.id, due: ctx.fmt.date(r.dueAt), about, text: r.text });
}

export const remindSet = defineCommand({
  name: "remind",
  usage: "/remind <#n|customer…> <when> <text…>   (when: 2026-12-01, tomorrow, +3d, friday, eom)",
  input: (p) =>
    z
      .object({
        deal: dealNumber.optional(),
        customer: text(120).optional(),
        when: when(p),
        text: text(500, "input.remind_text_required"),
      })
      .refine((v) => v.deal !== undefined || v.customer !== undefined, {
        message: "input.remind_subject_required",
      }),
  fromText(tokens, p) {
    const first = tokens[0];
    if (first?.kind === "deal") {
      return {
        deal: first.number,
        when: tokens[1] ? tokenText(tokens[1]) : undefined,
        text: tokens.slice(2).map(tokenText).join(" ") || undefined,
      };
    }
    const words = tokens.map(tokenText);
    const at = words.findIndex((w, i) => i > 0 && parseWhen(w, p) !== null);
    if (at < 0) return { customer: words.join(" ") || undefined };
    return {
      customer: words.slice(0, at).join(" "),
      when: words[at],
      text: words.slice(at + 1).join(" ") || undefined,
    };
  },
  async run(ctx, input) {
    const about =
      input.deal !== undefined
        ? { kind: "deal" as const, number: input.deal }
        : { kind: "customer" as const, name: input.customer ?? "" };
    const r = await ctx.sales.reminders.createReminder(
      ctx.workspace,
      ctx.actor,
      about,
      input.when,
      input.text,
    );
    return { visibility: "ephemeral", title: ctx.t("remind.set"), lines: [reminderLine(ctx, r)] };
  },
});

export const remindList = defineCommand({
  name: "remind list",
  usage: "/remind list",
  input: () => z.object({ extra: nothingMore }),
  fromText: (tokens) => ({ extra: leftover(tokens) }),
  async run(ctx) {
    const rows = await ctx.sales.reminders.listReminders(ctx.workspace, ctx.actor);
    return {
      visibility: "ephemeral",
      title: ctx.t("remind.list_title"),
      lines: rows.length ? rows.map((r) => reminderLine(ctx, r)) : [ctx.t("remind.none")],
    };
  },
});

export const remindDone = defineCommand({
  name: "remind done",
  usage: "/remind done <id>",
  input: () =>
    z.object({ id: z.number({ error: "input.reminder_id" }).int().positive({ error: "input.reminder_id" }) }),
  fromText(tokens) {
    const t = tokens[0] ? tokenText(tokens[0]).replace(/^#/, "") : "";
    return { id: /^\d{1,9}$/.test(t) ? Number(t) : undefined };
  },
  async run(ctx, input) {
    const r = await ctx.sales.reminders.completeReminder(ctx.workspace, ctx.actor, input.id);
    return { visibility: "ephemeral", title: ctx.t("remind.done"), lines: [reminderLine(ctx, r)] };
  },
});
