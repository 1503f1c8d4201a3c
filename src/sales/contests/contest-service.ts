import { DateTime } from "luxon";
import { AppError } from "../../errors.js";
import { Prisma } from "../../generated/prisma/client.js";
import { nameKey } from "../customers/name-key.js";
import type { Contest, ContestMetric, Db, Member, SalesDeps, Team, Workspace } from "../deps.js";
import { dayRange, localDate, type Period } from "../periods/period.js";
import { assertCanRunContest, assertInWorkspace } from "../permissions.js";
import { isUniqueViolation } from "../unique-violation.js";
import { type ContestRules, contestStandingsSql } from "./contest-sql.js";

/** The longest contest, in days: a year and a day, so a leap year fits. */
export const MAX_CONTEST_DAYS = 366;

/** A contest as `/contest create` defines it. */
export interface ContestInput {
  name: string;
  metric: ContestMetric;
  /** First and last local days, `YYYY-MM-DD`, both included. */
  from: string;
  to: string;
  prize?: string | undefined;
  teamMode: boolean;
  /** Among this team's members only; null: the whole workspace (or the manager's own team). */
  team: Team | null;
}

/** A contest with its team and its days. */
export interface ContestInfo {
  contest: Contest;
  team: Team | null;
  period: Period<"range">;
  first: string;
  last: string;
  /** Where it stands at the clock's now. */
  phase: "upcoming" | "running" | "ended" | "cancelled";
}

/** A member (or, in team mode, a team) in a contest's standings. */
export interface ContestStanding {
  /** The member's id, or the team's in team mode. */
  id: number;
  name: string;
  /** Money in minor units, a count of deals, or an attainment ratio (1 = 100%); a team's is its members' average. */
  score: number;
  /** When the last deal that counted happened: of equal scores, the earlier ranks higher. */
  reachedAt: Date | null;
  /** 1 for the leader; equal scores reached at the same instant share a place. */
  place: number;
}

export interface ContestStandings extends ContestInfo {
  rows: ContestStanding[];
}

/** What `createContest` did: a new contest, a coming one redefined, or a running one's prize changed. */
export interface ContestSaved extends ContestInfo {
  outcome: "created" | "redefined" | "prize_changed";
}

/** The announcements of a contest, each made once: its start, its last day, its result, or its cancellation. */
export type ContestAnnouncement = "start" | "last_day" | "result" | "cancelled";

const ANNOUNCED_COLUMN: Record<ContestAnnouncement, Prisma.Sql> = {
  start: Prisma.raw("start_announced_at"),
  last_day: Prisma.raw("last_day_announced_at"),
  // A contest ends once: with its result, or with its cancellation.
  result: Prisma.raw("result_announced_at"),
  cancelled: Prisma.raw("result_announced_at"),
};

const isoDay = (date: Date) => date.toISOString().slice(0, 10);
const dateColumn = (day: string) => new Date(`${day}T00:00:00Z`);
const addDays = (day: string, days: number) =>
  DateTime.fromISO(day, { zone: "UTC" }).plus({ days }).toISODate() ?? day;

/** The rules the standings are computed by. */
function rulesOf(ws: Workspace, contest: Contest): ContestRules {
  const first = isoDay(contest.fromDate);
  const last = isoDay(contest.toDate);
  return {
    metric: contest.metric,
    period: dayRange(first, last, ws.timezone),
    first,
    last,
    teamMode: contest.teamMode,
    teamId: contest.teamId,
  };
}

/**
 * Contests: created by managers for their team and by admins for anyone, fixed once started, listed,
 * scored in SQL (`contest-sql.ts`), cancelled; and the claims that make each announcement happen once.
 */
export function createContestService({ db, clock }: SalesDeps) {
  function infoOf(ws: Workspace, contest: Contest & { team: Team | null }, now = clock.now()): ContestInfo {
    const { team, ...row } = contest;
    const first = isoDay(row.fromDate);
    const last = isoDay(row.toDate);
    const period = dayRange(first, last, ws.timezone);
    const phase = row.cancelledAt
      ? "cancelled"
      : now < period.start
        ? "upcoming"
        : now < period.end
          ? "running"
          : "ended";
    return { contest: row, team, period, first, last, phase };
  }

  async function findByName(ws: Workspace, name: string, client: Db = db) {
    const contest = await client.contest.findUnique({
      where: { workspaceId_nameKey: { workspaceId: ws.id, nameKey: nameKey(name) } },
      include: { team: true },
    });
    if (!contest) throw new AppError("not_found", "error.contest_not_found", { name });
    return contest;
  }

  /** The standings of a contest through `client` (a transaction, for what is queued with them). */
  async function standingsOf(ws: Workspace, contest: Contest, client: Db = db): Promise<ContestStanding[]> {
    const rows = await client.$queryRaw<
      { id: number; name: string; score: number; reached_at: Date | null; place: number }[]
    >(contestStandingsSql(ws, rulesOf(ws, contest)));
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      score: r.score,
      reachedAt: r.reached_at,
      place: r.place,
    }));
  }

  return {
    /**
     * Creates a contest, or redefines the coming one of that name. Once a contest has started its
     * rules are fixed: only its prize may still change. A cancelled contest keeps its name.
     */
    async createContest(ws: Workspace, actor: Member, input: ContestInput): Promise<ContestSaved> {
      if (input.team) assertInWorkspace(ws, input.team);
      if (input.teamMode && input.team) throw new AppError("invalid_input", "error.contest_teams_scope");
      // A manager who leads a team runs their team's contests: naming it is optional.
      const teamId =
        input.team?.id ??
        (actor.role === "manager" && actor.teamId !== null && !input.teamMode ? actor.teamId : null);
      assertCanRunContest(ws, actor, { teamId, teamMode: input.teamMode });
      const key = nameKey(input.name);
      if (key === "") throw new AppError("invalid_input", "error.contest_name");
      const now = clock.now();
      const today = localDate(now, ws.timezone);
      if (input.to < input.from)
        throw new AppError("invalid_input", "error.contest_order", { from: input.from, to: input.to });
      if (addDays(input.from, MAX_CONTEST_DAYS) <= input.to)
        throw new AppError("invalid_input", "error.contest_too_long", { days: MAX_CONTEST_DAYS });
      const data = {
        name: input.name,
        metric: input.metric,
        fromDate: dateColumn(input.from),
        toDate: dateColumn(input.to),
        prize: input.prize ?? null,
        teamMode: input.teamMode,
        teamId,
      };
      const saved = (contest: Contest & { team: Team | null }, outcome: ContestSaved["outcome"]) => ({
        ...infoOf(ws, contest, now),
        outcome,
      });
      return db.$transaction(async (tx) => {
        const [existing] = await tx.$queryRaw<{ id: number }[]>(Prisma.sql`
          SELECT id FROM contest WHERE workspace_id = ${ws.id} AND name_key = ${key} FOR UPDATE`);
        if (!existing) {
          // Rules are known before the first deal counts: a contest starts today at the earliest.
          if (input.from < today)
            throw new AppError("invalid_input", "error.contest_past", { from: input.from, today });
          try {
            const created = await tx.contest.create({
              data: { ...data, workspaceId: ws.id, nameKey: key, createdById: actor.id, createdAt: now },
              include: { team: true },
            });
            return saved(created, "created");
          } catch (error) {
            if (isUniqueViolation(error))
              throw new AppError("conflict", "error.contest_name_taken", { name: input.name });
            throw error;
          }
        }
        const current = await tx.contest.findUniqueOrThrow({
          where: { id: existing.id },
          include: { team: true },
        });
        if (current.cancelledAt)
          throw new AppError("conflict", "error.contest_name_taken", { name: current.name });
        assertCanRunContest(ws, actor, current);
        const info = infoOf(ws, current, now);
        if (info.phase === "upcoming") {
          if (input.from < today)
            throw new AppError("invalid_input", "error.contest_past", { from: input.from, today });
          const updated = await tx.contest.update({
            where: { id: current.id },
            data,
            include: { team: true },
          });
          return saved(updated, "redefined");
        }
        const same =
          current.metric === data.metric &&
          isoDay(current.fromDate) === input.from &&
          isoDay(current.toDate) === input.to &&
          current.teamMode === data.teamMode &&
          current.teamId === data.teamId;
        if (!same || info.phase === "ended")
          throw new AppError("conflict", "error.contest_rules_fixed", { name: current.name });
        const updated = await tx.contest.update({
          where: { id: current.id },
          data: { prize: data.prize },
          include: { team: true },
        });
        return saved(updated, "prize_changed");
      });
    },

    /** The contests running now and those to come (not cancelled), soonest first. */
    async listContests(ws: Workspace): Promise<ContestInfo[]> {
      const now = clock.now();
      const rows = await db.contest.findMany({
        where: {
          workspaceId: ws.id,
          cancelledAt: null,
          toDate: { gte: dateColumn(localDate(now, ws.timezone)) },
        },
        include: { team: true },
        orderBy: [{ fromDate: "asc" }, { toDate: "asc" }, { id: "asc" }],
      });
      return rows.map((c) => infoOf(ws, c, now));
    },

    /** The contests under way at the clock's now: what the daily digest shows the standings of. */
    async runningContests(ws: Workspace): Promise<ContestStandings[]> {
      const now = clock.now();
      const today = dateColumn(localDate(now, ws.timezone));
      const rows = await db.contest.findMany({
        where: { workspaceId: ws.id, cancelledAt: null, fromDate: { lte: today }, toDate: { gte: today } },
        include: { team: true },
        orderBy: [{ toDate: "asc" }, { id: "asc" }],
      });
      return Promise.all(rows.map(async (c) => ({ ...infoOf(ws, c, now), rows: await standingsOf(ws, c) })));
    },

    /** A contest by name (its folded name), with its standings now; any member may look. */
    async showContest(ws: Workspace, name: string): Promise<ContestStandings> {
      const contest = await findByName(ws, name);
      const info = infoOf(ws, contest);
      const rows = info.phase === "upcoming" ? [] : await standingsOf(ws, contest);
      return { ...info, rows };
    },

    /** Cancels a contest not yet over; who may create it may cancel it. */
    async cancelContest(ws: Workspace, actor: Member, name: string): Promise<ContestInfo> {
      return db.$transaction(async (tx) => {
        const found = await findByName(ws, name, tx);
        await tx.$queryRaw(Prisma.sql`SELECT id FROM contest WHERE id = ${found.id} FOR UPDATE`);
        const contest = await tx.contest.findUniqueOrThrow({
          where: { id: found.id },
          include: { team: true },
        });
        assertCanRunContest(ws, actor, contest);
        const info = infoOf(ws, contest);
        if (info.phase === "cancelled")
          throw new AppError("conflict", "error.contest_cancelled", { name: contest.name });
        if (info.phase === "ended")
          throw new AppError("conflict", "error.contest_over", { name: contest.name });
        const now = clock.now();
        const cancelled = await tx.contest.update({
          where: { id: contest.id },
          data: { cancelledAt: now, cancelledById: actor.id },
          include: { team: true },
        });
        return infoOf(ws, cancelled, now);
      });
    },

    /**
     * The announcements due at the clock's now and not yet made, each with the contest's standings.
     * `slotOf(day)` is the instant of the workspace's daily slot on a local day: a start is due at the
     * slot of its first day while it runs, the last day at the slot of its last day (for a contest of
     * more than one day), the result at the slot of the day after it ends and at any time after that
     * (a Closer down then catches up), a cancellation at once when the start had been announced.
     */
    async dueAnnouncements(
      ws: Workspace,
      slotOf: (day: string) => Date,
    ): Promise<{ kind: ContestAnnouncement; standings: ContestStandings }[]> {
      const now = clock.now();
      const today = localDate(now, ws.timezone);
      const rows = await db.contest.findMany({
        where: {
          workspaceId: ws.id,
          resultAnnouncedAt: null,
          fromDate: { lte: dateColumn(today) },
          OR: [{ cancelledAt: null }, { startAnnouncedAt: { not: null } }],
        },
        include: { team: true },
        orderBy: { id: "asc" },
      });
      const due: { kind: ContestAnnouncement; info: ContestInfo }[] = [];
      for (const row of rows) {
        const info = infoOf(ws, row, now);
        const c = info.contest;
        if (info.phase === "cancelled") {
          due.push({ kind: "cancelled", info });
          continue;
        }
        if (info.phase === "ended") {
          if (now >= slotOf(addDays(info.last, 1))) due.push({ kind: "result", info });
          continue;
        }
        if (!c.startAnnouncedAt && now >= slotOf(info.first)) due.push({ kind: "start", info });
        if (
          !c.lastDayAnnouncedAt &&
          info.first < info.last &&
          today === info.last &&
          now >= slotOf(info.last)
        )
          due.push({ kind: "last_day", info });
      }
      return Promise.all(
        due.map(async ({ kind, info }) => ({
          kind,
          standings: { ...info, rows: kind === "start" ? [] : await standingsOf(ws, info.contest) },
        })),
      );
    },

    /**
     * Claims one announcement of a contest through `tx`, the transaction that queues it: true for the
     * one caller that sets its column, false for any other (a replica, a retried run).
     */
    async claimAnnouncement(tx: Db, contest: Contest, kind: ContestAnnouncement): Promise<boolean> {
      const column = ANNOUNCED_COLUMN[kind];
      const claimed = await tx.$executeRaw(Prisma.sql`
        UPDATE contest SET ${column} = ${clock.now()} WHERE id = ${contest.id} AND ${column} IS NULL`);
      return claimed === 1;
    },
  };
}

export type ContestService = ReturnType<typeof createContestService>;
