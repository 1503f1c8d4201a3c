import type { DealView } from "../sales/deals/deal-service.js";
import type { GoalProgress, MilestoneCrossing } from "../sales/goals/goal-service.js";
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
 * `Month · alice: €8,000 of €10,000 (80%), pace 120%`, or `…, too early to judge the pace` while the
 * period's first working day is not over (pace is null).
 */
export function goalLine(s: Speaker, p: GoalProgress, who: string): string {
  const value = (v: bigint) => (p.goal.metric === "revenue" ? s.fmt.money(v) : s.fmt.integer(v));
  const figures = {
    period: s.t(`period.${p.goal.periodKind}`),
    who,
    actual: value(p.actual),
    target: value(p.goal.target),
    attainment: s.fmt.percent(p.attainment),
  };
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
