import { AppError } from "../../errors.js";
import type { Contact } from "../../generated/prisma/client.js";
import { nameKey } from "../customers/name-key.js";
import type { Db } from "../deps.js";

/**
 * The contact of a customer whose folded name is `name`, for `contact:"…"`. One small function, so
 * that the contact service, when it has its own rule for finding a contact, can take its place.
 */
export async function findContactOf(
  db: Db,
  customer: { id: number; name: string },
  name: string,
): Promise<Contact> {
  const contact = await db.contact.findUnique({
    where: { customerId_nameKey: { customerId: customer.id, nameKey: nameKey(name) } },
  });
  if (!contact)
    throw new AppError("not_found", "activity.contact_not_found", { name, customer: customer.name });
  return contact;
}
