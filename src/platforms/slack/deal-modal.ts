import type { CommandContext } from "../../commands/command.js";
import { OPEN_STAGES } from "../../sales/deals/stages.js";
import type { Block } from "./render-blocks.js";

export const DEAL_MODAL_ID = "deal_log";

/** Where the deal reply goes once the modal is submitted. */
export interface DealModalMetadata {
  channelId: string;
}

const input = (id: string, label: string, element: Record<string, unknown>, optional = false): Block => ({
  type: "input",
  block_id: id,
  optional,
  label: { type: "plain_text", text: label },
  element: { action_id: "value", ...element },
});

/** The `/deal` form: the fields of `/deal log`, one block per input so errors land on their field. */
export function dealModal(ctx: CommandContext, metadata: DealModalMetadata) {
  const text = (s: string) => ({ type: "plain_text", text: s });
  const stageOption = (s: string) => ({
    text: text(ctx.t(`stage.${s as (typeof OPEN_STAGES)[number]}`)),
    value: s,
  });
  return {
    type: "modal" as const,
    callback_id: DEAL_MODAL_ID,
    private_metadata: JSON.stringify(metadata),
    title: text(ctx.t("modal.deal_title")),
    submit: text(ctx.t("modal.submit")),
    close: text(ctx.t("modal.cancel")),
    blocks: [
      input("amount", ctx.t("field.amount"), {
        type: "plain_text_input",
        placeholder: text(ctx.locale === "fr" ? "12 000 ou 12k" : "12,000 or 12k"),
      }),
      input("customer", ctx.t("field.customer"), { type: "plain_text_input", max_length: 120 }),
      input("stage", ctx.t("field.stage"), {
        type: "static_select",
        options: OPEN_STAGES.map(stageOption),
        initial_option: stageOption("lead"),
      }),
      input("source", ctx.t("field.source"), { type: "plain_text_input", max_length: 60 }, true),
      input("close", ctx.t("field.close"), { type: "datepicker" }, true),
    ],
  };
}

type StateValues = Record<
  string,
  Record<
    string,
    { value?: string | null; selected_date?: string | null; selected_option?: { value: string } | null }
  >
>;

/** The submitted form as the raw input of `/deal log`. */
export function dealModalInput(values: StateValues): Record<string, unknown> {
  const get = (id: string) => {
    const v = values[id]?.value;
    return v?.value ?? v?.selected_date ?? v?.selected_option?.value ?? undefined;
  };
  return {
    amount: get("amount"),
    customer: get("customer"),
    stage: get("stage"),
    source: get("source"),
    close: get("close"),
  };
}
