import type { Action, Reply } from "../messages/reply.js";
import type { Speaker } from "../messages/speaker.js";
import type { DealView } from "../sales/deals/deal-service.js";
import { nextStage } from "../sales/deals/stages.js";
import type { GoalProgress, MilestoneCrossing } from "../sales/goals/goal-service.js";
import type { CommandContext } from "./command.js";

/** `#12 Acme · €12,000 · proposal (50%) · alice` */
export function dealLine(ctx: CommandContext, deal: DealView): string {
  const stage = ctx.t(`stage.${deal.stage}`);
  return ctx.t("deal.line", {
    number: deal.number,
    customer: deal.customer.name,
    amount: ctx.fmt.money(deal.amount),
    stage,
    probability: ctx.fmt.percent(deal.probability / 100),
    owner: deal.owner.displayName,
  });
}

/** Buttons under a deal: won, lost, next stage (open deals only). */
export function dealActions(ctx: CommandContext, deal: DealView): Action[] {
  if (deal.stage === "won" || deal.stage === "lost") return [];
  const next = nextStage(deal.stage);
  const n = `#${deal.number}`;
  return [
    { id: "deal.won", label: ctx.t("action.won"), command: "deal won", value: n, style: "primary" },
    { id: "deal.lost", label: ctx.t("action.lost"), command: "deal lost", value: n, style: "danger" },
    ...(next
      ? [
          {
            id: "deal.stage",
            label: ctx.t("action.next_stage", { stage: ctx.t(`stage.${next}`) }),
            command: "deal stage",
            value: `${n} ${next}`,
          },
        ]
      : []),
  ];
}

export function dealReply(ctx: CommandContext, title: string, deal: DealView, extra: string[] = []): Reply {
  return {
    visibility: "public",
    title,
    lines: [dealLine(ctx, deal), ...extra],
    actions: dealActions(ctx, deal),
  };
}

/** `Month goal (alice): €8,000 of €10,000 — 80%, pace 120%` */
export function goalLine(ctx: Speaker, p: GoalProgress, who: string): string {
  const value = (v: bigint) => (p.goal.metric === "revenue" ? ctx.fmt.money(v) : ctx.fmt.integer(v));
  return ctx.t("goal.line", {
    period: ctx.t(`period.${p.goal.periodKind}`),
    who,
    actual: value(p.actual),
    target: value(p.goal.target),
    attainment: ctx.fmt.percent(p.attainment),
    pace: p.pace === null ? "–" : ctx.fmt.percent(p.pace),
  });
}

/** `🎯 alice reached 100% of the goal (month)` */
export function milestoneLine(ctx: Speaker, c: MilestoneCrossing, ownerName: string): string {
  return ctx.t("goal.milestone", {
    threshold: ctx.fmt.percent(c.threshold),
    period: ctx.t(`period.${c.progress.goal.periodKind}`),
    scope: ctx.t(`scope.${c.progress.goal.scope}`, { name: ownerName }),
  });
}
