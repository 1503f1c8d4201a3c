import { AppError } from "../../errors.js";
import { Prisma } from "../../generated/prisma/client.js";
import { dealActivities, inTimeOrder, type TimelineEntry } from "../activities/activity-history.js";
import { nameKey } from "../customers/name-key.js";
import type { Customer, Db, Deal, DealEvent, Member, Stage, Workspace } from "../deps.js";
import { type CutList, cutAt } from "../lists.js";
import { ownedBy, type Scope } from "../scope.js";
import { isOpen, notDeleted } from "./deal-sql.js";
import { OPEN_STAGES } from "./stages.js";

export type DealView = Deal & { customer: Customer; owner: Member };

/** One event of a deal's history, with who did it and, for a reassignment, whom it went from and to. */
export type DealHistoryEvent = DealEvent & {
  actor: Member | null;
  owner: Member | null;
  previousOwner: Member | null;
};

/** One product a deal carries, with its line's amount when it has one. */
export interface DealProductLine {
  name: string;
  amount: bigint | null;
}

/**
 * A deal with its whole history (the audit trail, deleted deals included), who deleted it and its
 * products; `timeline` is that history with the activities about the deal, in time order.
 */
export type DealDetail = DealView & {
  events: DealHistoryEvent[];
  timeline: TimelineEntry<DealHistoryEvent>[];
  deletedBy: Member | null;
  products: DealProductLine[];
};

/** Some deals of a longer list: the first ones, and how many there are in all. */
export interface DealPage {
  deals: DealView[];
  total: number;
}

/** Text lower-cased and without accents: how searches compare it. */
export function foldText(text: string): string {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
}

/**
 * Accented Latin letters, both cases (`lower` leaves them alone under the C locale), and the letters
 * {@link foldText} makes them, for SQL's `translate`.
 */
const ACCENTED_LOWER = "àáâãäåāăąçćčďèéêëēėęěìíîïīįľñńňòóôõöōőŕřśšşťùúûüūůűųýÿźżž";
const ACCENTED = ACCENTED_LOWER + ACCENTED_LOWER.toUpperCase();
const PLAIN = [...ACCENTED].map(foldText).join("");

/** `expr` lower-cased and without accents, for a case- and accent-insensitive match. */
export function folded(expr: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`translate(lower(${expr}), ${ACCENTED}, ${PLAIN})`;
}

/** A LIKE pattern matching `text` anywhere, its wildcards taken literally. */
export function containing(text: string): string {
  return `%${foldText(text).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export const withParties = { customer: true, owner: true } as const;

/** A deal by its number, with its customer and owner, read through `db` (the client or a transaction). */
export async function findDeal(db: Db, ws: Workspace, number: number): Promise<DealView> {
  const deal = await db.deal.findUnique({
    where: { workspaceId_number: { workspaceId: ws.id, number } },
    include: withParties,
  });
  if (!deal) throw new AppError("not_found", "error.deal_not_found", { number });
  return deal;
}

/** Reading deals: one, a scope's latest, a member's pipeline, what autocompletion suggests. */
export function createDealReads(db: Db) {
  /** Deals with their customer and owner, in the order of `ids`. */
  async function withPartiesById(ids: number[]): Promise<DealView[]> {
    const deals = await db.deal.findMany({ where: { id: { in: ids } }, include: withParties });
    const byId = new Map(deals.map((d) => [d.id, d]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  return {
    getDeal: (ws: Workspace, number: number) => findDeal(db, ws, number),

    /** The most recent deals in a scope, newest first: the first `limit`, and how many there are. */
    async listDeals(ws: Workspace, scope: Scope, stage?: Stage, limit = 20): Promise<CutList<DealView>> {
      const where = Prisma.sql`workspace_id = ${ws.id} AND ${notDeleted()} ${ownedBy(scope)} ${stage ? Prisma.sql`AND stage = ${stage}::"Stage"` : Prisma.empty}`;
      const ids = await db.$queryRaw<{ id: number }[]>(Prisma.sql`
        SELECT id FROM deal WHERE ${where} ORDER BY number DESC LIMIT ${limit + 1}`);
      const cut = await cutAt(ids, limit, async () => {
        const [row] = await db.$queryRaw<{ n: number }[]>(
          Prisma.sql`SELECT count(*)::int AS n FROM deal WHERE ${where}`,
        );
        return row?.n ?? 0;
      });
      return { items: await withPartiesById(cut.items.map((r) => r.id)), total: cut.total };
    },

    /** Every open deal of a member, by stage then number: their whole pipeline. */
    async openDeals(ws: Workspace, member: Member): Promise<DealView[]> {
      const ids = await db.$queryRaw<{ id: number }[]>(Prisma.sql`
        SELECT id FROM deal
        WHERE workspace_id = ${ws.id} AND ${isOpen()} ${ownedBy({ scope: "member", member })}
        ORDER BY stage, number`);
      return withPartiesById(ids.map((r) => r.id));
    },

    /**
     * Deals whose number is, or whose customer contains, what was typed; for autocompletion. Open
     * deals by default; `live` any deal not deleted (to edit or show one), `deleted` those to restore.
     */
    async searchOpenDeals(
      ws: Workspace,
      typed: string,
      limit = 25,
      which: "open" | "live" | "deleted" = "open",
    ): Promise<DealView[]> {
      const text = typed.replace(/^#/, "").trim();
      const number = /^\d{1,9}$/.test(text) ? Number(text) : undefined;
      return db.deal.findMany({
        where: {
          workspaceId: ws.id,
          ...(which === "open" ? { stage: { in: [...OPEN_STAGES] } } : {}),
          deletedAt: which === "deleted" ? { not: null } : null,
          ...(text === ""
            ? {}
            : number !== undefined
              ? { number }
              : { customer: { nameKey: { contains: nameKey(text) } } }),
        },
        include: withParties,
        orderBy: { number: "desc" },
        take: limit,
      });
    },

    /**
     * The open deals of a scope by expected close date, those without one last, then by number: the
     * pipeline as it should close. At most `limit`, with the count of them all.
     */
    async pipeline(ws: Workspace, scope: Scope, stage?: Stage, limit = 25): Promise<DealPage> {
      const rows = await db.$queryRaw<{ id: number; total: number }[]>(Prisma.sql`
        SELECT id, (count(*) OVER ())::int AS total FROM deal
        WHERE workspace_id = ${ws.id} AND ${isOpen()} ${ownedBy(scope)}
          ${stage ? Prisma.sql`AND stage = ${stage}::"Stage"` : Prisma.empty}
        ORDER BY expected_close_date ASC NULLS LAST, number
        LIMIT ${limit}`);
      return { deals: await withPartiesById(rows.map((r) => r.id)), total: rows[0]?.total ?? 0 };
    },

    /**
     * Deals of the workspace whose title, customer's name or any note (notes, win and lost notes)
     * contains `text`, ignoring case and accents; newest first, at most `limit`, with the count of all.
     */
    async findDeals(ws: Workspace, text: string, limit = 15): Promise<DealPage> {
      const pattern = containing(text.trim());
      const rows = await db.$queryRaw<{ id: number; total: number }[]>(Prisma.sql`
        SELECT d.id, (count(*) OVER ())::int AS total
        FROM deal d JOIN customer c ON c.id = d.customer_id
        WHERE d.workspace_id = ${ws.id} AND ${notDeleted("d")}
          AND (${folded(Prisma.sql`c.name`)} LIKE ${pattern}
            OR ${folded(Prisma.sql`coalesce(d.title, '')`)} LIKE ${pattern}
            OR EXISTS (SELECT 1 FROM deal_event e
                       WHERE e.workspace_id = ${ws.id} AND e.deal_id = d.id AND e.note IS NOT NULL
                         AND ${folded(Prisma.sql`e.note`)} LIKE ${pattern}))
        ORDER BY d.number DESC
        LIMIT ${limit}`);
      return { deals: await withPartiesById(rows.map((r) => r.id)), total: rows[0]?.total ?? 0 };
    },

    /** A deal with its whole history, deleted or not: the audit trail. */
    async showDeal(ws: Workspace, number: number): Promise<DealDetail> {
      const deal = await db.deal.findUnique({
        where: { workspaceId_number: { workspaceId: ws.id, number } },
        include: {
          ...withParties,
          events: { include: { actor: true }, orderBy: { id: "asc" } },
          products: { include: { product: true }, orderBy: { position: "asc" } },
        },
      });
      if (!deal) throw new AppError("not_found", "error.deal_not_found", { number });
      const ids = new Set<number>();
      for (const e of deal.events) {
        if (e.ownerId !== null) ids.add(e.ownerId);
        if (e.previousOwnerId !== null) ids.add(e.previousOwnerId);
      }
      if (deal.deletedById !== null) ids.add(deal.deletedById);
      const [members, activities] = await Promise.all([
        db.member.findMany({ where: { workspaceId: ws.id, id: { in: [...ids] } } }),
        dealActivities(db, ws, deal.id),
      ]);
      const byId = new Map(members.map((m) => [m.id, m]));
      const member = (id: number | null) => (id === null ? null : (byId.get(id) ?? null));
      const events = deal.events.map((e) => ({
        ...e,
        owner: member(e.ownerId),
        previousOwner: member(e.previousOwnerId),
      }));
      return {
        ...deal,
        deletedBy: member(deal.deletedById),
        products: deal.products.map((l) => ({ name: l.product.name, amount: l.amount })),
        events,
        timeline: inTimeOrder(events, activities, "asc"),
      };
    },
  };
}
