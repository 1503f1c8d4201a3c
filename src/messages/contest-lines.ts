import { DateTime } from "luxon";
import type { ContestInfo, ContestStanding, ContestStandings } from "../sales/contests/contest-service.js";
import { localDate } from "../sales/periods/period.js";
import type { Speaker } from "./speaker.js";

/**
 * How contests are worded, the same in `/contest` answers, their announcements and the digest: the
 * rules (metric, who, dates, prize, how ties are broken), the time left and the standings.
 */

/**
 * A score as its metric reads: money, a number of deals or activities (a team's average keeps a
 * decimal), or a percentage.
 */
export function contestScore(s: Speaker, info: ContestInfo, score: number): string {
  switch (info.contest.metric) {
    case "revenue":
    case "new_pipeline":
      return s.fmt.money(BigInt(Math.round(score)));
    case "deals":
    case "activities":
      return info.contest.teamMode ? s.fmt.decimal(score) : s.fmt.integer(Math.round(score));
    case "attainment":
      return s.fmt.percent(score);
  }
}

/** The rules as announced: what counts, among whom, when, for what prize, and how ties are broken. */
export function contestRules(s: Speaker, info: ContestInfo): string[] {
  const { t, fmt } = s;
  const c = info.contest;
  return [
    t(`contest.metric.${c.metric}`),
    c.teamMode
      ? t("contest.scope_teams")
      : info.team
        ? t("contest.scope_team", { team: info.team.name })
        : t("contest.scope_everyone"),
    t("contest.dates", { from: fmt.day(info.first), to: fmt.day(info.last) }),
    ...(c.prize ? [t("contest.prize", { prize: c.prize })] : []),
    t("contest.ties"),
  ];
}

const dayDiff = (from: string, to: string) =>
  Math.round(
    DateTime.fromISO(to, { zone: "UTC" }).diff(DateTime.fromISO(from, { zone: "UTC" }), "days").days,
  );

/** Where a contest stands in time: starts in n days, n days left (today counted), ended, cancelled. */
export function contestTime(s: Speaker, info: ContestInfo, now: Date): string {
  const today = localDate(now, s.fmt.timezone);
  switch (info.phase) {
    case "upcoming":
      return s.t("contest.starts_in", { days: dayDiff(today, info.first), date: s.fmt.day(info.first) });
    case "running":
      return s.t("contest.days_left", { days: dayDiff(today, info.last) + 1, date: s.fmt.day(info.last) });
    case "ended":
      return s.t("contest.ended", { date: s.fmt.day(info.last) });
    case "cancelled":
      return s.t("contest.cancelled_state");
  }
}

/** `1. alice · €12,000`, then for the others the gap to the leader. */
export function standingLine(s: Speaker, info: ContestInfo, row: ContestStanding, leader: number): string {
  const score = contestScore(s, info, row.score);
  if (row.score >= leader) return s.t("contest.standing_leader", { place: row.place, name: row.name, score });
  return s.t("contest.standing", {
    place: row.place,
    name: row.name,
    score,
    gap: contestScore(s, info, leader - row.score),
  });
}

/** The first `limit` rows of the standings, or that nobody has scored yet. */
export function standingLines(s: Speaker, standings: ContestStandings, limit: number): string[] {
  const leader = standings.rows[0]?.score ?? 0;
  if (standings.rows.length === 0) return [s.t("contest.no_score")];
  return standings.rows.slice(0, limit).map((r) => standingLine(s, standings, r, leader));
}

/** The winners of a finished contest: everyone in first place (a shared place shares the win), once they scored. */
export function winnersOf(standings: ContestStandings): ContestStanding[] {
  return standings.rows.filter((r) => r.place === 1 && r.score > 0);
}
