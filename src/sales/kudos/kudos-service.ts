import { AppError } from "../../errors.js";
import { Prisma } from "../../generated/prisma/client.js";
import type { Db, Member, SalesDeps, Tx, Workspace } from "../deps.js";
import { type Period, periodContaining } from "../periods/period.js";
import { assertInWorkspace } from "../permissions.js";
import { calendarOf } from "../workspaces/workspace-service.js";

/** How many kudos a member may give in a local day of the workspace: few enough to mean something. */
export const KUDOS_PER_DAY = 3;

/** The longest kudos text, in characters: a sentence or two, as a wins-channel post reads best. */
export const KUDOS_MAX_TEXT = 300;

/** A kudos as given: who thanked whom for what, and how many more the giver may give today. */
export interface KudosGiven {
  id: number;
  from: Member;
  to: Member;
  text: string;
  createdAt: Date;
  /** Kudos the giver has left for the rest of their local day. */
  left: number;
}

/**
 * Called inside the transaction that records a kudos, with it; what it writes commits or rolls back
 * with the kudos. The caller announces kudos through it.
 */
export type OnKudos = (tx: Tx, ws: Workspace, kudos: KudosGiven, at: Date) => Promise<void>;

export interface KudosServiceDeps extends SalesDeps {
  onKudos: OnKudos;
}

/** A member's kudos received in a period, and when the last of them came. */
export interface KudosReceived {
  memberId: number;
  name: string;
  count: number;
  last: Date;
}

/**
 * Kudos received in `period` by each active member who had any: most first; between as many, whoever
 * reached that count first (their last kudos came earlier), then the earlier member.
 */
export async function kudosReceivedIn(
  db: Db,
  ws: Workspace,
  period: Pick<Period, "start" | "end">,
): Promise<KudosReceived[]> {
  const rows = await db.$queryRaw<
    { member_id: number; name: string; count: number; last: Date }[]
  >(Prisma.sql`
    SELECT k.to_id AS member_id, m.display_name AS name, count(*)::int AS count, max(k.created_at) AS last
    FROM kudos k JOIN member m ON m.id = k.to_id
    WHERE k.workspace_id = ${ws.id} AND k.created_at >= ${period.start} AND k.created_at < ${period.end}
      AND m.active
    GROUP BY k.to_id, m.display_name
    ORDER BY count(*) DESC, max(k.created_at) ASC, k.to_id ASC`);
  return rows.map((r) => ({ memberId: r.member_id, name: r.name, count: r.count, last: r.last }));
}

/** Kudos: a thanks from one member to another, limited per giver and local day, counted in the awards. */
export function createKudosService({ db, clock, onKudos }: KudosServiceDeps) {
  return {
    /**
     * Records `from`'s thanks to `to` and hands it to `onKudos` in the same transaction. Refused for
     * oneself, for a removed member, for empty or over-long text, and past {@link KUDOS_PER_DAY} kudos
     * given in the workspace's local day.
     */
    async giveKudos(ws: Workspace, from: Member, to: Member, text: string): Promise<KudosGiven> {
      assertInWorkspace(ws, from, to);
      if (to.id === from.id) throw new AppError("invalid_input", "error.kudos_self");
      if (!to.active) throw new AppError("forbidden", "error.member_removed", { name: to.displayName });
      const said = text.trim();
      if (said === "") throw new AppError("invalid_input", "error.kudos_text_required");
      if (said.length > KUDOS_MAX_TEXT)
        throw new AppError("invalid_input", "error.kudos_too_long", { max: KUDOS_MAX_TEXT });
      const now = clock.now();
      const day = periodContaining("today", now, calendarOf(ws));
      return db.$transaction(async (tx) => {
        // A giver's kudos take turns: two sent at once cannot both take the last one of the day.
        await tx.$queryRaw(Prisma.sql`SELECT id FROM member WHERE id = ${from.id} FOR UPDATE`);
        const given = await tx.kudos.count({
          where: { workspaceId: ws.id, fromId: from.id, createdAt: { gte: day.start, lt: day.end } },
        });
        if (given >= KUDOS_PER_DAY)
          throw new AppError("conflict", "error.kudos_limit", { max: KUDOS_PER_DAY });
        const row = await tx.kudos.create({
          data: { workspaceId: ws.id, fromId: from.id, toId: to.id, text: said, createdAt: now },
        });
        const kudos = { id: row.id, from, to, text: said, createdAt: now, left: KUDOS_PER_DAY - given - 1 };
        await onKudos(tx, ws, kudos, now);
        return kudos;
      });
    },

    /** Kudos received in `period` by each active member who had any, most first. */
    kudosReceived: (ws: Workspace, period: Pick<Period, "start" | "end">) => kudosReceivedIn(db, ws, period),
  };
}

export type KudosService = ReturnType<typeof createKudosService>;
