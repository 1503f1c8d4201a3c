import { Prisma } from "../../generated/prisma/client.js";
import { nameKey } from "../customers/name-key.js";
import type { Tx, Workspace } from "../deps.js";
import type { ImportDeal } from "./import-plan.js";

/**
 * Writes the products of imported deals, in the import's transaction, after their deals: a name the
 * catalogue lacks is added (without a price; a manager prices it later), and each deal's lines are
 * replaced by the row's, so importing a file again changes nothing. A deal of one product puts its
 * amount on the line; several take their list prices (docs/decisions.md, "Products"). Rows without a
 * products cell leave their deal's lines alone.
 */
export async function writeImportedProducts(
  tx: Tx,
  ws: Workspace,
  rows: readonly ImportDeal[],
): Promise<void> {
  const withProducts = rows.flatMap((r) => (r.products?.length ? [{ ...r, products: r.products }] : []));
  if (withProducts.length === 0) return;
  const names = new Map(withProducts.flatMap((r) => r.products.map((n) => [nameKey(n), n.trim()] as const)));
  await tx.$executeRaw(Prisma.sql`
    INSERT INTO product (workspace_id, name, name_key)
    SELECT ${ws.id}, name, key FROM unnest(${[...names.values()]}::text[], ${[...names.keys()]}::text[]) AS n(name, key)
    ON CONFLICT (workspace_id, name_key) DO NOTHING`);
  const lines = withProducts.flatMap((r) =>
    r.products.map((name, position) => ({
      r,
      key: nameKey(name),
      position,
      single: r.products.length === 1,
    })),
  );
  const sources = lines.map((l) => l.r.source);
  const ids = lines.map((l) => l.r.externalId);
  await tx.$executeRaw(Prisma.sql`
    DELETE FROM deal_product l USING deal d
    WHERE l.deal_id = d.id AND d.workspace_id = ${ws.id}
      AND (d.external_source, d.external_id) IN (SELECT * FROM unnest(${sources}::text[], ${ids}::text[]))`);
  await tx.$executeRaw(Prisma.sql`
    INSERT INTO deal_product (workspace_id, deal_id, product_id, position, amount)
    SELECT ${ws.id}, d.id, p.id, x.position, CASE WHEN x.single THEN d.amount ELSE p.price END
    FROM unnest(${sources}::text[], ${ids}::text[], ${lines.map((l) => l.key)}::text[],
                ${lines.map((l) => l.position)}::int[], ${lines.map((l) => l.single)}::boolean[])
         AS x(source, external_id, key, position, single)
    JOIN deal d ON d.workspace_id = ${ws.id} AND d.external_source = x.source AND d.external_id = x.external_id
    JOIN product p ON p.workspace_id = ${ws.id} AND p.name_key = x.key
    ON CONFLICT DO NOTHING`);
}
