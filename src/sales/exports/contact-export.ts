import { Prisma } from "../../generated/prisma/client.js";
import type { Workspace } from "../deps.js";
import { type ExportFilter, exportedDeal, narrows } from "./export-sql.js";

/** A contact as exported: the customer's name beside the person's. */
export interface ContactRecord {
  customer: string;
  name: string;
  role: string | null;
  email: string | null;
  phone: string | null;
  createdAt: Date;
}

/**
 * A page of the contacts of the customers an export takes (with a range or owners, those that have
 * such a deal, as the customers' export), after contact `after`, by id.
 */
export function contactPageSql(ws: Workspace, filter: ExportFilter, after: number, size: number): Prisma.Sql {
  const customerTaken = narrows(filter)
    ? Prisma.sql`AND EXISTS (SELECT 1 FROM deal d
        WHERE d.workspace_id = ${ws.id} AND d.customer_id = c.id AND ${exportedDeal(filter)})`
    : Prisma.empty;
  return Prisma.sql`
    SELECT p.id, c.name AS customer, p.name, p.role, p.email, p.phone, p.created_at AS "createdAt"
    FROM contact p JOIN customer c ON c.id = p.customer_id
    WHERE p.workspace_id = ${ws.id} AND p.id > ${after} ${customerTaken}
    ORDER BY p.id
    LIMIT ${size}`;
}
