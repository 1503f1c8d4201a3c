import { AppError } from "../../errors.js";
import { Prisma } from "../../generated/prisma/client.js";
import { nameKey } from "../customers/name-key.js";
import type { Customer, Db, Deal, DealEvent, Member, Stage, Workspace } from "../deps.js";
import { type CutList, cutAt } from "../lists.js";
import { ownedBy, type Scope } from "../scope.js";
import { isOpen } from "./deal-sql.js";
import { OPEN_STAGES } from "./stages.js";

export type DealView = Deal & { customer: Customer; owner: Member };
export type DealDetail = DealView & { events: (DealEvent & { actor: Member | null })[] };

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
      const where = Prisma.sql`workspace_id = ${ws.id} ${ownedBy(scope)} ${stage ? Prisma.sql`AND stage = ${stage}::"Stage"` : Prisma.empty}`;
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

    /** Open deals whose number starts with, or whose customer contains, what was typed; for autocompletion. */
    async searchOpenDeals(ws: Workspace, typed: string, limit = 25): Promise<DealView[]> {
      const text = typed.replace(/^#/, "").trim();
      const number = /^\d{1,9}$/.test(text) ? Number(text) : undefined;
      return db.deal.findMany({
        where: {
          workspaceId: ws.id,
          stage: { in: [...OPEN_STAGES] },
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

    /** A deal with its whole history. */
    async showDeal(ws: Workspace, number: number): Promise<DealDetail> {
      const deal = await db.deal.findUnique({
        where: { workspaceId_number: { workspaceId: ws.id, number } },
        include: { ...withParties, events: { include: { actor: true }, orderBy: { id: "asc" } } },
      });
      if (!deal) throw new AppError("not_found", "error.deal_not_found", { number });
      return deal;
    },
  };
}
