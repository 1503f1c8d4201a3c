import { z } from "zod";
import type { MessageKey } from "../messages/catalog/keys.js";
import { moreLines } from "../messages/lines.js";
import type { ContactLine } from "../sales/contacts/contact-service.js";
import {
  CONTACT_NAME_MAX,
  CONTACT_ROLE_MAX,
  phoneCountry,
  readEmail,
  readPhone,
  showPhone,
} from "../sales/contacts/contact-values.js";
import type { Contact } from "../sales/deps.js";
import type { CommandContext, ParseContext } from "./command.js";
import { defineCommand } from "./command.js";
import { shown, text } from "./grammar/fields.js";
import { wordsAs } from "./grammar/tokens.js";
import { option, type Shape, textOption } from "./options.js";

/*
 * `/contact add|edit|remove|list <customer…>`: the people at a customer. The customer is the words
 * in place, matched as `/customer` matches them; the contact is `name:"…"`. `/contact edit` renames
 * with `rename:"…"` and clears a field with `-` (`role:-`).
 */

/** The value that clears a field in `/contact edit`. */
export const CLEAR = "-";

/** `<value>` read by `read`, or `-` (null) when `clearable`; `invalid` names the refusal. */
function checkedOption<const R extends boolean = false>(
  s: Shape<R> & { clearable?: boolean },
  max: number,
  read: (value: string, p: ParseContext) => string | null,
  invalid: (p: ParseContext) => MessageKey,
) {
  return option("string", s, (p) =>
    text(max).transform((v, ctx) => {
      if (s.clearable && v === CLEAR) return null;
      const value = read(v, p);
      if (value !== null) return value;
      ctx.addIssue({ code: "custom", message: invalid(p), params: { value: shown(v) } });
      return z.NEVER;
    }),
  );
}

const emailOption = (clearable: boolean) =>
  checkedOption(
    { named: true, clearable, description: "option.contact_email", placeholder: "usage.contact_email" },
    254,
    (v) => readEmail(v),
    () => "contact.email_invalid",
  );

const phoneOption = (clearable: boolean) =>
  checkedOption(
    { named: true, clearable, description: "option.contact_phone", placeholder: "usage.contact_phone" },
    40,
    (v, p) => readPhone(v, p),
    (p) => (phoneCountry(p) ? "contact.phone_invalid" : "contact.phone_invalid_international"),
  );

const roleOption = (clearable: boolean) =>
  checkedOption(
    { named: true, clearable, description: "option.contact_role", placeholder: "usage.quoted" },
    CONTACT_ROLE_MAX,
    (v) => v,
    () => "input.invalid",
  );

const customerOption = textOption(120, {
  required: true,
  description: "option.customer",
  placeholder: "usage.customer",
  missing: "contact.customer_required",
  autocomplete: "customer",
});

const nameOption = textOption(CONTACT_NAME_MAX, {
  required: true,
  named: true,
  description: "option.contact_name",
  placeholder: "usage.quoted",
  missing: "contact.name_required",
});

/** The customer is every word in place: `/contact add Acme Corp name:"Jane"`. */
const customerWords = wordsAs("customer");

/** `Jane Doe · CFO · jane@acme.com · +33 1 23 45 67 89 · last activity: call, 3 Dec 2026` */
export function contactLine(ctx: Pick<CommandContext, "t" | "fmt">, c: Contact | ContactLine): string {
  const last = "lastActivity" in c ? c.lastActivity : null;
  return [
    c.name,
    c.role,
    c.email,
    c.phone && showPhone(c.phone),
    last &&
      ctx.t("contact.last_activity", {
        kind: ctx.t(`contact.activity.${last.kind}`),
        date: ctx.fmt.date(last.at),
      }),
  ]
    .filter((part) => part)
    .join(" · ");
}

export const contactAdd = defineCommand({
  name: "contact add",
  description: "command.contact_add",
  visibility: "ephemeral",
  options: {
    customer: customerOption,
    name: nameOption,
    role: roleOption(false),
    email: emailOption(false),
    phone: phoneOption(false),
  },
  fromText: customerWords,
  async run(ctx, input) {
    const { customer, contact } = await ctx.sales.contacts.addContact(
      ctx.workspace,
      ctx.actor,
      input.customer,
      input.name,
      { role: input.role, email: input.email, phone: input.phone },
    );
    return {
      title: ctx.t("contact.added", { name: contact.name, customer: customer.name }),
      lines: [contactLine(ctx, contact)],
    };
  },
});

export const contactEdit = defineCommand({
  name: "contact edit",
  description: "command.contact_edit",
  visibility: "ephemeral",
  options: {
    customer: customerOption,
    name: nameOption,
    rename: textOption(CONTACT_NAME_MAX, {
      named: true,
      description: "option.contact_rename",
      placeholder: "usage.quoted",
    }),
    role: roleOption(true),
    email: emailOption(true),
    phone: phoneOption(true),
  },
  fromText: customerWords,
  async run(ctx, input) {
    const { customer, contact, previousName } = await ctx.sales.contacts.editContact(
      ctx.workspace,
      ctx.actor,
      input.customer,
      input.name,
      { name: input.rename, role: input.role, email: input.email, phone: input.phone },
    );
    return {
      title: ctx.t("contact.edited", { name: previousName, customer: customer.name }),
      lines: [contactLine(ctx, contact)],
    };
  },
});

export const contactRemove = defineCommand({
  name: "contact remove",
  description: "command.contact_remove",
  visibility: "ephemeral",
  options: { customer: customerOption, name: nameOption },
  fromText: customerWords,
  async run(ctx, input) {
    const { customer, contact } = await ctx.sales.contacts.removeContact(
      ctx.workspace,
      ctx.actor,
      input.customer,
      input.name,
    );
    return { title: ctx.t("contact.removed", { name: contact.name, customer: customer.name }), lines: [] };
  },
});

export const contactList = defineCommand({
  name: "contact list",
  description: "command.contact_list",
  visibility: "ephemeral",
  options: { customer: customerOption },
  fromText: customerWords,
  async run(ctx, input) {
    const customer = await ctx.sales.contacts.customerNamed(ctx.workspace, input.customer);
    const list = await ctx.sales.contacts.listContacts(ctx.workspace, customer);
    return {
      title: ctx.t("contact.list_title", { customer: customer.name }),
      lines: list.items.length
        ? [...list.items.map((c) => contactLine(ctx, c)), ...moreLines(ctx, list)]
        : [ctx.t("contact.none", { customer: customer.name })],
    };
  },
});

export const CONTACT_COMMANDS = [contactAdd, contactEdit, contactRemove, contactList];
