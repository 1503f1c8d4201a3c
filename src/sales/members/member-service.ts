import { AppError } from "../../errors.js";
import { Prisma } from "../../generated/prisma/client.js";
import type { Platform } from "../../generated/prisma/enums.js";
import { nameKey } from "../customers/name-key.js";
import type { Db, Member, Role, SalesDeps, Team, Workspace } from "../deps.js";
import { assertInWorkspace, assertManager } from "../permissions.js";
import { columnsOf, rowOf } from "../raw-columns.js";
import { createMemberRemoval } from "./member-removal.js";
import { emailKey, placeholderId } from "./placeholder-member.js";
import { createTeamChanges } from "./team-changes.js";

export interface MemberIdentity {
  platformUserId: string;
  displayName: string;
  /** Platform-side admins (Slack workspace admins, Discord Manage Server) are Closer admins. */
  platformAdmin?: boolean;
  /** Platform roles the user holds (Discord role ids): the workspace's manager role makes a manager. */
  platformRoles?: readonly string[];
  /** Their email, when the platform gives it (Slack with `users:read.email`; Discord never does). */
  email?: string | undefined;
}

/** A workspace and one of its members, as a platform request names them. */
export interface Identity {
  workspace: Workspace;
  member: Member;
}

/** The advisory lock class under which a workspace's new members take turns ("MEMB" in ASCII). */
const MEMBER_LOCK = 0x4d454d42;

const RANK: Record<Role, number> = { rep: 0, manager: 1, admin: 2 };

/** The least role the platform gives a user in this workspace. */
function platformRole(ws: Workspace, who: MemberIdentity): Role {
  if (who.platformAdmin) return "admin";
  if (ws.managerRole !== null && who.platformRoles?.includes(ws.managerRole)) return "manager";
  return "rep";
}

/**
 * Brings a known member up to date with what their platform says, in one update when anything
 * changed: raised to the role it gives them (Closer never lowers one), and its email kept when it
 * is new (a platform that gives none leaves the member's as it is).
 */
async function refreshMember(db: Db, ws: Workspace, member: Member, who: MemberIdentity): Promise<Member> {
  const role = platformRole(ws, who);
  const email = emailKey(who.email);
  const data = {
    ...(RANK[role] > RANK[member.role] ? { role } : {}),
    ...(email !== null && email !== member.email ? { email } : {}),
  };
  if (Object.keys(data).length === 0) return member;
  return db.member.update({ where: { id: member.id }, data });
}

const MEMBER_COLUMNS = columnsOf("m", Prisma.MemberScalarFieldEnum);

const IDENTITY_COLUMNS = Prisma.join([columnsOf("w", Prisma.WorkspaceScalarFieldEnum), MEMBER_COLUMNS], ", ");

export function createMemberService(deps: SalesDeps) {
  const { db } = deps;
  /**
   * Inserts a new member, unless they exist (then null: another request added them meanwhile). With
   * `elect`, the workspace's first member is its admin, which only holds while new members take
   * turns; without, the insert is skipped when the workspace has no member yet.
   */
  async function insertMember(client: Db, ws: Workspace, who: MemberIdentity, elect: boolean) {
    const role = Prisma.sql`${platformRole(ws, who)}::"Role"`;
    const hasMembers = Prisma.sql`EXISTS (SELECT 1 FROM member WHERE workspace_id = ${ws.id})`;
    const [row] = await client.$queryRaw<Record<string, unknown>[]>(Prisma.sql`
      INSERT INTO member AS m (workspace_id, platform_user_id, display_name, email, role)
      SELECT ${ws.id}, ${who.platformUserId}, ${who.displayName.slice(0, 80)}, ${emailKey(who.email)},
        ${elect ? Prisma.sql`CASE WHEN ${hasMembers} THEN ${role} ELSE 'admin' END` : role}
      ${elect ? Prisma.empty : Prisma.sql`WHERE ${hasMembers}`}
      ON CONFLICT (workspace_id, platform_user_id) DO NOTHING
      RETURNING ${MEMBER_COLUMNS}`);
    return row ? rowOf<Member>(row, "m", Prisma.MemberScalarFieldEnum) : null;
  }

  /**
   * The member an import created for this user's email, now theirs (their platform user id and
   * name), so the deals imported for them are theirs; null when there is none. One statement on the
   * unique key: of two requests of the same user at once, the second finds the key gone once the
   * first commits, and meets the member as any user added meanwhile is met.
   */
  async function claimPlaceholder(ws: Workspace, who: MemberIdentity, email: string) {
    const [claimed] = await db.member.updateManyAndReturn({
      where: { workspaceId: ws.id, platformUserId: placeholderId(email) },
      data: { platformUserId: who.platformUserId, displayName: who.displayName.slice(0, 80) },
    });
    return claimed ? refreshMember(db, ws, claimed, who) : null;
  }

  /**
   * A new member, created on first use; a workspace's first member is its admin. A user whose email
   * an import's placeholder carries takes that member over instead. Joining a workspace that has
   * members is one statement, without taking turns: no election is at stake. Otherwise new members
   * of the workspace take turns under a lock, and the insert, a statement after the lock is granted,
   * sees every member committed before: exactly one finds the workspace empty and becomes its
   * admin. A user added meanwhile (both ways skip a row that exists) is read.
   */
  async function newMember(ws: Workspace, who: MemberIdentity): Promise<Member> {
    const email = emailKey(who.email);
    const claimed = email === null ? null : await claimPlaceholder(ws, who, email);
    if (claimed) return claimed;
    const joined = await insertMember(db, ws, who, false);
    if (joined) return joined;
    return db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${MEMBER_LOCK}::int, ${ws.id}::int)`;
      const created = await insertMember(tx, ws, who, true);
      if (created) return created;
      const where = {
        workspaceId_platformUserId: { workspaceId: ws.id, platformUserId: who.platformUserId },
      };
      return refreshMember(tx, ws, await tx.member.findUniqueOrThrow({ where }), who);
    });
  }

  return {
    ...createMemberRemoval(deps),
    ...createTeamChanges(deps),

    /**
     * A known workspace and, when known too, its member, read in one statement by their unique keys:
     * what every command of a known user costs. Null when the workspace is new.
     */
    async findIdentity(
      team: { platform: Platform; externalId: string },
      platformUserId: string,
    ): Promise<{ workspace: Workspace; member: Member | null } | null> {
      const [row] = await db.$queryRaw<Record<string, unknown>[]>(Prisma.sql`
        SELECT ${IDENTITY_COLUMNS}
        FROM workspace w
        LEFT JOIN member m ON m.workspace_id = w.id AND m.platform_user_id = ${platformUserId}
        WHERE w.platform = ${team.platform}::"Platform" AND w.external_id = ${team.externalId}`);
      if (!row) return null;
      const workspace = rowOf<Workspace>(row, "w", Prisma.WorkspaceScalarFieldEnum);
      const member = row["m.id"] === null ? null : rowOf<Member>(row, "m", Prisma.MemberScalarFieldEnum);
      return { workspace, member };
    },

    /** Brings a known member up to date with their platform: role and email (`identify`'s known path). */
    refreshMember: (ws: Workspace, member: Member, who: MemberIdentity) => refreshMember(db, ws, member, who),

    /**
     * The member behind a platform user, created on first use; a workspace's first member is its
     * admin. Known members are raised to the role their platform gives them, and their email kept.
     */
    async ensureMember(ws: Workspace, who: MemberIdentity): Promise<Member> {
      const existing = await db.member.findUnique({
        where: { workspaceId_platformUserId: { workspaceId: ws.id, platformUserId: who.platformUserId } },
      });
      if (existing) return refreshMember(db, ws, existing, who);
      return newMember(ws, who);
    },

    /** A member the caller just found missing (`identify`'s path for a user it has not seen). */
    newMember,

    /** Whether every one of these platform users is already a member of the workspace. */
    async knowsAll(ws: Workspace, platformUserIds: string[]): Promise<boolean> {
      const ids = [...new Set(platformUserIds)];
      const known = await db.member.count({ where: { workspaceId: ws.id, platformUserId: { in: ids } } });
      return known === ids.length;
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

    /** The workspace's members, by name: those taking part, or with `removed` those removed. */
    async listMembers(ws: Workspace, options: { removed?: boolean } = {}): Promise<Member[]> {
      return db.member.findMany({
        where: { workspaceId: ws.id, active: !options.removed },
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
        const admins = await db.member.count({ where: { workspaceId: ws.id, role: "admin", active: true } });
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
