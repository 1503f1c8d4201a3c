import { AppError, type MessageParams } from "../errors.js";
import type { MessageKey } from "../messages/catalog/keys.js";
import { REASON_WORDS } from "../messages/vocabulary.js";
import {
  CONTACT_NAME_MAX,
  CONTACT_ROLE_MAX,
  readEmail,
  readPhone,
} from "../sales/contacts/contact-values.js";
import { nameKey } from "../sales/customers/name-key.js";
import { DEFAULT_PROBABILITY, isOpenStage } from "../sales/deals/stages.js";
import type { LostReason, Stage } from "../sales/deps.js";
import type { ImportDeal } from "../sales/imports/import-plan.js";
import { PRODUCT_MAX_NAME } from "../sales/products/product-service.js";
import type { CsvFile } from "./csv-read.js";
import { restoreFormula } from "./csv-write.js";
import {
  IMPORT_FIELDS,
  type ImportField,
  PRESET_NAMES,
  PRESETS,
  type PresetName,
  presetStage,
} from "./import-presets.js";
import { parseAmountCell, parseDateCell, parseProbabilityCell, type ValueContext } from "./import-values.js";

export interface ReadOptions {
  /** The file's CRM; undefined: the preset whose columns the header matches best. */
  preset?: PresetName | undefined;
  /** `--map`: header -> field, over the preset's. */
  map: ReadonlyMap<string, ImportField>;
  /** `--stages`: folded stage name -> ours, over the preset's. */
  stages: ReadonlyMap<string, Stage>;
  values: ValueContext;
  /** When the import runs: a deal with no creation date was created then at the latest. */
  now: Date;
}

/** A row left out before it reaches the database, with its cells for the errors file. */
export interface RowRejection {
  line: number;
  column: string;
  key: MessageKey;
  params: MessageParams;
  cells: string[];
}

export interface DealReading {
  preset: PresetName;
  header: string[];
  /** The header each field is read from (the first of several). */
  columns: Partial<Record<ImportField, string>>;
  /** The file's deals, {@link BATCH_SIZE} at a time, read as they are iterated: one batch is in memory at once. */
  batches: AsyncIterable<ImportDeal[]>;
  /** The rows rejected so far, with their cells; complete once `batches` is done. */
  rejections: RowRejection[];
  /** Rows read so far. */
  rows(): number;
}

/**
 * Deals handed on at once: what one batch of statements writes. Smaller batches keep less garbage
 * between collections (bench/import: 1,000 peaks 110 MB lower than 5,000 for the same time).
 */
export const BATCH_SIZE = 1000;

/** Fields without which a row is not a deal Closer can keep and find again. */
const REQUIRED: ImportField[] = ["id", "customer"];
/** Text longer than this is cut: a title or a note in chat is at most a few hundred characters. */
const MAX_TEXT = 500;

/**
 * Reads a CSV file's deals: its columns matched to fields by the preset (case- and
 * accent-insensitive) and `--map`, each row's values read in the workspace's locale. A row with
 * a value Closer cannot read is rejected with its line, column and reason; the others are deals.
 */
export function readDeals(file: CsvFile, options: ReadOptions): DealReading {
  const { preset, indexes } = matchColumns(file.header, options);
  const columns: DealReading["columns"] = {};
  for (const [field, at] of Object.entries(indexes)) {
    const first = at[0];
    if (first !== undefined) columns[field as ImportField] = file.header[first];
  }
  const rejections: RowRejection[] = [];
  let rows = 0;
  async function* batches(): AsyncGenerator<ImportDeal[]> {
    let batch: ImportDeal[] = [];
    for await (const record of file.records) {
      rows++;
      const row = readRow(record.cells, indexes, preset, options, file.header);
      if ("field" in row) {
        const at = row.column;
        rejections.push({
          line: record.line,
          column: at === undefined ? row.field : (file.header[at] ?? row.field),
          key: row.key,
          params: row.params,
          cells: record.cells,
        });
        continue;
      }
      batch.push({ ...row, line: record.line });
      if (batch.length === BATCH_SIZE) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }
  return { preset, header: file.header, columns, batches: batches(), rejections, rows: () => rows };
}

type Indexes = Partial<Record<ImportField, number[]>>;

function matchColumns(header: string[], options: ReadOptions): { preset: PresetName; indexes: Indexes } {
  const folded = header.map(nameKey);
  const mapped = new Map<ImportField, number>();
  for (const [column, field] of options.map) {
    const at = folded.indexOf(nameKey(column));
    if (at < 0) throw new AppError("invalid_input", "import.map.unknown_column", { column });
    mapped.set(field, at);
  }
  const indexesFor = (name: PresetName): Indexes => {
    const indexes: Indexes = {};
    for (const field of IMPORT_FIELDS) {
      const fixed = mapped.get(field);
      const found =
        fixed !== undefined
          ? [fixed]
          : (PRESETS[name].columns[field] ?? []).map((c) => folded.indexOf(nameKey(c))).filter((i) => i >= 0);
      if (found.length > 0) indexes[field] = found;
    }
    return indexes;
  };
  const candidates = (options.preset ? [options.preset] : PRESET_NAMES).map((name) => ({
    name,
    indexes: indexesFor(name),
  }));
  const best = candidates.reduce((a, b) =>
    Object.keys(b.indexes).length > Object.keys(a.indexes).length ? b : a,
  );
  const missing = REQUIRED.filter((field) => !best.indexes[field]);
  if (missing.length > 0) {
    const expected = missing.map((field) => PRESETS[best.name].columns[field]?.[0] ?? field).join(", ");
    throw new AppError("invalid_input", "import.file.no_header", { expected });
  }
  return { preset: best.name, indexes: best.indexes };
}

/** A deal, or why not: the field at fault and the column its value came from. */
type RowResult =
  | Omit<ImportDeal, "line">
  | { field: ImportField; column: number | undefined; key: MessageKey; params: MessageParams };

function readRow(
  cells: string[],
  indexes: Indexes,
  preset: PresetName,
  options: ReadOptions,
  header: string[],
): RowResult {
  // Closer's own export neutralised what a spreadsheet would run as a formula: read back what it wrote.
  const restore = preset === "closer" ? restoreFormula : (cell: string) => cell;
  // The column each field's value came from: of Pipedrive's won and lost times, the one filled.
  const from: Partial<Record<ImportField, number>> = {};
  const value = (field: ImportField): string => {
    for (const at of indexes[field] ?? []) {
      const cell = restore(cells[at]?.trim() ?? "");
      if (cell) {
        from[field] = at;
        return cell;
      }
    }
    return "";
  };
  const text = (field: ImportField) => value(field).slice(0, MAX_TEXT) || null;
  const reject = (field: ImportField, key: MessageKey, params: MessageParams = {}) => ({
    field,
    column: from[field] ?? indexes[field]?.[0],
    key,
    params,
  });
  if (cells.length !== header.length)
    return reject("id", "import.reject.columns", { count: cells.length, expected: header.length });

  const externalId = value("id");
  if (!externalId) return reject("id", "import.reject.missing");
  const customer = value("customer").slice(0, 200);
  if (!customer) return reject("customer", "import.reject.missing");
  const ownerCell = value("owner");
  const email = value("owner_email") || (ownerCell.includes("@") ? ownerCell : "");
  const name = ownerCell.includes("@") ? "" : ownerCell;
  if (!email && !name) return reject("owner", "import.reject.missing");

  const ctx = options.values;
  const amount = parseAmountCell(value("amount"), ctx);
  if (!amount.ok) return reject("amount", "import.reject.amount", { value: value("amount") });
  const currency = value("currency").toUpperCase();
  if (currency && currency !== ctx.currency.toUpperCase())
    return reject("currency", "import.reject.currency", { currency, expected: ctx.currency });

  const stage = readStage(value("stage"), value("status"), preset, options.stages);
  if (stage === undefined) return reject("stage", "import.reject.stage", { stage: value("stage") });

  const dates: Partial<Record<"close_date" | "expected_close_date" | "closed_at" | "created_at", Date>> = {};
  const days: Partial<Record<keyof typeof dates, string>> = {};
  for (const field of ["close_date", "expected_close_date", "closed_at", "created_at"] as const) {
    const cell = value(field);
    if (!cell) continue;
    const parsed = parseDateCell(cell, ctx);
    if (!parsed.ok) return reject(field, "import.reject.date", { value: cell });
    dates[field] = parsed.value.at;
    days[field] = parsed.value.date;
  }
  const open = isOpenStage(stage);
  const closedAt = open ? null : (dates.closed_at ?? dates.close_date ?? null);
  if (!open && !closedAt)
    return reject(indexes.closed_at ? "closed_at" : "close_date", "import.reject.no_close_date");
  if (closedAt && closedAt > options.now)
    return reject(indexes.closed_at ? "closed_at" : "close_date", "import.reject.future_close");
  const expectedCloseDate = days.expected_close_date ?? (open ? (days.close_date ?? null) : null);
  const created = dates.created_at ?? closedAt ?? options.now;
  // A CRM lets people back-date a close; a deal is never closed before it was created.
  const createdAt = closedAt && closedAt < created ? closedAt : created;

  const probability = parseProbabilityCell(value("probability"));
  if (!probability.ok)
    return reject("probability", "import.reject.probability", { value: value("probability") });

  const contact = readContact(value, options.values);
  if (contact && "field" in contact)
    return reject(contact.field, contact.key, { value: value(contact.field) });

  const lost = stage === "lost" ? readLostReason(value("lost_reason")) : { reason: null, note: null };
  return {
    source: (preset === "closer" && value("external_source")) || preset,
    externalId,
    title: text("title"),
    customer,
    owner: { email: email ? email.toLowerCase() : null, name: name ? name.slice(0, 80) : null },
    amount: amount.value,
    stage,
    probability: open ? (probability.value ?? DEFAULT_PROBABILITY[stage]) : DEFAULT_PROBABILITY[stage],
    expectedCloseDate,
    createdAt,
    closedAt,
    lostReason: lost.reason,
    lostNote: text("lost_note") ?? lost.note,
    winNote: stage === "won" ? text("win_note") : null,
    leadSource: text("lead_source"),
    contact,
    products: productNames(value("products")),
  };
}

/** The row's person at the customer, when it names one: its email and phone checked as `/contact` checks them. */
function readContact(
  value: (field: ImportField) => string,
  ws: ValueContext,
): ImportDeal["contact"] | { field: ImportField; key: MessageKey } {
  const name = value("contact_name").slice(0, CONTACT_NAME_MAX);
  if (!nameKey(name)) return null;
  const [emailCell, phoneCell] = [value("contact_email"), value("contact_phone")];
  const email = emailCell ? readEmail(emailCell) : null;
  if (emailCell && !email) return { field: "contact_email", key: "contact.import_email" };
  const phone = phoneCell ? readPhone(phoneCell, ws) : null;
  if (phoneCell && !phone) return { field: "contact_phone", key: "contact.import_phone" };
  return { name, role: value("contact_role").slice(0, CONTACT_ROLE_MAX) || null, email, phone };
}

/** Pipedrive's status decides won and lost; otherwise the stage's name, by `--stages` or the preset. */
function readStage(
  stage: string,
  status: string,
  preset: PresetName,
  overrides: ReadonlyMap<string, Stage>,
): Stage | undefined {
  const decided = presetStage(PRESETS[preset], nameKey(status));
  if (decided === "won" || decided === "lost") return decided;
  const key = nameKey(stage);
  if (!key) return status ? "lead" : undefined;
  return overrides.get(key) ?? presetStage(PRESETS[preset], key);
}

/** One of our reasons by its English or French name; any other text is `other`, kept as the note. */
function readLostReason(cell: string): { reason: LostReason; note: string | null } {
  if (!cell) return { reason: "other", note: null };
  const ours = REASON_WORDS.read(cell.replace(/\s+/g, "_")) ?? REASON_WORDS.read(cell);
  return ours ? { reason: ours, note: null } : { reason: "other", note: cell.slice(0, MAX_TEXT) };
}

/** The products a cell names, comma-separated as Closer exports them: each once, at most 20. */
function productNames(cell: string): string[] {
  const names = cell
    .split(",")
    .map((n) => n.trim().slice(0, PRODUCT_MAX_NAME))
    .filter((n) => nameKey(n) !== "");
  return [...new Map(names.map((n) => [nameKey(n), n])).values()].slice(0, 20);
}
