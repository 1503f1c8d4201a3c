import { createHmac, randomBytes } from "node:crypto";
import { createWaitable } from "../waitable.js";
import type {
  AppResponse,
  CommandInput,
  ResponseUrlPost,
  SendOptions,
  SlackUser,
  Workspace,
} from "./types.js";

/** Slack's request signature: "v0=" + hex HMAC-SHA256 of "v0:<timestamp>:<body>" keyed by the signing secret. */
export function signSlackRequest(signingSecret: string, timestamp: number, body: string): string {
  return `v0=${createHmac("sha256", signingSecret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

// Slack's deprecated verification token, still sent in every payload.
const verificationToken = "emulatorVerificationToken";
// A response_url may be used up to five times (Slack docs); the sixth is refused.
const responseUrlUses = 5;

export interface AppRequestDeps {
  signingSecret: string;
  appId: string;
  baseUrl: () => string;
  now: () => number;
  workspaceOf: (teamId: string | undefined) => Workspace;
  users: Map<string, SlackUser>;
}

interface Sent {
  body: string;
  contentType: string;
  responseUrlId?: string;
}

/** What the emulator sends to the app over HTTP (signed), and what the app POSTs back to response_urls. */
export function createAppRequests(deps: AppRequestDeps) {
  const responseUrls = new Map<string, number>();
  const posts = createWaitable<ResponseUrlPost>((items) => `response_url posts: ${JSON.stringify(items)}`);
  let counter = 0;

  function newResponseUrl(): { id: string; url: string } {
    counter += 1;
    const id = `R${String(counter).padStart(6, "0")}`;
    responseUrls.set(id, 0);
    return { id, url: `${deps.baseUrl()}/response/${id}` };
  }

  const ownResponseUrlId = (url: unknown) =>
    typeof url === "string" && url.startsWith(`${deps.baseUrl()}/response/`)
      ? responseUrlIdOf(url)
      : undefined;

  const newTriggerId = () => `${deps.now()}.${counter}.${randomBytes(16).toString("hex")}`;

  function commandPayload(cmd: CommandInput): Record<string, string> {
    const ws = deps.workspaceOf(cmd.teamId);
    const channelId = cmd.channelId ?? "C0000GENERAL";
    return {
      token: verificationToken,
      team_id: cmd.teamId,
      team_domain: cmd.teamId.toLowerCase(),
      ...(ws.enterpriseId !== undefined
        ? { enterprise_id: ws.enterpriseId, enterprise_name: ws.enterpriseId }
        : {}),
      channel_id: channelId,
      channel_name: channelId.startsWith("D") ? "directmessage" : "general",
      user_id: cmd.userId,
      user_name: deps.users.get(cmd.userId)?.name ?? cmd.userId.toLowerCase(),
      command: cmd.command,
      text: cmd.text,
      api_app_id: deps.appId,
      is_enterprise_install: "false",
      response_url: newResponseUrl().url,
      trigger_id: cmd.triggerId ?? newTriggerId(),
    };
  }

  /** Fills what Slack always sends with an interaction (response_url where Slack gives one, trigger_id, …). */
  function interactionPayload(payload: Record<string, unknown>): Record<string, unknown> {
    const type = payload.type;
    const container = payload.container as { type?: unknown } | undefined;
    const fromMessage =
      type === "message_action" ||
      type === "interactive_message" ||
      (type === "block_actions" && payload.view === undefined && container?.type !== "view");
    const noTrigger = type === "view_closed" || type === "block_suggestion";
    return {
      token: verificationToken,
      api_app_id: deps.appId,
      ...(fromMessage && !("response_url" in payload) ? { response_url: newResponseUrl().url } : {}),
      ...(!noTrigger && !("trigger_id" in payload) ? { trigger_id: newTriggerId() } : {}),
      ...payload,
    };
  }

  /** Wraps an event as Slack's event_callback envelope unless the caller already gave those fields. */
  function eventPayload(envelope: Record<string, unknown>): Record<string, unknown> {
    const teamId = typeof envelope.team_id === "string" ? envelope.team_id : undefined;
    const ws = deps.workspaceOf(teamId);
    counter += 1;
    return {
      token: verificationToken,
      team_id: ws.teamId,
      api_app_id: deps.appId,
      type: "event_callback",
      event_id: `Ev${String(counter).padStart(8, "0")}`,
      event_time: Math.floor(deps.now() / 1000),
      authorizations: [
        {
          enterprise_id: ws.enterpriseId ?? null,
          team_id: ws.teamId,
          user_id: ws.botUserId,
          is_bot: true,
          is_enterprise_install: false,
        },
      ],
      is_ext_shared_channel: false,
      ...envelope,
    };
  }

  async function send(appUrl: string, sent: Sent, opts: SendOptions = {}): Promise<AppResponse> {
    const signature = opts.signature ?? "valid";
    const wallClock = Math.floor(Date.now() / 1000);
    const timestamp = opts.timestamp ?? (signature === "stale" ? wallClock - 6 * 60 : wallClock);
    const headers: Record<string, string> = {
      // Exactly this value: Bolt's HTTPReceiver compares the content type without parameters.
      "content-type": sent.contentType,
      "user-agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
    };
    if (signature !== "missing") {
      const secret = signature === "forged" ? `${deps.signingSecret}-forged` : deps.signingSecret;
      headers["x-slack-request-timestamp"] = String(timestamp);
      headers["x-slack-signature"] = signSlackRequest(secret, timestamp, sent.body);
    }
    if (opts.retryNum !== undefined) headers["x-slack-retry-num"] = String(opts.retryNum);
    if (opts.retryReason !== undefined) headers["x-slack-retry-reason"] = opts.retryReason;
    const response = await fetch(appUrl, { method: "POST", headers, body: sent.body });
    const body = await response.text();
    let json: unknown;
    if (body.length > 0 && (response.headers.get("content-type") ?? "").includes("json")) {
      json = JSON.parse(body);
    }
    return {
      status: response.status,
      headers: Object.fromEntries(response.headers.entries()),
      body,
      ...(json !== undefined ? { json } : {}),
      ...(sent.responseUrlId !== undefined ? { responseUrlId: sent.responseUrlId } : {}),
    };
  }

  /** Handles a POST to /response/<id>; returns the HTTP status and body to answer with. */
  function receiveResponse(id: string, body: Record<string, unknown>): { status: number; body: string } {
    const uses = responseUrls.get(id);
    if (uses === undefined) return { status: 404, body: "no_such_url" };
    if (uses >= responseUrlUses) return { status: 404, body: "used_url" };
    responseUrls.set(id, uses + 1);
    posts.push({ id, body });
    return { status: 200, body: "ok" };
  }

  return {
    commandPayload,
    interactionPayload,
    eventPayload,
    receiveResponse,
    posts,
    sendCommand(appUrl: string, cmd: CommandInput, opts?: SendOptions) {
      const payload = commandPayload(cmd);
      const body = new URLSearchParams(payload).toString();
      const contentType = "application/x-www-form-urlencoded";
      return send(appUrl, { body, contentType, responseUrlId: ownResponseUrlId(payload.response_url) }, opts);
    },
    sendInteraction(appUrl: string, payload: Record<string, unknown>, opts?: SendOptions) {
      const full = interactionPayload(payload);
      const body = new URLSearchParams({ payload: JSON.stringify(full) }).toString();
      const contentType = "application/x-www-form-urlencoded";
      return send(appUrl, { body, contentType, responseUrlId: ownResponseUrlId(full.response_url) }, opts);
    },
    sendEvent(appUrl: string, envelope: Record<string, unknown>, opts?: SendOptions) {
      return send(
        appUrl,
        { body: JSON.stringify(eventPayload(envelope)), contentType: "application/json" },
        opts,
      );
    },
  };
}

/** Accepts a response_url id or the whole URL. */
export function responseUrlIdOf(idOrUrl: string): string {
  return /\/response\/([^/?#]+)$/.exec(idOrUrl)?.[1] ?? idOrUrl;
}
