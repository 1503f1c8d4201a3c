import {
  contestRules,
  contestScore,
  contestTime,
  standingLines,
  winnersOf,
} from "../messages/contest-lines.js";
import type { Reply } from "../messages/reply.js";
import { type Speaker, speakerFor } from "../messages/speaker.js";
import { channelOf, type Notification } from "../notify/outbox.js";
import type { ContestAnnouncement, ContestStandings } from "../sales/contests/contest-service.js";
import type { Workspace } from "../sales/deps.js";
import { contestChannelOf } from "../sales/workspaces/workspace-service.js";

/** How many places the last-day message and the result list. */
const PODIUM = 3;

/** What a contest's announcement says: its rules at the start, the standings on its last day, its result, or its cancellation. */
export function renderContestAnnouncement(
  s: Speaker,
  kind: ContestAnnouncement,
  standings: ContestStandings,
  now: Date,
): Reply {
  const { t } = s;
  const name = standings.contest.name;
  const reply = (title: string, lines: string[]): Reply => ({
    visibility: "public",
    locale: s.locale,
    title,
    lines,
  });
  switch (kind) {
    case "start":
      return reply(t("contest.announce.start", { name }), [
        ...contestRules(s, standings),
        contestTime(s, standings, now),
      ]);
    case "last_day":
      return reply(t("contest.announce.last_day", { name }), [
        t("contest.announce.last_day_line"),
        ...standingLines(s, standings, PODIUM),
        ...(standings.contest.prize ? [t("contest.prize", { prize: standings.contest.prize })] : []),
      ]);
    case "result": {
      const winners = winnersOf(standings);
      if (winners.length === 0)
        return reply(t("contest.announce.result", { name }), [t("contest.announce.no_winner")]);
      const names = new Intl.ListFormat(s.locale, { type: "conjunction" }).format(winners.map((w) => w.name));
      const prize = standings.contest.prize;
      return reply(t("contest.announce.result", { name }), [
        t("contest.announce.winners", { count: winners.length, names }),
        ...(prize ? [t("contest.announce.prize_won", { count: winners.length, names, prize })] : []),
        t("contest.announce.final"),
        ...standingLines(s, standings, Math.max(PODIUM, winners.length)),
        t("contest.ties"),
      ]);
    }
    case "cancelled":
      return reply(t("contest.announce.cancelled", { name }), [t("contest.announce.cancelled_line")]);
  }
}

/** The notification of one contest announcement, or null when the workspace has no channel for contests. */
export function contestNotification(
  ws: Workspace,
  kind: ContestAnnouncement,
  standings: ContestStandings,
  now: Date,
): Notification | null {
  const channel = contestChannelOf(ws);
  if (!channel) return null;
  return {
    key: `contest:${standings.contest.id}:${kind}`,
    kind: "contest",
    destination: channelOf(channel),
    reply: renderContestAnnouncement(speakerFor(ws), kind, standings, now),
  };
}

/** The digest's line for a running contest: its name, time left and first three places. */
export function digestContestLine(s: Speaker, standings: ContestStandings, now: Date): string {
  const leaders = standings.rows
    .slice(0, PODIUM)
    .map((r) => `${r.place}. ${r.name} ${contestScore(s, standings, r.score)}`);
  return s.t("digest.contest", {
    name: standings.contest.name,
    time: contestTime(s, standings, now),
    standings: leaders.length ? leaders.join(", ") : s.t("contest.no_score"),
  });
}
