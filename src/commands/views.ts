import { currencyDigits } from "../messages/format.js";
import { dealLine } from "../messages/lines.js";
import type { Action } from "../messages/reply.js";
import type { DealView } from "../sales/deals/deal-service.js";
import { nextStage } from "../sales/deals/stages.js";
import type { Answer, CommandContext } from "./command.js";

export { dealLine };

/** Buttons under a deal: won, lost, next stage (open deals only), and edit (a form) for any deal. */
export function dealActions(ctx: CommandContext, deal: DealView): Action[] {
  const n = `#${deal.number}`;
  const edit: Action = {
    id: "deal.edit",
    label: ctx.t("action.edit"),
    command: "deal edit",
    value: n,
    form: true,
  };
  if (deal.stage === "won" || deal.stage === "lost") return [edit];
  const next = nextStage(deal.stage);
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
    edit,
  ];
}

/** A deal's line under a title, with its buttons. */
export function dealAnswer(ctx: CommandContext, title: string, deal: DealView, extra: string[] = []): Answer {
  return { title, lines: [dealLine(ctx, deal), ...extra], actions: dealActions(ctx, deal) };
}

/** A deal's editable fields as a form shows them, prefilled: what `/deal edit` reads back unchanged. */
export interface EditableDeal {
  amount: string;
  customer: string;
  title: string;
  source: string;
  /** YYYY-MM-DD, or empty. */
  close: string;
}

/**
 * The current values of a deal for its edit form. The amount is written as the workspace's amounts
 * are read, without grouping (`12000`, `12000.50`; French `12000,50`), so it parses back as itself.
 */
export function editableDeal(ctx: CommandContext, deal: DealView): EditableDeal {
  const digits = currencyDigits(ctx.workspace.currency);
  const unit = 10n ** BigInt(digits);
  const whole = deal.amount / unit;
  const fraction = deal.amount % unit;
  const separator = ctx.locale === "fr" ? "," : ".";
  const amount =
    fraction === 0n ? `${whole}` : `${whole}${separator}${fraction.toString().padStart(digits, "0")}`;
  return {
    amount,
    customer: deal.customer.name,
    title: deal.title ?? "",
    source: deal.leadSource ?? "",
    close: deal.expectedCloseDate?.toISOString().slice(0, 10) ?? "",
  };
}
