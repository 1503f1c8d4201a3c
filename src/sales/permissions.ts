import { AppError } from "../errors.js";
import type { Member, Workspace } from "./deps.js";
import type { Scope } from "./scope.js";

/** Every member (or team) a service call acts as or on must belong to the workspace it acts in. */
export function assertInWorkspace(ws: Workspace, ...rows: { workspaceId: number }[]): void {
  if (rows.some((r) => r.workspaceId !== ws.id)) throw new AppError("forbidden", "error.other_workspace");
}

/** Managers and admins may set goals, roles and configuration. */
export function isManager(actor: Member): boolean {
  return actor.role === "manager" || actor.role === "admin";
}

export function assertManager(ws: Workspace, actor: Member): void {
  assertInWorkspace(ws, actor);
  if (!isManager(actor)) throw new AppError("forbidden", "error.forbidden_manager");
}

/** The product catalogue is kept by managers and admins; everyone reads it and sells from it. */
export function assertCanManageProducts(ws: Workspace, actor: Member): void {
  assertInWorkspace(ws, actor);
  if (!isManager(actor)) throw new AppError("forbidden", "error.forbidden_products");
}

/** Admins alone see and retry the notification queue. */
export function assertAdmin(ws: Workspace, actor: Member): void {
  assertInWorkspace(ws, actor);
  if (actor.role !== "admin") throw new AppError("forbidden", "error.forbidden_admin_only");
}

/**
 * Whether `actor` manages `member`: admins manage everyone; a manager manages their team, or
 * everyone when they lead no team (a small company with one sales manager).
 */
export function manages(actor: Member, member: Pick<Member, "teamId">): boolean {
  if (actor.role === "admin") return true;
  if (actor.role !== "manager") return false;
  return actor.teamId === null || actor.teamId === member.teamId;
}

/** Only the owner, their manager or an admin can change a deal (or what belongs to its owner). */
export function assertCanChangeDeal(ws: Workspace, actor: Member, owner: Member): void {
  assertInWorkspace(ws, actor, owner);
  if (actor.id === owner.id || manages(actor, owner)) return;
  throw new AppError("forbidden", "error.forbidden_deal", { owner: owner.displayName });
}

/** Deleting or restoring a deal is for the owner's manager or an admin, not the owner alone. */
export function assertCanDeleteDeal(ws: Workspace, actor: Member, owner: Member): void {
  assertInWorkspace(ws, actor, owner);
  if (manages(actor, owner)) return;
  throw new AppError("forbidden", "error.forbidden_delete_deal", { owner: owner.displayName });
}

/**
 * Goals follow the deal rule: an admin sets any goal; a manager sets goals for the members they
 * manage and for their own team. One who leads no team manages everyone, so sets any goal, the
 * company's included; one who leads a team does not set the company's or another team's.
 */
export function assertCanSetGoal(ws: Workspace, actor: Member, scope: Scope): void {
  assertManager(ws, actor);
  if (scope.scope === "member") assertInWorkspace(ws, scope.member);
  if (scope.scope === "team") assertInWorkspace(ws, scope.team);
  const managesEveryone = actor.role === "admin" || actor.teamId === null;
  const allowed =
    scope.scope === "member"
      ? manages(actor, scope.member)
      : scope.scope === "team"
        ? managesEveryone || actor.teamId === scope.team.id
        : managesEveryone;
  if (!allowed) throw new AppError("forbidden", "error.forbidden_goal");
}

/**
 * Exports are for managers and admins: an admin takes every deal, a manager those of the members
 * they manage (their team, or everyone when they lead none). A rep is refused.
 */
export function assertCanExport(ws: Workspace, actor: Member): void {
  assertInWorkspace(ws, actor);
  if (!isManager(actor)) throw new AppError("forbidden", "error.forbidden_export");
}

/**
 * Contests follow the goal rule: an admin runs any; a manager runs contests among their own team, or
 * any when they lead no team (they manage everyone). Team against team spans the teams, so a manager
 * who leads one cannot run it.
 */
export function assertCanRunContest(
  ws: Workspace,
  actor: Member,
  contest: { teamId: number | null; teamMode: boolean },
): void {
  assertInWorkspace(ws, actor);
  if (!isManager(actor)) throw new AppError("forbidden", "error.forbidden_contest");
  if (actor.role === "admin" || actor.teamId === null) return;
  if (contest.teamMode || contest.teamId !== actor.teamId) {
    throw new AppError("forbidden", "error.forbidden_contest_team");
  }
}

/**
 * Any member logs what they did with any customer or deal of their workspace: an activity is the
 * actor's own record, whoever owns the deal (a colleague gives the demo, a manager joins the call).
 */
export function assertCanLogActivity(ws: Workspace, actor: Member): void {
  assertInWorkspace(ws, actor);
}

/**
 * Anyone in the workspace adds a contact to any customer; changing or removing one is for the
 * customer's owner, whoever manages them, and admins (managers and admins when it has no owner).
 */
export function assertCanChangeContact(ws: Workspace, actor: Member, owner: Member | null): void {
  assertInWorkspace(ws, actor, ...(owner ? [owner] : []));
  if (owner ? actor.id === owner.id || manages(actor, owner) : isManager(actor)) return;
  if (!owner) throw new AppError("forbidden", "error.forbidden_contact_manager");
  throw new AppError("forbidden", "error.forbidden_contact", { owner: owner.displayName });
}

/**
 * A focus list is its member's, their manager's and an admin's: a rep sees their own; a manager
 * their team's members and their team (everyone, and any team, when they lead none); an admin
 * anyone, any team and the company. Refused in the words of the member and team rules.
 */
export function assertCanSeeFocus(ws: Workspace, actor: Member, scope: Scope): void {
  assertInWorkspace(ws, actor);
  if (scope.scope === "member") {
    assertInWorkspace(ws, scope.member);
    if (actor.id === scope.member.id || manages(actor, scope.member)) return;
    throw new AppError("forbidden", "error.forbidden_member", { name: scope.member.displayName });
  }
  const managesEveryone = actor.role === "admin" || (actor.role === "manager" && actor.teamId === null);
  if (scope.scope === "team") {
    assertInWorkspace(ws, scope.team);
    if (managesEveryone || (actor.role === "manager" && actor.teamId === scope.team.id)) return;
    throw new AppError("forbidden", "error.forbidden_team", { name: scope.team.name });
  }
  if (!managesEveryone) throw new AppError("forbidden", "error.forbidden_manager");
}
