import type { webApi } from "@slack/bolt";
import type { ReplyFile } from "../../messages/reply.js";

/**
 * Sends a file to a Slack user, privately, in their DM with the app: the DM is opened
 * (`conversations.open`), then `files.uploadV2` runs Slack's upload flow (`files.getUploadURLExternal`,
 * the bytes POSTed to the URL it gives, `files.completeUploadExternal` sharing it in the DM with
 * `comment`). Throws what the Web API throws.
 */
export async function sendFileByDm(
  client: webApi.WebClient,
  userId: string,
  file: ReplyFile,
  comment: string,
): Promise<void> {
  const opened = await client.conversations.open({ users: userId });
  const channel = opened.channel?.id;
  if (!channel) throw new Error("conversations.open gave no channel");
  await client.files.uploadV2({
    channel_id: channel,
    file: file.content,
    filename: file.name,
    title: file.name,
    initial_comment: comment,
  });
}
