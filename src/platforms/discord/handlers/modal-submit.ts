import type { ModalSubmitInteraction } from "discord.js";
import type { Command } from "../../../commands/command.js";
import { dealLog } from "../../../commands/deal.js";
import { dealModalInput } from "../deal-modal.js";
import type { InteractionKit } from "../interaction-kit.js";

/** The `/deal log` form submitted: its fields are the command's options. */
export async function onModalSubmit(kit: InteractionKit, interaction: ModalSubmitInteraction) {
  const raw = dealModalInput((id) => interaction.fields.getTextInputValue(id));
  await kit.answer(interaction, kit.run(interaction, { command: dealLog as Command<unknown>, raw }), true);
}
