import type { Activity, Contact, Prisma } from "../../generated/prisma/client.js";
import type { Db, Deal, Member, Workspace } from "../deps.js";
import { type CutList, cutAt } from "../lists.js";

/** An activity as histories show it: who did it, with whom, about which deal. */
export type ActivityView = Activity & {
  member: Member;
  contact: Pick<Contact, "name"> | null;
  deal: Pick<Deal, "number"> | null;
};

/** One line of a history: a deal's event or an activity, at its time. */
export type TimelineEntry<E> =
  | { kind: "event"; at: Date; event: E }
  | { kind: "activity"; at: Date; activity: ActivityView };

export const activityParties = {
  member: true,
  contact: { select: { name: true } },
  deal: { select: { number: true } },
} as const;

/**
 * Deal events and activities merged in time order, each list already in that order (`asc`: oldest
 * first; `desc`: newest first). An event and an activity at the same instant: the event first
 * going forward, as a deal is logged before anything is done about it.
 */
export function inTimeOrder<E extends { at: Date }>(
  events: E[],
  activities: ActivityView[],
  order: "asc" | "desc",
): TimelineEntry<E>[] {
  const out: TimelineEntry<E>[] = [];
  let i = 0;
  let j = 0;
  while (i < events.length || j < activities.length) {
    const e = events[i];
    const a = activities[j];
    const eventFirst = e !== undefined && (a === undefined || (order === "asc" ? e.at <= a.at : e.at > a.at));
    if (eventFirst) {
      out.push({ kind: "event", at: e.at, event: e });
      i++;
    } else if (a !== undefined) {
      out.push({ kind: "activity", at: a.at, activity: a });
      j++;
    }
  }
  return out;
}

/** Every activity about a deal, oldest first. */
export function dealActivities(db: Db, ws: Workspace, dealId: number): Promise<ActivityView[]> {
  return db.activity.findMany({
    where: { workspaceId: ws.id, dealId },
    include: activityParties,
    orderBy: [{ at: "asc" }, { id: "asc" }],
  });
}

/**
 * A customer's latest activities, newest first, those about a deleted deal left out (as its events
 * are): the first `limit`, and how many there are.
 */
export async function latestCustomerActivities(
  db: Db,
  ws: Workspace,
  customerId: number,
  limit: number,
): Promise<CutList<ActivityView>> {
  const where: Prisma.ActivityWhereInput = {
    workspaceId: ws.id,
    customerId,
    OR: [{ dealId: null }, { deal: { is: { deletedAt: null } } }],
  };
  const rows = await db.activity.findMany({
    where,
    include: activityParties,
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: limit + 1,
  });
  return cutAt(rows, limit, () => db.activity.count({ where }));
}
