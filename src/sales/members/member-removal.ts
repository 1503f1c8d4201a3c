import { AppError } from "../../errors.js";
import { Prisma } from "../../generated/prisma/client.js";
import { OPEN_STAGES } from "../deals/stages.js";
import type { Member, SalesDeps, Stage, Tx, Workspace } from "../deps.js";
import { assertInWorkspace, assertManager, manages } from "../permissions.js";

/** An open deal a removed member leaves behind, to hand over with `/deal assign`. */
export interface OpenDeal {
  number: number;
  customer: string;
  amount: bigint;
  stage: Stage;
}

export interface MemberRemoved {
  member: Member;
  openDeals: OpenDeal[];
}

/**
 * Who may remove or bring back `target`: a manager or an admin who manages them (a manager, their
 * team's members); an admin alone for an admin; nobody themselves.
 */
function assertCanManageMember(ws: Workspace, actor: Member, target: Member): void {
  assertManager(ws, actor);
  assertInWorkspace(ws, target);
  if (target.id === actor.id) throw new AppError("invalid_input", "error.remove_self");
  if (target.role === "admin" && actor.role !== "admin") {
    throw new AppError("forbidden", "error.forbidden_admin_only");
  }
  if (!manages(actor, target)) {
    throw new AppError("forbidden", "error.forbidden_member", { name: target.displayName });
  }
}

/**
 * Locks the workspace's active admins, then `target`, and reads both members as committed once
 * locked. Removals take turns on the admins' rows, so two admins removing each other at once cannot
 * leave the workspace without one: the second sees the first's change.
 */
async function lockForChange(tx: Tx, ws: Workspace, actor: Member, target: Member) {
  const admins = await tx.$queryRaw<{ id: number }[]>(Prisma.sql`
    SELECT id FROM member WHERE workspace_id = ${ws.id} AND role = 'admin' AND active
    ORDER BY id FOR UPDATE`);
  await tx.$executeRaw`SELECT 1 FROM member WHERE workspace_id = ${ws.id} AND id = ${target.id} FOR UPDATE`;
  const rows = await tx.member.findMany({ where: { workspaceId: ws.id, id: { in: [actor.id, target.id] } } });
  const now = (id: number) => {
    const row = rows.find((m) => m.id === id);
    if (!row) throw new AppError("not_found", "error.member_not_found", { name: String(id) });
    return row;
  };
  const actorNow = now(actor.id);
  if (!actorNow.active) throw new AppError("forbidden", "error.member_removed_self");
  return { target: now(target.id), admins: admins.map((a) => a.id) };
}

export function createMemberRemoval({ db }: SalesDeps) {
  return {
    /**
     * Removes a member: they can no longer act, and leave rankings, awards, digests and morning
     * reminders; their deals, events and goals stay, so the figures of their team and the company
     * keep them. Returns their open deals, for reassignment. The last admin cannot be removed.
     */
    async removeMember(ws: Workspace, actor: Member, target: Member): Promise<MemberRemoved> {
      assertCanManageMember(ws, actor, target);
      return db.$transaction(async (tx) => {
        const locked = await lockForChange(tx, ws, actor, target);
        if (!locked.target.active) {
          throw new AppError("conflict", "error.member_already_removed", { name: target.displayName });
        }
        if (locked.target.role === "admin" && locked.admins.every((id) => id === target.id)) {
          throw new AppError("conflict", "error.last_admin_remove", { name: target.displayName });
        }
        const member = await tx.member.update({ where: { id: target.id }, data: { active: false } });
        const deals = await tx.deal.findMany({
          where: { workspaceId: ws.id, ownerId: target.id, stage: { in: [...OPEN_STAGES] }, deletedAt: null },
          include: { customer: { select: { name: true } } },
          orderBy: { number: "asc" },
        });
        return {
          member,
          openDeals: deals.map((d) => ({
            number: d.number,
            customer: d.customer.name,
            amount: d.amount,
            stage: d.stage,
          })),
        };
      });
    },

    /** Brings a removed member back, with their role and team as they were. */
    async restoreMember(ws: Workspace, actor: Member, target: Member): Promise<Member> {
      assertCanManageMember(ws, actor, target);
      return db.$transaction(async (tx) => {
        const locked = await lockForChange(tx, ws, actor, target);
        if (locked.target.active) {
          throw new AppError("conflict", "error.member_not_removed", { name: target.displayName });
        }
        return tx.member.update({ where: { id: target.id }, data: { active: true } });
      });
    },
  };
}
