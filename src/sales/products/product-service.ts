import { AppError } from "../../errors.js";
import { nameKey } from "../customers/name-key.js";
import type { Db, Member, Product, SalesDeps, Workspace } from "../deps.js";
import type { Period } from "../periods/period.js";
import { assertCanManageProducts } from "../permissions.js";
import type { Scope } from "../scope.js";
import { isUniqueViolation } from "../unique-violation.js";
import { type ProductKpiRow, productKpis } from "./product-kpis.js";

export type { ProductKpiRow } from "./product-kpis.js";

/** The workspace's catalogue: what a deal's `products:"…"` names. */
export interface ProductCatalogue {
  /** Products a deal may carry, by name. */
  active: Product[];
  /** Retired products: still on the deals that carry them, on no new one. */
  retired: Product[];
}

/** The longest product name. */
export const PRODUCT_MAX_NAME = 80;

/** The folded name of a product, refused when it has no letter or digit. */
function productKey(name: string): string {
  const key = nameKey(name);
  if (!key) throw new AppError("invalid_input", "error.product_name");
  // A deal names its products comma-separated: a comma in a name could not be named there.
  if (name.includes(",")) throw new AppError("invalid_input", "error.product_comma");
  return key;
}

/** A product by its folded name, retired or not; refused by name when there is none. */
export async function findProduct(db: Db, ws: Workspace, name: string): Promise<Product> {
  const product = await db.product.findUnique({
    where: { workspaceId_nameKey: { workspaceId: ws.id, nameKey: productKey(name) } },
  });
  if (!product) throw new AppError("not_found", "error.product_not_found", { name: name.trim() });
  return product;
}

/**
 * The product catalogue of a workspace: managers and admins add, rename and retire products;
 * everyone lists them. Names are unique once folded, as customers' are.
 */
export function createProductService({ db, clock }: SalesDeps) {
  /** Runs a write that may take a name another product has, refusing it by that name. */
  async function uniquely<R>(ws: Workspace, name: string, write: () => Promise<R>): Promise<R> {
    try {
      return await write();
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const taken = await findProduct(db, ws, name);
      throw new AppError(
        "conflict",
        taken.retiredAt ? "error.product_exists_retired" : "error.product_exists",
        {
          name: taken.name,
        },
      );
    }
  }

  return {
    /** Adds a product to the catalogue, with its list price in minor units when it has one. */
    async addProduct(ws: Workspace, actor: Member, name: string, price?: bigint): Promise<Product> {
      assertCanManageProducts(ws, actor);
      const key = productKey(name);
      return uniquely(ws, name, () =>
        db.product.create({
          data: { workspaceId: ws.id, name: name.trim(), nameKey: key, price: price ?? null },
        }),
      );
    },

    /** The catalogue, each part by name. */
    async listProducts(ws: Workspace): Promise<ProductCatalogue> {
      const products = await db.product.findMany({
        where: { workspaceId: ws.id },
        orderBy: { nameKey: "asc" },
      });
      return {
        active: products.filter((p) => p.retiredAt === null),
        retired: products.filter((p) => p.retiredAt !== null),
      };
    },

    /** Renames a product; the deals that carry it show the new name. */
    async renameProduct(
      ws: Workspace,
      actor: Member,
      name: string,
      newName: string,
    ): Promise<{ previous: string; product: Product }> {
      assertCanManageProducts(ws, actor);
      const product = await findProduct(db, ws, name);
      const key = productKey(newName);
      const renamed = await uniquely(ws, newName, () =>
        db.product.update({ where: { id: product.id }, data: { name: newName.trim(), nameKey: key } }),
      );
      return { previous: product.name, product: renamed };
    },

    /** Per product, the won revenue, counts, win rate, average and lost reasons of the period's closed deals. */
    productKpis: (ws: Workspace, period: Period, scope: Scope): Promise<ProductKpiRow[]> =>
      productKpis(db, ws, period, scope),

    /** Retires a product: it stays on the deals that carry it and in their figures, and goes on no new deal. */
    async retireProduct(ws: Workspace, actor: Member, name: string): Promise<Product> {
      assertCanManageProducts(ws, actor);
      const product = await findProduct(db, ws, name);
      if (product.retiredAt)
        throw new AppError("conflict", "error.product_already_retired", { name: product.name });
      return db.product.update({ where: { id: product.id }, data: { retiredAt: clock.now() } });
    },
  };
}

export type ProductService = ReturnType<typeof createProductService>;
