import { AppError } from "../../errors.js";
import { Prisma } from "../../generated/prisma/client.js";
import { nameKey } from "../customers/name-key.js";
import type { Member, SalesDeps, Team, Tx, Workspace } from "../deps.js";
import { assertAdmin, assertManager } from "../permissions.js";
import { isUniqueViolation } from "../unique-violation.js";

export interface TeamRenamed {
  team: Team;
  previous: string;
}

export interface TeamDeleted {
  team: Team;
  /** Its members, now in no team. */
  members: number;
  /** Its goals, deleted with it. */
  goals: number;
}

/** A team's folded name, refused when it has no letter or digit. */
function keyOf(name: string): string {
  const key = nameKey(name);
  if (!key) throw new AppError("invalid_input", "error.team_name");
  return key;
}

/** Locks the team with this folded name and reads it as committed once locked. */
async function lockTeam(tx: Tx, ws: Workspace, name: string): Promise<Team> {
  const [row] = await tx.$queryRaw<{ id: number }[]>(Prisma.sql`
    SELECT id FROM team WHERE workspace_id = ${ws.id} AND name_key = ${keyOf(name)} FOR UPDATE`);
  const team = row && (await tx.team.findFirst({ where: { workspaceId: ws.id, id: row.id } }));
  if (!team) throw new AppError("not_found", "error.team_not_found", { name: name.trim() });
  return team;
}

export function createTeamChanges({ db }: SalesDeps) {
  return {
    /**
     * Renames a team: admins, and managers of that team (or leading none, who manage everyone).
     * Team names stay unique per workspace, folded; a new case or accent of the same name is a rename.
     */
    async renameTeam(ws: Workspace, actor: Member, name: string, newName: string): Promise<TeamRenamed> {
      assertManager(ws, actor);
      const newKey = keyOf(newName);
      const renamed = newName.trim();
      try {
        return await db.$transaction(async (tx) => {
          const team = await lockTeam(tx, ws, name);
          if (actor.role !== "admin" && actor.teamId !== null && actor.teamId !== team.id) {
            throw new AppError("forbidden", "error.forbidden_team", { name: team.name });
          }
          if (newKey !== team.nameKey) {
            const other = await tx.team.findUnique({
              where: { workspaceId_nameKey: { workspaceId: ws.id, nameKey: newKey } },
            });
            if (other) throw new AppError("conflict", "error.team_exists", { name: other.name });
          }
          const updated = await tx.team.update({
            where: { id: team.id },
            data: { name: renamed, nameKey: newKey },
          });
          return { team: updated, previous: team.name };
        });
      } catch (error) {
        // Another team took the name while this one was being renamed.
        if (isUniqueViolation(error)) throw new AppError("conflict", "error.team_exists", { name: renamed });
        throw error;
      }
    },

    /**
     * Deletes a team (admins): its members stay, in no team, with their deals; its goals go with it,
     * as nothing else could read them. The team's past figures are no longer asked for by its name.
     */
    async deleteTeam(ws: Workspace, actor: Member, name: string): Promise<TeamDeleted> {
      assertAdmin(ws, actor);
      return db.$transaction(async (tx) => {
        const team = await lockTeam(tx, ws, name);
        const members = await tx.member.updateMany({
          where: { workspaceId: ws.id, teamId: team.id },
          data: { teamId: null },
        });
        const goals = await tx.goal.deleteMany({
          where: { workspaceId: ws.id, scope: "team", scopeId: team.id },
        });
        await tx.team.delete({ where: { id: team.id } });
        return { team, members: members.count, goals: goals.count };
      });
    },
  };
}
