import type { ChatInputCommandInteraction, GuildMember } from "discord.js";
import { dealLog } from "../../../commands/deal.js";
import type { MemberRef } from "../../../commands/grammar/tokens.js";
import { translator } from "../../../messages/i18n.js";
import { errorReply } from "../../../messages/reply.js";
import { type DiscordCommandSpec, findDiscordCommand } from "../command-definitions.js";
import { dealModal } from "../deal-modal.js";
import { displayName, guildLocale, type InteractionKit } from "../interaction-kit.js";

/**
 * The raw input of a chat-input command: each option the interaction carries, by its name, typed
 * as the command declares it (a user becomes a member reference). An option the command does not
 * declare stays in, for the command's strict schema to refuse.
 */
function rawOptions(interaction: ChatInputCommandInteraction, spec: DiscordCommandSpec) {
  const data = spec.sub ? (interaction.options.data[0]?.options ?? []) : interaction.options.data;
  return Object.fromEntries(
    data.map((o) => {
      if (spec.declaration.options[o.name]?.kind !== "user" || !o.user) return [o.name, o.value];
      const member = o.member && "displayName" in o.member ? (o.member as GuildMember) : null;
      const ref: MemberRef = { platformUserId: o.user.id, displayName: displayName(o.user, member) };
      return [o.name, ref];
    }),
  );
}

/** A slash command: its shared command with the typed options; `/deal log` with none opens the form. */
export async function onChatInput(kit: InteractionKit, interaction: ChatInputCommandInteraction) {
  const spec = findDiscordCommand(interaction.commandName, interaction.options.getSubcommand(false));
  if (!spec) {
    const t = translator(guildLocale(interaction) ?? "en");
    const command = `/${interaction.commandName}`;
    await interaction.reply(kit.message(undefined, errorReply(t("error.unknown_command", { command }))));
    return;
  }
  const raw = rawOptions(interaction, spec);
  if (spec.declaration === dealLog && Object.keys(raw).length === 0) {
    await interaction.showModal(dealModal(await kit.contextFor(interaction)));
    return;
  }
  const { declaration } = spec;
  // `/deal delete` and the like ask first, with a button that runs them.
  const work = kit.run(interaction, { command: declaration, raw }, { ask: true });
  // A command that asks first answers with its question, for the user alone, even when deferred.
  await kit.answer(interaction, work, declaration.visibility === "public" && !declaration.confirm);
}
