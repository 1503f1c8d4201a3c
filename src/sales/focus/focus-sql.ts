import { Prisma } from "../../generated/prisma/client.js";
import { dormantHaving, dormantSinceOf } from "../customers/customer-service.js";
import { isOpen, notDeleted, quietSince, stalledSince } from "../deals/deal-sql.js";
import type { Workspace } from "../deps.js";
import {
  addWorkingDays,
  type Calendar,
  localDate,
  periodContaining,
  startOfLocalDate,
  type Weekday,
} from "../periods/period.js";
import { ownedBy, type Scope } from "../scope.js";

/** How many items a focus list holds: what a rep can do in a day, and what fits one message. */
export const FOCUS_LENGTH = 10;

/**
 * The kinds of item, in order of precedence: a deal that is several at once is listed under the
 * first, and on equal values the first comes first.
 */
export const FOCUS_KINDS = ["followup", "overdue", "closing", "stalled", "dormant"] as const;
export type FocusKind = (typeof FOCUS_KINDS)[number];

/** What one focus list is read for: whose, and the instants and local days of "today". */
export interface FocusQuery {
  workspaceId: number;
  scope: Scope;
  /** `list`: one list for the scope, a deal once; `member`: each member's own list (the morning round). */
  per: "list" | "member";
  /** Today, local `YYYY-MM-DD`: a deal expected before it is overdue. */
  today: string;
  /** The first local day after this week (`week_start`): a deal expected from today to before it closes this week. */
  weekEnd: string;
  /** The start of tomorrow, local: follow-ups due before it are due. */
  tomorrow: Date;
  stalledSince: Date;
  dormantSince: Date;
  limit: number;
}

const EVERY_DAY = new Set<Weekday>([1, 2, 3, 4, 5, 6, 7]);

/** The focus query of a workspace's scope as of `now`. */
export function focusQueryOf(
  ws: Pick<Workspace, "id" | "timezone" | "stalledDays" | "dormantDays">,
  cal: Calendar,
  scope: Scope,
  now: Date,
  per: FocusQuery["per"] = "list",
): FocusQuery {
  const today = localDate(now, ws.timezone);
  return {
    workspaceId: ws.id,
    scope,
    per,
    today,
    weekEnd: localDate(periodContaining("week", now, cal).end, ws.timezone),
    tomorrow: startOfLocalDate(addWorkingDays(today, 1, EVERY_DAY), ws.timezone),
    stalledSince: stalledSince(ws, now),
    dormantSince: dormantSinceOf(ws, now),
    limit: FOCUS_LENGTH,
  };
}

/** One row of the focus query: an item, with what its line shows. */
export interface FocusRow {
  kind: FocusKind;
  /** Its value × 100, in minor units: amount × probability, or past revenue × 100. */
  value100: bigint;
  member_id: number;
  member_name: string;
  customer: string;
  number: number | null;
  stage: string | null;
  amount: bigint | null;
  probability: number | null;
  expected_close_date: Date | null;
  last_activity_at: Date | null;
  reminder_id: number | null;
  reminder_text: string | null;
  due_at: Date | null;
  last_won: Date | null;
}

const rankOf = Prisma.raw(`CASE kind ${FOCUS_KINDS.map((k, i) => `WHEN '${k}' THEN ${i}`).join(" ")} END`);

/**
 * The focus list as one statement, whose rows are the items, most valuable first (docs/architecture.md,
 * "Focus"). Each kind is read through an index: the members' open deals by weighted value from
 * `deal_focus_idx` (each member's first `limit`, ties included, as no list needs more of them), the
 * reminders by member and due date, the members' customers and their won deals from
 * `deal_won_customer_idx`. Exported so the benchmark times the statement the app sends.
 */
export function focusSql(q: FocusQuery): Prisma.Sql {
  const ws = q.workspaceId;
  const perMember = q.per === "member";
  // Within one member's list, a deal or customer with a follow-up due is listed as that follow-up.
  const sameList = (due: string, member: string) =>
    perMember ? Prisma.raw(`AND ${due}.member_id = ${member}`) : Prisma.empty;
  return Prisma.sql`
    WITH owners AS (
      SELECT id FROM member WHERE workspace_id = ${ws} ${ownedBy(q.scope, Prisma.raw("id"))}
    ), due AS (
      SELECT DISTINCT ON (r.member_id, r.deal_id, r.customer_id)
             r.id, r.member_id, r.deal_id, r.customer_id, r.text, r.due_at
      FROM owners o JOIN reminder r
        ON r.workspace_id = ${ws} AND r.member_id = o.id AND NOT r.done AND r.due_at < ${q.tomorrow}
      WHERE r.deal_id IS NULL OR EXISTS (SELECT 1 FROM deal x WHERE x.id = r.deal_id AND ${notDeleted("x")})
      ORDER BY r.member_id, r.deal_id, r.customer_id, r.due_at, r.id
    ), due_once AS (
      ${
        perMember
          ? Prisma.sql`SELECT * FROM due`
          : Prisma.sql`SELECT DISTINCT ON (deal_id, customer_id) * FROM due ORDER BY deal_id, customer_id, due_at, id`
      }
    ), deals AS (
      SELECT d.* FROM owners o CROSS JOIN LATERAL (
        SELECT d.id, d.number, d.customer_id, d.owner_id, d.amount, d.probability, d.stage,
               d.expected_close_date, d.last_activity_at
        FROM deal d
        WHERE d.workspace_id = ${ws} AND d.owner_id = o.id AND ${isOpen("d")}
          AND (d.expected_close_date < ${q.weekEnd}::date OR ${quietSince(q.stalledSince, "d")})
        ORDER BY d.amount * d.probability DESC
        FETCH FIRST ${q.limit} ROWS WITH TIES
      ) d
    ), dormant AS (
      SELECT c.id AS customer_id, c.owner_id,
             sum(d.amount) FILTER (WHERE d.stage = 'won') AS revenue,
             max(d.closed_at) FILTER (WHERE d.stage = 'won') AS last_won
      FROM owners o
      JOIN customer c ON c.workspace_id = ${ws} AND c.owner_id = o.id
      JOIN deal d ON d.workspace_id = ${ws} AND d.customer_id = c.id AND d.stage = 'won' AND ${notDeleted("d")}
      WHERE NOT EXISTS (SELECT 1 FROM due_once u WHERE u.customer_id = c.id ${sameList("u", "c.owner_id")})
      GROUP BY c.id
      ${dormantHaving(q.dormantSince)}
    ), items AS (
      SELECT 'followup' AS kind,
             coalesce(d.amount * d.probability, 100 * w.revenue, 0) AS value100,
             u.member_id, coalesce(d.customer_id, u.customer_id) AS customer_id,
             d.number, d.stage::text AS stage, d.amount, d.probability, d.expected_close_date,
             d.last_activity_at, u.id AS reminder_id, u.text AS reminder_text, u.due_at, w.last_won
      FROM due_once u
      LEFT JOIN deal d ON d.id = u.deal_id
      LEFT JOIN LATERAL (
        SELECT sum(x.amount) AS revenue, max(x.closed_at) AS last_won FROM deal x
        WHERE x.workspace_id = ${ws} AND x.customer_id = u.customer_id AND x.stage = 'won' AND ${notDeleted("x")}
      ) w ON u.customer_id IS NOT NULL
      UNION ALL
      SELECT CASE WHEN d.expected_close_date < ${q.today}::date THEN 'overdue'
                  WHEN d.expected_close_date < ${q.weekEnd}::date THEN 'closing'
                  ELSE 'stalled' END,
             d.amount * d.probability, d.owner_id, d.customer_id,
             d.number, d.stage::text, d.amount, d.probability, d.expected_close_date,
             d.last_activity_at, NULL, NULL, NULL, NULL
      FROM deals d
      WHERE NOT EXISTS (SELECT 1 FROM due_once u WHERE u.deal_id = d.id ${sameList("u", "d.owner_id")})
      UNION ALL
      SELECT 'dormant', 100 * revenue, owner_id, customer_id,
             NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, last_won
      FROM dormant
    ), ranked AS (
      SELECT i.*, c.name AS customer, c.name_key, m.display_name AS member_name,
             row_number() OVER (
               ${perMember ? Prisma.sql`PARTITION BY i.member_id` : Prisma.empty}
               ORDER BY i.value100 DESC, ${rankOf}, i.number NULLS LAST, c.name_key, i.reminder_id
             ) AS place
      FROM items i
      JOIN customer c ON c.id = i.customer_id
      JOIN member m ON m.id = i.member_id
    )
    SELECT kind, value100::bigint AS value100, member_id, member_name, customer, number, stage, amount,
           probability, expected_close_date, last_activity_at, reminder_id, reminder_text, due_at, last_won
    FROM ranked
    WHERE place <= ${q.limit}
    ORDER BY ${perMember ? Prisma.sql`member_id,` : Prisma.empty} place`;
}
