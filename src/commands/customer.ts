import { z } from "zod";
import { defineCommand } from "./command.js";
import { choice, nothingMore, text } from "./grammar/fields.js";
import { leftover, splitOptions, tokenText } from "./grammar/tokenize.js";

export const customerShow = defineCommand({
  name: "customer",
  usage: "/customer <name…>",
  input: () => z.object({ name: text(120, "input.customer_required") }),
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
      visibility: "ephemeral",
      title: ctx.t("customer.title", { name: h.customer.name, status: ctx.t(`customer.status.${h.status}`) }),
      fields: [
        {
          label: ctx.t("field.revenue"),
          value: ctx.t("kpi.won_value", {
            revenue: ctx.fmt.money(h.revenue),
            count: ctx.fmt.integer(h.wonCount),
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
  usage: "/customer list [dormant|prospects]",
  input: () =>
    z.object({
      kind: choice(["all", "dormant", "prospects"] as const, "input.customer_list").default("all"),
      extra: nothingMore,
    }),
  fromText(tokens) {
    const [word, ...extra] = splitOptions(tokens).positional;
    const w = word ? tokenText(word).toLowerCase() : undefined;
    return {
      kind: w === "dormants" ? "dormant" : w === "prospects" || w === "prospect" ? "prospects" : w,
      extra: leftover(extra),
    };
  },
  async run(ctx, input) {
    const rows = await ctx.sales.customers.listCustomers(ctx.workspace, input.kind);
    return {
      visibility: "ephemeral",
      title: ctx.t(`customer.list.${input.kind}`),
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
