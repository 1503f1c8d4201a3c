import type { Writable } from "node:stream";
import { currencyDigits, toDecimal } from "../messages/format.js";
import type { Workspace } from "../sales/deps.js";
import type {
  ContactRecord,
  CustomerRecord,
  DealRecord,
  EventRecord,
  ExportFilter,
  ExportService,
} from "../sales/exports/export-service.js";
import {
  CONTACT_COLUMNS,
  type ContactColumn,
  CUSTOMER_COLUMNS,
  type CustomerColumn,
  DEAL_COLUMNS,
  type DealColumn,
  EVENT_COLUMNS,
  type EventColumn,
} from "./closer-format.js";
import { CsvTooLargeError, type CsvWriteOptions, memorySink, writeCsv } from "./csv-write.js";

/** What `closer export` writes: a workspace's deals, its customers, its deals' events, or its contacts. */
export const EXPORT_KINDS = ["deals", "customers", "events", "contacts"] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export function isExportKind(word: string): word is ExportKind {
  return (EXPORT_KINDS as readonly string[]).includes(word);
}

/** An instant in UTC with milliseconds, `2026-04-01T09:30:00.000Z`; empty when there is none. */
const instant = (at: Date | null) => at?.toISOString() ?? "";
const text = (value: string | number | null) => (value === null ? "" : String(value));

/** Minor units in major units with a `.` and the currency's digits: `1250000n` EUR -> `12500.00`. */
function amountIn(currency: string) {
  const digits = currencyDigits(currency);
  return (minor: bigint | null) => (minor === null ? "" : toDecimal(minor, digits));
}

/** A deal as a line of Closer's format, each column of {@link DEAL_COLUMNS}. */
export function dealRow(d: DealRecord, currency: string): Record<DealColumn, string> {
  return {
    number: String(d.number),
    title: text(d.title),
    customer: d.customer,
    owner: d.owner,
    owner_email: text(d.ownerEmail),
    amount: amountIn(currency)(d.amount),
    currency,
    stage: d.stage,
    probability: String(d.probability),
    expected_close_date: text(d.expectedCloseDate),
    created_at: instant(d.createdAt),
    closed_at: instant(d.closedAt),
    lost_reason: text(d.lostReason),
    lost_note: text(d.lostNote),
    win_note: text(d.winNote),
    lead_source: text(d.leadSource),
    external_source: text(d.externalSource),
    external_id: text(d.externalId),
    products: text(d.products),
  };
}

/** A customer as a line of Closer's format, each column of {@link CUSTOMER_COLUMNS}. */
export function customerRow(c: CustomerRecord, currency: string): Record<CustomerColumn, string> {
  return {
    name: c.name,
    owner: text(c.owner),
    owner_email: text(c.ownerEmail),
    lead_source: text(c.leadSource),
    created_at: instant(c.createdAt),
    deals: String(c.deals),
    open_deals: String(c.openDeals),
    won_deals: String(c.wonDeals),
    won_amount: amountIn(currency)(c.wonAmount),
    currency,
    last_won_at: instant(c.lastWonAt),
  };
}

/** An event as a line of Closer's format, each column of {@link EVENT_COLUMNS}. */
export function eventRow(e: EventRecord, currency: string): Record<EventColumn, string> {
  const amount = amountIn(currency);
  return {
    deal_number: String(e.dealNumber),
    at: instant(e.at),
    kind: e.kind,
    actor: text(e.actor),
    stage: text(e.stage),
    amount: amount(e.amount),
    previous_amount: amount(e.previousAmount),
    currency: e.amount === null && e.previousAmount === null ? "" : currency,
    owner: text(e.owner),
    previous_owner: text(e.previousOwner),
    old_value: text(e.oldValue),
    new_value: text(e.newValue),
    lost_reason: text(e.lostReason),
    note: text(e.note),
  };
}

/** A contact as a line of Closer's format, each column of {@link CONTACT_COLUMNS}; the phone in E.164. */
export function contactRow(c: ContactRecord): Record<ContactColumn, string> {
  return {
    customer: c.customer,
    name: c.name,
    role: text(c.role),
    email: text(c.email),
    phone: text(c.phone),
    created_at: instant(c.createdAt),
  };
}

/** Each record of each page, as its line. */
async function* lines<R, L>(pages: AsyncIterable<R[]>, line: (record: R) => L): AsyncGenerator<L> {
  for await (const page of pages) for (const record of page) yield line(record);
}

/**
 * Writes a workspace's deals, customers or events in Closer's format to `out`, page by page as the
 * destination takes them, then ends it.
 *
 * @returns how many records were written.
 */
export function writeCloserCsv(
  exports: ExportService,
  ws: Workspace,
  kind: ExportKind,
  filter: ExportFilter,
  out: Writable,
  options: CsvWriteOptions = {},
): Promise<number> {
  const currency = ws.currency;
  switch (kind) {
    case "deals":
      return writeCsv(
        DEAL_COLUMNS,
        lines(exports.deals(ws, filter), (d) => dealRow(d, currency)),
        out,
        options,
      );
    case "customers":
      return writeCsv(
        CUSTOMER_COLUMNS,
        lines(exports.customers(ws, filter), (c) => customerRow(c, currency)),
        out,
        options,
      );
    case "events":
      return writeCsv(
        EVENT_COLUMNS,
        lines(exports.events(ws, filter), (e) => eventRow(e, currency)),
        out,
        options,
      );
    case "contacts":
      return writeCsv(CONTACT_COLUMNS, lines(exports.contacts(ws, filter), contactRow), out, options);
  }
}

/**
 * The same CSV as a file to send, with a UTF-8 byte order mark (a person opens it in a
 * spreadsheet), or `too_large` as soon as it passes `limit` bytes.
 */
export async function closerCsvFile(
  exports: ExportService,
  ws: Workspace,
  kind: ExportKind,
  filter: ExportFilter,
  limit: number,
): Promise<{ content: Buffer; count: number } | "too_large"> {
  const { sink, content } = memorySink(limit);
  try {
    const count = await writeCloserCsv(exports, ws, kind, filter, sink, { bom: true });
    return { content: content(), count };
  } catch (error) {
    if (error instanceof CsvTooLargeError) return "too_large";
    throw error;
  }
}
