import { AppError } from "../../errors.js";
import { nameKey } from "../customers/name-key.js";
import type { Member, Role, SalesDeps, Team, Workspace } from "../deps.js";
import { assertInWorkspace, assertManager } from "../permissions.js";

export interface MemberIdentity {
  platformUserId: string;
  displayName: string;
  /** Platform-side admins (Slack workspace admins, Discord Manage Server) are Closer admins. */
  platformAdmin?: boolean;
  /** Holders of the workspace's manager role are at least managers. */
  platformManager?: boolean;
}

export function createMemberService({ db }: SalesDeps) {
  return {
    /** The member behind a platform user, created on first use; a workspace's first member is its admin. */
    async ensureMember(ws: Workspace, who: MemberIdentity): Promise<Member> {
      const where = {
        workspaceId_platformUserId: { workspaceId: ws.id, platformUserId: who.platformUserId },
      };
      const existing = await db.member.findUnique({ where });
      if (existing) {
        if (who.platformAdmin && existing.role !== "admin") {
          return db.member.update({ where: { id: existing.id }, data: { role: "admin" } });
        }
        if (who.platformManager && existing.role === "rep") {
          return db.member.update({ where: { id: existing.id }, data: { role: "manager" } });
        }
        return existing;
      }
      const isFirst = (await db.member.count({ where: { workspaceId: ws.id } })) === 0;
      return db.member.upsert({
        where,
        update: {},
        create: {
          workspaceId: ws.id,
          platformUserId: who.platformUserId,
          displayName: who.displayName.slice(0, 80),
          role: isFirst || who.platformAdmin ? "admin" : who.platformManager ? "manager" : "rep",
        },
      });
    },

    async findMember(ws: Workspace, platformUserId: string): Promise<Member | null> {
      return db.member.findUnique({
        where: { workspaceId_platformUserId: { workspaceId: ws.id, platformUserId } },
      });
    },

    async getMemberById(ws: Workspace, id: number): Promise<Member> {
      const m = await db.member.findFirst({ where: { id, workspaceId: ws.id } });
      if (!m) throw new AppError("not_found", "error.member_not_found", { name: String(id) });
      return m;
    },

    async listMembers(ws: Workspace): Promise<Member[]> {
      return db.member.findMany({
        where: { workspaceId: ws.id, active: true },
        orderBy: { displayName: "asc" },
      });
    },

    /** Changes a member's role. Managers may make reps and managers; only admins make or unmake admins. */
    async setRole(ws: Workspace, actor: Member, target: Member, role: Role): Promise<Member> {
      assertManager(ws, actor);
      assertInWorkspace(ws, target);
      if ((role === "admin" || target.role === "admin") && actor.role !== "admin") {
        throw new AppError("forbidden", "error.forbidden_admin");
      }
      if (target.id === actor.id && actor.role === "admin" && role !== "admin") {
        const admins = await db.member.count({ where: { workspaceId: ws.id, role: "admin" } });
        if (admins <= 1) throw new AppError("conflict", "error.last_admin");
      }
      return db.member.update({ where: { id: target.id }, data: { role } });
    },

    /** Puts members in a team, creating the team on first use. Managers and admins only. */
    async addToTeam(ws: Workspace, actor: Member, teamName: string, members: Member[]): Promise<Team> {
      assertManager(ws, actor);
      assertInWorkspace(ws, ...members);
      const key = nameKey(teamName);
      if (!key) throw new AppError("invalid_input", "error.team_name");
      return db.$transaction(async (tx) => {
        const team = await tx.team.upsert({
          where: { workspaceId_nameKey: { workspaceId: ws.id, nameKey: key } },
          update: {},
          create: { workspaceId: ws.id, name: teamName.trim(), nameKey: key },
        });
        await tx.member.updateMany({
          where: { workspaceId: ws.id, id: { in: members.map((m) => m.id) } },
          data: { teamId: team.id },
        });
        return team;
      });
    },

    async removeFromTeam(ws: Workspace, actor: Member, members: Member[]): Promise<void> {
      assertManager(ws, actor);
      assertInWorkspace(ws, ...members);
      await db.member.updateMany({
        where: { workspaceId: ws.id, id: { in: members.map((m) => m.id) } },
        data: { teamId: null },
      });
    },

    async findTeam(ws: Workspace, name: string): Promise<Team> {
      const team = await db.team.findUnique({
        where: { workspaceId_nameKey: { workspaceId: ws.id, nameKey: nameKey(name) } },
      });
      if (!team) throw new AppError("not_found", "error.team_not_found", { name });
      return team;
    },

    async listTeams(ws: Workspace): Promise<(Team & { members: Member[] })[]> {
      return db.team.findMany({
        where: { workspaceId: ws.id },
        include: { members: { where: { active: true }, orderBy: { displayName: "asc" } } },
        orderBy: { name: "asc" },
      });
    },
  };
}

export type MemberService = ReturnType<typeof createMemberService>;
