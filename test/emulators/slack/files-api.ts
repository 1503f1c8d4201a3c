import { randomBytes } from "node:crypto";
import { type BotMethod, fail, isRecord, missingScope, type Params, str } from "./api-result.js";
import type { SlackFile, Workspace } from "./types.js";

export interface FilesApiDeps {
  /** The emulator's own address: upload URLs point at it. */
  baseUrl: () => string;
  /** The channel a share goes to, or undefined when Slack would not find it. */
  findChannel: (channel: string) => string | undefined;
  /** Posts the message that shares files into a channel, as the bot. */
  share: (ws: Workspace, channel: string, text: string | undefined, files: SlackFile[]) => void;
  /** How many image-block checks a completed file fails before Slack has processed it (0 by default). */
  processingChecks?: () => number;
}

/** The image types an image block shows (Block Kit: png, jpg, jpeg, gif). */
const IMAGE_NAME = /\.(png|jpe?g|gif)$/i;

/** What the upload URL answers: Slack's is HTTP 200 with a short text body, anything else a failure. */
export interface UploadAnswer {
  status: number;
  body: string;
}

/**
 * Slack's upload flow: files.getUploadURLExternal hands out a file id and an upload URL on the
 * emulator's own server, the bytes are POSTed there (raw, or multipart as @slack/web-api sends
 * them) and must be as long as announced, then files.completeUploadExternal shares the files into
 * a channel (or keeps them private without one). Each step needs `files:write`.
 */
export function createFilesApi(deps: FilesApiDeps) {
  const files: SlackFile[] = [];
  const byUploadToken = new Map<string, SlackFile>();

  const getUploadUrl: BotMethod = (params, ws) => {
    const denied = missingScope(ws, "files:write");
    if (denied) return denied;
    const filename = str(params, "filename");
    const length = Number(str(params, "length"));
    if (!filename) return fail("invalid_arguments", ["[ERROR] missing required field: filename"]);
    if (!Number.isInteger(length) || length <= 0)
      return fail("invalid_arguments", ["[ERROR] missing required field: length"]);
    const file: SlackFile = {
      id: `F${String(files.length + 1).padStart(10, "0")}`,
      teamId: ws.teamId,
      name: filename,
      length,
      content: undefined,
      title: undefined,
      channel: undefined,
      initialComment: undefined,
      completed: false,
      processingChecks: 0,
      shownIn: 0,
    };
    const token = randomBytes(12).toString("hex");
    files.push(file);
    byUploadToken.set(token, file);
    return { upload_url: `${deps.baseUrl()}/upload/v1/${token}`, file_id: file.id };
  };

  /** The files of a completion, each one of this team's, uploaded and not yet completed. */
  function filesToComplete(params: Params, ws: Workspace): SlackFile[] | undefined {
    const listed = Array.isArray(params.files) ? params.files : [];
    const found = listed.map((f) => files.find((file) => isRecord(f) && file.id === f.id));
    const usable = (f: SlackFile | undefined): f is SlackFile =>
      f !== undefined && f.teamId === ws.teamId && f.content !== undefined && !f.completed;
    return listed.length > 0 && found.every(usable) ? found : undefined;
  }

  const completeUpload: BotMethod = (params, ws) => {
    const denied = missingScope(ws, "files:write");
    if (denied) return denied;
    if (!Array.isArray(params.files) || params.files.length === 0)
      return fail("invalid_arguments", ["[ERROR] missing required field: files"]);
    const completing = filesToComplete(params, ws);
    if (!completing) return fail("file_not_found");
    const wanted = str(params, "channel_id") ?? str(params, "channels");
    const channel = wanted === undefined ? undefined : deps.findChannel(wanted);
    if (wanted !== undefined && channel === undefined) return fail("channel_not_found");
    const titles = new Map(
      (params.files as unknown[]).filter(isRecord).map((f) => [String(f.id), str(f, "title")]),
    );
    const initialComment = str(params, "initial_comment");
    for (const file of completing) {
      file.completed = true;
      file.title = titles.get(file.id) ?? file.name;
      file.channel = channel;
      file.initialComment = initialComment;
      file.processingChecks = deps.processingChecks?.() ?? 0;
    }
    if (channel !== undefined) deps.share(ws, channel, initialComment, completing);
    return {
      files: completing.map((f) => ({
        id: f.id,
        name: f.name,
        title: f.title,
        size: f.length,
        is_public: channel?.startsWith("C") ?? false,
        channels: channel?.startsWith("C") ? [channel] : [],
        ims: channel?.startsWith("D") ? [channel] : [],
      })),
    };
  };

  /**
   * The bytes POSTed to an upload URL: a multipart form's file part (read with the platform's
   * `Request.formData()`), else the raw body. Refused unless as long as announced, and only once.
   */
  async function receiveUpload(token: string, contentType: string, raw: Buffer): Promise<UploadAnswer> {
    const file = byUploadToken.get(token);
    if (!file || file.content !== undefined) return { status: 404, body: "upload_url_not_found" };
    let content = raw;
    if (contentType.startsWith("multipart/form-data")) {
      const request = new Request("http://upload.invalid/", {
        method: "POST",
        headers: { "content-type": contentType },
        body: new Uint8Array(raw),
      });
      const part = [...(await request.formData()).values()].find((v) => typeof v !== "string");
      if (!part) return { status: 400, body: "no_file_data" };
      content = Buffer.from(await part.arrayBuffer());
    }
    if (content.length !== file.length) return { status: 400, body: "file_size_mismatch" };
    file.content = content;
    return { status: 200, body: `OK - ${content.length}` };
  }

  /**
   * Whether the bot of `ws` may show file `id` in an image block: a file of its team, uploaded and
   * completed (privately or shared), an image, and processed. Undefined when it may.
   */
  function imageFileRefusal(ws: Workspace, id: string): string | undefined {
    const file = files.find((f) => f.id === id);
    if (!file || file.teamId !== ws.teamId || !file.completed) return "file_not_found";
    if (!IMAGE_NAME.test(file.name)) return "not_an_image";
    if (file.processingChecks > 0) {
      file.processingChecks -= 1;
      return "file_processing";
    }
    return undefined;
  }

  /** Counts, on each file an image block of `blocks` names, one more message showing it. */
  function markShown(blocks: unknown): void {
    for (const block of Array.isArray(blocks) ? blocks : []) {
      const id = isRecord(block) && isRecord(block.slack_file) ? block.slack_file.id : undefined;
      const file = files.find((f) => f.id === id);
      if (file) file.shownIn += 1;
    }
  }

  return {
    files,
    imageFileRefusal,
    markShown,
    methods: {
      "files.getUploadURLExternal": getUploadUrl,
      "files.completeUploadExternal": completeUpload,
    } satisfies Record<string, BotMethod>,
    receiveUpload,
  };
}
