import { moreLines } from "../messages/lines.js";
import { sourceSystemName } from "../messages/source-system.js";
import type { DealHistoryEvent, DealPage, DealView } from "../sales/deals/deal-service.js";
import { localDate } from "../sales/periods/period.js";
import type { Scope } from "../sales/scope.js";
import { type CommandContext, defineCommand } from "./command.js";
import { firstDeal } from "./deal.js";
import { leftover, tokenText } from "./grammar/tokens.js";
import { DEAL_LIST_WORDS, vocabulary } from "./grammar/words.js";
import { activityLine } from "./log.js";
import { choiceOption, dealOption, memberOption, stageOption, teamOption, textOption } from "./options.js";
import { productText } from "./product.js";
import { dealActions, dealLine } from "./views.js";

function eventLine(ctx: CommandContext, e: DealHistoryEvent): string {
  const who = e.actor?.displayName ?? ctx.t("event.by_import");
  const when = ctx.fmt.date(e.at);
  const money = (v: bigint | null) => ctx.fmt.moneyExact(v ?? 0n);
  const withNote = (line: string) => (e.note ? ctx.t("event.with_note", { line, note: e.note }) : line);
  switch (e.kind) {
    case "created":
      return ctx.t("event.created", {
        when,
        who,
        amount: money(e.amount),
        stage: ctx.t(`stage.${e.stage ?? "lead"}`),
      });
    case "stage": {
      const stage = ctx.t(`stage.${e.stage ?? "lead"}`);
      if (e.lostReason)
        return withNote(ctx.t("event.lost_reason", { when, who, reason: ctx.t(`reason.${e.lostReason}`) }));
      if (e.previousAmount !== null && e.amount !== null)
        return withNote(
          ctx.t("event.won_amount", { when, who, stage, from: money(e.previousAmount), to: money(e.amount) }),
        );
      return ctx.t(e.note ? "event.stage_note" : "event.stage", { when, who, stage, note: e.note ?? "" });
    }
    case "amount":
      return e.previousAmount === null
        ? ctx.t("event.amount", { when, who, amount: money(e.amount) })
        : ctx.t("event.amount_change", { when, who, from: money(e.previousAmount), to: money(e.amount) });
    case "owner":
      return e.previousOwner && e.owner
        ? ctx.t("event.owner_change", {
            when,
            who,
            from: e.previousOwner.displayName,
            to: e.owner.displayName,
          })
        : ctx.t("event.owner", { when, who });
    case "note":
      return ctx.t("event.note", { when, who, note: e.note ?? "" });
    case "customer":
    case "title":
    case "source":
    case "close":
    case "products": {
      const value = (v: string | null) =>
        v === null ? ctx.t("deal.none") : e.kind === "close" ? ctx.fmt.day(v) : v;
      return ctx.t("event.field_change", {
        when,
        who,
        field: ctx.t(`event.field.${e.kind}`),
        from: value(e.oldValue),
        to: value(e.newValue),
      });
    }
    case "deleted":
      return ctx.t("event.deleted", { when, who });
    case "restored":
      return ctx.t("event.restored", { when, who });
    case "imported":
      return ctx.t("event.imported", { when, source: sourceSystemName(e.newValue) });
  }
}

export const dealShow = defineCommand({
  name: "deal show",
  description: "command.deal_show",
  visibility: "ephemeral",
  options: { deal: dealOption({ required: true, description: "option.deal" }) },
  fromText: (tokens) => ({ deal: firstDeal(tokens) }),
  async run(ctx, input) {
    const deal = await ctx.sales.deals.showDeal(ctx.workspace, input.deal);
    const fields = [
      { label: ctx.t("field.customer"), value: deal.customer.name },
      { label: ctx.t("field.amount"), value: ctx.fmt.moneyExact(deal.amount) },
      {
        label: ctx.t("field.stage"),
        value: `${ctx.t(`stage.${deal.stage}`)} (${ctx.fmt.percent(deal.probability / 100)})`,
      },
      { label: ctx.t("field.owner"), value: deal.owner.displayName },
      ...(deal.products.length
        ? [
            {
              label: ctx.t("field.products"),
              value: deal.products
                .map((l) =>
                  l.amount === null ? l.name : productText(ctx, { name: l.name, price: l.amount }),
                )
                .join(", "),
            },
          ]
        : []),
      ...(deal.title ? [{ label: ctx.t("field.title"), value: deal.title }] : []),
      ...(deal.leadSource ? [{ label: ctx.t("field.source"), value: deal.leadSource }] : []),
      ...(deal.expectedCloseDate
        ? [{ label: ctx.t("field.expected_close"), value: ctx.fmt.day(deal.expectedCloseDate) }]
        : []),
      ...(deal.closedAt ? [{ label: ctx.t("field.closed"), value: ctx.fmt.date(deal.closedAt) }] : []),
      ...(deal.lostReason
        ? [{ label: ctx.t("field.lost_reason"), value: ctx.t(`reason.${deal.lostReason}`) }]
        : []),
      ...(deal.lostNote ? [{ label: ctx.t("field.note"), value: deal.lostNote }] : []),
      ...(deal.winNote ? [{ label: ctx.t("field.win_note"), value: deal.winNote }] : []),
      ...(deal.deletedAt
        ? [
            {
              label: ctx.t("field.deleted"),
              value: ctx.t("deal.deleted_by", {
                when: ctx.fmt.date(deal.deletedAt),
                who: deal.deletedBy?.displayName ?? "?",
              }),
            },
          ]
        : []),
    ];
    const history = deal.timeline.map((entry) =>
      entry.kind === "event" ? eventLine(ctx, entry.event) : activityLine(ctx, entry.activity, false),
    );
    const title = deal.deletedAt ? "deal.title_deleted" : "deal.title";
    return {
      title: ctx.t(title, { number: deal.number, customer: deal.customer.name }),
      fields,
      lines: [ctx.t("deal.history"), ...history],
      // A deleted deal has no buttons: only /deal restore acts on it.
      actions: deal.deletedAt ? [] : dealActions(ctx, deal),
    };
  },
});

const listGroup = { name: "whose", required: false };

/** Which deals `/deal list` shows: the most recent, or the open pipeline by expected close date. */
const DEAL_VIEW_WORDS = vocabulary(["recent", "open"] as const, {
  recent: { fr: ["récentes"] },
  open: { fr: ["ouvertes"] },
});

/** The lines of a cut list, then how many more there are. */
function pageLines(ctx: CommandContext, page: DealPage, line: (d: DealView) => string): string[] {
  const lines = page.deals.map(line);
  const more = page.total - page.deals.length;
  return more > 0 ? [...lines, ctx.t("deal.more", { count: ctx.fmt.integer(more) })] : lines;
}

/** `15 Dec 2026 · #12 Acme · proposal · €12,000 · weighted €6,000 · alice`, overdue ones marked. */
function pipelineLine(ctx: CommandContext, deal: DealView, today: string): string {
  const day = deal.expectedCloseDate?.toISOString().slice(0, 10);
  const date =
    day === undefined
      ? ctx.t("deal.no_close_date")
      : day < today
        ? ctx.t("deal.pipeline_overdue", { date: ctx.fmt.day(day) })
        : ctx.fmt.day(day);
  return ctx.t("deal.pipeline_line", {
    date,
    number: deal.number,
    customer: deal.customer.name,
    stage: `${ctx.t(`stage.${deal.stage}`)} (${ctx.fmt.percent(deal.probability / 100)})`,
    amount: ctx.fmt.money(deal.amount),
    weighted: ctx.fmt.money((deal.amount * BigInt(deal.probability)) / 100n),
    owner: deal.owner.displayName,
  });
}

export const dealList = defineCommand({
  name: "deal list",
  description: "command.deal_list",
  visibility: "ephemeral",
  options: {
    view: choiceOption(DEAL_VIEW_WORDS, "input.deal_list_view", { description: "option.deal_list_view" }),
    scope: choiceOption(DEAL_LIST_WORDS, "input.list_scope", {
      description: "option.list_scope",
      group: listGroup,
    }),
    member: memberOption({ description: "option.member", group: listGroup }),
    team: teamOption({ description: "option.team", group: listGroup }),
    stage: stageOption({ named: true, description: "option.stage" }),
  },
  fromText(tokens) {
    const mention = tokens.find((t) => t.kind === "mention");
    // `open` (or `recent`) and whose, in either order: `/deal list open all`, `/deal list all open`.
    const view = tokens.find((t) => t.kind === "word" && DEAL_VIEW_WORDS.read(t.text) !== undefined);
    const words = tokens.filter((t) => t !== mention && t !== view);
    return {
      view: view ? tokenText(view) : undefined,
      scope: words[0] ? tokenText(words[0]) : undefined,
      member: mention?.kind === "mention" ? mention.ref : undefined,
      extra: leftover(words.slice(1)),
    };
  },
  async run(ctx, input) {
    let scope: Scope = { scope: "member", member: ctx.actor };
    let who = ctx.t("scope.mine");
    if (input.member) {
      const member = await ctx.findMember(input.member);
      scope = { scope: "member", member };
      who = member.displayName;
    } else if (input.team) {
      const team = await ctx.sales.members.findTeam(ctx.workspace, input.team);
      scope = { scope: "team", team };
      who = team.name;
    } else if (input.scope === "all") {
      scope = { scope: "company" };
      who = ctx.t("scope.all");
    }
    if (input.view === "open") {
      const page = await ctx.sales.deals.pipeline(ctx.workspace, scope, input.stage);
      const today = localDate(ctx.sales.clock.now(), ctx.workspace.timezone);
      return {
        title: ctx.t("deal.pipeline_title", { who }),
        lines: page.total
          ? pageLines(ctx, page, (d) => pipelineLine(ctx, d, today))
          : [ctx.t("deal.pipeline_empty")],
      };
    }
    const deals = await ctx.sales.deals.listDeals(ctx.workspace, scope, input.stage);
    return {
      title: ctx.t("deal.list_title", { who }),
      lines: deals.items.length
        ? [...deals.items.map((d) => dealLine(ctx, d)), ...moreLines(ctx, deals)]
        : [ctx.t("deal.list_empty")],
    };
  },
});

export const dealFind = defineCommand({
  name: "deal find",
  description: "command.deal_find",
  visibility: "ephemeral",
  options: {
    text: textOption(100, {
      required: true,
      description: "option.find_text",
      placeholder: "usage.text",
      missing: "input.find_text_required",
    }),
  },
  fromText: (tokens) => ({ text: tokens.length ? tokens.map(tokenText).join(" ") : undefined }),
  async run(ctx, input) {
    const page = await ctx.sales.deals.findDeals(ctx.workspace, input.text);
    return {
      title: ctx.t("deal.find_title", { text: input.text }),
      lines: page.total
        ? pageLines(ctx, page, (d) => dealLine(ctx, d))
        : [ctx.t("deal.find_empty", { text: input.text })],
    };
  },
});
