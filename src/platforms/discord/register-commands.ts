import { REST, Routes } from "discord.js";
import type { Config } from "../../config.js";
import { discordCommandJson } from "./command-definitions.js";

/**
 * Bulk-overwrites the slash commands: globally (live everywhere within the hour) or in one guild
 * (at once, for trying changes). Returns how many commands Discord now has.
 */
export async function registerDiscordCommands(
  discord: NonNullable<Config["discord"]>,
  guildId?: string,
): Promise<number> {
  const rest = new REST(discord.apiUrl ? { api: discord.apiUrl } : {}).setToken(discord.token);
  const route = guildId
    ? Routes.applicationGuildCommands(discord.applicationId, guildId)
    : Routes.applicationCommands(discord.applicationId);
  const result = (await rest.put(route, { body: discordCommandJson() })) as unknown[];
  return result.length;
}
