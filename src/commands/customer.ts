import { AppError } from "../errors.js";
import { moreLines } from "../messages/lines.js";
import type { Action } from "../messages/reply.js";
import { sourceSystemName } from "../messages/source-system.js";
import type { CommandContext } from "./command.js";
import { defineCommand } from "./command.js";
import { contactLine } from "./contact.js";
import { leftover, tokenText, wordsAs } from "./grammar/tokens.js";
import { CUSTOMER_LIST_WORDS } from "./grammar/words.js";
import { activityLine } from "./log.js";
import { choiceOption, textOption } from "./options.js";
import { pluralForm } from "./plural.js";

export const customerShow = defineCommand({
  name: "customer",
  description: "command.customer",
  visibility: "ephemeral",
  discord: { sub: "show" },
  options: {
    name: textOption(120, {
      required: true,
      description: "option.customer",
      placeholder: "usage.customer",
      missing: "input.customer_required",
      autocomplete: "customer",
    }),
  },
  fromText: wordsAs("name"),
  async run(ctx, input) {
    const found = await ctx.sales.customers.lookupCustomer(ctx.workspace, input.name, CHOICES);
    if (found.kind === "none")
      throw new AppError("not_found", "error.customer_no_match", { name: input.name });
    if (found.kind === "many") return choiceList(ctx, input.name, found.names, found.total);
    const [h, contacts] = await Promise.all([
      ctx.sales.customers.customerHistory(ctx.workspace, found.customer.name),
      ctx.sales.contacts.listContacts(ctx.workspace, found.customer),
    ]);
    const events = h.timeline.map((entry) => {
      if (entry.kind === "activity") return activityLine(ctx, entry.activity, true);
      const e = entry.event;
      return ctx.t(`history.${e.kind}`, {
        when: ctx.fmt.date(e.at),
        number: e.deal.number,
        who: e.actor?.displayName ?? ctx.t("event.by_import"),
        source: sourceSystemName(e.newValue),
        stage: ctx.t(`stage.${e.stage ?? "lead"}`),
        amount: e.amount === null ? "" : ctx.fmt.money(e.amount),
        note: e.note ?? "",
      });
    });
    return {
      title: ctx.t("customer.title", { name: h.customer.name, status: ctx.t(`customer.status.${h.status}`) }),
      fields: [
        {
          label: ctx.t("field.revenue"),
          value: ctx.t("kpi.won_value", {
            revenue: ctx.fmt.money(h.revenue),
            count: h.wonCount,
          }),
        },
        { label: ctx.t("field.last_order"), value: h.lastOrder ? ctx.fmt.date(h.lastOrder) : "–" },
        { label: ctx.t("field.owner"), value: h.customer.owner?.displayName ?? "–" },
        ...(h.customer.leadSource ? [{ label: ctx.t("field.source"), value: h.customer.leadSource }] : []),
      ],
      table: h.deals.length
        ? {
            columns: ["#", ctx.t("field.amount"), ctx.t("field.stage"), ctx.t("field.owner")],
            rows: h.deals.map((d) => [
              `#${d.number}`,
              ctx.fmt.money(d.amount),
              ctx.t(`stage.${d.stage}`),
              d.owner.displayName,
            ]),
          }
        : undefined,
      lines: [
        ...(contacts.items.length
          ? [
              ctx.t("contact.heading"),
              ...contacts.items.map((c) => contactLine(ctx, c)),
              ...moreLines(ctx, contacts),
            ]
          : []),
        ...(events.length
          ? [ctx.t("deal.history"), ...events, ...moreLines(ctx, { items: events, total: h.timelineTotal })]
          : []),
      ],
    };
  },
});

/** How many customers a search offers to choose from: one row of Discord buttons. */
const CHOICES = 5;

/**
 * How a choice names its customer to `/customer`: as typed, or as `name:"…"` when its first word
 * would select another `/customer` command (a customer called "Merge Partners").
 */
function customerArgument(name: string): string {
  const first = name.split(/\s+/)[0]?.toLowerCase() ?? "";
  const subcommands = [customerList, customerRename, customerMerge].map((c) => c.name.split(" ")[1]);
  return subcommands.includes(first) && !name.includes('"') ? `name:"${name}"` : name;
}

/** Several customers match: a button each, showing that one through the same command. */
function choiceList(ctx: CommandContext, typed: string, names: string[], total: number) {
  const actions: Action[] = names.map((name, i) => ({
    id: `choice.${i}`,
    label: name,
    command: "customer",
    value: customerArgument(name),
  }));
  const more = total - names.length;
  return {
    title: ctx.t("customer.choose", { name: typed, count: ctx.fmt.integer(total) }),
    lines:
      more > 0
        ? [ctx.t(`customer.more_${pluralForm(ctx.locale, more)}`, { count: ctx.fmt.integer(more) })]
        : [],
    actions,
  };
}

export const customerRename = defineCommand({
  name: "customer rename",
  description: "command.customer_rename",
  visibility: "public",
  options: {
    name: textOption(120, {
      required: true,
      description: "option.customer",
      placeholder: "usage.customer",
      missing: "input.customer_required",
      autocomplete: "customer",
    }),
    to: textOption(120, {
      required: true,
      named: true,
      description: "option.customer_new_name",
      placeholder: "usage.customer_new_name",
      missing: "input.customer_new_name_required",
    }),
  },
  fromText: wordsAs("name"),
  async run(ctx, input) {
    const r = await ctx.sales.customers.renameCustomer(ctx.workspace, ctx.actor, input.name, input.to);
    return { title: ctx.t("customer.renamed", { previous: r.previous, name: r.customer.name }), lines: [] };
  },
});

export const customerMerge = defineCommand({
  name: "customer merge",
  description: "command.customer_merge",
  visibility: "public",
  options: {
    name: textOption(120, {
      required: true,
      description: "option.customer",
      placeholder: "usage.customer",
      missing: "input.customer_required",
      autocomplete: "customer",
    }),
    into: textOption(120, {
      required: true,
      named: true,
      description: "option.customer_into",
      placeholder: "usage.customer_into",
      missing: "input.customer_into_required",
      autocomplete: "customer",
    }),
  },
  fromText: wordsAs("name"),
  async run(ctx, input) {
    const r = await ctx.sales.customers.mergeCustomers(ctx.workspace, ctx.actor, input.name, input.into);
    const count = (n: number) => ctx.fmt.integer(n);
    return {
      title: ctx.t("customer.merged", { source: r.source.name, target: r.target.name }),
      lines: [
        ctx.t(`customer.deals_moved_${pluralForm(ctx.locale, r.dealsMoved)}`, { count: count(r.dealsMoved) }),
        ...(r.remindersMoved
          ? [
              ctx.t(`customer.reminders_moved_${pluralForm(ctx.locale, r.remindersMoved)}`, {
                count: count(r.remindersMoved),
              }),
            ]
          : []),
      ],
    };
  },
});

export const customerList = defineCommand({
  name: "customer list",
  description: "command.customer_list",
  visibility: "ephemeral",
  options: {
    kind: choiceOption(CUSTOMER_LIST_WORDS, "input.customer_list", { description: "option.customer_list" }),
  },
  fromText(tokens) {
    const [word, ...extra] = tokens;
    return { kind: word ? tokenText(word) : undefined, extra: leftover(extra) };
  },
  async run(ctx, input) {
    const kind = input.kind ?? "all";
    const list = await ctx.sales.customers.listCustomers(ctx.workspace, kind);
    const rows = list.items;
    return {
      title: ctx.t(`customer.list.${kind}`),
      lines: rows.length ? moreLines(ctx, list) : [ctx.t("customer.list_empty")],
      table: rows.length
        ? {
            columns: [
              ctx.t("field.customer"),
              ctx.t("field.revenue"),
              ctx.t("field.last_order"),
              ctx.t("field.open_deals"),
              ctx.t("field.owner"),
            ],
            rows: rows.map((r) => [
              r.name,
              ctx.fmt.money(r.revenue),
              r.lastWon ? ctx.fmt.date(r.lastWon) : "–",
              ctx.fmt.integer(r.openDeals),
              r.ownerName ?? "–",
            ]),
          }
        : undefined,
    };
  },
});
