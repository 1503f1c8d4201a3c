import type { ButtonInteraction, StringSelectMenuInteraction } from "discord.js";
import type { InteractionKit } from "../interaction-kit.js";

/** A deal's button (`run:/deal won #12`) or its lost-reason select: the command line it carries. */
export async function onComponent(
  kit: InteractionKit,
  interaction: ButtonInteraction | StringSelectMenuInteraction,
) {
  const line = interaction.isButton()
    ? interaction.customId.slice("run:".length)
    : (interaction.values[0] ?? "");
  await kit.answer(interaction, kit.run(interaction, { line }), true);
}
