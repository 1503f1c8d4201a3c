import type { Customer, Tx } from "../deps.js";

/**
 * Moves a merged customer's contacts and activities to the customer it merges into, in the merge's
 * transaction (deleting the customer would cascade to them). A person both have (same folded name)
 * stays the target's, taking the role, email and phone it lacked, and the activities logged with
 * the other; every other contact moves as it is.
 *
 * @returns how many contacts the target gained.
 */
export async function moveContacts(tx: Tx, source: Customer, target: Customer): Promise<number> {
  await tx.$executeRaw`
    UPDATE contact t
    SET role = coalesce(t.role, s.role), email = coalesce(t.email, s.email), phone = coalesce(t.phone, s.phone)
    FROM contact s
    WHERE s.customer_id = ${source.id} AND t.customer_id = ${target.id} AND t.name_key = s.name_key`;
  await tx.$executeRaw`
    UPDATE activity a SET contact_id = t.id
    FROM contact s JOIN contact t ON t.customer_id = ${target.id} AND t.name_key = s.name_key
    WHERE s.customer_id = ${source.id} AND a.contact_id = s.id`;
  await tx.$executeRaw`
    DELETE FROM contact s USING contact t
    WHERE s.customer_id = ${source.id} AND t.customer_id = ${target.id} AND t.name_key = s.name_key`;
  await tx.$executeRaw`UPDATE activity SET customer_id = ${target.id} WHERE customer_id = ${source.id}`;
  return tx.$executeRaw`UPDATE contact SET customer_id = ${target.id} WHERE customer_id = ${source.id}`;
}
