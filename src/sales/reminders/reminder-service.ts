import { AppError } from "../../errors.js";
import { Prisma } from "../../generated/prisma/client.js";
import { nameKey } from "../customers/name-key.js";
import { atRun, isOpen, quietSince, stalledSince as stalledSinceOf } from "../deals/deal-sql.js";
import type { Customer, Deal, Member, Reminder, SalesDeps, Workspace } from "../deps.js";
import { type CutList, cutAt, limitSql } from "../lists.js";
import { addWorkingDays, localDate, startOfLocalDate } from "../periods/period.js";
import { assertCanChangeDeal, assertInWorkspace } from "../permissions.js";
import { readPart } from "../read-together.js";
import { COMPANY, ownedBy, type Scope } from "../scope.js";
import { workingDaysOf } from "../workspaces/workspace-service.js";

export type ReminderView = Reminder & {
  deal: Pick<Deal, "number"> | null;
  customer: Pick<Customer, "name"> | null;
};

export interface StalledDeal {
  number: number;
  customer: string;
  ownerId: number;
  amount: bigint;
  stage: string;
  lastEventAt: Date;
}

export type ReminderSubject = { kind: "deal"; number: number } | { kind: "customer"; name: string };

/** The origin of the follow-ups Closer sets itself: after a deal is logged, after a first contact. */
export const FOLLOW_UP = "followup";

/**
 * When a follow-up of something done at `at` is due: the start of the local day `followup_days`
 * working days later. A deal logged and a first call or meeting set theirs by this one rule.
 */
export function followUpDueAt(ws: Workspace, at: Date): Date {
  const due = addWorkingDays(localDate(at, ws.timezone), ws.followupDays, workingDaysOf(ws));
  return startOfLocalDate(due, ws.timezone);
}

/** What a reminder is shown with: its deal's number or its customer's name. */
export const reminderSubject = {
  deal: { select: { number: true } },
  customer: { select: { name: true } },
} as const;

/** Reminders about no deal, or about a deal not deleted: a deleted deal's follow-ups wait for its restore. */
const ofLiveDeals: Prisma.ReminderWhereInput = {
  OR: [{ dealId: null }, { deal: { is: { deletedAt: null } } }],
};

/** Open deals of the scope `owner` filters with no event for stalled_days before `now`. */
const stalledIn = (ws: Workspace, now: Date, owner: Prisma.Sql) =>
  Prisma.sql`workspace_id = ${ws.id} AND ${isOpen()} AND ${quietSince(atRun(stalledSinceOf(ws, now)))} ${owner}`;

/**
 * How many deals are stalled. The company's: the open deals `figure_activity` counts on the UTC
 * days before the threshold's, and those of that day last active before the threshold (an index
 * range of one day); a team's or member's, through the index.
 */
function stalledCount(ws: Workspace, now: Date, scope: Scope): Prisma.Sql {
  if (scope.scope !== "company")
    return Prisma.sql`SELECT count(*) FROM deal WHERE ${stalledIn(ws, now, ownedBy(scope))}`;
  const day = stalledSinceOf(ws, now).toISOString().slice(0, 10);
  return Prisma.sql`SELECT coalesce((SELECT sum(open_count) FROM figure_activity
                                     WHERE workspace_id = ${ws.id} AND day < ${day}::date), 0)
    + (SELECT count(*) FROM deal WHERE ${stalledIn(ws, now, Prisma.empty)}
         AND last_activity_at >= ${atRun(new Date(`${day}T00:00:00Z`))})`;
}

/** A row of {@link stalledPart}. */
export interface StalledRow {
  number: number;
  customer: string;
  owner_id: number;
  amount: bigint;
  stage: string;
  last_event_at: Date;
  total: number;
}

/**
 * Open deals without any event for the workspace's stalled_days, oldest activity first, and how
 * many there are in all (its rows go to {@link stalledOf}). The open deals' index by last activity
 * (`deal_stalled_idx`) gives the oldest first, so the cost of the list follows the limit; the count
 * reads the same index range, without the rows.
 */
export function stalledPart(ws: Workspace, now: Date, options: { scope?: Scope; limit?: number } = {}) {
  const scope = options.scope ?? COMPANY;
  const limit = options.limit ?? 50;
  return readPart<StalledRow>({
    sql: Prisma.sql`
      SELECT d.number, c.name AS customer, d.owner_id, d.amount, d.stage::text AS stage,
             d.last_activity_at AS last_event_at, (${stalledCount(ws, now, scope)})::int AS total
      FROM (
        SELECT number, customer_id, owner_id, amount, stage, last_activity_at FROM deal
        WHERE ${stalledIn(ws, now, ownedBy(scope))}
        ORDER BY last_activity_at, number LIMIT ${limitSql(limit)}
      ) d
      JOIN customer c ON c.id = d.customer_id
      ORDER BY d.last_activity_at ASC, d.number ASC`,
  });
}

/** The stalled deals from {@link stalledPart}'s rows. */
export function stalledOf(rows: StalledRow[]): CutList<StalledDeal> {
  const items = rows.map((r) => ({
    number: r.number,
    customer: r.customer,
    ownerId: r.owner_id,
    amount: r.amount,
    stage: r.stage,
    lastEventAt: r.last_event_at,
  }));
  return { items, total: rows[0]?.total ?? 0 };
}

export function createReminderService({ db, clock }: SalesDeps) {
  return {
    /** A reminder for the actor about a deal or a customer, due on a local date. */
    async createReminder(
      ws: Workspace,
      actor: Member,
      about: ReminderSubject,
      due: string,
      text: string,
    ): Promise<ReminderView> {
      assertInWorkspace(ws, actor);
      let link: { dealId?: number; customerId?: number };
      if (about.kind === "deal") {
        const deal = await db.deal.findUnique({
          where: { workspaceId_number: { workspaceId: ws.id, number: about.number } },
          include: { owner: true },
        });
        if (!deal) throw new AppError("not_found", "error.deal_not_found", { number: about.number });
        if (deal.deletedAt) throw new AppError("conflict", "error.deal_deleted", { number: about.number });
        link = { dealId: deal.id };
      } else {
        const customer = await db.customer.findUnique({
          where: { workspaceId_nameKey: { workspaceId: ws.id, nameKey: nameKey(about.name) } },
        });
        if (!customer) throw new AppError("not_found", "error.customer_not_found", { name: about.name });
        link = { customerId: customer.id };
      }
      return db.reminder.create({
        data: {
          workspaceId: ws.id,
          memberId: actor.id,
          ...link,
          dueAt: startOfLocalDate(due, ws.timezone),
          text,
          createdAt: clock.now(),
        },
        include: reminderSubject,
      });
    },

    /**
     * Open reminders of a member due by `at` (all of them when `at` is omitted), soonest first: the
     * first `limit`, and how many there are.
     */
    async listReminders(
      ws: Workspace,
      member: Member,
      at?: Date,
      limit = 50,
    ): Promise<CutList<ReminderView>> {
      const where = {
        workspaceId: ws.id,
        memberId: member.id,
        done: false,
        ...(at ? { dueAt: { lte: at } } : {}),
        ...ofLiveDeals,
      };
      const rows = await db.reminder.findMany({
        where,
        include: reminderSubject,
        orderBy: [{ dueAt: "asc" }, { id: "asc" }],
        take: limit + 1,
      });
      return cutAt(rows, limit, () => db.reminder.count({ where }));
    },

    /** Every member's open reminders due before `until`, soonest first: the morning round. */
    async dueReminders(ws: Workspace, until: Date, limit = 5000): Promise<CutList<ReminderView>> {
      const where = { workspaceId: ws.id, done: false, dueAt: { lt: until }, ...ofLiveDeals };
      const rows = await db.reminder.findMany({
        where,
        include: reminderSubject,
        orderBy: [{ dueAt: "asc" }, { id: "asc" }],
        take: limit + 1,
      });
      return cutAt(rows, limit, () => db.reminder.count({ where }));
    },

    /** Marks a reminder done; its member, the deal's owner's manager or an admin may. */
    async completeReminder(ws: Workspace, actor: Member, id: number): Promise<ReminderView> {
      const reminder = await db.reminder.findFirst({
        where: { id, workspaceId: ws.id },
        include: { member: true },
      });
      if (!reminder) throw new AppError("not_found", "error.reminder_not_found", { id });
      assertCanChangeDeal(ws, actor, reminder.member);
      return db.reminder.update({ where: { id }, data: { done: true }, include: reminderSubject });
    },

    /** {@link stalledPart}: the stalled deals, oldest activity first, and how many in all. */
    async stalledDeals(
      ws: Workspace,
      options: { scope?: Scope; limit?: number } = {},
    ): Promise<CutList<StalledDeal>> {
      return stalledOf(await db.$queryRaw<StalledRow[]>(stalledPart(ws, clock.now(), options).sql));
    },
  };
}

export type ReminderService = ReturnType<typeof createReminderService>;
