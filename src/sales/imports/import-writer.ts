import { Prisma } from "../../generated/prisma/client.js";
import type { LostReason, Stage, Tx, Workspace } from "../deps.js";
import type {
  BatchPlan,
  DealUpdate,
  ImportBasis,
  ImportDeal,
  NewCustomer,
  NewMember,
  OwnerRef,
  PlannedDeal,
} from "./import-plan.js";

/** Rows a statement writes at once: a batch (`BATCH_SIZE` of transfer/read-deals) in one statement. */
const CHUNK = 1000;

/** Writes batch after batch in the import's transaction; members and customers it creates join the basis. */
export function createImportWriter(tx: Tx, ws: Workspace, basis: ImportBasis, now: Date) {
  const memberIds = new Map<string, number>();
  const createdCustomers: number[] = [];
  const ownerId = (owner: OwnerRef) => ("id" in owner ? owner.id : (memberIds.get(owner.placeholder) ?? 0));
  const customerId = (key: string) => basis.customers.get(key) ?? 0;
  return {
    async write(batch: BatchPlan, updates: DealUpdate[]) {
      for (const [platformUserId, id] of await insertMembers(tx, ws, batch.newMembers))
        memberIds.set(platformUserId, id);
      for (const [key, id] of await insertCustomers(tx, ws, batch.newCustomers, ownerId, now)) {
        basis.customers.set(key, id);
        createdCustomers.push(id);
      }
      await insertDeals(tx, ws, batch.creates, ownerId, customerId, now);
      await updateDeals(tx, ws, updates, ownerId, customerId, now);
    },
    /** A customer created from its first row in the file is as old as its oldest deal. */
    async finish() {
      for (const part of chunks(createdCustomers))
        await tx.$executeRaw(Prisma.sql`
          UPDATE customer c SET created_at = f.first
          FROM (SELECT customer_id, min(created_at) AS first FROM deal
            WHERE workspace_id = ${ws.id} AND customer_id = ANY(${part}::int[]) GROUP BY customer_id) f
          WHERE c.id = f.customer_id AND f.first < c.created_at`);
    },
  };
}

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

async function insertMembers(tx: Tx, ws: Workspace, members: NewMember[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const part of chunks(members)) {
    const rows = await tx.$queryRaw<{ id: number; platform_user_id: string }[]>(Prisma.sql`
      INSERT INTO member (workspace_id, platform_user_id, display_name, email, role)
      SELECT ${ws.id}, u.id, u.name, u.email, 'rep'
      FROM unnest(${part.map((m) => m.platformUserId)}::text[], ${part.map((m) => m.displayName)}::text[],
        ${part.map((m) => m.email)}::text[]) AS u(id, name, email)
      ON CONFLICT (workspace_id, platform_user_id) DO UPDATE SET display_name = member.display_name
      RETURNING id, platform_user_id`);
    for (const row of rows) ids.set(row.platform_user_id, row.id);
  }
  return ids;
}

/** The customers a batch names first, created; returns their ids by folded name. */
async function insertCustomers(
  tx: Tx,
  ws: Workspace,
  customers: Map<string, NewCustomer>,
  ownerId: (owner: OwnerRef) => number,
  now: Date,
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const part of chunks([...customers])) {
    const rows = await tx.$queryRaw<{ id: number; name_key: string }[]>(Prisma.sql`
      INSERT INTO customer (workspace_id, name, name_key, lead_source, owner_id, created_at)
      SELECT ${ws.id}, u.name, u.key, u.source, u.owner, u.created
      FROM unnest(${part.map(([, c]) => c.name)}::text[], ${part.map(([key]) => key)}::text[],
        ${part.map(([, c]) => c.leadSource)}::text[], ${part.map(([, c]) => ownerId(c.owner))}::int[],
        ${part.map(([, c]) => (c.createdAt < now ? c.createdAt : now).toISOString())}::timestamptz[])
        AS u(name, key, source, owner, created)
      ON CONFLICT (workspace_id, name_key) DO UPDATE SET name_key = EXCLUDED.name_key
      RETURNING id, name_key`);
    for (const row of rows) ids.set(row.name_key, row.id);
  }
  return ids;
}

/** A planned deal with its owner's and customer's ids, as the writer's statements take it. */
function resolved(
  p: PlannedDeal,
  ownerId: (owner: OwnerRef) => number,
  customerId: (key: string) => number,
): { deal: ImportDeal; ownerId: number; customerId: number } {
  return { deal: p.deal, ownerId: ownerId(p.owner), customerId: customerId(p.customerKey) };
}

/** The columns of a deal an import writes, as arrays for `unnest`, in one order. */
function dealArrays(planned: { deal: ImportDeal; ownerId: number; customerId: number }[]) {
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return Prisma.sql`
    ${planned.map((p) => p.customerId)}::int[], ${planned.map((p) => p.ownerId)}::int[],
    ${planned.map((p) => p.deal.title)}::text[], ${planned.map((p) => p.deal.amount.toString())}::bigint[],
    ${planned.map((p) => p.deal.stage)}::text[]::"Stage"[], ${planned.map((p) => p.deal.probability)}::int[],
    ${planned.map((p) => p.deal.leadSource)}::text[], ${planned.map((p) => p.deal.expectedCloseDate)}::date[],
    ${planned.map((p) => iso(p.deal.closedAt))}::timestamptz[],
    ${planned.map((p) => p.deal.lostReason)}::text[]::"LostReason"[], ${planned.map((p) => p.deal.lostNote)}::text[],
    ${planned.map((p) => p.deal.winNote)}::text[], ${planned.map((p) => iso(p.deal.createdAt))}::timestamptz[]`;
}

const DEAL_ARRAY_COLUMNS = [
  "customer_id",
  "owner_id",
  "title",
  "amount",
  "stage",
  "probability",
  "lead_source",
  "expected_close_date",
  "closed_at",
  "lost_reason",
  "lost_note",
  "win_note",
  "created_at",
];
const DEAL_ARRAY_NAMES = Prisma.raw(DEAL_ARRAY_COLUMNS.join(", "));
/** `customer_id = u.customer_id, …`: an update that rewrites each column from the row of `unnest` named `u`. */
const DEAL_ASSIGNMENTS = Prisma.raw(DEAL_ARRAY_COLUMNS.map((c) => `${c} = u.${c}`).join(", "));

/**
 * New deals, numbered in the file's order (a workspace exported and imported into an empty one
 * keeps its numbers), then their history in three set-based statements: created (by their owner,
 * when they were), won or lost (when they closed), and imported (now, naming the source).
 */
async function insertDeals(
  tx: Tx,
  ws: Workspace,
  ordered: PlannedDeal[],
  ownerId: (owner: OwnerRef) => number,
  customerId: (key: string) => number,
  now: Date,
): Promise<void> {
  if (ordered.length === 0) return;
  const [seq] = await tx.$queryRaw<{ deal_seq: number }[]>(Prisma.sql`
    UPDATE workspace SET deal_seq = deal_seq + ${ordered.length} WHERE id = ${ws.id} RETURNING deal_seq`);
  const last = seq?.deal_seq ?? 0;
  let number = last - ordered.length + 1;
  for (const part of chunks(ordered)) {
    const planned = part.map((p) => resolved(p, ownerId, customerId));
    const numbers = planned.map(() => number++);
    await tx.$executeRaw(Prisma.sql`
      INSERT INTO deal (workspace_id, number, ${DEAL_ARRAY_NAMES}, external_source, external_id,
        last_activity_at, updated_at)
      SELECT ${ws.id}, u.*, CASE WHEN u.stage IN ('won', 'lost') THEN greatest(u.closed_at, u.created_at)
        ELSE ${now}::timestamptz END, ${now}::timestamptz
      FROM unnest(${numbers}::int[], ${dealArrays(planned)},
        ${part.map((p) => p.deal.source)}::text[], ${part.map((p) => p.deal.externalId)}::text[])
        AS u(number, ${DEAL_ARRAY_NAMES}, external_source, external_id)`);
    await insertHistory(tx, ws, numbers[0] ?? 0, numbers.at(-1) ?? 0, now);
  }
}

/** The history of the deals numbered `first` to `last`, just inserted: created, won or lost, imported. */
async function insertHistory(tx: Tx, ws: Workspace, first: number, last: number, now: Date): Promise<void> {
  const range = Prisma.sql`d.workspace_id = ${ws.id} AND d.number BETWEEN ${first} AND ${last}`;
  await tx.$executeRaw(Prisma.sql`
    INSERT INTO deal_event (workspace_id, deal_id, kind, actor_id, stage, amount, owner_id, at)
    SELECT d.workspace_id, d.id, 'created', d.owner_id,
      CASE WHEN d.stage IN ('won', 'lost') THEN NULL ELSE d.stage END, d.amount, d.owner_id, d.created_at
    FROM deal d WHERE ${range}`);
  await tx.$executeRaw(Prisma.sql`
    INSERT INTO deal_event (workspace_id, deal_id, kind, actor_id, stage, amount, owner_id, lost_reason, note, at)
    SELECT d.workspace_id, d.id, 'stage', d.owner_id, d.stage, d.amount, d.owner_id, d.lost_reason,
      coalesce(d.lost_note, d.win_note), d.closed_at
    FROM deal d WHERE ${range} AND d.stage IN ('won', 'lost') AND d.closed_at IS NOT NULL`);
  await tx.$executeRaw(Prisma.sql`
    INSERT INTO deal_event (workspace_id, deal_id, kind, new_value, note, at)
    SELECT d.workspace_id, d.id, 'imported', d.external_source, d.external_id, ${now}
    FROM deal d WHERE ${range}`);
}

interface EventRow {
  dealId: number;
  kind: "stage" | "amount" | "owner" | "customer" | "title" | "source" | "close" | "imported";
  stage?: Stage | null;
  amount?: bigint | null;
  previousAmount?: bigint | null;
  ownerId?: number | null;
  previousOwnerId?: number | null;
  oldValue?: string | null;
  newValue?: string | null;
  lostReason?: LostReason | null;
  note?: string | null;
  at: Date;
}

/** Deals whose row changed: every column rewritten, each change a deal event, as an edit records it. */
async function updateDeals(
  tx: Tx,
  ws: Workspace,
  updates: DealUpdate[],
  ownerId: (owner: OwnerRef) => number,
  customerId: (key: string) => number,
  now: Date,
): Promise<void> {
  for (const part of chunks(updates)) {
    const planned = part.map((p) => resolved(p, ownerId, customerId));
    await tx.$executeRaw(Prisma.sql`
      UPDATE deal SET ${DEAL_ASSIGNMENTS}, last_activity_at = ${now}::timestamptz, updated_at = ${now}::timestamptz
      FROM unnest(${part.map((p) => p.existing.id)}::int[], ${dealArrays(planned)})
        AS u(id, ${DEAL_ARRAY_NAMES})
      WHERE deal.id = u.id AND deal.workspace_id = ${ws.id}`);
    await insertEvents(
      tx,
      ws,
      part.flatMap((update, i) => eventsOf(update, planned[i]?.ownerId ?? 0, now)),
    );
  }
}

function eventsOf(update: DealUpdate, ownerId: number, now: Date): EventRow[] {
  const { existing: was, deal: now_ } = update;
  const dealId = was.id;
  const events: EventRow[] = [];
  const text = (kind: EventRow["kind"], oldValue: string | null, newValue: string | null) =>
    events.push({ dealId, kind, oldValue, newValue, at: now });
  for (const field of update.changed) {
    if (field === "amount")
      events.push({ dealId, kind: "amount", amount: now_.amount, previousAmount: was.amount, at: now });
    else if (field === "stage")
      events.push({
        dealId,
        kind: "stage",
        stage: now_.stage,
        lostReason: now_.lostReason,
        note: now_.lostNote ?? now_.winNote,
        at: now_.closedAt ?? now,
      });
    else if (field === "owner")
      events.push({ dealId, kind: "owner", ownerId, previousOwnerId: was.ownerId, at: now });
    else if (field === "customer") text("customer", was.customerName, now_.customer);
    else if (field === "title") text("title", was.title, now_.title);
    else if (field === "lead_source") text("source", was.leadSource, now_.leadSource);
    else if (field === "expected_close_date") text("close", was.expectedCloseDate, now_.expectedCloseDate);
  }
  events.push({ dealId, kind: "imported", newValue: now_.source, note: now_.externalId, at: now });
  return events;
}

async function insertEvents(tx: Tx, ws: Workspace, events: EventRow[]): Promise<void> {
  const column = <T>(pick: (e: EventRow) => T | undefined) => events.map((e) => pick(e) ?? null);
  await tx.$executeRaw(Prisma.sql`
    INSERT INTO deal_event (workspace_id, deal_id, kind, stage, amount, previous_amount, owner_id,
      previous_owner_id, old_value, new_value, lost_reason, note, at)
    SELECT ${ws.id}, u.* FROM unnest(${column((e) => e.dealId)}::int[],
      ${column((e) => e.kind)}::text[]::"DealEventKind"[], ${column((e) => e.stage)}::text[]::"Stage"[],
      ${column((e) => e.amount?.toString())}::bigint[], ${column((e) => e.previousAmount?.toString())}::bigint[],
      ${column((e) => e.ownerId)}::int[], ${column((e) => e.previousOwnerId)}::int[],
      ${column((e) => e.oldValue)}::text[], ${column((e) => e.newValue)}::text[],
      ${column((e) => e.lostReason)}::text[]::"LostReason"[], ${column((e) => e.note)}::text[],
      ${column((e) => e.at.toISOString())}::timestamptz[]) AS u`);
}
