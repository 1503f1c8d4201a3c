import { AppError } from "../../errors.js";
import { type Contact, Prisma } from "../../generated/prisma/client.js";
import type { ActivityKind } from "../../generated/prisma/enums.js";
import { createCustomerService } from "../customers/customer-service.js";
import { nameKey } from "../customers/name-key.js";
import type { Customer, Db, Member, SalesDeps, Workspace } from "../deps.js";
import type { CutList } from "../lists.js";
import { assertCanChangeContact, assertInWorkspace } from "../permissions.js";
import { isUniqueViolation } from "../unique-violation.js";
import { createContactImport } from "./contact-import.js";
import {
  CONTACT_NAME_MAX,
  CONTACT_ROLE_MAX,
  type PhoneContext,
  phoneCountry,
  readEmail,
  readPhone,
} from "./contact-values.js";

export type { Contact };

/** What a contact holds besides its name; `null` clears a field, `undefined` leaves it as it is. */
export interface ContactFields {
  role?: string | null | undefined;
  email?: string | null | undefined;
  phone?: string | null | undefined;
}

export interface ContactChange extends ContactFields {
  /** The contact's new name. */
  name?: string | undefined;
}

export interface ContactOutcome {
  customer: Customer;
  contact: Contact;
}

export interface ContactEdited extends ContactOutcome {
  /** The name it had before. */
  previousName: string;
}

/** A contact with the last activity logged with them (`/log … contact:"…"`), if any. */
export interface ContactLine extends Contact {
  lastActivity: { kind: ActivityKind; at: Date } | null;
}

/** How many contacts `/customer` shows before "…and N more". */
export const CONTACTS_SHOWN = 10;

/** A contact's folded name, refused when it has no letter or digit. */
function contactKey(name: string): string {
  const key = nameKey(name);
  if (!key) throw new AppError("invalid_input", "contact.name_invalid");
  return key;
}

/** Free text as a field keeps it: trimmed and at most `max` characters, empty meaning none. */
function cleanText(text: string, max: number): string | null {
  const trimmed = text.trim();
  if (trimmed.length > max) throw new AppError("invalid_input", "input.too_long", { max });
  return trimmed || null;
}

/**
 * A contact's fields as stored, each checked whatever called: an email in lower case, a phone
 * number in E.164 (national numbers read in the workspace's country), a role trimmed.
 */
export function contactValues(ws: PhoneContext, fields: ContactFields): ContactFields {
  const out: ContactFields = {};
  if (fields.role !== undefined)
    out.role = fields.role === null ? null : cleanText(fields.role, CONTACT_ROLE_MAX);
  if (fields.email !== undefined && fields.email !== null) {
    out.email = readEmail(fields.email);
    if (!out.email)
      throw new AppError("invalid_input", "contact.email_invalid", { value: fields.email.slice(0, 60) });
  } else if (fields.email === null) out.email = null;
  if (fields.phone !== undefined && fields.phone !== null) {
    out.phone = readPhone(fields.phone, ws);
    if (!out.phone) throw phoneRefusal(ws, fields.phone);
  } else if (fields.phone === null) out.phone = null;
  return out;
}

/** Why a phone number was refused: not a number, or a national number where no country is known. */
export function phoneRefusal(ws: PhoneContext, value: string): AppError {
  const key = phoneCountry(ws) ? "contact.phone_invalid" : "contact.phone_invalid_international";
  return new AppError("invalid_input", key, { value: value.slice(0, 40) });
}

export function createContactService(deps: SalesDeps) {
  const { db, clock } = deps;
  const customers = createCustomerService(deps);

  /**
   * The customer a typed name means: its folded name, else the only one containing it; several
   * are refused with their names, none with the customer search's message.
   */
  async function customerNamed(ws: Workspace, text: string): Promise<Customer> {
    const found = await customers.lookupCustomer(ws, text, 5);
    if (found.kind === "one") return found.customer;
    if (found.kind === "none") throw new AppError("not_found", "error.customer_no_match", { name: text });
    throw new AppError("invalid_input", "contact.customer_ambiguous", {
      name: text,
      count: found.total,
      names: found.names.join(", "),
    });
  }

  /** The owner whose rule decides who changes a customer's contacts. */
  async function ownerOf(tx: Db, customer: Customer): Promise<Member | null> {
    return customer.ownerId === null ? null : tx.member.findUnique({ where: { id: customer.ownerId } });
  }

  const duplicate = (name: string, customer: Customer) =>
    new AppError("conflict", "contact.exists", { name: name.trim(), customer: customer.name });

  return {
    ...createContactImport(deps),
    customerNamed,

    /** Adds a person at a customer (any member); a name the customer already has, folded, is refused. */
    async addContact(
      ws: Workspace,
      actor: Member,
      customerName: string,
      name: string,
      fields: ContactFields = {},
    ): Promise<ContactOutcome> {
      assertInWorkspace(ws, actor);
      const key = contactKey(name);
      const values = contactValues(ws, fields);
      const customer = await customerNamed(ws, customerName);
      try {
        const contact = await db.contact.create({
          data: {
            workspaceId: ws.id,
            customerId: customer.id,
            name: cleanText(name, CONTACT_NAME_MAX) ?? name,
            nameKey: key,
            role: values.role ?? null,
            email: values.email ?? null,
            phone: values.phone ?? null,
            createdAt: clock.now(),
          },
        });
        return { customer, contact };
      } catch (error) {
        if (isUniqueViolation(error)) throw duplicate(name, customer);
        throw error;
      }
    },

    /** Changes a contact's name, role, email or phone (the customer's owner, their manager, admins). */
    async editContact(
      ws: Workspace,
      actor: Member,
      customerName: string,
      name: string,
      change: ContactChange,
    ): Promise<ContactEdited> {
      const { name: newName, ...fields } = change;
      if (newName === undefined && Object.values(fields).every((v) => v === undefined))
        throw new AppError("invalid_input", "contact.edit_nothing");
      const values = contactValues(ws, fields);
      const newKey = newName === undefined ? undefined : contactKey(newName);
      const customer = await customerNamed(ws, customerName);
      try {
        return await db.$transaction(async (tx) => {
          assertCanChangeContact(ws, actor, await ownerOf(tx, customer));
          const contact = await contactNamed(tx, customer, name);
          const updated = await tx.contact.update({
            where: { id: contact.id },
            data: {
              ...values,
              ...(newName === undefined
                ? {}
                : { name: cleanText(newName, CONTACT_NAME_MAX) ?? newName, nameKey: newKey }),
            },
          });
          return { customer, contact: updated, previousName: contact.name };
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw duplicate(newName ?? name, customer);
        throw error;
      }
    },

    /** Removes a contact (the customer's owner, their manager, admins); their activities stay, unnamed. */
    async removeContact(
      ws: Workspace,
      actor: Member,
      customerName: string,
      name: string,
    ): Promise<ContactOutcome> {
      const customer = await customerNamed(ws, customerName);
      return db.$transaction(async (tx) => {
        assertCanChangeContact(ws, actor, await ownerOf(tx, customer));
        const contact = await contactNamed(tx, customer, name);
        await tx.contact.delete({ where: { id: contact.id } });
        return { customer, contact };
      });
    },

    /** A customer's contacts by name, each with their last activity, at most `limit` and how many in all. */
    async listContacts(
      ws: Workspace,
      customer: Customer,
      limit = CONTACTS_SHOWN,
    ): Promise<CutList<ContactLine>> {
      assertInWorkspace(ws, customer);
      const rows = await db.$queryRaw<
        (Omit<Contact, "workspaceId" | "customerId"> & {
          kind: ActivityKind | null;
          at: Date | null;
          total: number;
        })[]
      >(Prisma.sql`
        SELECT c.id, c.name, c.name_key AS "nameKey", c.role, c.email, c.phone,
               c.created_at AS "createdAt", a.kind::text AS kind, a.at,
               (count(*) OVER ())::int AS total
        FROM contact c
        LEFT JOIN LATERAL (
          SELECT kind, at FROM activity
          WHERE contact_id = c.id ORDER BY at DESC, id DESC LIMIT 1
        ) a ON true
        WHERE c.workspace_id = ${ws.id} AND c.customer_id = ${customer.id}
        ORDER BY c.name_key, c.id
        LIMIT ${limit}`);
      const items = rows.map(({ kind, at, total: _, ...c }) => ({
        ...c,
        workspaceId: ws.id,
        customerId: customer.id,
        lastActivity: kind && at ? { kind, at } : null,
      }));
      return { items, total: rows[0]?.total ?? 0 };
    },

    /** The contact of a customer whose folded name is `name`'s, or null: what `/log … contact:"…"` names. */
    findContact: (ws: Workspace, customer: Customer, name: string) => {
      assertInWorkspace(ws, customer);
      return findContact(db, customer, name);
    },
  };
}

/** The contact called `name` at a customer, or refused naming both: for `/contact` and `/log … contact:"…"`. */
export async function contactNamed(
  db: Db,
  customer: Pick<Customer, "id" | "name">,
  name: string,
): Promise<Contact> {
  const contact = await findContact(db, customer, name);
  if (!contact) throw new AppError("not_found", "contact.not_found", { name, customer: customer.name });
  return contact;
}

/** A customer's contact by folded name, or null. */
function findContact(db: Db, customer: Pick<Customer, "id">, name: string): Promise<Contact | null> {
  const key = nameKey(name);
  if (!key) return Promise.resolve(null);
  return db.contact.findUnique({ where: { customerId_nameKey: { customerId: customer.id, nameKey: key } } });
}

export type ContactService = ReturnType<typeof createContactService>;
