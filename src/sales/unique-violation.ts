import { Prisma } from "../generated/prisma/client.js";

/** A unique key violated, through Prisma's queries (P2002) or raw SQL (P2010, the driver's SQLSTATE 23505). */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  const cause = (error.meta?.driverAdapterError as { cause?: { originalCode?: string } } | undefined)?.cause;
  return error.code === "P2002" || (error.code === "P2010" && cause?.originalCode === "23505");
}
