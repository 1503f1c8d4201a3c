import type { CommandContext } from "../../commands/command.js";
import { editableDeal } from "../../commands/views.js";
import type { DealView } from "../../sales/deals/deal-service.js";

export const DEAL_MODAL_ID = "deal_log";
/** A deal's edit form: `deal_edit:<number>`, so its submission names the deal it edits. */
export const DEAL_EDIT_MODAL_PREFIX = "deal_edit:";

const FIELDS = ["amount", "customer", "stage", "source", "close"] as const;

/** The `/deal log` form as a Discord modal: one text input per field (Discord modals have no selects). */
export function dealModal(ctx: CommandContext) {
  const label = {
    amount: "field.amount",
    customer: "field.customer",
    stage: "field.stage",
    source: "field.source",
    close: "field.close",
  } as const;
  return {
    custom_id: DEAL_MODAL_ID,
    title: ctx.t("modal.deal_title").slice(0, 45),
    components: FIELDS.map((id) => ({
      type: 1,
      components: [
        {
          type: 4,
          custom_id: id,
          label: ctx.t(label[id]).slice(0, 45),
          style: 1,
          required: id === "amount" || id === "customer",
          max_length: id === "customer" ? 120 : 60,
          ...(id === "stage" ? { placeholder: "lead, qualified, proposal, negotiation" } : {}),
          ...(id === "close" ? { placeholder: "2026-12-15" } : {}),
        },
      ],
    })),
  };
}

/** The submitted form as the raw input of `/deal log`; empty fields are absent. */
export function dealModalInput(value: (id: string) => string): Record<string, unknown> {
  return Object.fromEntries(
    FIELDS.map((id) => {
      let v: string | undefined;
      try {
        v = value(id).trim() || undefined;
      } catch {
        v = undefined;
      }
      return [id, v];
    }),
  );
}

const EDIT_FIELDS = ["amount", "customer", "title", "source", "close"] as const;

/**
 * A deal's Edit form as a Discord modal: the fields of `/deal edit`, each prefilled with the
 * deal's value (Discord's `value`); a field left as it is changes nothing.
 */
export function dealEditModal(ctx: CommandContext, deal: DealView) {
  const values = editableDeal(ctx, deal);
  const label = {
    amount: "field.amount",
    customer: "field.customer",
    title: "field.title",
    source: "field.source",
    close: "field.close",
  } as const;
  const max = { amount: 40, customer: 120, title: 200, source: 60, close: 20 } as const;
  return {
    custom_id: `${DEAL_EDIT_MODAL_PREFIX}${deal.number}`,
    title: ctx.t("modal.edit_title", { number: deal.number }).slice(0, 45),
    components: EDIT_FIELDS.map((id) => ({
      type: 1,
      components: [
        {
          type: 4,
          custom_id: id,
          label: ctx.t(label[id]).slice(0, 45),
          style: 1,
          required: false,
          max_length: max[id],
          ...(values[id] ? { value: values[id] } : {}),
          ...(id === "close" ? { placeholder: "2026-12-15" } : {}),
        },
      ],
    })),
  };
}

/** The submitted Edit form as the raw input of `/deal edit`; empty fields are absent. */
export function dealEditModalInput(customId: string, value: (id: string) => string): Record<string, unknown> {
  const number = customId.slice(DEAL_EDIT_MODAL_PREFIX.length);
  const fields = Object.fromEntries(
    EDIT_FIELDS.map((id) => {
      let v: string | undefined;
      try {
        v = value(id).trim() || undefined;
      } catch {
        v = undefined;
      }
      return [id, v];
    }),
  );
  return { deal: number, ...fields };
}
