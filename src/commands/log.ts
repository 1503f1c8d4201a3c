import { AppError } from "../errors.js";
import type { ActivityView, LoggedActivity } from "../sales/activities/activity-service.js";
import type { ReminderView } from "../sales/reminders/reminder-service.js";
import { type CommandContext, defineCommand } from "./command.js";
import { leftover, tokenText } from "./grammar/tokens.js";
import { ACTIVITY_WORDS } from "./grammar/words.js";
import { choiceOption, dealOption, momentOption, textOption } from "./options.js";

const subject = { name: "subject", required: true };

/** `#12 Acme` for a deal, `Acme` for a customer: what a reminder or an activity is about. */
function aboutText(deal: { number: number } | null, customer: string): string {
  return deal ? `#${deal.number} ${customer}` : customer;
}

function reminderAbout(r: ReminderView): string {
  return r.deal ? `#${r.deal.number}` : (r.customer?.name ?? "");
}

/**
 * An activity as a history line: `17 Nov 2026 · alice · call with Jane: pricing`, with its deal's
 * number in a customer's history (`withDeal`), where several deals meet.
 */
export function activityLine(ctx: CommandContext, a: ActivityView, withDeal: boolean): string {
  const kind = ctx.t(`activity.kind.${a.kind}`);
  const what = a.contact ? ctx.t("activity.kind_with", { kind, contact: a.contact.name }) : kind;
  const when = ctx.fmt.date(a.at);
  const who = a.member.displayName;
  const line =
    withDeal && a.deal
      ? ctx.t("activity.line_deal", { when, number: a.deal.number, who, what })
      : ctx.t("activity.line", { when, who, what });
  return a.note ? ctx.t("event.with_note", { line, note: a.note }) : line;
}

/** What the reply says was recorded: when (if not now), with whom, the note, the reminders it touched. */
function loggedLines(ctx: CommandContext, logged: LoggedActivity, dated: boolean): string[] {
  const a = logged.activity;
  return [
    ...(dated ? [ctx.t("activity.when", { date: ctx.fmt.date(a.at), time: ctx.fmt.time(a.at) })] : []),
    ...(a.contact ? [ctx.t("activity.with", { contact: a.contact.name })] : []),
    ...(a.note ? [ctx.t("activity.note", { note: a.note })] : []),
    ...logged.completed.map((r) =>
      ctx.t("activity.reminder_done", { id: r.id, about: reminderAbout(r), text: r.text }),
    ),
    ...(logged.followUp
      ? [
          ctx.t("activity.follow_up_set", {
            id: logged.followUp.id,
            due: ctx.fmt.date(logged.followUp.dueAt),
          }),
        ]
      : []),
  ];
}

/** `/log <call|meeting|email|demo> <#n|customer…> [note…] [at:…] [contact:"…"]`: records what was done. */
export const log = defineCommand({
  name: "log",
  description: "command.log",
  visibility: "ephemeral",
  options: {
    activity: choiceOption(ACTIVITY_WORDS, "input.log_activity", {
      required: true,
      description: "option.log_activity",
      missing: "input.log_activity_required",
    }),
    deal: dealOption({ description: "option.log_deal", group: subject }),
    customer: textOption(120, {
      description: "option.log_customer",
      placeholder: "usage.customer",
      group: subject,
      autocomplete: "customer",
    }),
    note: textOption(500, { named: true, description: "option.log_note", placeholder: "usage.text" }),
    at: momentOption({ description: "option.log_at" }),
    contact: textOption(120, {
      named: true,
      description: "option.log_contact",
      placeholder: "usage.log_contact",
    }),
  },
  refine: (schema) =>
    schema.refine((v) => v.deal !== undefined || v.customer !== undefined, {
      message: "input.log_subject_required",
    }),
  fromText(tokens, named) {
    const [kind, about, ...rest] = tokens;
    const activity = kind ? tokenText(kind) : undefined;
    if (about?.kind === "deal") {
      // After a deal, every word is the note; with `note:` too, they are words too many.
      const words = leftover(rest);
      return named.note === undefined
        ? { activity, deal: about.text, note: words }
        : { activity, deal: about.text, extra: words };
    }
    // A customer's name and the note run together: the run splits them against the customers known.
    return { activity, customer: leftover(about ? [about, ...rest] : []) };
  },
  async run(ctx, input) {
    let { customer, note } = input;
    if (customer !== undefined && note === undefined) {
      const split = await ctx.sales.activities.customerAndRest(ctx.workspace, customer);
      if (!split) throw new AppError("not_found", "error.customer_not_found", { name: customer });
      ({ customer, rest: note } = split);
    }
    const logged = await ctx.sales.activities.logActivity(ctx.workspace, ctx.actor, {
      kind: input.activity,
      deal: input.deal,
      customer,
      note,
      at: input.at,
      contact: input.contact,
    });
    return {
      title: ctx.t(`activity.logged.${logged.activity.kind}`, {
        about: aboutText(logged.activity.deal, logged.customer.name),
      }),
      lines: loggedLines(ctx, logged, input.at !== undefined),
    };
  },
});
