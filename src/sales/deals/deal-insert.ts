import { Prisma } from "../../generated/prisma/client.js";
import type { Customer, Db, Deal, Member, Stage, Workspace } from "../deps.js";
import { columnsOf, rowOf } from "../raw-columns.js";
import { FOLLOW_UP } from "../reminders/reminder-service.js";
import type { DealView } from "./deal-reads.js";
import { DEFAULT_PROBABILITY } from "./stages.js";

/** A deal to log, its customer's name already checked and folded. */
export interface NewDeal {
  amount: bigint;
  customer: string;
  customerKey: string;
  stage: Stage;
  owner: Member;
  actor: Member;
  source?: string | undefined;
  closeDate?: string | undefined;
  title?: string | undefined;
  probability?: number | undefined;
  idempotencyKey?: string | undefined;
  /** When the owner's follow-up reminder is due; null for a deal logged won. */
  followUpAt: Date | null;
  /** The deal's lines, in order: each product and its amount, if any. */
  lines?: readonly { productId: number; amount: bigint | null }[] | undefined;
}

const DEAL_COLUMNS = columnsOf("d", Prisma.DealScalarFieldEnum);
const CUSTOMER_COLUMNS = columnsOf("c", Prisma.CustomerScalarFieldEnum);

/**
 * Logs a deal in one statement: finds or creates its customer by folded name, takes the next
 * number of the workspace, inserts the deal, its lines, its `created` event and the follow-up
 * reminder.
 *
 * One statement, so the workspace row that numbers deals is locked for its execution only, not
 * across round trips; a customer another request creates at the same moment is found, not
 * duplicated (`ON CONFLICT … DO UPDATE` returns the row even when committed after this
 * statement began). The numbering depends on the customer so that every log takes the two row
 * locks in the same order.
 */
export async function insertDeal(db: Db, ws: Workspace, deal: NewDeal, now: Date): Promise<DealView> {
  const closeDate = deal.closeDate ? new Date(`${deal.closeDate}T00:00:00Z`) : null;
  const lines = deal.lines ?? [];
  const [row] = await db.$queryRaw<Record<string, unknown>[]>(Prisma.sql`
    WITH c AS (
      INSERT INTO customer (workspace_id, name, name_key, lead_source, owner_id, created_at)
      VALUES (${ws.id}, ${deal.customer}, ${deal.customerKey}, ${deal.source ?? null}, ${deal.owner.id}, ${now})
      ON CONFLICT (workspace_id, name_key) DO UPDATE SET name_key = EXCLUDED.name_key
      RETURNING *
    ), n AS (
      UPDATE workspace SET deal_seq = deal_seq + 1
      WHERE id = (SELECT workspace_id FROM c)
      RETURNING deal_seq
    ), d AS (
      INSERT INTO deal (workspace_id, number, customer_id, owner_id, title, amount, stage, probability,
        lead_source, expected_close_date, closed_at, idempotency_key, created_at, last_activity_at, updated_at)
      SELECT ${ws.id}, n.deal_seq, c.id, ${deal.owner.id}, ${deal.title ?? null}, ${deal.amount},
        ${deal.stage}::"Stage", ${deal.probability ?? DEFAULT_PROBABILITY[deal.stage]},
        coalesce(${deal.source ?? null}, c.lead_source), ${closeDate}::date,
        ${deal.stage === "won" ? now : null}::timestamptz, ${deal.idempotencyKey ?? null}, ${now}, ${now}, ${now}
      FROM c, n
      RETURNING *
    ), e AS (
      INSERT INTO deal_event (workspace_id, deal_id, kind, actor_id, stage, amount, owner_id, at)
      SELECT ${ws.id}, d.id, 'created', ${deal.actor.id}, d.stage, d.amount, d.owner_id, ${now} FROM d
    ), r AS (
      INSERT INTO reminder (workspace_id, member_id, deal_id, due_at, text, origin, created_at)
      SELECT ${ws.id}, d.owner_id, d.id, ${deal.followUpAt}::timestamptz, c.name, ${FOLLOW_UP}, ${now}
      FROM d, c WHERE ${deal.followUpAt !== null}
    ), l AS (
      INSERT INTO deal_product (workspace_id, deal_id, product_id, position, amount)
      SELECT ${ws.id}, d.id, l.product_id, (l.n - 1)::int, l.amount
      FROM d, unnest(${lines.map((x) => x.productId)}::int[], ${lines.map((x) => x.amount)}::bigint[])
        WITH ORDINALITY AS l(product_id, amount, n)
    )
    SELECT ${DEAL_COLUMNS}, ${CUSTOMER_COLUMNS}
    FROM d, c`);
  if (!row) throw new Error(`deal not inserted in workspace ${ws.id}`);
  return {
    ...rowOf<Deal>(row, "d", Prisma.DealScalarFieldEnum),
    customer: rowOf<Customer>(row, "c", Prisma.CustomerScalarFieldEnum),
    owner: deal.owner,
  };
}
