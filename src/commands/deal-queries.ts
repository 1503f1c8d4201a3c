import { z } from "zod";
import type { DealDetail, DealScope } from "../sales/deals/deal-service.js";
import { type CommandContext, defineCommand } from "./command.js";
import { dealAssign, dealLog, dealLost, dealNote, dealStage, dealWon, firstDeal } from "./deal.js";
import { dealNumber, memberRef, nothingMore, stage, text } from "./grammar/fields.js";
import { leftover, splitOptions, tokenText } from "./grammar/tokenize.js";
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
  usage: "/deal show <#n>",
  input: () => z.object({ number: dealNumber }),
  fromText: (tokens) => ({ number: firstDeal(splitOptions(tokens).positional) }),
  async run(ctx, input) {
    const deal = await ctx.sales.deals.showDeal(ctx.workspace, input.number);
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
      visibility: "ephemeral",
      title: ctx.t("deal.title", { number: deal.number, customer: deal.customer.name }),
      fields,
      lines: [ctx.t("deal.history"), ...history],
      actions: dealActions(ctx, deal),
    };
  },
});

export const dealList = defineCommand({
  name: "deal list",
  usage: "/deal list [mine|@rep|team:<name>|all] [stage:<stage>]",
  input: () =>
    z.object({
      who: z.enum(["mine", "all"], { error: "input.list_scope" }).optional(),
      member: memberRef.optional(),
      team: text(80).optional(),
      stage: stage.optional(),
    }),
  fromText(tokens) {
    const { positional, options } = splitOptions(tokens);
    const mention = positional.find((t) => t.kind === "mention");
    const word = positional.find((t) => t.kind === "word");
    return {
      who: word ? tokenText(word).toLowerCase() : undefined,
      member: mention?.kind === "mention" ? mention.ref : undefined,
      team: options.team,
      stage: options.stage,
    };
  },
  async run(ctx, input) {
    let scope: DealScope = { kind: "member", memberId: ctx.actor.id };
    let who = ctx.t("scope.mine");
    if (input.member) {
      const m = await ctx.resolveMember(input.member);
      scope = { kind: "member", memberId: m.id };
      who = m.displayName;
    } else if (input.team) {
      const team = await ctx.sales.members.findTeam(ctx.workspace, input.team);
      scope = { kind: "members", memberIds: await ctx.sales.members.teamMemberIds(ctx.workspace, team.id) };
      who = team.name;
    } else if (input.who === "all") {
      scope = { kind: "all" };
      who = ctx.t("scope.all");
    }
    const deals = await ctx.sales.deals.listDeals(ctx.workspace, scope, input.stage);
    return {
      visibility: "ephemeral",
      title: ctx.t("deal.list_title", { who }),
      lines: deals.length ? deals.map((d) => dealLine(ctx, d)) : [ctx.t("deal.list_empty")],
    };
  },
});

export const dealForm = defineCommand({
  name: "deal",
  usage: "/deal",
  input: () => z.object({ extra: nothingMore }),
  fromText: (tokens) => ({ extra: leftover(tokens) }),
  async run(ctx) {
    return {
      visibility: "ephemeral",
      title: ctx.t("help.deal_title"),
      lines: [dealLog, dealWon, dealLost, dealStage, dealNote, dealShow, dealList, dealAssign].map(
        (c) => c.usage,
      ),
    };
  },
});
