import type { CommandContext } from "../../commands/command.js";
import { type EditableDeal, editableDeal } from "../../commands/views.js";
import type { DealView } from "../../sales/deals/deal-service.js";
import { OPEN_STAGES } from "../../sales/deals/stages.js";
import type { Block } from "./render-blocks.js";

export const DEAL_MODAL_ID = "deal_log";
export const DEAL_EDIT_MODAL_ID = "deal_edit";

/** Where the deal reply goes once the modal is submitted; the edit form also names its deal. */
export interface DealModalMetadata {
  channelId: string | undefined;
  number?: number;
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

/** What a form's field holds: typed text, a picked date or a picked option; undefined when empty. */
function fieldValue(values: StateValues, id: string): string | undefined {
  const v = values[id]?.value;
  return v?.value ?? v?.selected_date ?? v?.selected_option?.value ?? undefined;
}

/** The submitted form as the raw input of `/deal log`. */
export function dealModalInput(values: StateValues): Record<string, unknown> {
  const get = (id: string) => fieldValue(values, id);
  return {
    amount: get("amount"),
    customer: get("customer"),
    stage: get("stage"),
    source: get("source"),
    close: get("close"),
  };
}

/**
 * A deal's Edit form: the fields of `/deal edit`, prefilled with the deal's values, one block per
 * option so refusals land on their field. A field left as it is changes nothing.
 */
export function dealEditModal(ctx: CommandContext, deal: DealView, channelId: string | undefined) {
  const text = (s: string) => ({ type: "plain_text", text: s.slice(0, 150) });
  const values: EditableDeal = editableDeal(ctx, deal);
  const field = (id: "amount" | "customer" | "title" | "source", label: string, max: number) =>
    input(
      id,
      label,
      {
        type: "plain_text_input",
        max_length: max,
        ...(values[id] ? { initial_value: values[id] } : {}),
      },
      true,
    );
  const metadata: DealModalMetadata = { channelId, number: deal.number };
  return {
    type: "modal" as const,
    callback_id: DEAL_EDIT_MODAL_ID,
    private_metadata: JSON.stringify(metadata),
    title: text(ctx.t("modal.edit_title", { number: deal.number }).slice(0, 24)),
    submit: text(ctx.t("modal.save")),
    close: text(ctx.t("modal.cancel")),
    blocks: [
      field("amount", ctx.t("field.amount"), 40),
      field("customer", ctx.t("field.customer"), 120),
      field("title", ctx.t("field.title"), 200),
      field("source", ctx.t("field.source"), 60),
      input(
        "close",
        ctx.t("field.close"),
        { type: "datepicker", ...(values.close ? { initial_date: values.close } : {}) },
        true,
      ),
    ],
  };
}

/** The submitted Edit form as the raw input of `/deal edit`: the deal its metadata names, and the fields. */
export function dealEditModalInput(values: StateValues, number: number | undefined): Record<string, unknown> {
  return {
    deal: number === undefined ? undefined : `#${number}`,
    ...Object.fromEntries(
      (["amount", "customer", "title", "source", "close"] as const).map((id) => [id, fieldValue(values, id)]),
    ),
  };
}
