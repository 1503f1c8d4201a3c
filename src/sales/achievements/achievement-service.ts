import { Prisma } from "../../generated/prisma/client.js";
import type { AchievementKind } from "../../generated/prisma/enums.js";
import { notDeleted } from "../deals/deal-sql.js";
import type { Db, Member, SalesDeps, Tx, Workspace } from "../deps.js";
import type { MilestoneCrossing } from "../goals/goal-service.js";
import { type CutList, cutAt } from "../lists.js";
import {
  isWorkingDay,
  localDate,
  periodContaining,
  previousWorkingDay,
  startOfLocalDate,
} from "../periods/period.js";
import { calendarOf, workingDaysOf } from "../workspaces/workspace-service.js";

export type { AchievementKind } from "../../generated/prisma/enums.js";

/** The streak lengths, in working days, that are achievements. */
export const STREAK_THRESHOLDS = [5, 10, 20] as const;

/** Wins on one local day that make a hat-trick. */
const HAT_TRICK = 3;

/** How far back a streak is read: far enough for any streak a team keeps up. */
const STREAK_LOOKBACK_DAYS = 400;

/** An achievement as it is recorded: whose, which kind, which occurrence, and what caused it. */
export interface AchievementCandidate {
  kind: AchievementKind;
  /** `member:<id>` or `team:<id>`. */
  subject: string;
  /** Which one of its kind (docs/decisions.md, "Achievements"): the unique key with subject and kind. */
  occurrence: string;
  memberId: number | null;
  teamId: number | null;
  dealId: number | null;
  value: bigint | null;
}

/** An achievement earned, with the names and the deal it is told with. */
export interface AchievementView {
  id: number;
  kind: AchievementKind;
  subject: string;
  occurrence: string;
  value: bigint | null;
  at: Date;
  member: { id: number; displayName: string } | null;
  team: { id: number; name: string } | null;
  deal: { number: number; amount: bigint; customer: string } | null;
}

/** A member's run of working days with a deal logged or moved. */
export interface Streak {
  /** Working days in the run: 0 when none is going. */
  days: number;
  /** Its first local day; null when none is going. */
  first: string | null;
  /** Whether today is already one of its days. */
  today: boolean;
}

/** What an achievement is told with: its member or team, and its deal with the customer's name. */
const VIEW_INCLUDE = {
  member: { select: { id: true, displayName: true } },
  team: { select: { id: true, name: true } },
  deal: { select: { number: true, amount: true, customer: { select: { name: true } } } },
} as const;

type AchievementRow = Prisma.AchievementGetPayload<{ include: typeof VIEW_INCLUDE }>;

function viewOf(row: AchievementRow): AchievementView {
  return {
    id: row.id,
    kind: row.kind,
    subject: row.subject,
    occurrence: row.occurrence,
    value: row.value,
    at: row.at,
    member: row.member,
    team: row.team,
    deal: row.deal
      ? { number: row.deal.number, amount: row.deal.amount, customer: row.deal.customer.name }
      : null,
  };
}

const memberSubject = (id: number) => `member:${id}`;

/** The owner's won deals, not deleted: the rule every win achievement reads. */
function wonBy(ws: Workspace, ownerId: number): Prisma.Sql {
  return Prisma.sql`workspace_id = ${ws.id} AND owner_id = ${ownerId} AND stage = 'won' AND ${notDeleted()}`;
}

/**
 * The achievements a win earns its owner (first win, personal best, best month, hat-trick) and its
 * team (the team's goal reached, from the milestones the win crossed), read through the win's
 * transaction so that the win itself and every win committed before it count. Wins of a workspace
 * take turns (the deal service's win lock), so the third win of a day is counted as the third.
 */
export async function winAchievements(
  tx: Tx,
  ws: Workspace,
  deal: { id: number; ownerId: number; amount: bigint; closedAt: Date },
  crossings: MilestoneCrossing[],
): Promise<AchievementCandidate[]> {
  const cal = calendarOf(ws);
  const day = periodContaining("today", deal.closedAt, cal);
  const month = periodContaining("month", deal.closedAt, cal);
  const won = wonBy(ws, deal.ownerId);
  const [row] = await tx.$queryRaw<
    { others: bigint; best: bigint | null; today: bigint; month: bigint; best_month: bigint | null }[]
  >(Prisma.sql`
    SELECT
      (SELECT count(*) FROM deal WHERE ${won} AND id <> ${deal.id})::bigint AS others,
      (SELECT max(amount) FROM deal WHERE ${won} AND id <> ${deal.id})::bigint AS best,
      (SELECT count(*) FROM deal WHERE ${won} AND closed_at >= ${day.start} AND closed_at < ${day.end})::bigint AS today,
      (SELECT coalesce(sum(amount), 0) FROM deal WHERE ${won} AND closed_at >= ${month.start} AND closed_at < ${month.end})::bigint AS month,
      (SELECT max(total) FROM (
         SELECT sum(amount) AS total FROM deal WHERE ${won} AND closed_at < ${month.start}
         GROUP BY to_char(closed_at AT TIME ZONE ${ws.timezone}, 'YYYY-MM')) earlier)::bigint AS best_month`);
  if (!row) return [];
  const own = (kind: AchievementKind, occurrence: string, value: bigint): AchievementCandidate => ({
    kind,
    subject: memberSubject(deal.ownerId),
    occurrence,
    memberId: deal.ownerId,
    teamId: null,
    dealId: deal.id,
    value,
  });
  const earned: AchievementCandidate[] = [];
  if (row.others === 0n) earned.push(own("first_win", "first", deal.amount));
  // A best needs an earlier one to beat: the first win is no personal best, the first month no best month.
  if (row.best !== null && deal.amount > row.best)
    earned.push(own("personal_best", `deal:${deal.id}`, deal.amount));
  if (row.best_month !== null && row.month > row.best_month) {
    earned.push(own("best_month", localDate(month.start, ws.timezone).slice(0, 7), row.month));
  }
  if (row.today >= BigInt(HAT_TRICK))
    earned.push(own("hat_trick", localDate(day.start, ws.timezone), row.today));
  for (const c of crossings) {
    const { goal } = c.progress;
    if (c.threshold !== 1 || goal.scope !== "team") continue;
    earned.push({
      kind: "team_goal",
      subject: `team:${goal.scopeId}`,
      occurrence: `${goal.metric}:${goal.periodKind}:${goal.periodStart.toISOString().slice(0, 10)}`,
      memberId: null,
      teamId: goal.scopeId,
      dealId: deal.id,
      value: goal.target,
    });
  }
  return earned;
}

/**
 * A member's current streak at `now`: the working days, back from today (or from the last working
 * day before it, while today has nothing yet), each with a deal logged or moved by them. Days off
 * neither break nor extend it. History an import wrote (a deal's events up to its import) is not
 * theirs to count.
 */
/** A member's own changes that make a streak (a deal logged or moved), imported history left out, from `since`. */
const streakEvents = (ws: Workspace, memberId: number, since: Date) => Prisma.sql`
    FROM deal_event e
    WHERE e.actor_id = ${memberId} AND e.workspace_id = ${ws.id} AND e.kind IN ('created', 'stage')
      AND e.at >= ${since}
      AND NOT EXISTS (SELECT 1 FROM deal_event i
                      WHERE i.deal_id = e.deal_id AND i.kind = 'imported' AND i.at >= e.at)`;

export async function streakOf(
  db: Db,
  ws: Workspace,
  memberId: number,
  now: Date,
  /** A change of theirs is being made now and counts for today, though not written yet. */
  changing = false,
): Promise<Streak> {
  const since = new Date(now.getTime() - STREAK_LOOKBACK_DAYS * 86_400_000);
  const rows = await db.$queryRaw<{ day: string }[]>(Prisma.sql`
    SELECT DISTINCT to_char(e.at AT TIME ZONE ${ws.timezone}, 'YYYY-MM-DD') AS day
    ${streakEvents(ws, memberId, since)} AND e.at <= ${now}`);
  const days = new Set(rows.map((r) => r.day));
  const working = workingDaysOf(ws);
  const today = localDate(now, ws.timezone);
  if (changing) days.add(today);
  const counted = isWorkingDay(today, working) && days.has(today);
  let day = counted ? today : previousWorkingDay(today, working);
  let first: string | null = null;
  let length = 0;
  while (days.has(day)) {
    first = day;
    length++;
    day = previousWorkingDay(day, working);
  }
  return { days: length, first, today: counted };
}

/**
 * The streak achievements the change `memberId` is making now earns: each threshold the streak has
 * reached, keyed by the streak's first day, so a streak is announced once per threshold and a new
 * streak after a break earns them again. Only a change on a working day extends a streak.
 *
 * Read before the change is written and takes its locks (the workspace's deal number, the deal's
 * row): history is read while nobody waits. The candidates name no deal; the caller adds it.
 */
export async function streakAchievements(
  db: Db,
  ws: Workspace,
  memberId: number,
  now: Date,
): Promise<AchievementCandidate[]> {
  // A streak is as long after a member's first change of the day as after their later ones: only
  // the first can reach a threshold. A later one probes the day's events and stops, so a busy rep's
  // changes do not each read weeks of history.
  const dayStart = startOfLocalDate(localDate(now, ws.timezone), ws.timezone);
  const [earlier] = await db.$queryRaw<{ one: number }[]>(Prisma.sql`
    SELECT 1 AS one ${streakEvents(ws, memberId, dayStart)} AND e.at < ${now} LIMIT 1`);
  if (earlier) return [];
  const streak = await streakOf(db, ws, memberId, now, true);
  if (!streak.today || !streak.first) return [];
  const first = streak.first;
  return STREAK_THRESHOLDS.filter((t) => streak.days >= t).map((t) => ({
    kind: "streak",
    subject: memberSubject(memberId),
    occurrence: `${first}:${t}`,
    memberId,
    teamId: null,
    dealId: null,
    value: BigInt(t),
  }));
}

/**
 * Records achievements and returns those never recorded before, in the transaction of the change
 * that earned them: the unique (workspace, subject, kind, occurrence) makes a repeat, a replay or
 * a second replica's attempt a no-op, so each is announced once.
 */
export async function recordAchievements(
  tx: Tx,
  ws: Workspace,
  candidates: AchievementCandidate[],
  at: Date,
): Promise<AchievementView[]> {
  if (candidates.length === 0) return [];
  const rows = candidates.map(
    (c) =>
      Prisma.sql`(${ws.id}::int, ${c.kind}::"AchievementKind", ${c.subject}, ${c.occurrence}, ${c.memberId}::int, ${c.teamId}::int, ${c.dealId}::int, ${c.value}::bigint, ${at}::timestamptz)`,
  );
  const fresh = await tx.$queryRaw<{ id: number }[]>(Prisma.sql`
    INSERT INTO achievement (workspace_id, kind, subject, occurrence, member_id, team_id, deal_id, value, at)
    VALUES ${Prisma.join(rows)}
    ON CONFLICT (workspace_id, subject, kind, occurrence) DO NOTHING
    RETURNING id`);
  if (fresh.length === 0) return [];
  const recorded = await tx.achievement.findMany({
    where: { id: { in: fresh.map((r) => r.id) } },
    include: VIEW_INCLUDE,
    orderBy: { id: "asc" },
  });
  return recorded.map(viewOf);
}

export function createAchievementService({ db, clock }: SalesDeps) {
  return {
    /**
     * A member's achievements, newest first (their own and their team's), cut at `limit`, and their
     * current streak.
     */
    async achievementsOf(
      ws: Workspace,
      member: Member,
      limit = 15,
    ): Promise<{ achievements: CutList<AchievementView>; streak: Streak }> {
      const where: Prisma.AchievementWhereInput = {
        workspaceId: ws.id,
        OR: [{ memberId: member.id }, ...(member.teamId ? [{ teamId: member.teamId }] : [])],
      };
      const rows = await db.achievement.findMany({
        where,
        include: VIEW_INCLUDE,
        orderBy: [{ at: "desc" }, { id: "desc" }],
        take: limit + 1,
      });
      const achievements = await cutAt(rows.map(viewOf), limit, () => db.achievement.count({ where }));
      return { achievements, streak: await streakOf(db, ws, member.id, clock.now()) };
    },

    /** A member's current streak of working days with a deal logged or moved. */
    streak: (ws: Workspace, member: Member) => streakOf(db, ws, member.id, clock.now()),
  };
}

export type AchievementService = ReturnType<typeof createAchievementService>;
