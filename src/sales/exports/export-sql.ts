import { Prisma } from "../../generated/prisma/client.js";
import { isOpen, notDeleted } from "../deals/deal-sql.js";
import type { Workspace } from "../deps.js";

/**
 * The SQL of exports, each a page read by keyset: the rows after the last key read, in key order,
 * at most `size`. One page is in memory at a time, whatever the workspace holds.
 */

/** Which deals an export takes, beyond "not deleted". */
export interface ExportFilter {
  /** Deals created or closed at or after this instant (for events: events at or after it). */
  from?: Date | undefined;
  /** …and before this one, excluded. */
  to?: Date | undefined;
  /** Only the deals these members own (a manager's team); undefined: every owner's. */
  owners?: readonly number[] | undefined;
}

/** `column` in `[from, to)`, either end open; null when neither is given. */
function within(column: Prisma.Sql, filter: ExportFilter): Prisma.Sql | null {
  const parts = [
    ...(filter.from ? [Prisma.sql`${column} >= ${filter.from}`] : []),
    ...(filter.to ? [Prisma.sql`${column} < ${filter.to}`] : []),
  ];
  return parts.length ? Prisma.join(parts, " AND ") : null;
}

/**
 * A deal the export takes, `d` its alias: not deleted, owned by one of `owners` when given, and,
 * with `dated`, created or closed (won or lost) in the range: a range's deals are what happened in
 * it, those that came in and those that ended.
 */
export function exportedDeal(filter: ExportFilter, dated = true): Prisma.Sql {
  const owners =
    filter.owners === undefined
      ? Prisma.empty
      : filter.owners.length
        ? Prisma.sql`AND d.owner_id IN (${Prisma.join([...filter.owners])})`
        : Prisma.sql`AND false`;
  const created = within(Prisma.raw("d.created_at"), filter);
  const closed = within(Prisma.raw("d.closed_at"), filter);
  const range = dated && created && closed ? Prisma.sql`AND ((${created}) OR (${closed}))` : Prisma.empty;
  return Prisma.sql`${notDeleted("d")} ${owners} ${range}`;
}

/** Whether the filter keeps only some deals (a range or owners), rather than every live one. */
export function narrows(filter: ExportFilter): boolean {
  return filter.from !== undefined || filter.to !== undefined || filter.owners !== undefined;
}

/** A page of deals with their customer's name and their owner's name and email, by number. */
export function dealPageSql(ws: Workspace, filter: ExportFilter, after: number, size: number): Prisma.Sql {
  return Prisma.sql`
    SELECT d.number, d.title, c.name AS customer, m.display_name AS owner, m.email AS owner_email,
           d.amount, d.stage::text AS stage, d.probability,
           to_char(d.expected_close_date, 'YYYY-MM-DD') AS expected_close_date,
           d.created_at, d.closed_at, d.lost_reason::text AS lost_reason, d.lost_note, d.win_note,
           d.lead_source, d.external_source, d.external_id,
           (SELECT string_agg(p.name, ', ' ORDER BY l.position)
            FROM deal_product l JOIN product p ON p.id = l.product_id WHERE l.deal_id = d.id) AS products
    FROM deal d
    JOIN customer c ON c.id = d.customer_id
    JOIN member m ON m.id = d.owner_id
    WHERE d.workspace_id = ${ws.id} AND d.number > ${after} AND ${exportedDeal(filter)}
    ORDER BY d.number
    LIMIT ${size}`;
}

/**
 * A page of customers by folded name, each with its figures over the deals the filter takes; a
 * filter that narrows keeps only the customers with one of those deals.
 */
export function customerPageSql(
  ws: Workspace,
  filter: ExportFilter,
  after: string | null,
  size: number,
): Prisma.Sql {
  return Prisma.sql`
    SELECT c.name, c.name_key, m.display_name AS owner, m.email AS owner_email, c.lead_source, c.created_at,
           f.deals, f.open_deals, f.won_deals, f.won_amount, f.last_won_at
    FROM customer c
    LEFT JOIN member m ON m.id = c.owner_id
    CROSS JOIN LATERAL (
      SELECT count(*)::int AS deals,
             (count(*) FILTER (WHERE ${isOpen("d")}))::int AS open_deals,
             (count(*) FILTER (WHERE d.stage = 'won'))::int AS won_deals,
             (coalesce(sum(d.amount) FILTER (WHERE d.stage = 'won'), 0))::bigint AS won_amount,
             max(d.closed_at) FILTER (WHERE d.stage = 'won') AS last_won_at
      FROM deal d
      WHERE d.workspace_id = ${ws.id} AND d.customer_id = c.id AND ${exportedDeal(filter)}
    ) f
    WHERE c.workspace_id = ${ws.id}
      ${after === null ? Prisma.empty : Prisma.sql`AND c.name_key > ${after}`}
      ${narrows(filter) ? Prisma.sql`AND f.deals > 0` : Prisma.empty}
    ORDER BY c.name_key
    LIMIT ${size}`;
}

/** The numbers of a page of the deals whose events an export takes (their dates aside), by number. */
export function eventDealPageSql(ws: Workspace, filter: ExportFilter, after: number, size: number) {
  return Prisma.sql`
    SELECT d.number FROM deal d
    WHERE d.workspace_id = ${ws.id} AND d.number > ${after} AND ${exportedDeal(filter, false)}
    ORDER BY d.number
    LIMIT ${size}`;
}

/**
 * The events, in the range when one is given, of the deals numbered `(after, last]` the export
 * takes: by deal, each one's history oldest first. Members are named by their display name.
 */
export function eventPageSql(ws: Workspace, filter: ExportFilter, after: number, last: number): Prisma.Sql {
  const dated = within(Prisma.raw("e.at"), filter);
  return Prisma.sql`
    SELECT d.number AS deal_number, e.at, e.kind::text AS kind, a.display_name AS actor,
           e.stage::text AS stage, e.amount, e.previous_amount, o.display_name AS owner,
           p.display_name AS previous_owner, e.old_value, e.new_value, e.lost_reason::text AS lost_reason,
           e.note
    FROM deal d
    JOIN deal_event e ON e.deal_id = d.id
    LEFT JOIN member a ON a.id = e.actor_id
    LEFT JOIN member o ON o.id = e.owner_id
    LEFT JOIN member p ON p.id = e.previous_owner_id
    WHERE d.workspace_id = ${ws.id} AND e.workspace_id = ${ws.id}
      AND d.number > ${after} AND d.number <= ${last} AND ${exportedDeal(filter, false)}
      ${dated ? Prisma.sql`AND ${dated}` : Prisma.empty}
    ORDER BY d.number, e.at, e.id`;
}
