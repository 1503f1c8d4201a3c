import type { webApi } from "@slack/bolt";
import type { ChartImage } from "../../notify/chart-images.js";
import { type Block, SLACK_LIMITS } from "./render-blocks.js";

/** Slack's limit on an image block's alt text and title (Block Kit reference). */
const IMAGE_TEXT = 2000;

const cut = (text: string) => (text.length <= IMAGE_TEXT ? text : `${text.slice(0, IMAGE_TEXT - 1)}…`);

/**
 * Uploads chart pictures privately (`files.getUploadURLExternal`, the bytes, then
 * `files.completeUploadExternal` with no channel, through `files.uploadV2`) and returns an image
 * block for each, referencing the file by id (`slack_file`). Nothing is posted: the message that
 * shows them is posted after, by whoever called this. Throws what the Web API throws.
 */
export async function uploadChartBlocks(client: webApi.WebClient, images: ChartImage[]): Promise<Block[]> {
  if (images.length === 0) return [];
  const uploaded = await client.files.uploadV2({
    file_uploads: images.map((image) => ({ file: image.png, filename: image.name, title: image.title })),
  });
  // One completion per upload job (here one, for all the files), each listing its files in order.
  const completions = (uploaded as { files?: { files?: { id?: string }[] }[] }).files ?? [];
  const ids = completions.flatMap((c) => c.files ?? []).map((f) => f.id);
  return images.map((image, i) => {
    const id = ids[i];
    if (!id) throw new Error("files.completeUploadExternal returned no file id");
    return {
      type: "image",
      slack_file: { id },
      alt_text: cut(image.title),
      title: { type: "plain_text", text: cut(image.title) },
    };
  });
}

/** A message's blocks with the pictures after the text, before its buttons, within Slack's 50 blocks. */
export function withImageBlocks(blocks: Block[], images: Block[]): Block[] {
  if (images.length === 0) return blocks;
  const last = blocks.at(-1);
  const actions = last?.type === "actions" ? [last] : [];
  const body = actions.length ? blocks.slice(0, -1) : blocks;
  return [...body.slice(0, SLACK_LIMITS.blocks - images.length - actions.length), ...images, ...actions];
}

/** Slack refused an image block's file: not processed yet right after its upload, or not readable. */
export function isSlackFileRefused(error: unknown): boolean {
  const data = (
    error as { data?: { error?: string; errors?: unknown; response_metadata?: { messages?: unknown } } }
  )?.data;
  if (data?.error !== "invalid_blocks") return false;
  return JSON.stringify([data.errors, data.response_metadata?.messages]).includes("slack_file");
}
