import { AppError } from "../errors.js";
import type { ImportContact } from "../sales/contacts/contact-import.js";
import {
  CONTACT_EMAIL_MAX,
  CONTACT_NAME_MAX,
  CONTACT_ROLE_MAX,
  type PhoneContext,
  readEmail,
  readPhone,
} from "../sales/contacts/contact-values.js";
import { nameKey } from "../sales/customers/name-key.js";
import type { CsvFile } from "./csv-read.js";
import { restoreFormula } from "./csv-write.js";
import type { RowRejection } from "./read-deals.js";

/** Each field's column names, folded as customers' names are: Closer's own first, then the CRMs' and French. */
const CONTACT_FIELDS = {
  customer: [
    "customer",
    "company",
    "company name",
    "organization",
    "organisation",
    "account name",
    "client",
    "entreprise",
    "société",
  ],
  name: ["name", "full name", "contact name", "contact", "nom"],
  role: ["role", "job title", "title", "rôle", "fonction", "poste"],
  email: ["email", "e-mail", "email address", "courriel"],
  phone: ["phone", "phone number", "téléphone", "tel"],
  created_at: ["created_at", "created date", "create date"],
} as const;

type ContactField = keyof typeof CONTACT_FIELDS;

export interface ContactReading {
  header: string[];
  rows: ImportContact[];
  rejections: RowRejection[];
}

/**
 * Reads a contacts CSV (Closer's `closer export contacts`, or any with a customer and a name
 * column): a row whose email or phone is not one is rejected with its line and column, and the
 * import writes nothing of it. Phones are read in the workspace's country, as `/contact` reads them.
 */
export async function readContacts(file: CsvFile, ws: PhoneContext): Promise<ContactReading> {
  const folded = file.header.map(nameKey);
  const at = Object.fromEntries(
    Object.entries(CONTACT_FIELDS).map(([field, names]) => [
      field,
      names.map((n) => folded.indexOf(nameKey(n))).find((i) => i >= 0),
    ]),
  ) as Record<ContactField, number | undefined>;
  if (at.customer === undefined || at.name === undefined)
    throw new AppError("invalid_input", "import.file.no_header", { expected: "customer, name" });
  const rows: ImportContact[] = [];
  const rejections: RowRejection[] = [];
  for await (const record of file.records) {
    const cell = (field: ContactField) => {
      const i = at[field];
      return i === undefined ? "" : restoreFormula(record.cells[i]?.trim() ?? "");
    };
    const reject = (field: ContactField, key: RowRejection["key"], params: RowRejection["params"] = {}) =>
      rejections.push({
        line: record.line,
        column: file.header[at[field] ?? -1] ?? field,
        key,
        params,
        cells: record.cells,
      });
    const customer = cell("customer").slice(0, 200);
    if (!nameKey(customer)) {
      reject("customer", "import.reject.missing");
      continue;
    }
    const name = cell("name").slice(0, CONTACT_NAME_MAX);
    if (!nameKey(name)) {
      reject("name", "import.reject.missing");
      continue;
    }
    const emailCell = cell("email").slice(0, CONTACT_EMAIL_MAX + 1);
    const email = emailCell ? readEmail(emailCell) : null;
    if (emailCell && !email) {
      reject("email", "contact.import_email", { value: emailCell.slice(0, 60) });
      continue;
    }
    const phoneCell = cell("phone");
    const phone = phoneCell ? readPhone(phoneCell, ws) : null;
    if (phoneCell && !phone) {
      reject("phone", "contact.import_phone", { value: phoneCell.slice(0, 40) });
      continue;
    }
    const created = cell("created_at");
    const createdAt = created ? new Date(created) : null;
    if (createdAt && Number.isNaN(createdAt.getTime())) {
      reject("created_at", "import.reject.date", { value: created.slice(0, 40) });
      continue;
    }
    const role = cell("role").slice(0, CONTACT_ROLE_MAX) || null;
    rows.push({ line: record.line, customer, name, role, email, phone, createdAt });
  }
  return { header: file.header, rows, rejections };
}
