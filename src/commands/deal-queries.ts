import { moreLines } from "../messages/lines.js";
import type { DealDetail } from "../sales/deals/deal-service.js";
import type { Scope } from "../sales/scope.js";
import { type CommandContext, defineCommand } from "./command.js";
import { firstDeal } from "./deal.js";
import { tokenText } from "./grammar/tokens.js";
import { DEAL_LIST_WORDS } from "./grammar/words.js";
import { choiceOption, dealOption, memberOption, stageOption, teamOption } from "./options.js";
import { dealActions, dealLine } from "./views.js";

function eventLine(ctx: CommandContext, e: DealDetail["events"][number]): string {
  const who = e.actor?.displayName ?? "?";
  const when = ctx.fmt.date(e.at);
  switch (e.kind) {
    case "created":
      return ctx.t("event.created", {
        when,
        who,
        amount: ctx.fmt.moneyExact(e.amount ?? 0n),
        stage: ctx.t(`stage.${e.stage ?? "lead"}`),
      });
    case "stage":
      return ctx.t(e.note ? "event.stage_note" : "event.stage", {
        when,
        who,
        stage: ctx.t(`stage.${e.stage ?? "lead"}`),
        note: e.note ?? "",
      });
    case "amount":
      return ctx.t("event.amount", { when, who, amount: ctx.fmt.moneyExact(e.amount ?? 0n) });
    case "owner":
      return ctx.t("event.owner", { when, who });
    case "note":
      return ctx.t("event.note", { when, who, note: e.note ?? "" });
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
    ];
    const history = deal.events.map((e) => eventLine(ctx, e));
    return {
      title: ctx.t("deal.title", { number: deal.number, customer: deal.customer.name }),
      fields,
      lines: [ctx.t("deal.history"), ...history],
      actions: dealActions(ctx, deal),
    };
  },
});

const listGroup = { name: "whose", required: false };

export const dealList = defineCommand({
  name: "deal list",
  description: "command.deal_list",
  visibility: "ephemeral",
  options: {
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
    const word = tokens.find((t) => t.kind === "word");
    return {
      scope: word ? tokenText(word) : undefined,
      member: mention?.kind === "mention" ? mention.ref : undefined,
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
    const deals = await ctx.sales.deals.listDeals(ctx.workspace, scope, input.stage);
    return {
      title: ctx.t("deal.list_title", { who }),
      lines: deals.items.length
        ? [...deals.items.map((d) => dealLine(ctx, d)), ...moreLines(ctx, deals)]
        : [ctx.t("deal.list_empty")],
    };
  },
});
