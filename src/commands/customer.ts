import { defineCommand } from "./command.js";
import { leftover, tokenText } from "./grammar/tokens.js";
import { CUSTOMER_LIST_WORDS } from "./grammar/words.js";
import { choiceOption, textOption } from "./options.js";

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
  fromText: (tokens) => ({ name: tokens.map(tokenText).join(" ") || undefined }),
  async run(ctx, input) {
    const h = await ctx.sales.customers.customerHistory(ctx.workspace, input.name);
    const events = h.events.map((e) =>
      ctx.t(`history.${e.kind}`, {
        when: ctx.fmt.date(e.at),
        number: e.deal.number,
        who: e.actor?.displayName ?? "?",
        stage: ctx.t(`stage.${e.stage ?? "lead"}`),
        amount: e.amount === null ? "" : ctx.fmt.money(e.amount),
        note: e.note ?? "",
      }),
    );
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
      lines: events.length ? [ctx.t("deal.history"), ...events] : [],
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
    const rows = await ctx.sales.customers.listCustomers(ctx.workspace, kind);
    return {
      title: ctx.t(`customer.list.${kind}`),
      lines: rows.length ? [] : [ctx.t("customer.list_empty")],
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
