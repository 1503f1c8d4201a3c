import { DateTime } from "luxon";
import type { ChartSpec } from "../charts/spec.js";
import { wonAgainstGoalChart } from "../messages/charts.js";
import type { MessageKey } from "../messages/i18n.js";
import { moreLines } from "../messages/lines.js";
import type { Reply } from "../messages/reply.js";
import { type Speaker, speakerFor } from "../messages/speaker.js";
import { channelOf, dmOf, type Notification } from "../notify/outbox.js";
import type { Member, Team, Workspace } from "../sales/deps.js";
import type { Digest } from "../sales/digest/digest-service.js";
import type { WonDay } from "../sales/kpis/kpi-service.js";
import type { SalesService } from "../sales/sales-service.js";
import { calendarOf } from "../sales/workspaces/workspace-service.js";
import { digestContestLine } from "./contests.js";

function previousDay(day: string): string {
  return DateTime.fromISO(day, { zone: "UTC" }).minus({ days: 1 }).toISODate() ?? day;
}

/**
 * The digest's picture: the month's won revenue day by day against the scope's revenue goal, with
 * the pace to it; the same won total as the digest's text.
 */
export function digestChart(s: Speaker, ws: Workspace, d: Digest, days: WonDay[]): ChartSpec {
  const goal = d.goals.find((g) => g.goal.metric === "revenue");
  return wonAgainstGoalChart(s, calendarOf(ws), {
    period: d.period,
    periodLabel: s.fmt.month(d.period.start),
    who: d.team ? d.team.name : s.t("scope.company"),
    days,
    goal: goal ? goal.goal.target : null,
    today: d.date,
  });
}

/**
 * The digest as a reply: one field per part, each a few lines, the whole within platform limits;
 * with `chart`, the won-against-goal picture (drawn when it is delivered).
 */
export function renderDigest(s: Speaker, d: Digest, chart?: ChartSpec, contests: string[] = []): Reply {
  const { t, fmt } = s;
  // "none" agrees with what the list holds: in French, reps are "aucun", deals "aucune".
  const list = (
    items: string[],
    none: MessageKey = "digest.none",
    cut?: { items: readonly unknown[]; total: number },
  ) => (items.length ? [...items, ...(cut ? moreLines(s, cut) : [])].join("\n") : t(none));
  const pct = (r: number | null) => (r === null ? "–" : fmt.percent(r));
  const goalLine = (g: Digest["goals"][number]) => {
    const deals = g.goal.metric === "deals";
    const figures = {
      target: deals ? fmt.integer(g.goal.target) : fmt.money(g.goal.target),
      attainment: fmt.percent(g.attainment),
    };
    // On the month's first working day there is no pace yet (sales/goals/pace.ts).
    if (g.pace === null) return t(deals ? "digest.goal_deals_too_early" : "digest.goal_too_early", figures);
    return t(deals ? "digest.goal_deals" : "digest.goal", { ...figures, pace: fmt.percent(g.pace) });
  };
  return {
    visibility: "public",
    locale: s.locale,
    ...(chart ? { charts: [chart] } : {}),
    title: d.team
      ? t("digest.title_team", { team: d.team.name, date: fmt.day(d.date) })
      : t("digest.title", { date: fmt.day(d.date) }),
    lines: [],
    fields: [
      {
        label:
          d.yesterday.since === previousDay(d.date)
            ? t("digest.yesterday")
            : t("digest.since", { day: fmt.day(d.yesterday.since) }),
        value: [
          t("digest.yesterday_total", {
            count: d.yesterday.count,
            amount: fmt.money(d.yesterday.revenue),
          }),
          ...d.yesterday.wins.map((w) =>
            t("digest.win", {
              number: w.number,
              customer: w.customer,
              amount: fmt.money(w.amount),
              owner: w.owner,
            }),
          ),
          ...moreLines(s, { items: d.yesterday.wins, total: d.yesterday.count }),
        ].join("\n"),
      },
      {
        label: t("digest.month_to_date", { period: d.period.label }),
        value: [
          t("digest.won", { amount: fmt.money(d.kpis.wonRevenue), count: d.kpis.wonCount }),
          ...(d.goals.length ? d.goals.map(goalLine) : [t("digest.no_goal")]),
        ].join("\n"),
      },
      { label: t("digest.win_rate"), value: pct(d.kpis.winRate) },
      {
        label: t("digest.new_pipeline"),
        value: t("digest.deals_amount", {
          count: d.kpis.newCount,
          amount: fmt.money(d.kpis.newAmount),
        }),
      },
      { label: t("digest.forecast"), value: fmt.money(d.weightedForecast) },
      {
        label: t("digest.top"),
        value: list(
          d.top.map((r, i) =>
            t("digest.top_rep", {
              rank: i + 1,
              name: r.name,
              amount: fmt.money(r.revenue),
              count: r.deals,
            }),
          ),
        ),
      },
      {
        label: t("digest.behind"),
        value: list(
          d.behind.items.map((r) =>
            t("digest.behind_rep", {
              name: r.name,
              attainment: fmt.percent(r.attainment),
              pace: fmt.percent(r.pace),
            }),
          ),
          "digest.none",
          d.behind,
        ),
      },
      {
        label: t("digest.stalled", { days: d.stalledDays }),
        value: list(
          d.stalled.items.map((x) =>
            t("digest.stalled_deal", {
              number: x.number,
              customer: x.customer,
              amount: fmt.money(x.amount),
              since: fmt.date(x.lastEventAt),
            }),
          ),
          "digest.none_deals",
          d.stalled,
        ),
      },
      {
        label: t("digest.lost"),
        value: list(
          d.lost.map((r) =>
            t("digest.lost_reason", { reason: t(`reason.${r.reason}`), count: fmt.integer(r.count) }),
          ),
          "digest.none_reasons",
        ),
      },
      {
        label: t("digest.sources"),
        value: list(
          d.sources.items.map((r) =>
            t("digest.source", {
              source: r.source ?? t("digest.no_source"),
              rate: pct(r.winRate),
              amount: fmt.money(r.revenue),
            }),
          ),
          "digest.none_sources",
          d.sources,
        ),
      },
      // The products that sold, where the team sells products: none, no field.
      ...(d.products.items.length
        ? [
            {
              label: t("digest.products"),
              value: list(
                d.products.items.map((r) =>
                  t("digest.product", {
                    product: r.product?.name ?? "",
                    amount: fmt.money(r.wonRevenue),
                    count: fmt.integer(r.wonCount),
                  }),
                ),
                "digest.none",
                d.products,
              ),
            },
          ]
        : []),
      // The standings of the contests running, while they run: none, no field.
      ...(contests.length ? [{ label: t("digest.contests"), value: contests.join("\n") }] : []),
    ],
  };
}

/**
 * The day's digests of a workspace as of the sales service's clock: one to the digest channel
 * (everyone) and one by DM to each manager (their team's, or everyone's without a team). Admins
 * get everyone's by DM only when there is no digest channel to read it in.
 */
export async function digestsOf(sales: SalesService, ws: Workspace, day: string): Promise<Notification[]> {
  const s = speakerFor(ws);
  const members = await sales.members.listMembers(ws);
  const teams = new Map((await sales.members.listTeams(ws)).map((t) => [t.id, t as Team]));
  const rendered = new Map<number, Reply>();
  const contests = await sales.contests.runningContests(ws);
  const now = sales.clock.now();
  const digestOf = async (team: Team | null) => {
    const id = team?.id ?? 0;
    let reply = rendered.get(id);
    if (!reply) {
      const digest = await sales.digest.computeDigest(ws, team);
      const scope = team ? { scope: "team" as const, team } : { scope: "company" as const };
      const days = await sales.kpis.wonByDay(ws, digest.period, scope);
      // A team's digest shows the whole company's contests and its own team's; the company's, all.
      const shown = contests.filter(
        (c) => !team || c.contest.teamId === null || c.contest.teamId === team.id,
      );
      const lines = shown.map((c) => digestContestLine(s, c, now));
      reply = renderDigest(s, digest, digestChart(s, ws, digest, days), lines);
      rendered.set(id, reply);
    }
    return reply;
  };
  const out: Notification[] = [];
  if (ws.digestChannel)
    out.push({
      key: `digest:${ws.id}:${day}:channel`,
      kind: "digest",
      destination: channelOf(ws.digestChannel),
      reply: await digestOf(null),
    });
  const managers = members.filter(
    (m: Member) => m.active && (m.role === "manager" || (m.role === "admin" && !ws.digestChannel)),
  );
  for (const m of managers) {
    const team = m.role === "manager" && m.teamId ? (teams.get(m.teamId) ?? null) : null;
    out.push({
      key: `digest:${ws.id}:${day}:${m.id}`,
      kind: "digest",
      destination: dmOf(m.platformUserId),
      reply: await digestOf(team),
    });
  }
  return out;
}
