import { Prisma } from "../../generated/prisma/client.js";

/** Whose deals a figure covers: everyone, or the deals owned by some members. */
export type OwnerFilter = { kind: "all" } | { kind: "owners"; ownerIds: number[] };

export const EVERYONE: OwnerFilter = { kind: "all" };

/** `AND <column> IN (…)` for a filter, or nothing for everyone; an empty list matches nothing. */
export function ownerCondition(filter: OwnerFilter, column = Prisma.raw("owner_id")): Prisma.Sql {
  if (filter.kind === "all") return Prisma.empty;
  if (filter.ownerIds.length === 0) return Prisma.sql`AND false`;
  return Prisma.sql`AND ${column} IN (${Prisma.join(filter.ownerIds)})`;
}
