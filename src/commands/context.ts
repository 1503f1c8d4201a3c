import { AppError } from "../errors.js";
import { speakerFor } from "../messages/speaker.js";
import type { Member, Workspace } from "../sales/deps.js";
import type { MemberIdentity } from "../sales/members/member-service.js";
import type { SalesService } from "../sales/sales-service.js";
import { calendarOf } from "../sales/workspaces/workspace-service.js";
import type { CommandContext } from "./command.js";
import type { MemberRef } from "./grammar/tokens.js";

/** How a platform names the user a mention points at: their id, display name and platform role. */
export type IdentityOf = (ref: MemberRef) => Promise<MemberIdentity>;

/**
 * The context a command runs in for a workspace and member; each platform builds it at its edge,
 * saying how its mentions read as members (`identityOf`).
 */
export function commandContext(
  sales: SalesService,
  workspace: Workspace,
  actor: Member,
  identityOf: IdentityOf,
  requestId?: string,
): CommandContext {
  const { locale, t, fmt } = speakerFor(workspace);
  const cal = calendarOf(workspace);
  return {
    sales,
    workspace,
    actor,
    locale,
    t,
    fmt,
    cal,
    parse: {
      locale,
      currency: workspace.currency,
      timezone: workspace.timezone,
      weekStart: cal.weekStart,
      fiscalYearStart: cal.fiscalYearStart,
      now: sales.clock.now(),
    },
    // A command that acts on a removed member is refused: they take no part until brought back.
    async resolveMember(ref) {
      const member = await sales.members.ensureMember(workspace, await identityOf(ref));
      if (!member.active)
        throw new AppError("forbidden", "error.member_removed", { name: member.displayName });
      return member;
    },
    transaction(work) {
      return sales.transaction((tx) => work(commandContext(tx, workspace, actor, identityOf, requestId)));
    },
    async findMember(ref) {
      const member = await sales.members.findMember(workspace, ref.platformUserId);
      if (!member) {
        throw new AppError("not_found", "error.member_not_found", {
          name: ref.displayName ?? ref.platformUserId,
        });
      }
      return member;
    },
    requestId,
  };
}
