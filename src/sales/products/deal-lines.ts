import { AppError } from "../../errors.js";
import { nameKey } from "../customers/name-key.js";
import type { Db, Product, Workspace } from "../deps.js";

/** A deal's line as it is written: the product, and the line's amount when it has one. */
export interface DealLine {
  product: Product;
  amount: bigint | null;
}

/** A deal's lines and the deal's amount they give: undefined when neither was typed nor can be summed. */
export interface PricedLines {
  lines: DealLine[];
  amount: bigint | undefined;
}

/**
 * The products `names` name, in order, each once: an unknown or retired one is refused by name,
 * before anything is written, except a retired one the deal carries already (`kept`, product ids),
 * which stays on it. Read through `db`, the deal's transaction.
 */
export async function productsNamed(
  db: Db,
  ws: Workspace,
  names: readonly string[],
  kept: ReadonlySet<number> = new Set(),
): Promise<Product[]> {
  const keys = [...new Set(names.map(nameKey).filter((k) => k !== ""))];
  const found = await db.product.findMany({ where: { workspaceId: ws.id, nameKey: { in: keys } } });
  const byKey = new Map(found.map((p) => [p.nameKey, p]));
  return keys.map((key) => {
    const product = byKey.get(key);
    const typed = names.find((n) => nameKey(n) === key)?.trim() ?? key;
    if (!product) throw new AppError("not_found", "error.product_not_found", { name: typed });
    if (product.retiredAt && !kept.has(product.id))
      throw new AppError("invalid_input", "error.product_retired", { name: product.name });
    return product;
  });
}

/**
 * The amount rule (docs/decisions.md, "A deal's product lines and its amount"): a line's amount is
 * its product's list price; a deal of one product with an amount typed puts that amount on its
 * line; with no amount typed, the deal's amount is the sum of its lines when every line has one.
 */
export function priceLines(products: readonly Product[], typed: bigint | undefined): PricedLines {
  if (typed !== undefined && products.length === 1) {
    return { lines: products.map((product) => ({ product, amount: typed })), amount: typed };
  }
  const lines = products.map((product) => ({ product, amount: product.price }));
  if (typed !== undefined) return { lines, amount: typed };
  const priced = lines.every((l) => l.amount !== null);
  return {
    lines,
    amount: priced && lines.length > 0 ? lines.reduce((s, l) => s + (l.amount ?? 0n), 0n) : undefined,
  };
}

/** The first product of `lines` without a list price: why no amount could be summed. */
export function unpricedProduct(lines: readonly DealLine[]): string | undefined {
  return lines.find((l) => l.amount === null)?.product.name;
}

/** Replaces a deal's lines with `lines`, in their order, inside the deal's transaction. */
export async function writeLines(
  db: Db,
  ws: Workspace,
  dealId: number,
  lines: readonly DealLine[],
): Promise<void> {
  await db.dealProduct.deleteMany({ where: { dealId } });
  if (lines.length === 0) return;
  await db.dealProduct.createMany({
    data: lines.map((l, position) => ({
      workspaceId: ws.id,
      dealId,
      productId: l.product.id,
      position,
      amount: l.amount,
    })),
  });
}

/** A deal's products, in the order of its lines. */
export async function lineProducts(db: Db, dealId: number): Promise<Product[]> {
  const lines = await db.dealProduct.findMany({
    where: { dealId },
    include: { product: true },
    orderBy: { position: "asc" },
  });
  return lines.map((l) => l.product);
}
