import { Prisma } from "../../generated/prisma/client.js";
import { writeContacts } from "../contacts/contact-import.js";
import { nameKey } from "../customers/name-key.js";
import type { Db, SalesDeps, Tx, Workspace } from "../deps.js";
import {
  changedFields,
  createImportPlanner,
  DEAL_FINGERPRINT_SQL,
  type DealUpdate,
  type Differing,
  dealKey,
  type ExistingDeal,
  type ImportBasis,
  type ImportCounts,
  type ImportDeal,
  type ImportRejection,
  type KnownDeal,
} from "./import-plan.js";
import { writeImportedProducts } from "./import-products.js";
import { createImportWriter } from "./import-writer.js";

export interface ImportOptions {
  /** Create a member for each owner Closer does not know, instead of rejecting their rows. */
  createMembers: boolean;
  /** Write the plan; without, a dry run that only counts. */
  commit: boolean;
}

/** What an import did, or would do in a dry run. */
export interface ImportSummary {
  committed: boolean;
  counts: ImportCounts;
  rejections: ImportRejection[];
  /** The people at customers the rows name (`contact_*` columns), each counted once. */
  contacts: number;
}

/** Earlier imported deals read at once, as fingerprints: about a megabyte a page. */
const BASIS_PAGE = 10_000;
/** An import of 100,000 deals is one transaction; PGlite writes it in under a minute. */
const TRANSACTION_TIMEOUT_MS = 15 * 60_000;

export function createImportService({ db, clock }: SalesDeps) {
  return {
    /**
     * Imports the deals a file gives, batch by batch as it is read, so memory holds one batch:
     * each planned against what the workspace holds and, with `commit`, written at once, all in
     * one transaction (all or nothing: a file found broken halfway writes nothing). Imported
     * history is written as it happened (created and close dates, stage, lost reason) and
     * announces nothing: no win post, milestone, follow-up reminder or award comes of it.
     */
    async importDeals(
      ws: Workspace,
      batches: AsyncIterable<ImportDeal[]>,
      options: ImportOptions,
    ): Promise<ImportSummary> {
      const run = async (tx: Db) => {
        const basis = await readBasis(tx, ws);
        const planner = createImportPlanner(basis, options.createMembers);
        const writer = options.commit ? createImportWriter(tx as Tx, ws, basis, clock.now()) : undefined;
        const contacts = new Set<string>();
        for await (const rows of batches) {
          const rejectedBefore = planner.rejections.length;
          const batch = planner.plan(rows);
          const rejected = new Set(planner.rejections.slice(rejectedBefore).map((r) => r.line));
          const updates = await compare(tx, ws, batch.differing);
          planner.counts.updated += updates.length;
          planner.counts.unchanged += batch.differing.length - updates.length;
          await writer?.write(batch, updates);
          const people = contactsOf(rows.filter((r) => !rejected.has(r.line)));
          for (const p of people) contacts.add(`${p.customerKey}\u001f${p.key}`);
          if (writer && people.length) await writeContacts(tx, ws, people, clock.now());
          // The deals a row was rejected for are not written, nor are their products.
          if (writer)
            await writeImportedProducts(
              tx as Tx,
              ws,
              rows.filter((r) => !rejected.has(r.line)),
            );
        }
        await writer?.finish();
        return {
          committed: options.commit,
          counts: planner.counts,
          rejections: planner.rejections,
          contacts: contacts.size,
        };
      };
      if (!options.commit) return run(db);
      return db.$transaction(
        async (tx) => {
          // A file whose rows are all unchanged is read and planned with no statement sent: the
          // transaction may idle longer than a command's may (the connection's limit) and live.
          await tx.$executeRawUnsafe(
            `SET LOCAL idle_in_transaction_session_timeout = ${TRANSACTION_TIMEOUT_MS}`,
          );
          // Imports into one workspace take turns: the second plans against what the first wrote.
          await tx.$queryRaw(Prisma.sql`SELECT id FROM workspace WHERE id = ${ws.id} FOR UPDATE`);
          return run(tx);
        },
        { timeout: TRANSACTION_TIMEOUT_MS, maxWait: 60_000 },
      );
    },
  };
}

/** The people a batch's rows name at their customers, once each (the first row's values first). */
function contactsOf(rows: ImportDeal[]) {
  const people = new Map<string, Parameters<typeof writeContacts>[2][number]>();
  for (const row of rows) {
    if (!row.contact) continue;
    const [customerKey, key] = [nameKey(row.customer), nameKey(row.contact.name)];
    const id = `${customerKey}\u001f${key}`;
    if (!people.has(id))
      people.set(id, {
        ...row.contact,
        line: row.line,
        customer: row.customer,
        createdAt: null,
        customerKey,
        key,
      });
  }
  return [...people.values()];
}

/**
 * The workspace's members and customers, and its imported deals by key with their fingerprints,
 * read page by page: a fingerprint is a few dozen bytes where the deal would be a kilobyte.
 */
async function readBasis(db: Db, ws: Workspace): Promise<ImportBasis> {
  const [members, customers] = await Promise.all([
    db.member.findMany({
      where: { workspaceId: ws.id },
      select: { id: true, displayName: true, email: true, platformUserId: true },
    }),
    db.customer.findMany({ where: { workspaceId: ws.id }, select: { id: true, nameKey: true } }),
  ]);
  const deals = new Map<string, KnownDeal>();
  // Pages in the order of the unique index on (workspace, source, record id): each page is a range
  // of it, so only the deals returned are read and fingerprinted.
  for (let after = { source: "", id: "" }; ; ) {
    const page = await db.$queryRaw<
      { id: number; source: string; externalId: string; deleted: boolean; fingerprint: string }[]
    >(Prisma.sql`
      SELECT d.id, d.external_source AS source, d.external_id AS "externalId",
        d.deleted_at IS NOT NULL AS deleted, ${Prisma.raw(DEAL_FINGERPRINT_SQL)} AS fingerprint
      FROM deal d JOIN customer c ON c.id = d.customer_id
      WHERE d.workspace_id = ${ws.id} AND d.external_source IS NOT NULL
        AND (d.external_source, d.external_id) > (${after.source}, ${after.id})
      ORDER BY d.external_source, d.external_id LIMIT ${BASIS_PAGE}`);
    for (const row of page)
      deals.set(dealKey(row.source, row.externalId), {
        id: row.id,
        deleted: row.deleted,
        fingerprint: row.fingerprint,
      });
    const last = page.at(-1);
    if (!last || page.length < BASIS_PAGE) break;
    after = { source: last.source, id: last.externalId };
  }
  return { members, customers: new Map(customers.map((c) => [c.nameKey, c.id])), deals };
}

/** The rows whose deal's fingerprint differs, compared field by field with the deal as it is. */
async function compare(db: Db, ws: Workspace, differing: Differing[]): Promise<DealUpdate[]> {
  if (differing.length === 0) return [];
  const rows = await db.$queryRaw<ExistingDeal[]>(Prisma.sql`
    SELECT d.id, d.title, c.name_key AS "customerKey",
      c.name AS "customerName", d.owner_id AS "ownerId", d.amount, d.stage::text AS stage,
      d.probability, to_char(d.expected_close_date, 'YYYY-MM-DD') AS "expectedCloseDate",
      d.created_at AS "createdAt", d.closed_at AS "closedAt", d.lost_reason::text AS "lostReason",
      d.lost_note AS "lostNote", d.win_note AS "winNote", d.lead_source AS "leadSource"
    FROM deal d JOIN customer c ON c.id = d.customer_id
    WHERE d.workspace_id = ${ws.id} AND d.id = ANY(${differing.map((d) => d.id)}::int[])`);
  const byId = new Map(rows.map((row) => [row.id, row]));
  return differing.flatMap((row) => {
    const existing = byId.get(row.id);
    if (!existing) return [];
    const changed = changedFields(existing, row.deal, row.owner, row.customerKey);
    return changed.length > 0 ? [{ ...row, existing, changed }] : [];
  });
}
