import type { IncomingMessage, ServerResponse } from "node:http";

// Form fields Slack expects as JSON strings; decoded so tests can inspect them as values.
const jsonFields = ["blocks", "attachments", "view", "metadata", "unfurls", "user_auth_blocks", "files"];

/** The request's bytes: Web API bodies are text, uploads may be anything. */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(body));
}

/** Params from the query string and a form or JSON body; the token from `Authorization: Bearer` or `token`. */
export function parseApiRequest(req: IncomingMessage, url: URL, body: string) {
  const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
  const contentType = req.headers["content-type"] ?? "";
  let invalidJson = false;
  if (contentType.startsWith("application/json")) {
    try {
      Object.assign(params, JSON.parse(body || "{}"));
    } catch {
      invalidJson = true;
    }
  } else if (body.length > 0) {
    Object.assign(params, Object.fromEntries(new URLSearchParams(body)));
  }
  const authorization = req.headers.authorization ?? "";
  const bearer = /^Bearer (.+)$/.exec(authorization)?.[1];
  const basic = /^Basic (.+)$/.exec(authorization)?.[1];
  const [id = "", secret = ""] = basic ? Buffer.from(basic, "base64").toString("utf8").split(":") : [];
  const token = bearer ?? (typeof params.token === "string" ? params.token : undefined);
  delete params.token;
  for (const key of jsonFields) {
    const value = params[key];
    if (typeof value !== "string") continue;
    try {
      params[key] = JSON.parse(value);
    } catch {
      // Left as sent; Slack would refuse it, and the test can see why.
    }
  }
  return { params, token, invalidJson, basicAuth: basic ? { id, secret } : undefined };
}
