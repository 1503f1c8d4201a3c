import { AppError } from "../../errors.js";
import type { Prisma } from "../../generated/prisma/client.js";
import type { ActivityKind } from "../../generated/prisma/enums.js";
import { contactNamed } from "../contacts/contact-service.js";
import { nameKey } from "../customers/name-key.js";
import type { Customer, Deal, Member, SalesDeps, Tx, Workspace } from "../deps.js";
import { dayRange, instantOn, localDate, type Period } from "../periods/period.js";
import { assertCanLogActivity } from "../permissions.js";
import {
  FOLLOW_UP,
  followUpDueAt,
  type ReminderView,
  reminderSubject,
} from "../reminders/reminder-service.js";
import type { Scope } from "../scope.js";
import { type ActivityView, activityParties } from "./activity-history.js";
import { ACTIVITY_KINDS, type ActivityKpiRow, activityKpiSql } from "./activity-sql.js";

export type { ActivityView, TimelineEntry } from "./activity-history.js";

export interface LogActivityInput {
  kind: ActivityKind;
  /** The deal it was about (`#12`); its customer is the activity's. */
  deal?: number | undefined;
  /** Else the customer, by its folded name. */
  customer?: string | undefined;
  note?: string | undefined;
  /** When it happened, a local date and optionally a local `HH:MM`; absent: now. Never in the future. */
  at?: { date: string; time?: string | undefined } | undefined;
  /** Whom it was with: a contact of the customer, by name. */
  contact?: string | undefined;
}

/** An activity logged, and what it did to the actor's reminders. */
export interface LoggedActivity {
  activity: ActivityView;
  customer: Customer;
  /** Open reminders it completed: the actor's, about the same deal or customer, due by the end of its day. */
  completed: ReminderView[];
  /** The follow-up a first call or meeting with a prospect set, if it did. */
  followUp: ReminderView | null;
}

/** Activities per member and kind in a period, with wins: what `/kpi activity` shows. */
export interface ActivityKpis {
  rows: ActivityKpiRow[];
  totals: Omit<ActivityKpiRow, "member_id" | "name">;
}

/** First contacts: a call or a meeting. */
const CONTACT_KINDS: ActivityKind[] = ["call", "meeting"];

export function createActivityService({ db, clock }: SalesDeps) {
  /** The deal an activity names, its row locked: not found in the workspace, or deleted, is refused. */
  async function dealNamed(tx: Tx, ws: Workspace, number: number): Promise<Deal & { customer: Customer }> {
    await tx.$executeRaw`SELECT 1 FROM deal WHERE workspace_id = ${ws.id} AND number = ${number} FOR UPDATE`;
    const deal = await tx.deal.findUnique({
      where: { workspaceId_number: { workspaceId: ws.id, number } },
      include: { customer: true },
    });
    if (!deal) throw new AppError("not_found", "error.deal_not_found", { number });
    if (deal.deletedAt) throw new AppError("conflict", "error.deal_deleted", { number });
    return deal;
  }

  /** The instant an activity happened: now, or the local date and time given, never later than now. */
  function instantOf(ws: Workspace, at: LogActivityInput["at"], now: Date): Date {
    if (!at) return now;
    const instant = instantOn(at.date, ws.timezone, now, at.time);
    if (at.date > localDate(now, ws.timezone) || instant > now) {
      throw new AppError("invalid_input", "activity.error.future");
    }
    return instant;
  }

  /**
   * Completes the actor's open reminders the activity answers: due by the end of its local day, about
   * its deal or its customer itself, or, for an activity about no deal, about any of the customer's deals.
   */
  async function completeReminders(
    tx: Tx,
    ws: Workspace,
    actor: Member,
    about: { customer: Customer; deal: Deal | null },
    at: Date,
  ): Promise<ReminderView[]> {
    const day = localDate(at, ws.timezone);
    const subject: Prisma.ReminderWhereInput[] = about.deal
      ? [{ dealId: about.deal.id }, { customerId: about.customer.id, dealId: null }]
      : [
          { customerId: about.customer.id },
          { deal: { is: { customerId: about.customer.id, deletedAt: null } } },
        ];
    const due = await tx.reminder.findMany({
      where: {
        workspaceId: ws.id,
        memberId: actor.id,
        done: false,
        dueAt: { lt: dayRange(day, day, ws.timezone).end },
        OR: subject,
      },
      select: { id: true },
    });
    if (due.length === 0) return [];
    const ids = due.map((r) => r.id);
    await tx.reminder.updateMany({ where: { id: { in: ids } }, data: { done: true } });
    return tx.reminder.findMany({
      where: { id: { in: ids } },
      include: reminderSubject,
      orderBy: { id: "asc" },
    });
  }

  /**
   * The follow-up of a first contact: a call or meeting with a prospect (a customer with no deal won)
   * with whom no other call or meeting was ever logged, due `followup_days` working days after it, for
   * the actor; unless the actor already has a follow-up open about the same deal or customer.
   */
  async function followUpFirstContact(
    tx: Tx,
    ws: Workspace,
    actor: Member,
    about: { customer: Customer; deal: Deal | null },
    activity: { id: number; kind: ActivityKind; at: Date },
  ): Promise<ReminderView | null> {
    if (!CONTACT_KINDS.includes(activity.kind)) return null;
    const customerId = about.customer.id;
    const [earlier, won, open] = await Promise.all([
      tx.activity.count({
        where: { workspaceId: ws.id, customerId, kind: { in: CONTACT_KINDS }, id: { not: activity.id } },
      }),
      tx.deal.count({ where: { workspaceId: ws.id, customerId, stage: "won", deletedAt: null } }),
      tx.reminder.count({
        where: {
          workspaceId: ws.id,
          memberId: actor.id,
          done: false,
          origin: FOLLOW_UP,
          ...(about.deal ? { dealId: about.deal.id } : { customerId }),
        },
      }),
    ]);
    if (earlier > 0 || won > 0 || open > 0) return null;
    return tx.reminder.create({
      data: {
        workspaceId: ws.id,
        memberId: actor.id,
        ...(about.deal ? { dealId: about.deal.id } : { customerId }),
        dueAt: followUpDueAt(ws, activity.at),
        text: about.customer.name,
        origin: FOLLOW_UP,
        createdAt: clock.now(),
      },
      include: reminderSubject,
    });
  }

  return {
    /**
     * Logs what `actor` did with a customer, about one of its deals or not, in one transaction: the
     * activity; the deal's last activity moved to it (its stalled clock restarts); the actor's
     * reminders it answers completed; and after a first call or meeting with a prospect, a follow-up.
     * The customer's row is locked meanwhile, so two first contacts at once set one follow-up.
     */
    async logActivity(ws: Workspace, actor: Member, input: LogActivityInput): Promise<LoggedActivity> {
      assertCanLogActivity(ws, actor);
      const now = clock.now();
      const at = instantOf(ws, input.at, now);
      return db.$transaction(async (tx) => {
        const deal = input.deal === undefined ? null : await dealNamed(tx, ws, input.deal);
        const customer = deal ? deal.customer : await customerNamed(tx, ws, input.customer ?? "");
        await tx.$executeRaw`SELECT 1 FROM customer WHERE id = ${customer.id} FOR UPDATE`;
        const contact = input.contact ? await contactNamed(tx, customer, input.contact) : null;
        const activity = await tx.activity.create({
          data: {
            workspaceId: ws.id,
            kind: input.kind,
            memberId: actor.id,
            customerId: customer.id,
            dealId: deal?.id ?? null,
            contactId: contact?.id ?? null,
            note: input.note ?? null,
            at,
            createdAt: now,
          },
          include: activityParties,
        });
        if (deal) {
          // The stalled clock: what was done last, which an activity entered after the fact may not be.
          await tx.$executeRaw`UPDATE deal SET last_activity_at = greatest(last_activity_at, ${at})
                               WHERE id = ${deal.id}`;
        }
        const about = { customer, deal };
        const completed = await completeReminders(tx, ws, actor, about, at);
        const followUp = await followUpFirstContact(tx, ws, actor, about, activity);
        return { activity, customer, completed, followUp };
      });
    },

    /**
     * Splits typed words into a customer's name and what follows (`Acme Corp called about pricing`):
     * the longest run of leading words that is a customer's folded name. Null when none is.
     */
    async customerAndRest(
      ws: Workspace,
      text: string,
    ): Promise<{ customer: string; rest: string | undefined } | null> {
      const words = text.trim().split(/\s+/).filter(Boolean);
      const prefixes = words.map((_, i) => words.slice(0, i + 1).join(" "));
      const keys = [...new Set(prefixes.map(nameKey).filter(Boolean))];
      if (keys.length === 0) return null;
      const found = await db.customer.findMany({
        where: { workspaceId: ws.id, nameKey: { in: keys } },
        select: { nameKey: true },
      });
      const known = new Set(found.map((c) => c.nameKey));
      for (let i = prefixes.length - 1; i >= 0; i--) {
        const prefix = prefixes[i] ?? "";
        if (known.has(nameKey(prefix))) {
          return { customer: prefix, rest: words.slice(i + 1).join(" ") || undefined };
        }
      }
      return null;
    },

    /**
     * Activities per member and kind in the period, in the scope, beside the deals each won then;
     * `totals` sums them. Activities per won deal are `total / won` (docs/architecture.md, KPIs).
     */
    async activityKpis(
      ws: Workspace,
      period: Pick<Period, "start" | "end">,
      scope: Scope,
    ): Promise<ActivityKpis> {
      const rows = await db.$queryRaw<ActivityKpiRow[]>(activityKpiSql(ws, period, scope));
      const totals = { total: 0, won: 0, call: 0, meeting: 0, email: 0, demo: 0 };
      for (const row of rows) {
        totals.total += row.total;
        totals.won += row.won;
        for (const kind of ACTIVITY_KINDS) totals[kind] += row[kind];
      }
      return { rows, totals };
    },
  };
}

/** A customer of the workspace by folded name, or the usual refusal. */
async function customerNamed(tx: Tx, ws: Workspace, name: string): Promise<Customer> {
  const key = nameKey(name);
  if (!key) throw new AppError("invalid_input", "error.customer_name");
  const customer = await tx.customer.findUnique({
    where: { workspaceId_nameKey: { workspaceId: ws.id, nameKey: key } },
  });
  if (!customer) throw new AppError("not_found", "error.customer_not_found", { name });
  return customer;
}

export type ActivityService = ReturnType<typeof createActivityService>;
