import { AppError } from "../errors.js";
import { parseAmount } from "../messages/amount.js";
import { milestoneLine } from "../messages/lines.js";
import type { DealChange, Win } from "../sales/deals/deal-service.js";
import { type Answer, type CommandContext, defineCommand, type ParseContext } from "./command.js";
import { leftover, type Token, tokenText } from "./grammar/tokens.js";
import {
  amountOption,
  dateOption,
  dealOption,
  memberOption,
  productsOption,
  reasonOption,
  sourceOption,
  stageOption,
  textOption,
} from "./options.js";
import { dealAnswer, dealLine } from "./views.js";

const MAX_AMOUNT_TOKENS = 4;
/** A word that may be more of a number: digits and `.` `,` only, perhaps a currency symbol after. */
const NUMBER_PART = /^[.,]?\d[\d.,]*\p{Sc}?$/u;
/** An amount that may go on: it ends in a digit or a separator, not in `k`, `M` or a currency. */
const OPEN_ENDED = /[\d.,]$/u;

/**
 * Reads `<amount> <customer…>` where the amount may itself contain spaces (`12 000 Acme`): the
 * longest prefix of up to four words that parses as an amount, or as one in another currency
 * (`12k USD Acme` is refused as such, not read as a customer "USD Acme"), leaving a customer.
 *
 * Digits never move into the customer's name. When that amount ends in a digit or separator and
 * the next words are digits and separators only (`000,50`, `,50`, `2`, `500`, `000,50€`), they
 * join the amount, which is then one number (`1 000 000 000 000`) or refused as ambiguous
 * (`12 000,50` in en, `1 2 3 4`, `5000 123`). A first word with a letter or another sign is a
 * name (`5000 3M`, `5000 7-Eleven`); a customer that is a number first (`123 Fleurs`) follows an
 * amount that cannot go on (`5k`, `5000 €`) or is quoted (`5000 "123 Fleurs"`, one word).
 */
export function splitAmount(
  words: string[],
  p: ParseContext,
): { amount: string | undefined; rest: string[] } {
  let n = longestAmount(words, p);
  if (OPEN_ENDED.test(words[n - 1] ?? "")) {
    while (n < words.length && NUMBER_PART.test(words[n] ?? "")) n++;
  }
  return { amount: n ? words.slice(0, n).join(" ") : undefined, rest: words.slice(n) };
}

/** How many words the amount takes before any digits that may continue it: at least the first. */
function longestAmount(words: string[], p: ParseContext): number {
  for (let n = Math.min(MAX_AMOUNT_TOKENS, words.length - 1); n >= 2; n--) {
    const parsed = parseAmount(words.slice(0, n).join(" "), p);
    if (parsed.ok || parsed.error === "currency") return n;
  }
  return Math.min(1, words.length);
}

/** The deal number a command starts with: `#12`, or `12`. */
export function firstDeal(tokens: Token[]): string | undefined {
  const t = tokens[0];
  if (t?.kind === "deal") return t.text;
  if (t?.kind === "word" && /^\d{1,9}$/.test(t.text)) return t.text;
  return t === undefined ? undefined : tokenText(t);
}

const joined = (tokens: Token[]) => (tokens.length ? tokens.map(tokenText).join(" ") : undefined);

const deal = dealOption({ required: true, description: "option.deal" });

/** The products line under a deal's answer, when it carries any. */
function productsLine(ctx: CommandContext, names: readonly string[]): string[] {
  return names.length ? [ctx.t("deal.products", { names: names.join(", ") })] : [];
}

export const dealLog = defineCommand({
  name: "deal log",
  description: "command.deal_log",
  visibility: "public",
  options: {
    // Without one, the deal's products' list prices add up to it.
    amount: amountOption({ description: "option.amount" }),
    customer: textOption(120, {
      required: true,
      description: "option.customer",
      placeholder: "usage.customer",
      missing: "input.customer_required",
      autocomplete: "customer",
    }),
    stage: stageOption({ named: true, description: "option.stage" }),
    source: sourceOption,
    close: dateOption({ named: true, description: "option.close" }),
    title: textOption(200, { named: true, description: "option.title", placeholder: "usage.quoted" }),
    for: memberOption({ named: true, description: "option.for" }),
    products: productsOption({ description: "option.products" }),
  },
  fromText(tokens, named, p) {
    // A mention names the owner, unless `for:` does.
    const mention = named.for === undefined ? tokens.find((t) => t.kind === "mention") : undefined;
    const words = tokens.filter((t) => t !== mention).map(tokenText);
    // With products, the amount may be left out: a first word without a digit is the customer.
    const priced = named.products === undefined || /\d/.test(words[0] ?? "");
    const split = priced ? splitAmount(words, p) : { amount: undefined, rest: words };
    return {
      // Without products an amount is required: null is missing, refused before the customer is.
      amount: split.amount ?? (named.products === undefined ? null : undefined),
      customer: split.rest.length ? split.rest.join(" ") : undefined,
      for: mention?.kind === "mention" ? mention.ref : undefined,
    };
  },
  refine: (schema) =>
    schema.refine((v) => v.amount !== undefined || v.products !== undefined, {
      message: "input.amount_required",
      path: ["amount"],
    }),
  async run(ctx, input) {
    const owner = input.for ? await ctx.resolveMember(input.for) : undefined;
    const { deal, win, products } = await ctx.sales.deals.logDeal(ctx.workspace, ctx.actor, {
      amount: input.amount,
      customer: input.customer,
      stage: input.stage,
      source: input.source,
      closeDate: input.close,
      title: input.title,
      owner,
      idempotencyKey: ctx.requestId,
      products: input.products,
    });
    if (deal.stage === "won") {
      return wonAnswer(ctx, { deal, progress: [], crossings: [], ...win }, productsLine(ctx, products));
    }
    return dealAnswer(ctx, ctx.t("deal.logged", { number: deal.number }), deal, productsLine(ctx, products));
  },
});

/** The answer to a win: the deal, how it was won, and the milestones it crossed, as its transaction saw them. */
function wonAnswer(ctx: CommandContext, win: Win, extra: string[] = []): Answer {
  const { deal } = win;
  const lines = [...extra, ...win.crossings.map((c) => milestoneLine(ctx, c))];
  if (deal.winNote) lines.unshift(ctx.t("deal.win_note", { note: deal.winNote }));
  return dealAnswer(
    ctx,
    ctx.t("deal.won", { number: deal.number, owner: deal.owner.displayName }),
    deal,
    lines,
  );
}

export const dealWon = defineCommand({
  name: "deal won",
  description: "command.deal_won",
  visibility: "public",
  options: {
    deal,
    amount: amountOption({ description: "option.final_amount" }),
    closed: dateOption({ named: true, description: "option.closed" }),
    note: textOption(1000, { named: true, description: "option.win_note", placeholder: "usage.win_note" }),
  },
  fromText(tokens) {
    return { deal: firstDeal(tokens), amount: joined(tokens.slice(1)) };
  },
  async run(ctx, input) {
    return wonAnswer(
      ctx,
      await ctx.sales.deals.winDeal(ctx.workspace, ctx.actor, input.deal, {
        amount: input.amount,
        closedOn: input.closed,
        note: input.note,
      }),
    );
  },
});

export const dealLost = defineCommand({
  name: "deal lost",
  description: "command.deal_lost",
  visibility: "public",
  options: {
    deal,
    reason: reasonOption({ required: true, named: true, description: "option.reason" }),
    note: textOption(1000, { named: true, description: "option.note", placeholder: "usage.quoted" }),
  },
  fromText(tokens, named) {
    const second = tokens[1];
    return {
      deal: firstDeal(tokens),
      reason: named.reason ?? (second?.kind === "word" ? second.text : undefined),
      note: named.note ?? joined(tokens.slice(named.reason ? 1 : 2)),
    };
  },
  async run(ctx, input) {
    const { deal } = await ctx.sales.deals.loseDeal(
      ctx.workspace,
      ctx.actor,
      input.deal,
      input.reason,
      input.note,
    );
    return dealAnswer(
      ctx,
      ctx.t("deal.lost", { number: deal.number, reason: ctx.t(`reason.${input.reason}`) }),
      deal,
    );
  },
});

export const dealStage = defineCommand({
  name: "deal stage",
  description: "command.deal_stage",
  visibility: "public",
  options: {
    deal,
    stage: stageOption({ required: true, description: "option.stage", missing: "input.stage_required" }),
  },
  fromText(tokens, named) {
    return { deal: firstDeal(tokens), stage: named.stage ?? joined(tokens.slice(1)) };
  },
  async run(ctx, input) {
    if (input.stage === "won")
      return wonAnswer(ctx, await ctx.sales.deals.winDeal(ctx.workspace, ctx.actor, input.deal));
    if (input.stage === "lost")
      throw new AppError("invalid_input", "error.stage_use_command", { stage: "lost" });
    const deal = await ctx.sales.deals.moveStage(ctx.workspace, ctx.actor, input.deal, input.stage);
    return dealAnswer(
      ctx,
      ctx.t("deal.moved", { number: deal.number, stage: ctx.t(`stage.${deal.stage}`) }),
      deal,
    );
  },
});

export const dealNote = defineCommand({
  name: "deal note",
  description: "command.deal_note",
  visibility: "ephemeral",
  options: {
    deal,
    note: textOption(2000, {
      required: true,
      description: "option.note",
      placeholder: "usage.text",
      missing: "input.note_required",
    }),
  },
  fromText(tokens) {
    return { deal: firstDeal(tokens), note: joined(tokens.slice(1)) };
  },
  async run(ctx, input) {
    const deal = await ctx.sales.deals.addNote(ctx.workspace, ctx.actor, input.deal, input.note);
    return { title: ctx.t("deal.noted", { number: deal.number }), lines: [dealLine(ctx, deal)] };
  },
});

export const dealAssign = defineCommand({
  name: "deal assign",
  description: "command.deal_assign",
  visibility: "public",
  options: { deal, to: memberOption({ required: true, description: "option.to" }) },
  fromText(tokens) {
    const mention = tokens.find((t) => t.kind === "mention");
    return {
      deal: firstDeal(tokens),
      to: mention?.kind === "mention" ? mention.ref : undefined,
      extra: leftover(tokens.slice(1).filter((t) => t !== mention)),
    };
  },
  async run(ctx, input) {
    const owner = await ctx.resolveMember(input.to);
    const deal = await ctx.sales.deals.reassign(ctx.workspace, ctx.actor, input.deal, owner);
    return dealAnswer(ctx, ctx.t("deal.assigned", { number: deal.number, owner: owner.displayName }), deal);
  },
});

/** One changed field as `Amount: €12,000 → €15,000`. */
function changeLine(ctx: CommandContext, change: DealChange): string {
  const label = {
    amount: "field.amount",
    customer: "field.customer",
    title: "field.title",
    source: "field.source",
    close: "field.expected_close",
    products: "field.products",
  } as const;
  const shown = (v: string | bigint | null) =>
    v === null
      ? ctx.t("deal.none")
      : typeof v === "bigint"
        ? ctx.fmt.moneyExact(v)
        : change.field === "close"
          ? ctx.fmt.day(v)
          : v;
  return ctx.t("deal.change", {
    field: ctx.t(label[change.field]),
    from: shown(change.from),
    to: shown(change.to),
  });
}

export const dealEdit = defineCommand({
  name: "deal edit",
  description: "command.deal_edit",
  visibility: "public",
  options: {
    deal,
    amount: amountOption({ description: "option.edit_amount" }),
    customer: textOption(120, {
      named: true,
      description: "option.edit_customer",
      placeholder: "usage.quoted",
      autocomplete: "customer",
    }),
    title: textOption(200, { named: true, description: "option.edit_title", placeholder: "usage.quoted" }),
    source: textOption(60, { named: true, description: "option.edit_source", placeholder: "usage.source" }),
    close: dateOption({ named: true, description: "option.edit_close" }),
    products: productsOption({ description: "option.edit_products" }),
  },
  fromText(tokens) {
    return { deal: firstDeal(tokens), amount: joined(tokens.slice(1)) };
  },
  refine: (schema) =>
    schema.refine(
      (v) =>
        v.amount !== undefined ||
        v.customer !== undefined ||
        v.title !== undefined ||
        v.source !== undefined ||
        v.close !== undefined ||
        v.products !== undefined,
      { message: "input.edit_nothing", path: ["amount"] },
    ),
  async run(ctx, input) {
    const { deal, changes } = await ctx.sales.deals.editDeal(ctx.workspace, ctx.actor, input.deal, {
      amount: input.amount,
      customer: input.customer,
      title: input.title,
      source: input.source,
      closeDate: input.close,
      products: input.products,
    });
    return dealAnswer(
      ctx,
      ctx.t("deal.edited", { number: deal.number }),
      deal,
      changes.map((c) => changeLine(ctx, c)),
    );
  },
});

/** Asks before deleting or restoring where a platform can ask (a button); the shell runs it at once. */
function confirmation(
  title: "confirm.delete_title" | "confirm.restore_title",
  text: "confirm.delete_text" | "confirm.restore_text",
) {
  return (ctx: CommandContext, input: { deal: number }) => ({
    title: ctx.t(title, { number: input.deal }),
    lines: [ctx.t(text, { number: input.deal })],
    value: `#${input.deal}`,
  });
}

export const dealDelete = defineCommand({
  name: "deal delete",
  description: "command.deal_delete",
  visibility: "public",
  options: { deal },
  fromText: (tokens) => ({ deal: firstDeal(tokens), extra: leftover(tokens.slice(1)) }),
  confirm: confirmation("confirm.delete_title", "confirm.delete_text"),
  async run(ctx, input) {
    const deal = await ctx.sales.deals.deleteDeal(ctx.workspace, ctx.actor, input.deal);
    return { title: ctx.t("deal.deleted", { number: deal.number }), lines: [dealLine(ctx, deal)] };
  },
});

export const dealRestore = defineCommand({
  name: "deal restore",
  description: "command.deal_restore",
  visibility: "public",
  options: { deal },
  fromText: (tokens) => ({ deal: firstDeal(tokens), extra: leftover(tokens.slice(1)) }),
  confirm: confirmation("confirm.restore_title", "confirm.restore_text"),
  async run(ctx, input) {
    const deal = await ctx.sales.deals.restoreDeal(ctx.workspace, ctx.actor, input.deal);
    return dealAnswer(ctx, ctx.t("deal.restored", { number: deal.number }), deal);
  },
});
