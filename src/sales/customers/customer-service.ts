import { AppError } from "../../errors.js";
import { Prisma } from "../../generated/prisma/client.js";
import { inTimeOrder, latestCustomerActivities, type TimelineEntry } from "../activities/activity-history.js";
import { isOpen, notDeleted } from "../deals/deal-sql.js";
import { isOpenStage } from "../deals/stages.js";
import type { Customer, Deal, DealEvent, Member, SalesDeps, Workspace } from "../deps.js";
import { type CutList, cutAt } from "../lists.js";
import { createCustomerChanges } from "./customer-changes.js";
import { nameKey } from "./name-key.js";

export type CustomerStatus = "customer" | "dormant" | "prospect" | "lost";

export type CustomerEvent = DealEvent & { actor: Member | null; deal: Pick<Deal, "number"> };

export interface CustomerHistory {
  customer: Customer & { owner: Member | null };
  status: CustomerStatus;
  deals: (Deal & { owner: Member })[];
  /** The latest events of its deals, newest first. */
  events: CustomerEvent[];
  /** How many events its deals have in all. */
  eventTotal: number;
  /** The latest of its deals' events and its activities together, newest first. */
  timeline: TimelineEntry<CustomerEvent>[];
  /** How many events and activities it has in all. */
  timelineTotal: number;
  revenue: bigint;
  wonCount: number;
  lastOrder: Date | null;
}

/**
 * What a typed part of a name finds: the customer whose folded name it is, else those whose folded
 * name contains it (those starting with it first), at most the limit asked, and how many in all.
 */
export type CustomerLookup =
  | { kind: "one"; customer: Customer }
  | { kind: "many"; names: string[]; total: number }
  | { kind: "none" };

export interface CustomerSummary {
  id: number;
  name: string;
  ownerId: number | null;
  ownerName: string | null;
  revenue: bigint;
  lastWon: Date | null;
  openDeals: number;
}

function statusOf(
  wonCount: number,
  lastWon: Date | null,
  openDeals: number,
  dormantSince: Date,
): CustomerStatus {
  if (wonCount > 0) return lastWon && lastWon < dormantSince ? "dormant" : "customer";
  return openDeals > 0 ? "prospect" : "lost";
}

/** The instant before which a customer's last win makes it dormant: `now` less dormant_days. */
export function dormantSinceOf(ws: Pick<Workspace, "dormantDays">, now: Date): Date {
  return new Date(now.getTime() - ws.dormantDays * 86_400_000);
}

/**
 * The dormant rule, over a customer's deals `d` grouped by customer: a won deal, and none won since
 * `dormantSince` ({@link dormantSinceOf}).
 */
export function dormantHaving(dormantSince: Date): Prisma.Sql {
  return Prisma.sql`HAVING max(d.closed_at) FILTER (WHERE d.stage = 'won') < ${dormantSince}`;
}

/** The HAVING clause that keeps the customers of a kind, over a customer's deals `d`: dormant since a date. */
function havingKind(kind: "all" | "dormant" | "prospects", dormantSince: Date): Prisma.Sql {
  if (kind === "dormant") return dormantHaving(dormantSince);
  if (kind === "prospects")
    return Prisma.sql`HAVING count(*) FILTER (WHERE d.stage = 'won') = 0
                        AND count(*) FILTER (WHERE ${isOpen("d")}) > 0`;
  return Prisma.empty;
}

export function createCustomerService({ db, clock }: SalesDeps) {
  const dormantSince = (ws: Workspace) => dormantSinceOf(ws, clock.now());

  return {
    ...createCustomerChanges({ db, clock }),

    /**
     * Finds a customer from part of its name, case, accents and punctuation aside: the exact folded
     * name first, else every customer whose folded name contains it.
     */
    async lookupCustomer(ws: Workspace, text: string, limit = 5): Promise<CustomerLookup> {
      const key = nameKey(text);
      if (!key) throw new AppError("invalid_input", "error.customer_name");
      const exact = await db.customer.findUnique({
        where: { workspaceId_nameKey: { workspaceId: ws.id, nameKey: key } },
      });
      if (exact) return { kind: "one", customer: exact };
      const rows = await db.$queryRaw<{ id: number; name: string; total: number }[]>(Prisma.sql`
        SELECT id, name, (count(*) OVER ())::int AS total
        FROM customer
        WHERE workspace_id = ${ws.id} AND strpos(name_key, ${key}) > 0
        ORDER BY strpos(name_key, ${key}) = 1 DESC, name_key, id
        LIMIT ${limit}`);
      const [first] = rows;
      if (!first) return { kind: "none" };
      if (first.total === 1) {
        const customer = await db.customer.findFirstOrThrow({ where: { workspaceId: ws.id, id: first.id } });
        return { kind: "one", customer };
      }
      return { kind: "many", names: rows.map((r) => r.name), total: first.total };
    },

    /** Customers whose folded name starts with `prefix` (then contains it), for autocompletion. */
    async searchCustomers(ws: Workspace, prefix: string, limit = 25): Promise<{ name: string }[]> {
      const key = nameKey(prefix);
      const starts = await db.customer.findMany({
        where: { workspaceId: ws.id, nameKey: { startsWith: key } },
        select: { name: true },
        orderBy: { nameKey: "asc" },
        take: limit,
      });
      if (starts.length >= limit || key === "") return starts;
      const contains = await db.customer.findMany({
        where: { workspaceId: ws.id, nameKey: { contains: key }, NOT: { nameKey: { startsWith: key } } },
        select: { name: true },
        orderBy: { nameKey: "asc" },
        take: limit - starts.length,
      });
      return [...starts, ...contains];
    },

    /** A customer's history: deals, events, revenue and last order; the name is matched folded. */
    async customerHistory(ws: Workspace, name: string, eventLimit = 15): Promise<CustomerHistory> {
      const customer = await db.customer.findUnique({
        where: { workspaceId_nameKey: { workspaceId: ws.id, nameKey: nameKey(name) } },
        include: { owner: true },
      });
      if (!customer) throw new AppError("not_found", "error.customer_not_found", { name });
      const eventsOf = { workspaceId: ws.id, deal: { customerId: customer.id, deletedAt: null } };
      const [deals, latest, activities] = await Promise.all([
        db.deal.findMany({
          where: { workspaceId: ws.id, customerId: customer.id, deletedAt: null },
          include: { owner: true },
          orderBy: { number: "desc" },
        }),
        db.dealEvent.findMany({
          where: eventsOf,
          include: { actor: true, deal: { select: { number: true } } },
          orderBy: [{ at: "desc" }, { id: "desc" }],
          take: eventLimit + 1,
        }),
        latestCustomerActivities(db, ws, customer.id, eventLimit),
      ]);
      const events = await cutAt(latest, eventLimit, () => db.dealEvent.count({ where: eventsOf }));
      const won = deals.filter((d) => d.stage === "won");
      const revenue = won.reduce((sum, d) => sum + d.amount, 0n);
      const lastOrder = won.reduce<Date | null>(
        (last, d) => (d.closedAt && (!last || d.closedAt > last) ? d.closedAt : last),
        null,
      );
      const open = deals.filter((d) => isOpenStage(d.stage)).length;
      return {
        customer,
        status: statusOf(won.length, lastOrder, open, dormantSince(ws)),
        deals,
        events: events.items,
        eventTotal: events.total,
        timeline: inTimeOrder(events.items, activities.items, "desc").slice(0, eventLimit),
        timelineTotal: events.total + activities.total,
        revenue,
        wonCount: won.length,
        lastOrder,
      };
    },

    /**
     * Customers by kind: `dormant` (a won deal, none in the last dormant_days), `prospects` (no win
     * yet, an open deal), or all; optionally those of one owner.
     */
    async listCustomers(
      ws: Workspace,
      kind: "all" | "dormant" | "prospects",
      options: { ownerId?: number; limit?: number } = {},
    ): Promise<CutList<CustomerSummary>> {
      const having = havingKind(kind, dormantSince(ws));
      const owner =
        options.ownerId === undefined ? Prisma.empty : Prisma.sql`AND c.owner_id = ${options.ownerId}`;
      const rows = await db.$queryRaw<
        {
          id: number;
          name: string;
          owner_id: number | null;
          owner_name: string | null;
          revenue: bigint | null;
          last_won: Date | null;
          open_deals: bigint;
          total: number;
        }[]
      >(Prisma.sql`
        SELECT c.id, c.name, c.owner_id, m.display_name AS owner_name,
               (count(*) OVER ())::int AS total,
               sum(d.amount) FILTER (WHERE d.stage = 'won') AS revenue,
               max(d.closed_at) FILTER (WHERE d.stage = 'won') AS last_won,
               count(d.id) FILTER (WHERE ${isOpen("d")}) AS open_deals
        FROM customer c
        LEFT JOIN deal d ON d.workspace_id = c.workspace_id AND d.customer_id = c.id AND ${notDeleted("d")}
        LEFT JOIN member m ON m.id = c.owner_id
        WHERE c.workspace_id = ${ws.id} ${owner}
        GROUP BY c.id, m.display_name
        ${having}
        ORDER BY ${kind === "dormant" ? Prisma.sql`last_won ASC` : Prisma.sql`c.name ASC`}
        LIMIT ${options.limit ?? 50}`);
      const items = rows.map((r) => ({
        id: r.id,
        name: r.name,
        ownerId: r.owner_id,
        ownerName: r.owner_name,
        revenue: r.revenue ?? 0n,
        lastWon: r.last_won,
        openDeals: Number(r.open_deals),
      }));
      // Every customer is grouped before the limit, so counting the groups costs nothing more.
      return { items, total: rows[0]?.total ?? 0 };
    },
  };
}

export type CustomerService = ReturnType<typeof createCustomerService>;
