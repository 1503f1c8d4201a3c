import { moreLines } from "../messages/lines.js";
import type { ReminderView } from "../sales/reminders/reminder-service.js";
import { type CommandContext, defineCommand } from "./command.js";
import { tokenText } from "./grammar/tokens.js";
import { dealOption, reminderOption, textOption, whenOption } from "./options.js";
import { parseWhen } from "./when.js";

function reminderLine(ctx: CommandContext, r: ReminderView): string {
  const about = r.deal ? `#${r.deal.number}` : (r.customer?.name ?? "");
  return ctx.t("remind.line", { id: r.id, due: ctx.fmt.date(r.dueAt), about, text: r.text });
}

const subject = { name: "subject", required: true };

export const remindSet = defineCommand({
  name: "remind",
  description: "command.remind",
  visibility: "ephemeral",
  discord: { sub: "set" },
  options: {
    deal: dealOption({ description: "option.remind_deal", group: subject }),
    customer: textOption(120, {
      description: "option.remind_customer",
      placeholder: "usage.customer",
      group: subject,
      autocomplete: "customer",
    }),
    when: whenOption({ required: true, description: "option.when" }),
    text: textOption(500, {
      required: true,
      description: "option.remind_text",
      placeholder: "usage.text",
      missing: "input.remind_text_required",
    }),
  },
  refine: (schema) =>
    schema.refine((v) => v.deal !== undefined || v.customer !== undefined, {
      message: "input.remind_subject_required",
    }),
  fromText(tokens, _named, p) {
    const first = tokens[0];
    if (first?.kind === "deal") {
      return {
        deal: first.text,
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
    return { title: ctx.t("remind.set"), lines: [reminderLine(ctx, r)] };
  },
});

export const remindList = defineCommand({
  name: "remind list",
  description: "command.remind_list",
  visibility: "ephemeral",
  options: {},
  async run(ctx) {
    const list = await ctx.sales.reminders.listReminders(ctx.workspace, ctx.actor);
    return {
      title: ctx.t("remind.list_title"),
      lines: list.items.length
        ? [...list.items.map((r) => reminderLine(ctx, r)), ...moreLines(ctx, list)]
        : [ctx.t("remind.none")],
    };
  },
});

export const remindDone = defineCommand({
  name: "remind done",
  description: "command.remind_done",
  visibility: "ephemeral",
  options: { id: reminderOption({ required: true, description: "option.reminder" }) },
  fromText: (tokens) => ({ id: tokens[0] ? tokenText(tokens[0]) : undefined }),
  async run(ctx, input) {
    const r = await ctx.sales.reminders.completeReminder(ctx.workspace, ctx.actor, input.id);
    return { title: ctx.t("remind.done"), lines: [reminderLine(ctx, r)] };
  },
});
