import { parseAmount } from "../messages/amount.js";
import type { Product } from "../sales/deps.js";
import { PRODUCT_MAX_NAME } from "../sales/products/product-service.js";
import { type CommandContext, defineCommand, type ParseContext } from "./command.js";
import { type Token, tokenText, twoValues } from "./grammar/tokens.js";
import { amountOption, textOption } from "./options.js";

/** The longest price a product is written with: `12 000,50 €`. */
const MAX_PRICE_WORDS = 4;

/**
 * Reads `<name…> [price]`: the price is the longest run of last words (up to four, leaving a name)
 * that reads as an amount; a name that ends in a number (`Plan 2026`) is quoted.
 */
function nameThenPrice(tokens: Token[], _named: Record<string, string>, p: ParseContext) {
  const words = tokens.map(tokenText);
  for (let n = Math.min(MAX_PRICE_WORDS, words.length - 1); n >= 1; n--) {
    const price = words.slice(-n).join(" ");
    const read = parseAmount(price, p);
    if (read.ok || read.error === "currency") {
      return { name: words.slice(0, -n).join(" "), price };
    }
  }
  return { name: words.join(" ") || undefined };
}

const productName = (description: "option.product_name" | "option.product_new_name") =>
  textOption(PRODUCT_MAX_NAME, {
    required: true,
    description,
    placeholder: description === "option.product_name" ? "usage.product_name" : "usage.product_new_name",
    missing:
      description === "option.product_name"
        ? "input.product_name_required"
        : "input.product_new_name_required",
  });

/** A product as the catalogue lists it: its name, and its list price when it has one. */
export function productText(ctx: CommandContext, product: Pick<Product, "name" | "price">): string {
  return product.price === null
    ? product.name
    : ctx.t("product.priced", { name: product.name, price: ctx.fmt.moneyExact(product.price) });
}

export const productAdd = defineCommand({
  name: "closer product add",
  description: "command.product_add",
  visibility: "public",
  options: {
    name: productName("option.product_name"),
    price: amountOption({ description: "option.product_price", placeholder: "usage.price" }),
  },
  fromText: nameThenPrice,
  async run(ctx, input) {
    const product = await ctx.sales.products.addProduct(ctx.workspace, ctx.actor, input.name, input.price);
    return { title: ctx.t("product.added", { product: productText(ctx, product) }), lines: [] };
  },
});

export const productList = defineCommand({
  name: "closer product list",
  description: "command.product_list",
  visibility: "ephemeral",
  options: {},
  async run(ctx) {
    const { active, retired } = await ctx.sales.products.listProducts(ctx.workspace);
    return {
      title: ctx.t("product.title"),
      lines: [
        ...(active.length ? active.map((p) => productText(ctx, p)) : [ctx.t("product.none")]),
        ...(retired.length
          ? [ctx.t("product.retired_list", { names: retired.map((p) => p.name).join(", ") })]
          : []),
      ],
    };
  },
});

export const productRename = defineCommand({
  name: "closer product rename",
  description: "command.product_rename",
  visibility: "public",
  options: {
    name: productName("option.product_name"),
    new_name: productName("option.product_new_name"),
  },
  // Two names; one with spaces is quoted ("Pro plan").
  fromText: twoValues("name", "new_name"),
  async run(ctx, input) {
    const r = await ctx.sales.products.renameProduct(ctx.workspace, ctx.actor, input.name, input.new_name);
    return { title: ctx.t("product.renamed", { previous: r.previous, name: r.product.name }), lines: [] };
  },
});

export const productRetire = defineCommand({
  name: "closer product retire",
  description: "command.product_retire",
  visibility: "public",
  options: { name: productName("option.product_name") },
  fromText: (tokens) => ({ name: tokens.map(tokenText).join(" ") || undefined }),
  async run(ctx, input) {
    const product = await ctx.sales.products.retireProduct(ctx.workspace, ctx.actor, input.name);
    return {
      title: ctx.t("product.retired", { name: product.name }),
      lines: [ctx.t("product.retired_after")],
    };
  },
});
