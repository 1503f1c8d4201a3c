import { periodTitle } from "../../messages/period-name.js";
import type { Speaker } from "../../messages/speaker.js";
import type { DealView } from "../../sales/deals/deal-service.js";
import type { Workspace } from "../../sales/deps.js";
import type { TvBoard, TvGoal } from "../../sales/links/tv-board.js";
import { type Html, markup } from "../layout.js";
import { contestPanel, contestsChange, resultPanel } from "./tv-contests.js";

/** How long each panel of the rotation (a period's leaderboard, a contest) stays on screen before the next. */
export const ROTATE_MS = 15_000;
/** How long a win's celebration covers the screen. */
export const CELEBRATE_MS = 8_000;

export interface TvScreenOptions {
  rotateMs?: number;
  celebrateMs?: number;
}

/** The words of a win's celebration: who won how much, and from whom. */
export interface Celebration {
  title: string;
  detail: string;
}

export function celebrationOf(s: Speaker, deal: DealView): Celebration {
  return {
    title: s.t("tv.celebration", { owner: deal.owner.displayName, amount: s.fmt.money(deal.amount) }),
    detail: s.t("tv.celebration_detail", { customer: deal.customer.name }),
  };
}

function leaderboardPanel(s: Speaker, entry: TvBoard["boards"][number], first: boolean): Html {
  const { items, total } = entry.leaderboard;
  const rows = items.map(
    (r) => markup`<tr class="${r.rank === 1 ? "first" : ""}">
<td class="num">${r.rank}</td><td>${r.name}</td><td class="num">${s.fmt.money(r.revenue)}</td><td class="num">${s.fmt.integer(r.deals)}</td>
</tr>`,
  );
  const more = total - items.length;
  return markup`<section class="panel leaderboard slide" data-period="${entry.period.kind}"${first ? "" : markup` hidden`}>
<h2>${s.t("tv.leaderboard", { period: periodTitle(s, entry.period) })}</h2>
${
  items.length === 0
    ? markup`<p class="empty">${s.t("tv.no_wins_period")}</p>`
    : markup`<table class="leaders">
<thead><tr><th class="num">${s.t("tv.rank")}</th><th>${s.t("tv.rep")}</th><th class="num">${s.t("tv.won")}</th><th class="num">${s.t("tv.deals")}</th></tr></thead>
<tbody>${rows}</tbody>
</table>${more > 0 ? markup`<p class="more">${s.t("tv.more_reps", { count: more })}</p>` : ""}`
}
</section>`;
}

/** The bar's scale: a goal reached fills it; the yellow mark is where being on pace would be. */
const BAR_WIDTH = 1000;

function goalBar(g: TvGoal, s: Speaker): Html {
  const p = g.progress;
  const filled = Math.round(Math.min(1, Math.max(0, p.attainment)) * BAR_WIDTH);
  const paceAt = Math.round(Math.min(1, Math.max(0, p.elapsed)) * BAR_WIDTH);
  const value = (v: bigint) => (p.goal.metric === "revenue" ? s.fmt.money(v) : s.fmt.integer(v));
  const who = g.team ? s.t("tv.team", { team: g.team.name }) : s.t("tv.company");
  const metric = s.t(p.goal.metric === "revenue" ? "tv.goal_revenue" : "tv.goal_deals");
  const pace = p.pace === null ? s.t("tv.pace_early") : s.t("tv.pace", { pace: s.fmt.percent(p.pace) });
  return markup`<div class="goal" data-scope="${g.team ? "team" : "company"}">
<div class="goal-head"><span class="goal-name">${who} · ${metric} · ${periodTitle(s, p.period)}</span><span class="goal-attainment">${s.fmt.percent(p.attainment)}</span></div>
<svg class="goal-bar" viewBox="0 0 ${BAR_WIDTH} 40" preserveAspectRatio="none" aria-hidden="true"><rect class="track" width="${BAR_WIDTH}" height="40" rx="20"/><rect class="fill${p.attainment >= 1 ? " reached" : ""}" width="${filled}" height="40" rx="20"/><line class="pace-mark" x1="${paceAt}" x2="${paceAt}" y1="0" y2="40"/></svg>
<div class="goal-meta"><span>${s.t("tv.goal_figures", { actual: value(p.actual), target: value(p.goal.target) })}</span><span>${pace}</span></div>
</div>`;
}

function winItem(s: Speaker, deal: DealView): Html {
  return markup`<li><span class="win-who">${deal.owner.displayName}</span><span class="win-amount">${s.fmt.money(deal.amount)}</span><span class="win-customer">${deal.customer.name}${deal.title ? ` · ${deal.title}` : ""}</span><span class="win-date">${deal.closedAt ? s.fmt.date(deal.closedAt) : ""}</span></li>`;
}

/**
 * The part of the screen a win changes: the panels shown in turn (the month's leaderboard, then the
 * quarter's, each running contest and each result of the last day, hidden until the script turns to
 * them), the goals and the latest wins. Sent again, whole, with each win.
 */
export function boardMarkup(s: Speaker, board: TvBoard): Html {
  return markup`<div class="column">
${board.boards.map((b, i) => leaderboardPanel(s, b, i === 0))}
${board.contests.running.map((c) => contestPanel(s, c, board.at))}
${board.contests.ended.map((c) => resultPanel(s, c))}
${contestsChange(board)}
</div>
<div class="column">
<section class="panel goals"><h2>${s.t("tv.goals")}</h2>
${board.goals.length === 0 ? markup`<p class="empty">${s.t("tv.no_goals")}</p>` : board.goals.map((g) => goalBar(g, s))}
</section>
<section class="panel latest-wins"><h2>${s.t("tv.latest_wins")}</h2>
${
  board.wins.length === 0
    ? markup`<p class="empty">${s.t("tv.no_latest_wins")}</p>`
    : markup`<ul class="wins">${board.wins.map((d) => winItem(s, d))}</ul>`
}
</section>
</div>`;
}

/** The TV screen's body: the workspace's name, the board, the live status and the celebration overlay. */
export function tvBody(ws: Workspace, s: Speaker, board: TvBoard, options: TvScreenOptions = {}): Html {
  return markup`<main id="tv" class="tv" data-rotate-ms="${options.rotateMs ?? ROTATE_MS}" data-celebrate-ms="${options.celebrateMs ?? CELEBRATE_MS}">
<header class="tv-header"><h1>${ws.name}</h1><span id="tv-status" class="tv-status" hidden>${s.t("tv.offline")}</span></header>
<div id="board" class="board">
${boardMarkup(s, board)}
</div>
</main>
<div id="celebration" class="celebration" role="status" hidden><p class="celebration-title"></p><p class="celebration-detail"></p></div>`;
}
