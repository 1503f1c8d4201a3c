import { Prisma } from "../generated/prisma/client.js";
import type { GoalScope, Member, Team } from "./deps.js";

/**
 * Whose figures, goals or deals: one member's, a team's (its members' at the time of the query), or
 * the whole company's. The same idea serves KPIs, goals, deal lists and digests.
 */
export type Scope =
  | { scope: "member"; member: Member }
  | { scope: "team"; team: Team }
  | { scope: "company" };

export const COMPANY: Scope = { scope: "company" };

/** The goal columns a scope is stored under: member id, team id, or 0 for the company. */
export function goalScopeOf(scope: Scope): { scope: GoalScope; scopeId: number } {
  switch (scope.scope) {
    case "member":
      return { scope: "member", scopeId: scope.member.id };
    case "team":
      return { scope: "team", scopeId: scope.team.id };
    case "company":
      return { scope: "company", scopeId: 0 };
  }
}

/** A scope as goals store it: member id, team id, or 0 for the company. */
export type ScopeRef = { scope: GoalScope; scopeId: number };

/**
 * `AND <column> …` keeping the rows whose member (a deal's owner, a goal's member) is in the scope;
 * nothing for the company. A team is the members it has when the query runs: the one definition of
 * who is in a team, for every figure.
 */
export function ownedBy(scope: Scope | ScopeRef, column: Prisma.Sql = Prisma.raw("owner_id")): Prisma.Sql {
  const ref = "scopeId" in scope ? scope : goalScopeOf(scope);
  switch (ref.scope) {
    case "member":
      return Prisma.sql`AND ${column} = ${ref.scopeId}`;
    case "team":
      // Team ids are unique across workspaces, and every query filters its rows by workspace too.
      return Prisma.sql`AND ${column} IN (SELECT id FROM member WHERE team_id = ${ref.scopeId})`;
    case "company":
      return Prisma.empty;
  }
}
