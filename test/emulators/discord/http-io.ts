import type { IncomingMessage, ServerResponse } from "node:http";
import type { UploadedFile } from "./types.js";

/** What a route answers: a status and a JSON body (none for 204). */
export interface RestResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export interface ParsedBody {
  body: unknown;
  files: UploadedFile[];
  invalid: boolean;
}

/** JSON, or multipart/form-data with `payload_json` and `files[n]` as @discordjs/rest sends uploads. */
export async function parseBody(contentType: string, raw: Buffer): Promise<ParsedBody> {
  if (raw.length === 0) return { body: undefined, files: [], invalid: false };
  if (contentType.startsWith("multipart/form-data")) {
    const form = await new Request("http://discord.invalid/", {
      method: "POST",
      headers: { "content-type": contentType },
      body: new Uint8Array(raw),
    }).formData();
    const files: UploadedFile[] = [];
    let body: unknown;
    let invalid = false;
    for (const [field, value] of form.entries()) {
      if (typeof value === "string") {
        if (field !== "payload_json") continue;
        try {
          body = JSON.parse(value);
        } catch {
          invalid = true;
        }
      } else {
        const content = Buffer.from(await value.arrayBuffer());
        files.push({ field, filename: value.name, contentType: value.type, size: value.size, content });
      }
    }
    return { body, files, invalid };
  }
  try {
    return { body: JSON.parse(raw.toString("utf8")), files: [], invalid: false };
  } catch {
    return { body: raw.toString("utf8"), files: [], invalid: true };
  }
}

export function send(res: ServerResponse, result: RestResult): void {
  if (result.body === undefined) {
    res.writeHead(result.status, result.headers ?? {});
    res.end();
    return;
  }
  res.writeHead(result.status, { "content-type": "application/json", ...result.headers });
  res.end(JSON.stringify(result.body));
}

/** Discord's JSON error shape: `{ message, code }`, plus `errors` for form errors. */
export function discordError(status: number, code: number, message: string, errors?: unknown): RestResult {
  return { status, body: errors === undefined ? { message, code } : { message, code, errors } };
}

export const errors = {
  unauthorized: () => discordError(401, 0, "401: Unauthorized"),
  notFound: () => discordError(404, 0, "404: Not Found"),
  missingAccess: () => discordError(403, 50001, "Missing Access"),
  unknownChannel: () => discordError(404, 10003, "Unknown Channel"),
  unknownGuild: () => discordError(404, 10004, "Unknown Guild"),
  unknownMember: () => discordError(404, 10007, "Unknown Member"),
  unknownMessage: () => discordError(404, 10008, "Unknown Message"),
  unknownUser: () => discordError(404, 10013, "Unknown User"),
  unknownWebhook: () => discordError(404, 10015, "Unknown Webhook"),
  unknownCommand: () => discordError(404, 10063, "Unknown application command"),
  unknownInteraction: () => discordError(404, 10062, "Unknown interaction"),
  alreadyAcknowledged: () => discordError(400, 40060, "Interaction has already been acknowledged."),
  emptyMessage: () => discordError(400, 50006, "Cannot send an empty message"),
  cannotDm: () => discordError(403, 50007, "Cannot send messages to this user"),
  invalidJson: () => discordError(400, 50109, "The request body contains invalid JSON."),
};

/** A form error at a path such as `embeds.0.title`, nested the way Discord nests them. */
export function formError(path: string, code: string, message: string): RestResult {
  if (path === "") return discordError(400, 50035, "Invalid Form Body", { _errors: [{ code, message }] });
  const errorsTree: Record<string, unknown> = {};
  let node = errorsTree;
  const keys = path.split(".");
  keys.forEach((key, index) => {
    if (index === keys.length - 1) {
      node[key] = { _errors: [{ code, message }] };
    } else {
      const child: Record<string, unknown> = {};
      node[key] = child;
      node = child;
    }
  });
  return discordError(400, 50035, "Invalid Form Body", errorsTree);
}

export interface RouteRequest {
  /** The pattern's capture groups, in order. */
  params: string[];
  body: unknown;
  files: UploadedFile[];
  query: URLSearchParams;
}

/** A REST route; `path` patterns are matched against the path after `/api/v10`. */
export interface Route {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  pattern: RegExp;
  /** Interaction callbacks and webhooks authenticate with the token in their path, not a bot token. */
  noBotAuth?: boolean;
  handle(req: RouteRequest): RestResult;
}

export const asRecord = (value: unknown): Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
