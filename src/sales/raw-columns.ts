import { Prisma } from "../generated/prisma/client.js";

/** A model's fields as Prisma generates them (`Prisma.MemberScalarFieldEnum`, …). */
export type Fields = Record<string, string>;

/**
 * `alias."column" AS "alias.field"` for each field (Prisma fields map to their snake_case columns),
 * so one raw statement can return rows of several models, each read back by {@link rowOf}.
 */
export function columnsOf(alias: string, fields: Fields): Prisma.Sql {
  const snake = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return Prisma.raw(
    Object.values(fields)
      .map((f) => `${alias}."${snake(f)}" AS "${alias}.${f}"`)
      .join(", "),
  );
}

/** The `alias` model's row out of a raw row selected with {@link columnsOf}. */
export function rowOf<T>(row: Record<string, unknown>, alias: string, fields: Fields): T {
  return Object.fromEntries(Object.values(fields).map((f) => [f, row[`${alias}.${f}`]])) as T;
}
