import { AppError } from "../../errors.js";
import { Prisma } from "../../generated/prisma/client.js";
import { nameKey } from "../customers/name-key.js";
import type { Contest, ContestMetric, Db, Member, SalesDeps, Team, Workspace } from "../deps.js";
import { localDate } from "../periods/period.js";
import { assertCanRunContest, assertInWorkspace } from "../permissions.js";
import { isUniqueViolation } from "../unique-violation.js";
import { createContestAnnouncements } from "./contest-announcements.js";
import {
  addDays,
  type ContestInfo,
  type ContestStandings,
  contestInfo,
  dateColumn,
  isoDay,
  readStandings,
} from "./contest-reads.js";

export type { ContestAnnouncement } from "./contest-announcements.js";
export type { ContestInfo, ContestStanding, ContestStandings } from "./contest-reads.js";

/** The longest contest, in days: a year and a day, so a leap year fits. */
export const MAX_CONTEST_DAYS = 366;

/** How long a contest's result stays on the TV screen after it ends: a day. */
export const RESULT_ON_SCREEN_MS = 24 * 60 * 60 * 1000;

/** The contests a TV screen shows: running ones, and those whose result is still on screen. */
export interface ScreenContests {
  running: ContestStandings[];
  ended: ContestStandings[];
  /** The next instant the screen's contests change (one ends, a result leaves, one starts); null: none to come. */
  changesAt: Date | null;
}

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

/** What `createContest` did: a new contest, a coming one redefined, or a running one's prize changed. */
export interface ContestSaved extends ContestInfo {
  outcome: "created" | "redefined" | "prize_changed";
}

/**
 * Contests: created by managers for their team and by admins for anyone, fixed once started, listed,
 * scored in SQL (`contest-sql.ts`), cancelled; and the announcements due (`contest-announcements.ts`).
 */
export function createContestService({ db, clock }: SalesDeps) {
  const infoOf = (ws: Workspace, contest: Contest & { team: Team | null }, now = clock.now()) =>
    contestInfo(ws, contest, now);

  async function findByName(ws: Workspace, name: string, client: Db = db) {
    const contest = await client.contest.findUnique({
      where: { workspaceId_nameKey: { workspaceId: ws.id, nameKey: nameKey(name) } },
      include: { team: true },
    });
    if (!contest) throw new AppError("not_found", "error.contest_not_found", { name });
    return contest;
  }

  const standingsOf = (ws: Workspace, contest: Contest) => readStandings(db, ws, contest);

  return {
    ...createContestAnnouncements({ db, clock }),

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

    /**
     * What a TV screen shows of contests at `at`: those running, with their standings, and those
     * that ended less than {@link RESULT_ON_SCREEN_MS} ago, with their final standings (not
     * cancelled); and when that changes next, as one ends, a result leaves or one starts.
     */
    async screenContests(ws: Workspace, at = clock.now()): Promise<ScreenContests> {
      const today = localDate(at, ws.timezone);
      // Local dates are at most a day off an instant: two days back holds every result still shown.
      const rows = await db.contest.findMany({
        where: { workspaceId: ws.id, cancelledAt: null, toDate: { gte: dateColumn(addDays(today, -2)) } },
        include: { team: true },
        orderBy: [{ toDate: "asc" }, { id: "asc" }],
      });
      const infos = rows.map((c) => infoOf(ws, c, at));
      const resultLeaves = (i: ContestInfo) => i.period.end.getTime() + RESULT_ON_SCREEN_MS;
      const shown = infos.filter(
        (i) => i.phase === "running" || (i.phase === "ended" && at.getTime() < resultLeaves(i)),
      );
      const changes = [
        ...shown.map((i) => (i.phase === "running" ? i.period.end.getTime() : resultLeaves(i))),
        ...infos.filter((i) => i.phase === "upcoming").map((i) => i.period.start.getTime()),
      ];
      const read = await Promise.all(
        shown.map(async (i) => ({ ...i, rows: await standingsOf(ws, i.contest) })),
      );
      return {
        running: read.filter((c) => c.phase === "running"),
        ended: read.filter((c) => c.phase === "ended"),
        changesAt: changes.length ? new Date(Math.min(...changes)) : null,
      };
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
  };
}

export type ContestService = ReturnType<typeof createContestService>;
