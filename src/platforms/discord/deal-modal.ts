import type { CommandContext } from "../../commands/command.js";

export const DEAL_MODAL_ID = "deal_log";

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
