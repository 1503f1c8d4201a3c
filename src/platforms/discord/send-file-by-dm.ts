import { type Client, DiscordAPIError, RESTJSONErrorCodes } from "discord.js";
import type { Reply, ReplyFile } from "../../messages/reply.js";
import { renderEmbed } from "./render-embed.js";

/**
 * Sends a file to a Discord user, privately: a DM (its channel opened with `POST /users/@me/channels`)
 * saying what `reply` says, without its buttons, with the file attached (a multipart upload).
 * Throws what the REST API throws; {@link isDmClosed} tells a user who closed their DMs.
 */
export async function sendFileByDm(
  client: Client,
  userId: string,
  file: ReplyFile,
  reply: Reply,
): Promise<void> {
  const { embeds } = renderEmbed(reply);
  await client.users.send(userId, {
    embeds,
    files: [{ attachment: file.content, name: file.name }],
    allowedMentions: { parse: [] },
  });
}

/** Discord refused the DM because the user accepts none from the server's members (50007). */
export function isDmClosed(error: unknown): boolean {
  return error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.CannotSendMessagesToThisUser;
}
