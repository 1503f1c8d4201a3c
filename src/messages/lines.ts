import type { DealView } from "../sales/deals/deal-service.js";
import type { Goal } from "../sales/deps.js";
import type { GoalProgress, MilestoneCrossing } from "../sales/goals/goal-service.js";
import type { Calendar } from "../sales/periods/period.js";
import { periodNameAtStart } from "./period-name.js";
import type { Speaker } from "./speaker.js";

/** `#12 Acme · €12,000 · proposal (50%) · alice` */
export function dealLine(s: Speaker, deal: DealView): string {
  return s.t("deal.line", {
    number: deal.number,
    customer: deal.customer.name,
    amount: s.fmt.money(deal.amount),
    stage: s.t(`stage.${deal.stage}`),
    probability: s.fmt.percent(deal.probability / 100),
    owner: deal.owner.displayName,
  });
}

/**
 * `This month · alice: €8,000 of €10,000 (80%), pace 120%`, or `…, too early to judge the pace` while
 * the period's first working day is not over (pace is null). A goal of another period names it and
 * its days: `October 2026 (1 Oct – 31 Oct) · alice: €9,000 of €10,000 (90%), final`, or
 * `December 2026 (1 Dec – 31 Dec) · alice: target €10,000, not started yet`.
 */
export function goalLine(s: Speaker, p: GoalProgress, who: string): string {
  const value = (v: bigint) => (p.goal.metric === "revenue" ? s.fmt.money(v) : s.fmt.integer(v));
  const figures = {
    period: periodNameAtStart(s, p.period, p.phase === "running"),
    who,
    actual: value(p.actual),
    target: value(p.goal.target),
    attainment: s.fmt.percent(p.attainment),
  };
  if (p.phase === "upcoming") return s.t("goal.line_upcoming", figures);
  if (p.phase === "ended") return s.t("goal.line_ended", figures);
  return p.pace === null
    ? s.t("goal.line_too_early", figures)
    : s.t("goal.line", { ...figures, pace: s.fmt.percent(p.pace) });
}

/**
 * `🎯 Team North reached 50% of its revenue goal for November 2026`: whose goal (the member, the
 * team by name, the company), its metric and its period, with quarters and years named in the
 * workspace's fiscal calendar (`Q3 FY2026` when the fiscal year does not start in January).
 */
export function milestoneLine(
  s: Speaker & { cal: Pick<Calendar, "fiscalYearStart"> },
  c: MilestoneCrossing,
): string {
  const { goal, period } = c.progress;
  const params = {
    name: c.scopeName ?? "",
    threshold: s.fmt.percent(c.threshold),
    goal: s.t(`milestone.goal.${goal.metric}`),
    period: goalPeriodName(s, goal, period.start),
  };
  return s.t(`milestone.${goal.scope}`, params);
}

/** A goal's period by name: `November 2026`, `Q4 2026`, `2026`, or `Q3 FY2026`, `FY2026` for a fiscal year not starting in January. */
export function goalPeriodName(
  s: Speaker & { cal: Pick<Calendar, "fiscalYearStart"> },
  goal: Pick<Goal, "periodKind" | "periodStart">,
  start: Date,
): string {
  if (goal.periodKind === "month") return s.fmt.month(start);
  // periodStart is the local date of the period's first day, at midnight UTC.
  const month = goal.periodStart.getUTCMonth() + 1;
  const fiscal = s.cal.fiscalYearStart;
  const year = goal.periodStart.getUTCFullYear() - (month < fiscal ? 1 : 0);
  const prefix = fiscal === 1 ? "" : "fiscal_";
  if (goal.periodKind === "year") return s.t(`milestone.period.${prefix}year`, { year });
  const quarter = Math.floor(((month - fiscal + 12) % 12) / 3) + 1;
  return s.t(`milestone.period.${prefix}quarter`, { quarter, year });
}

const plurals = new Map<string, Intl.PluralRules>();

/**
 * `…and 12 more` under a list cut short (none when it is whole), in the list's language: « … et
 * 12 autres » (the same for a masculine or feminine noun), singular for one.
 */
export function moreLines(s: Speaker, list: { items: readonly unknown[]; total: number }): string[] {
  const rest = list.total - list.items.length;
  if (rest <= 0) return [];
  let rules = plurals.get(s.locale);
  if (!rules) {
    rules = new Intl.PluralRules(s.locale);
    plurals.set(s.locale, rules);
  }
  const key = rules.select(rest) === "one" ? "list.more.one" : "list.more.other";
  return [s.t(key, { count: s.fmt.integer(rest) })];
}
