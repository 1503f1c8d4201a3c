import { DateTime } from "luxon";
import type { Contest, Db, Team, Workspace } from "../deps.js";
import { dayRange, type Period } from "../periods/period.js";
import { type ContestRules, contestStandingsSql } from "./contest-sql.js";

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
  /** Money in minor units, a count of deals or activities, or an attainment ratio (1 = 100%); a team's is its members' average. */
  score: number;
  /** When the last deal that counted happened: of equal scores, the earlier ranks higher. */
  reachedAt: Date | null;
  /** 1 for the leader; equal scores reached at the same instant share a place. */
  place: number;
}

export interface ContestStandings extends ContestInfo {
  rows: ContestStanding[];
}

export const isoDay = (date: Date) => date.toISOString().slice(0, 10);
/** A local date as a `@db.Date` value. */
export const dateColumn = (day: string) => new Date(`${day}T00:00:00Z`);
export const addDays = (day: string, days: number) =>
  DateTime.fromISO(day, { zone: "UTC" }).plus({ days }).toISODate() ?? day;

/** A contest's days and where it stands at `now`. */
export function contestInfo(ws: Workspace, contest: Contest & { team: Team | null }, now: Date): ContestInfo {
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

/** The rules the standings are computed by (exported for bench/contest, which times the same statement). */
export function rulesOf(ws: Workspace, contest: Contest): ContestRules {
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

/** The standings of a contest, read through `db`. */
export async function readStandings(db: Db, ws: Workspace, contest: Contest): Promise<ContestStanding[]> {
  const rows = await db.$queryRaw<
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
