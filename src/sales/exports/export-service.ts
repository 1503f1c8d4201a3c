import type { Prisma } from "../../generated/prisma/client.js";
import type { DealEventKind } from "../../generated/prisma/enums.js";
import type { LostReason, Member, SalesDeps, Stage, Workspace } from "../deps.js";
import { assertCanExport } from "../permissions.js";
import { type ContactRecord, contactPageSql } from "./contact-export.js";
import {
  customerPageSql,
  dealPageSql,
  type ExportFilter,
  eventDealPageSql,
  eventPageSql,
} from "./export-sql.js";

export type { ContactRecord } from "./contact-export.js";
export type { ExportFilter } from "./export-sql.js";

/** How many records a page holds: what an export keeps in memory at once. */
export const EXPORT_PAGE_SIZE = 2000;

/** A deal as an export writes it: its fields, its customer's name, its owner's name and email. */
export interface DealRecord {
  number: number;
  title: string | null;
  customer: string;
  owner: string;
  ownerEmail: string | null;
  /** Minor units of the workspace's currency. */
  amount: bigint;
  stage: Stage;
  probability: number;
  /** `YYYY-MM-DD`. */
  expectedCloseDate: string | null;
  createdAt: Date;
  closedAt: Date | null;
  lostReason: LostReason | null;
  lostNote: string | null;
  winNote: string | null;
  leadSource: string | null;
  externalSource: string | null;
  externalId: string | null;
  /** Its products' names, in the order of its lines, comma-separated; null without any. */
  products: string | null;
}

/** A customer with its figures over the deals the export takes. */
export interface CustomerRecord {
  name: string;
  owner: string | null;
  ownerEmail: string | null;
  leadSource: string | null;
  createdAt: Date;
  deals: number;
  openDeals: number;
  wonDeals: number;
  /** Minor units. */
  wonAmount: bigint;
  lastWonAt: Date | null;
}

/** One event of a deal's history, members named by their display name. */
export interface EventRecord {
  dealNumber: number;
  at: Date;
  kind: DealEventKind;
  actor: string | null;
  stage: Stage | null;
  amount: bigint | null;
  previousAmount: bigint | null;
  owner: string | null;
  previousOwner: string | null;
  oldValue: string | null;
  newValue: string | null;
  lostReason: LostReason | null;
  note: string | null;
}

/** Whose deals an actor may export: everyone's, or those of their team's members. */
export interface ExportScope {
  /** The owners to keep; undefined: everyone. */
  owners: readonly number[] | undefined;
  /** The team the owners are, when the actor is a manager leading one. */
  team: { id: number; name: string } | undefined;
}

interface DealRow {
  number: number;
  title: string | null;
  customer: string;
  owner: string;
  owner_email: string | null;
  amount: bigint;
  stage: Stage;
  probability: number;
  expected_close_date: string | null;
  created_at: Date;
  closed_at: Date | null;
  lost_reason: LostReason | null;
  lost_note: string | null;
  win_note: string | null;
  lead_source: string | null;
  external_source: string | null;
  external_id: string | null;
  products: string | null;
}

interface CustomerRow {
  name: string;
  name_key: string;
  owner: string | null;
  owner_email: string | null;
  lead_source: string | null;
  created_at: Date;
  deals: number;
  open_deals: number;
  won_deals: number;
  won_amount: bigint;
  last_won_at: Date | null;
}

interface EventRow {
  deal_number: number;
  at: Date;
  kind: DealEventKind;
  actor: string | null;
  stage: Stage | null;
  amount: bigint | null;
  previous_amount: bigint | null;
  owner: string | null;
  previous_owner: string | null;
  old_value: string | null;
  new_value: string | null;
  lost_reason: LostReason | null;
  note: string | null;
}

/**
 * Pages read by keyset until one comes back short: `read(after)` reads the rows after a key, `keyOf`
 * gives a row's key. Only non-empty pages are yielded.
 */
async function* keyset<Row, Key>(
  read: (after: Key) => Promise<Row[]>,
  keyOf: (row: Row) => Key,
  first: Key,
  size: number,
): AsyncGenerator<Row[]> {
  let after = first;
  for (;;) {
    const rows = await read(after);
    if (rows.length) yield rows;
    const last = rows.at(-1);
    if (rows.length < size || last === undefined) return;
    after = keyOf(last);
  }
}

/**
 * Reading a workspace's deals, customers and deal events as plain records, page by page (keyset
 * pagination), so exporting a million deals holds one page in memory. Deleted deals and their
 * events are left out. Pages are read one statement each, outside any transaction: a deal logged
 * meanwhile appears when its number comes after the last page read, and a change shows in the pages
 * read after it.
 */
export function createExportService({ db }: SalesDeps) {
  const query = <T>(sql: Prisma.Sql) => db.$queryRaw<T[]>(sql);

  return {
    /**
     * The deals an actor may export: an admin's or a manager's who leads no team are everyone's; a
     * manager leading a team gets its members' (read once, so every page of one export agrees).
     *
     * @throws AppError `forbidden` for a rep.
     */
    async exportScope(ws: Workspace, actor: Member): Promise<ExportScope> {
      assertCanExport(ws, actor);
      if (actor.role === "admin" || actor.teamId === null) return { owners: undefined, team: undefined };
      const team = await db.team.findFirst({
        where: { id: actor.teamId, workspaceId: ws.id },
        include: { members: { select: { id: true } } },
      });
      return {
        owners: team?.members.map((m) => m.id) ?? [actor.id],
        team: team ? { id: team.id, name: team.name } : undefined,
      };
    },

    /**
     * The workspace's live deals by number, in pages of `size`: those created or closed in
     * `[from, to)` when a range is given, of `owners` when given.
     */
    async *deals(
      ws: Workspace,
      filter: ExportFilter = {},
      size = EXPORT_PAGE_SIZE,
    ): AsyncGenerator<DealRecord[]> {
      const pages = keyset(
        (after: number) => query<DealRow>(dealPageSql(ws, filter, after, size)),
        (row) => row.number,
        0,
        size,
      );
      for await (const rows of pages) {
        yield rows.map((r) => ({
          number: r.number,
          title: r.title,
          customer: r.customer,
          owner: r.owner,
          ownerEmail: r.owner_email,
          amount: r.amount,
          stage: r.stage,
          probability: r.probability,
          expectedCloseDate: r.expected_close_date,
          createdAt: r.created_at,
          closedAt: r.closed_at,
          lostReason: r.lost_reason,
          lostNote: r.lost_note,
          winNote: r.win_note,
          leadSource: r.lead_source,
          externalSource: r.external_source,
          externalId: r.external_id,
          products: r.products,
        }));
      }
    },

    /**
     * The workspace's customers by folded name, each with its figures over the deals the filter
     * takes; with a range or owners, only the customers that have such a deal.
     */
    async *customers(
      ws: Workspace,
      filter: ExportFilter = {},
      size = EXPORT_PAGE_SIZE,
    ): AsyncGenerator<CustomerRecord[]> {
      const pages = keyset(
        (after: string | null) => query<CustomerRow>(customerPageSql(ws, filter, after, size)),
        (row) => row.name_key,
        null as string | null,
        size,
      );
      for await (const rows of pages) {
        yield rows.map((r) => ({
          name: r.name,
          owner: r.owner,
          ownerEmail: r.owner_email,
          leadSource: r.lead_source,
          createdAt: r.created_at,
          deals: r.deals,
          openDeals: r.open_deals,
          wonDeals: r.won_deals,
          wonAmount: r.won_amount,
          lastWonAt: r.last_won_at,
        }));
      }
    },

    /** The contacts of the customers the filter takes (see `customers`), by id. */
    contacts(
      ws: Workspace,
      filter: ExportFilter = {},
      size = EXPORT_PAGE_SIZE,
    ): AsyncGenerator<ContactRecord[]> {
      return keyset(
        (after: number) => query<ContactRecord & { id: number }>(contactPageSql(ws, filter, after, size)),
        (row) => row.id,
        0,
        size,
      );
    },

    /**
     * The events of the live deals (of `owners` when given) by deal number, each deal's oldest
     * first; with a range, the events that happened in it. Read `size` deals at a time.
     */
    async *events(
      ws: Workspace,
      filter: ExportFilter = {},
      size = EXPORT_PAGE_SIZE,
    ): AsyncGenerator<EventRecord[]> {
      const dealPages = keyset(
        (after: number) => query<{ number: number }>(eventDealPageSql(ws, filter, after, size)),
        (row) => row.number,
        0,
        size,
      );
      let after = 0;
      for await (const deals of dealPages) {
        const last = deals.at(-1)?.number ?? after;
        const rows = await query<EventRow>(eventPageSql(ws, filter, after, last));
        after = last;
        if (!rows.length) continue;
        yield rows.map((r) => ({
          dealNumber: r.deal_number,
          at: r.at,
          kind: r.kind,
          actor: r.actor,
          stage: r.stage,
          amount: r.amount,
          previousAmount: r.previous_amount,
          owner: r.owner,
          previousOwner: r.previous_owner,
          oldValue: r.old_value,
          newValue: r.new_value,
          lostReason: r.lost_reason,
          note: r.note,
        }));
      }
    },
  };
}

export type ExportService = ReturnType<typeof createExportService>;
