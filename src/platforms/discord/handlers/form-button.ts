import type { ButtonInteraction } from "discord.js";
import { dealNumber } from "../../../commands/grammar/fields.js";
import { isAppError } from "../../../errors.js";
import { errorReply } from "../../../messages/reply.js";
import { dealEditModal } from "../deal-modal.js";
import type { InteractionKit } from "../interaction-kit.js";

/**
 * A deal's Edit button (`form:/deal edit #12`): the edit form, prefilled with the deal's current
 * values, as the interaction's first answer. Submitting it runs `/deal edit` (see modal-submit).
 * A deal that is gone or deleted is answered to the clicking member instead.
 */
export async function onFormButton(kit: InteractionKit, interaction: ButtonInteraction) {
  const number = dealNumber.safeParse(interaction.customId.replace(/^form:\/deal edit\s+/, ""));
  if (!number.success) return;
  const ctx = await kit.contextFor(interaction);
  try {
    const deal = await kit.sales.deals.getDeal(ctx.workspace, number.data);
    if (deal.deletedAt) {
      const refusal = errorReply(ctx.t("error.deal_deleted", { number: deal.number }));
      await interaction.reply(kit.message(ctx, refusal));
      return;
    }
    await interaction.showModal(dealEditModal(ctx, deal));
  } catch (error) {
    if (!isAppError(error)) kit.log.error({ err: error }, "discord edit form failed");
    const reply = errorReply(isAppError(error) ? ctx.t(error.key, error.params) : ctx.t("error.generic"));
    await interaction.reply(kit.message(ctx, reply));
  }
}
