import type { ModalSubmitInteraction } from "discord.js";
import type { Command } from "../../../commands/command.js";
import { dealEdit, dealLog } from "../../../commands/deal.js";
import { DEAL_EDIT_MODAL_PREFIX, dealEditModalInput, dealModalInput } from "../deal-modal.js";
import type { InteractionKit } from "../interaction-kit.js";

/** A form submitted, `/deal log`'s or a deal's Edit: its fields are the command's options. */
export async function onModalSubmit(kit: InteractionKit, interaction: ModalSubmitInteraction) {
  const value = (id: string) => interaction.fields.getTextInputValue(id);
  const input = interaction.customId.startsWith(DEAL_EDIT_MODAL_PREFIX)
    ? { command: dealEdit as Command<unknown>, raw: dealEditModalInput(interaction.customId, value) }
    : { command: dealLog as Command<unknown>, raw: dealModalInput(value) };
  await kit.answer(interaction, kit.run(interaction, input), true);
}
