import type { DealView } from "../sales/deals/deal-service.js";
import type { GoalProgress, MilestoneCrossing } from "../sales/goals/goal-service.js";
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

/** `🎯 alice reached 100% of the goal (month)` */
export function milestoneLine(s: Speaker, c: MilestoneCrossing, ownerName: string): string {
  return s.t("goal.milestone", {
    threshold: s.fmt.percent(c.threshold),
    period: s.t(`period.${c.progress.goal.periodKind}`),
    scope: s.t(`scope.${c.progress.goal.scope}`, { name: ownerName }),
  });
}
