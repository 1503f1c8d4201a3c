import { Prisma } from "../../generated/prisma/client.js";
import { nameKey } from "../customers/name-key.js";
import type { Db, SalesDeps, Workspace } from "../deps.js";

/** A contact as a file gives it, its email and phone already checked (E.164). */
export interface ImportContact {
  line: number;
  customer: string;
  name: string;
  role: string | null;
  email: string | null;
  phone: string | null;
  /** When it was added, as the file says; else when the import runs. */
  createdAt: Date | null;
}

export interface ContactImportSummary {
  committed: boolean;
  /** Contacts new to their customer, and those already there whose blanks the file fills. */
  created: number;
  updated: number;
  /** Customers the file names that the workspace did not have. */
  customers: number;
}

/** Rows written by one statement. */
const CHUNK = 1000;

/**
 * Imports contacts in one transaction: a customer the workspace lacks is created (no owner), a
 * contact new to its customer is added, and one it has (same folded name) keeps its values and
 * takes the role, email or phone it lacked. A name repeated in the file is one contact, its later
 * lines filling what the earlier left blank. Without `commit`, only counted.
 */
export function createContactImport({ db, clock }: SalesDeps) {
  return {
    async importContacts(
      ws: Workspace,
      rows: ImportContact[],
      options: { commit: boolean },
    ): Promise<ContactImportSummary> {
      const contacts = new Map<string, ImportContact & { customerKey: string; key: string }>();
      for (const row of rows) {
        const customerKey = nameKey(row.customer);
        const key = nameKey(row.name);
        const id = `${customerKey}\u001f${key}`;
        const earlier = contacts.get(id);
        contacts.set(id, {
          ...row,
          customerKey,
          key,
          role: earlier?.role ?? row.role,
          email: earlier?.email ?? row.email,
          phone: earlier?.phone ?? row.phone,
          name: earlier?.name ?? row.name,
          customer: earlier?.customer ?? row.customer,
        });
      }
      const all = [...contacts.values()];
      const count = async (tx: Db) => {
        const known = await tx.$queryRaw<{ customers: number; contacts: number }[]>(Prisma.sql`
          SELECT count(DISTINCT c.id)::int AS customers, count(p.id)::int AS contacts
          FROM unnest(${all.map((c) => c.customerKey)}::text[], ${all.map((c) => c.key)}::text[]) AS u(customer, name)
          JOIN customer c ON c.workspace_id = ${ws.id} AND c.name_key = u.customer
          LEFT JOIN contact p ON p.customer_id = c.id AND p.name_key = u.name`);
        const customerKeys = new Set(all.map((c) => c.customerKey));
        return { known: known[0] ?? { customers: 0, contacts: 0 }, customerCount: customerKeys.size };
      };
      const summarise = (committed: boolean, before: Awaited<ReturnType<typeof count>>) => ({
        committed,
        created: all.length - before.known.contacts,
        updated: before.known.contacts,
        customers: before.customerCount - before.known.customers,
      });
      if (!options.commit) return summarise(false, await count(db));
      return db.$transaction(async (tx) => {
        const before = await count(tx);
        for (let i = 0; i < all.length; i += CHUNK)
          await writeContacts(tx, ws, all.slice(i, i + CHUNK), clock.now());
        return summarise(true, before);
      });
    },
  };
}

/** Customers, then contacts, of one chunk, each in one statement: a contact already there keeps its values and takes those it lacked. */
export async function writeContacts(
  tx: Db,
  ws: Workspace,
  part: (ImportContact & { customerKey: string; key: string })[],
  now: Date,
): Promise<void> {
  const customers = new Map(part.map((c) => [c.customerKey, c.customer]));
  await tx.$executeRaw(Prisma.sql`
    INSERT INTO customer (workspace_id, name, name_key)
    SELECT ${ws.id}, u.name, u.key
    FROM unnest(${[...customers.values()]}::text[], ${[...customers.keys()]}::text[]) AS u(name, key)
    ON CONFLICT (workspace_id, name_key) DO NOTHING`);
  await tx.$executeRaw(Prisma.sql`
    INSERT INTO contact (workspace_id, customer_id, name, name_key, role, email, phone, created_at)
    SELECT ${ws.id}, c.id, u.name, u.key, u.role, u.email, u.phone, u.created
    FROM unnest(${part.map((c) => c.customerKey)}::text[], ${part.map((c) => c.name)}::text[],
      ${part.map((c) => c.key)}::text[], ${part.map((c) => c.role)}::text[],
      ${part.map((c) => c.email)}::text[], ${part.map((c) => c.phone)}::text[],
      ${part.map((c) => (c.createdAt && c.createdAt < now ? c.createdAt : now).toISOString())}::timestamptz[])
      AS u(customer, name, key, role, email, phone, created)
    JOIN customer c ON c.workspace_id = ${ws.id} AND c.name_key = u.customer
    ON CONFLICT (customer_id, name_key) DO UPDATE SET
      role = coalesce(contact.role, EXCLUDED.role),
      email = coalesce(contact.email, EXCLUDED.email),
      phone = coalesce(contact.phone, EXCLUDED.phone)`);
}
