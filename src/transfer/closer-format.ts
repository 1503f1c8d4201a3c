/**
 * Closer's own CSV format, as `closer export` writes it and the `closer` import preset reads it: one
 * header line, these columns in this order, ISO dates (`2026-04-01`) and times in UTC
 * (`2026-04-01T09:30:00.000Z`), amounts in major units with a `.` decimal point (`12500.00`) next to
 * their ISO currency code. Columns are only ever added at the end, so older files stay readable.
 */

/** One deal per line; deleted deals are left out. `external_*` name the system it was imported from. */
export const DEAL_COLUMNS = [
  "number",
  "title",
  "customer",
  "owner",
  "owner_email",
  "amount",
  "currency",
  "stage",
  "probability",
  "expected_close_date",
  "created_at",
  "closed_at",
  "lost_reason",
  "lost_note",
  "win_note",
  "lead_source",
  "external_source",
  "external_id",
  "products",
] as const;

/** One customer per line with its figures over its deals (deleted ones left out). */
export const CUSTOMER_COLUMNS = [
  "name",
  "owner",
  "owner_email",
  "lead_source",
  "created_at",
  "deals",
  "open_deals",
  "won_deals",
  "won_amount",
  "currency",
  "last_won_at",
] as const;

/** One deal event per line, by deal number, each deal's history oldest first: the audit trail. */
export const EVENT_COLUMNS = [
  "deal_number",
  "at",
  "kind",
  "actor",
  "stage",
  "amount",
  "previous_amount",
  "currency",
  "owner",
  "previous_owner",
  "old_value",
  "new_value",
  "lost_reason",
  "note",
] as const;

/** One contact per line, by the customer's name as the customers' file writes it. */
export const CONTACT_COLUMNS = ["customer", "name", "role", "email", "phone", "created_at"] as const;

export type DealColumn = (typeof DEAL_COLUMNS)[number];
export type CustomerColumn = (typeof CUSTOMER_COLUMNS)[number];
export type EventColumn = (typeof EVENT_COLUMNS)[number];
export type ContactColumn = (typeof CONTACT_COLUMNS)[number];
