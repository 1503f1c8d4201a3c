import { contestScore, contestTime, winnersOf } from "../../messages/contest-lines.js";
import type { Speaker } from "../../messages/speaker.js";
import type { ContestStanding, ContestStandings } from "../../sales/contests/contest-service.js";
import { TV_LIMITS, type TvBoard } from "../../sales/links/tv-board.js";
import { type Html, markup } from "../layout.js";

/*
 * The contests on the TV screen: a panel per running contest (its rules in a line, a live countdown
 * to its end, its standings with the gap to the leader, its prize) and, for a day after one ends, its
 * winner screen. Both take their turn with the leaderboards (class `slide`).
 */

const MS = { day: 86_400_000, hour: 3_600_000, minute: 60_000, second: 1000 } as const;

/**
 * Days, hours, minutes and seconds in `ms` (none below 0), a second begun counting whole, as a
 * countdown reads (it says 00:00:00 at the end, not a second before): what the countdown starts from.
 */
export function countdownParts(ms: number): Record<keyof typeof MS, number> {
  let left = Math.max(0, Math.ceil(ms / MS.second) * MS.second);
  const parts = { day: 0, hour: 0, minute: 0, second: 0 };
  for (const unit of ["day", "hour", "minute", "second"] as const) {
    parts[unit] = Math.floor(left / MS[unit]);
    left -= parts[unit] * MS[unit];
  }
  return parts;
}

/**
 * The countdown to a contest's end. The server counts the time left by its own clock, so the screen
 * agrees with the contest's rules whatever the TV's clock says; the script (tv.js) counts it down from
 * there, every second, and shows `data-over` when it reaches zero.
 */
function countdown(s: Speaker, c: ContestStandings, at: Date): Html {
  const remaining = c.period.end.getTime() - at.getTime();
  const parts = countdownParts(remaining);
  const part = (unit: keyof typeof MS, label: string, value: number) =>
    markup`<span class="cd-part"><span class="cd-value" data-unit="${unit}">${unit === "day" ? String(value) : String(value).padStart(2, "0")}</span><span class="cd-unit">${label}</span></span>`;
  return markup`<div class="contest-clock">
<span class="countdown-label">${s.t("tv.contest_ends_in")}</span>
<span class="countdown" role="timer" data-remaining-ms="${remaining}" data-over="${s.t("tv.contest_time_up")}">${part("day", s.t("tv.countdown_days"), parts.day)}${part("hour", s.t("tv.countdown_hours"), parts.hour)}${part("minute", s.t("tv.countdown_minutes"), parts.minute)}${part("second", s.t("tv.countdown_seconds"), parts.second)}</span>
<span class="contest-time">${contestTime(s, c, at)}</span>
</div>`;
}

/** Who takes part: team against team, one team's members, or everyone. */
function contestScope(s: Speaker, c: ContestStandings): string {
  if (c.contest.teamMode) return s.t("tv.contest_teams");
  return c.team ? s.t("tv.team", { team: c.team.name }) : s.t("tv.contest_everyone");
}

function standingsTable(s: Speaker, c: ContestStandings, rows: ContestStanding[]): Html {
  if (rows.length === 0) return markup`<p class="empty">${s.t("contest.no_score")}</p>`;
  const leader = c.rows[0]?.score ?? 0;
  const body = rows.map(
    (r) => markup`<tr class="${r.place === 1 ? "first" : ""}">
<td class="num">${r.place}</td><td>${r.name}</td><td class="num">${contestScore(s, c, r.score)}</td><td class="num gap">${r.score >= leader ? "" : contestScore(s, c, leader - r.score)}</td>
</tr>`,
  );
  return markup`<table class="leaders contest-standings">
<thead><tr><th class="num">${s.t("tv.rank")}</th><th>${s.t(c.contest.teamMode ? "tv.contest_team" : "tv.rep")}</th><th class="num">${s.t("tv.contest_score")}</th><th class="num">${s.t("tv.contest_gap")}</th></tr></thead>
<tbody>${body}</tbody>
</table>`;
}

/** A running contest's panel: name, metric and who takes part, countdown, standings, prize. */
export function contestPanel(s: Speaker, c: ContestStandings, at: Date): Html {
  const metric = s.t("tv.contest_metric", { metric: s.t(`contest.metric_short.${c.contest.metric}`) });
  return markup`<section class="panel contest slide" data-contest="${c.contest.id}" hidden>
<h2>${s.t("tv.contest", { name: c.contest.name })}</h2>
<p class="contest-rules">${metric} · ${contestScope(s, c)}</p>
${countdown(s, c, at)}
${standingsTable(s, c, c.rows.slice(0, TV_LIMITS.contestPlaces))}
${c.contest.prize ? markup`<p class="contest-prize">${s.t("contest.prize", { prize: c.contest.prize })}</p>` : ""}
</section>`;
}

/** An ended contest's winner screen: the winners (a shared first place shares it), the prize, the podium. */
export function resultPanel(s: Speaker, c: ContestStandings): Html {
  const winners = winnersOf(c);
  const names = new Intl.ListFormat(s.locale, { type: "conjunction" }).format(winners.map((w) => w.name));
  const prize = c.contest.prize;
  return markup`<section class="panel contest-result slide" data-contest="${c.contest.id}" hidden>
<h2>${s.t("tv.contest_result", { name: c.contest.name })}</h2>
${
  winners.length === 0
    ? markup`<p class="empty">${s.t("contest.announce.no_winner")}</p>`
    : markup`<p class="winners-label">${s.t("tv.contest_winners", { count: winners.length })}</p>
<p class="winners">${names}</p>
${prize ? markup`<p class="contest-prize">${s.t("contest.announce.prize_won", { count: winners.length, names, prize })}</p>` : ""}
<h3>${s.t("tv.contest_final")}</h3>
${standingsTable(s, c, c.rows.slice(0, Math.max(3, winners.length)))}`
}
<p class="contest-time">${contestTime(s, c, c.period.end)}</p>
</section>`;
}

/**
 * When the board's contests change next (a contest ends, a result leaves, one starts), as the time
 * left by the service's clock: the script asks for the board afresh then, so a screen nobody
 * touches shows the winner screen when the countdown ends and drops it a day later.
 */
export function contestsChange(board: TvBoard): Html | string {
  const at = board.contests.changesAt;
  if (!at) return "";
  return markup`<span class="board-changes" data-changes-in-ms="${at.getTime() - board.at.getTime()}" hidden></span>`;
}
