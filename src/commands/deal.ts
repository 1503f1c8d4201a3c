import { z } from "zod";
import { AppError } from "../errors.js";
import type { Reply } from "../messages/reply.js";
import { parseAmount } from "./amount.js";
import type { ParseContext } from "./command.js";
import { type CommandContext, defineCommand } from "./command.js";
import { amount, date, dealNumber, lostReason, memberRef, stage, text } from "./grammar/fields.js";
import { splitOptions, type Token, tokenText } from "./grammar/tokenize.js";
import { dealLine, dealReply, milestoneLine } from "./views.js";

const MAX_AMOUNT_TOKENS = 4;

/**
 * Reads `<amount> <customer…>` where the amount may itself contain spaces (`12 000 Acme`): the
 * longest prefix of up to four words that parses as an amount, leaving a customer.
 */
export function splitAmount(
  words: string[],
  p: ParseContext,
): { amount: string | undefined; rest: string[] } {
  for (let n = Math.min(MAX_AMOUNT_TOKENS, words.length - 1); n >= 2; n--) {
    const candidate = words.slice(0, n).join(" ");
    const parsed = parseAmount(candidate, p);
    // `12k USD Acme` in a euro workspace is an amount in another currency, not a customer "USD Acme".
    if (parsed.ok || parsed.error === "currency") return { amount: candidate, rest: words.slice(n) };
  }
  return { amount: words[0], rest: words.slice(1) };
}

export function firstDeal(tokens: Token[]): number | undefined {
  const t = tokens[0];
  if (t?.kind === "deal") return t.number;
  if (t?.kind === "word" && /^\d{1,9}$/.test(t.text)) return Number(t.text);
  return undefined;
}

const words = (tokens: Token[]) => tokens.map(tokenText);
const joined = (tokens: Token[]) => (tokens.length ? words(tokens).join(" ") : undefined);

export const dealLog = defineCommand({
  name: "deal log",
  usage:
    '/deal log <amount> <customer…> [stage:<stage>] [source:<src>] [close:<date>] [title:"…"] [for:@rep]',
  input: (p) =>
    z.object({
      amount: amount(p),
      customer: text(120, "input.customer_required"),
      stage: stage.optional(),
      source: text(60).optional(),
      close: date(p).optional(),
      title: text(200).optional(),
      for: memberRef.optional(),
    }),
  fromText(tokens, p) {
    const { positional, options } = splitOptions(tokens);
    const mention = positional.find((t) => t.kind === "mention");
    const rest = positional.filter((t) => t !== mention || options.for !== undefined);
    const split = splitAmount(words(rest), p);
    return {
      amount: split.amount,
      customer: split.rest.length ? split.rest.join(" ") : undefined,
      stage: options.stage,
      source: options.source,
      close: options.close,
      title: options.title,
      for: mention?.kind === "mention" ? mention.ref : forRef(options.for),
    };
  },
  async run(ctx, input) {
    const owner = input.for ? await ctx.resolveMember(input.for) : undefined;
    const deal = await ctx.sales.deals.logDeal(ctx.workspace, ctx.actor, {
      amount: input.amount,
      customer: input.customer,
      stage: input.stage,
      source: input.source,
      closeDate: input.close,
      title: input.title,
      owner,
      idempotencyKey: ctx.requestId,
    });
    if (deal.stage === "won") return wonReply(ctx, deal.number);
    return dealReply(ctx, ctx.t("deal.logged", { number: deal.number }), deal);
  },
});

/** `for:@alice` arrives as an option whose value is the mention text. */
function forRef(value: string | undefined) {
  if (value === undefined) return undefined;
  const name = value.replace(/^@/, "");
  return { platformUserId: name.toLowerCase(), displayName: name };
}

async function wonReply(ctx: CommandContext, number: number, closedAt?: Date): Promise<Reply> {
  const deal = await ctx.sales.deals.getDeal(ctx.workspace, number);
  const crossings = await ctx.sales.goals.crossingsOfWin(ctx.workspace, deal.owner, {
    amount: deal.amount,
    closedAt: closedAt ?? deal.closedAt,
  });
  const lines = crossings.map((c) => milestoneLine(ctx, c, deal.owner.displayName));
  if (deal.winNote) lines.unshift(ctx.t("deal.win_note", { note: deal.winNote }));
  return dealReply(ctx, ctx.t("deal.won", { number, owner: deal.owner.displayName }), deal, lines);
}

export const dealWon = defineCommand({
  name: "deal won",
  usage: '/deal won <#n> [amount] [closed:<date>] [note:"how we won it"]',
  input: (p) =>
    z.object({
      number: dealNumber,
      amount: amount(p).optional(),
      closed: date(p).optional(),
      note: text(1000).optional(),
    }),
  fromText(tokens) {
    const { positional, options } = splitOptions(tokens);
    return {
      number: firstDeal(positional),
      amount: joined(positional.slice(1)) ?? options.amount,
      closed: options.closed,
      note: options.note,
    };
  },
  async run(ctx, input) {
    const { deal } = await ctx.sales.deals.winDeal(ctx.workspace, ctx.actor, input.number, {
      amount: input.amount,
      closedOn: input.closed,
      note: input.note,
    });
    return wonReply(ctx, deal.number);
  },
});

export const dealLost = defineCommand({
  name: "deal lost",
  usage: '/deal lost <#n> reason:<price|product|timing|competitor|no_decision|other> [note:"…"]',
  input: () => z.object({ number: dealNumber, reason: lostReason, note: text(1000).optional() }),
  fromText(tokens) {
    const { positional, options } = splitOptions(tokens);
    const second = positional[1];
    const reason = options.reason ?? (second?.kind === "word" ? second.text : undefined);
    return {
      number: firstDeal(positional),
      reason,
      note: options.note ?? joined(positional.slice(options.reason ? 1 : 2)),
    };
  },
  async run(ctx, input) {
    const { deal } = await ctx.sales.deals.loseDeal(
      ctx.workspace,
      ctx.actor,
      input.number,
      input.reason,
      input.note,
    );
    return dealReply(
      ctx,
      ctx.t("deal.lost", { number: deal.number, reason: ctx.t(`reason.${input.reason}`) }),
      deal,
    );
  },
});

export const dealStage = defineCommand({
  name: "deal stage",
  usage: "/deal stage <#n> <stage>",
  input: () =>
    z.object({ number: dealNumber, stage: z.string({ error: "input.stage_required" }).pipe(stage) }),
  fromText(tokens) {
    const { positional, options } = splitOptions(tokens);
    return { number: firstDeal(positional), stage: options.stage ?? joined(positional.slice(1)) };
  },
  async run(ctx, input) {
    if (input.stage === "won")
      return dealWon.run(ctx, {
        number: input.number,
        amount: undefined,
        closed: undefined,
        note: undefined,
      });
    if (input.stage === "lost")
      throw new AppError("invalid_input", "error.stage_use_command", { stage: "lost" });
    const deal = await ctx.sales.deals.moveStage(ctx.workspace, ctx.actor, input.number, input.stage);
    return dealReply(
      ctx,
      ctx.t("deal.moved", { number: deal.number, stage: ctx.t(`stage.${deal.stage}`) }),
      deal,
    );
  },
});

export const dealNote = defineCommand({
  name: "deal note",
  usage: "/deal note <#n> <text…>",
  input: () => z.object({ number: dealNumber, note: text(2000, "input.note_required") }),
  fromText(tokens) {
    const { positional, options } = splitOptions(tokens);
    return { number: firstDeal(positional), note: options.note ?? joined(positional.slice(1)) };
  },
  async run(ctx, input) {
    const deal = await ctx.sales.deals.addNote(ctx.workspace, ctx.actor, input.number, input.note);
    return {
      visibility: "ephemeral",
      title: ctx.t("deal.noted", { number: deal.number }),
      lines: [dealLine(ctx, deal)],
    };
  },
});

export const dealAssign = defineCommand({
  name: "deal assign",
  usage: "/deal assign <#n> @rep",
  input: () =>
    z
      .object({ number: dealNumber, to: memberRef.optional() })
      .refine((v) => v.to, { message: "input.member_required" }),
  fromText(tokens) {
    const { positional } = splitOptions(tokens);
    const mention = positional.find((t) => t.kind === "mention");
    return { number: firstDeal(positional), to: mention?.kind === "mention" ? mention.ref : undefined };
  },
  async run(ctx, input) {
    const owner = await ctx.resolveMember(input.to as NonNullable<typeof input.to>);
    const deal = await ctx.sales.deals.reassign(ctx.workspace, ctx.actor, input.number, owner);
    return dealReply(ctx, ctx.t("deal.assigned", { number: deal.number, owner: owner.displayName }), deal);
  },
});
