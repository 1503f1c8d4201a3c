import type { Workspace } from "./types.js";

export type Params = Record<string, unknown>;
export type Result = Record<string, unknown>;
/** A Web API method answering for one workspace's bot; returns the JSON body (`ok: true` is added if absent). */
export type BotMethod = (params: Params, workspace: Workspace) => Result;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function str(params: Params, key: string): string | undefined {
  const value = params[key];
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

/** Form bodies carry booleans as "true"/"1"; JSON bodies as booleans. */
export function flag(params: Params, key: string): boolean {
  const value = params[key];
  return value === true || value === "true" || value === "1" || value === 1;
}

/** Slack's API error: HTTP 200, `ok: false`, and "[ERROR] …" details in response_metadata. */
export function fail(error: string, messages?: string[]): Result {
  return messages && messages.length > 0
    ? { ok: false, error, response_metadata: { messages } }
    : { ok: false, error };
}

/** Slack's `missing_scope` answer when the token's workspace was not granted `scope` (none listed: all are). */
export function missingScope(ws: Workspace, scope: string): Result | undefined {
  if (ws.scopes === undefined || ws.scopes.includes(scope)) return undefined;
  return { ok: false, error: "missing_scope", needed: scope, provided: ws.scopes.join(",") };
}
