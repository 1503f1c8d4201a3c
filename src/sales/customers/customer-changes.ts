import { AppError } from "../../errors.js";
import { Prisma } from "../../generated/prisma/client.js";
import { moveContacts } from "../contacts/contact-merge.js";
import type { Customer, Member, SalesDeps, Tx, Workspace } from "../deps.js";
import { assertManager } from "../permissions.js";
import { isUniqueViolation } from "../unique-violation.js";
import { nameKey } from "./name-key.js";

export interface CustomerRenamed {
  customer: Customer;
  /** The name it had before. */
  previous: string;
}

export interface CustomersMerged {
  /** The customer merged away (deleted), as it was. */
  source: Customer;
  /** The customer that now holds its deals and reminders. */
  target: Customer;
  dealsMoved: number;
  remindersMoved: number;
}

/** A customer's folded name, refused when it has no letter or digit. */
function keyOf(name: string): string {
  const key = nameKey(name);
  if (!key) throw new AppError("invalid_input", "error.customer_name");
  return key;
}

/**
 * Locks the customers with these folded names (in id order, so two requests locking the same pair
 * never wait on each other crosswise) and reads them as they are once locked: a row renamed or
 * merged away meanwhile no longer matches and is missing.
 */
async function lockCustomers(tx: Tx, ws: Workspace, keys: string[]): Promise<Map<string, Customer>> {
  const locked = await tx.$queryRaw<{ id: number }[]>(Prisma.sql`
    SELECT id FROM customer WHERE workspace_id = ${ws.id} AND name_key IN (${Prisma.join(keys)})
    ORDER BY id FOR UPDATE`);
  const rows = await tx.customer.findMany({
    where: { workspaceId: ws.id, id: { in: locked.map((r) => r.id) } },
  });
  return new Map(rows.map((c) => [c.nameKey, c]));
}

function found(customers: Map<string, Customer>, key: string, name: string): Customer {
  const customer = customers.get(key);
  if (!customer) throw new AppError("not_found", "error.customer_not_found", { name });
  return customer;
}

export function createCustomerChanges({ db, clock }: SalesDeps) {
  return {
    /**
     * Renames a customer (managers and admins). One customer per folded name still holds: a name
     * another customer folds to is refused with the merge to use instead; changing only the case,
     * accents or punctuation of the same customer's name is a rename.
     */
    async renameCustomer(
      ws: Workspace,
      actor: Member,
      name: string,
      newName: string,
    ): Promise<CustomerRenamed> {
      assertManager(ws, actor);
      const key = keyOf(name);
      const newKey = keyOf(newName);
      const renamed = newName.trim();
      const clash = (other: string) =>
        new AppError("conflict", "error.customer_exists", { other, source: name.trim() });
      try {
        return await db.$transaction(async (tx) => {
          const locked = await lockCustomers(tx, ws, newKey === key ? [key] : [key, newKey]);
          const customer = found(locked, key, name);
          const other = newKey === key ? undefined : locked.get(newKey);
          if (other) throw clash(other.name);
          const updated = await tx.customer.update({
            where: { id: customer.id },
            data: { name: renamed, nameKey: newKey },
          });
          return { customer: updated, previous: customer.name };
        });
      } catch (error) {
        // Another customer took the new name while this one was being renamed.
        if (isUniqueViolation(error)) throw clash(renamed);
        throw error;
      }
    },

    /**
     * Merges one customer into another (managers and admins), in one transaction under both rows'
     * locks: its deals (their history with them), reminders and contacts move to the target, which keeps its
     * name and takes the owner and lead source it lacked; the merged customer is deleted.
     */
    async mergeCustomers(
      ws: Workspace,
      actor: Member,
      name: string,
      intoName: string,
    ): Promise<CustomersMerged> {
      assertManager(ws, actor);
      const key = keyOf(name);
      const intoKey = keyOf(intoName);
      if (key === intoKey)
        throw new AppError("invalid_input", "error.customer_merge_same", { name: name.trim() });
      return db.$transaction(async (tx) => {
        const locked = await lockCustomers(tx, ws, [key, intoKey]);
        const now = clock.now();
        const source = found(locked, key, name);
        const target = found(locked, intoKey, intoName);
        // Each moved deal's history says so, as an edit of its customer would.
        await tx.$executeRaw`
          INSERT INTO deal_event (workspace_id, deal_id, kind, actor_id, old_value, new_value, at)
          SELECT workspace_id, id, 'customer', ${actor.id}, ${source.name}, ${target.name}, ${now}
          FROM deal WHERE workspace_id = ${ws.id} AND customer_id = ${source.id}`;
        const dealsMoved = await tx.deal.updateMany({
          where: { workspaceId: ws.id, customerId: source.id },
          data: { customerId: target.id, lastActivityAt: now },
        });
        const remindersMoved = await tx.reminder.updateMany({
          where: { workspaceId: ws.id, customerId: source.id },
          data: { customerId: target.id },
        });
        await moveContacts(tx, source, target);
        const merged = await tx.customer.update({
          where: { id: target.id },
          data: {
            ownerId: target.ownerId ?? source.ownerId,
            leadSource: target.leadSource ?? source.leadSource,
          },
        });
        await tx.customer.delete({ where: { id: source.id } });
        return { source, target: merged, dealsMoved: dealsMoved.count, remindersMoved: remindersMoved.count };
      });
    },
  };
}
