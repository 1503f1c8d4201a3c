import type { Member, SalesDeps, Workspace } from "../deps.js";
import { assertCanSeeFocus } from "../permissions.js";
import { COMPANY, type Scope } from "../scope.js";
import { calendarOf } from "../workspaces/workspace-service.js";
import { type FocusKind, type FocusRow, focusQueryOf, focusSql } from "./focus-sql.js";

/** One item of a focus list: what to look at, what it is worth, and what its line shows. */
export interface FocusItem {
  kind: FocusKind;
  /** In minor units: a deal's weighted value (amount × probability), or a customer's won revenue. */
  value: bigint;
  /** Whose item: the deal's owner, the follow-up's member, the customer's owner. */
  member: { id: number; name: string };
  customer: string;
  deal: {
    number: number;
    stage: string;
    amount: bigint;
    probability: number;
    expectedCloseDate: Date | null;
    lastActivityAt: Date;
  } | null;
  reminder: { id: number; text: string; dueAt: Date } | null;
  /** A customer's last win (dormant customers and customer follow-ups). */
  lastWon: Date | null;
}

function itemOf(r: FocusRow): FocusItem {
  return {
    kind: r.kind,
    value: r.value100 / 100n,
    member: { id: r.member_id, name: r.member_name },
    customer: r.customer,
    deal:
      r.number === null
        ? null
        : {
            number: r.number,
            stage: r.stage ?? "lead",
            amount: r.amount ?? 0n,
            probability: r.probability ?? 0,
            expectedCloseDate: r.expected_close_date,
            lastActivityAt: r.last_activity_at ?? new Date(0),
          },
    reminder:
      r.reminder_id === null
        ? null
        : { id: r.reminder_id, text: r.reminder_text ?? "", dueAt: r.due_at ?? new Date(0) },
    lastWon: r.last_won,
  };
}

export function createFocusService({ db, clock }: SalesDeps) {
  return {
    /**
     * Today's short list of a member, a team or the company, most valuable first: deals expected
     * this week or overdue, stalled deals, follow-ups due and dormant customers, each once
     * (docs/architecture.md, "Focus"). A rep sees their own; managers and admins as
     * {@link assertCanSeeFocus} says.
     */
    async focusList(ws: Workspace, actor: Member, scope: Scope): Promise<FocusItem[]> {
      assertCanSeeFocus(ws, actor, scope);
      const rows = await db.$queryRaw<FocusRow[]>(
        focusSql(focusQueryOf(ws, calendarOf(ws), scope, clock.now())),
      );
      return rows.map(itemOf);
    },

    /** What "my team" is for a `/focus team`: the actor's team, or everyone when they lead none. */
    async teamScopeOf(ws: Workspace, actor: Member): Promise<Scope> {
      if (actor.teamId === null) return COMPANY;
      const team = await db.team.findFirst({ where: { id: actor.teamId, workspaceId: ws.id } });
      return team ? { scope: "team", team } : COMPANY;
    },

    /** Every member's own focus list in one statement (the morning round): members with none are absent. */
    async focusListsByMember(ws: Workspace): Promise<Map<number, FocusItem[]>> {
      const q = focusQueryOf(ws, calendarOf(ws), COMPANY, clock.now(), "member");
      const rows = await db.$queryRaw<FocusRow[]>(focusSql(q));
      const lists = new Map<number, FocusItem[]>();
      for (const r of rows) {
        const list = lists.get(r.member_id) ?? [];
        list.push(itemOf(r));
        lists.set(r.member_id, list);
      }
      return lists;
    },
  };
}

export type FocusService = ReturnType<typeof createFocusService>;
