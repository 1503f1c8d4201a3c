import { dealLine } from "../messages/lines.js";
import type { Action } from "../messages/reply.js";
import type { DealView } from "../sales/deals/deal-service.js";
import { nextStage } from "../sales/deals/stages.js";
import type { Answer, CommandContext } from "./command.js";

export { dealLine };

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

/** A deal's line under a title, with its buttons. */
export function dealAnswer(ctx: CommandContext, title: string, deal: DealView, extra: string[] = []): Answer {
  return { title, lines: [dealLine(ctx, deal), ...extra], actions: dealActions(ctx, deal) };
}
