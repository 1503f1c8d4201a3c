import { DiscordAPIError } from "discord.js";

/** The Discord error code a REST call rejected with. */
export async function discordCode(call: Promise<unknown>): Promise<number | string | undefined> {
  try {
    await call;
    return undefined;
  } catch (error) {
    if (error instanceof DiscordAPIError) return error.code;
    throw error;
  }
}
