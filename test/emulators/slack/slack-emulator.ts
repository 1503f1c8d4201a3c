import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createWaitable } from "../waitable.js";
import { str } from "./api-result.js";
import { createAppRequests, responseUrlIdOf } from "./app-requests.js";
import { blockErrors, blockLimits } from "./block-limits.js";
import { parseApiRequest, readBody, sendJson } from "./http-io.js";
import { createPostingLimiter } from "./posting-limits.js";
import { createSocketMode, type EnvelopeType } from "./socket-mode.js";
import type {
  ApiCall,
  AppResponse,
  CommandInput,
  EphemeralMessage,
  Failure,
  OAuthInstall,
  PostedMessage,
  PostingLimits,
  ResponseUrlPost,
  SendOptions,
  SlackFile,
  SlackUser,
  SocketAck,
  SocketEnvelopeOptions,
  StoredView,
  Workspace,
} from "./types.js";
import { createWebApi } from "./web-api.js";

export { signSlackRequest } from "./app-requests.js";
export { blockLimits } from "./block-limits.js";
export type * from "./types.js";

export interface SlackEmulatorOptions {
  signingSecret: string;
  botToken?: string;
  appToken?: string;
  clientId?: string;
  clientSecret?: string;
  appId?: string;
  /** Clock for message ts and `ApiCall.at` (ms). Request signatures always use the wall clock. */
  now?: () => number;
  /** The workspace `botToken` belongs to. */
  teamId?: string;
  teamName?: string;
  botUserId?: string;
  botId?: string;
  /** Bot scopes of the default token's workspace; undefined grants every scope. */
  scopes?: string[];
  /**
   * How many times an image block naming a just-uploaded file is refused (`invalid_blocks`,
   * "invalid slack file"), as Slack refuses one it has not finished processing; 0 by default.
   */
  fileProcessingChecks?: number;
  /** Slack's posting limits on chat.postMessage (none by default); see `rateLimited`. */
  postingLimits?: PostingLimits;
  /** Called as each accepted response_url POST arrives (its body read), so a benchmark can time it. */
  onResponseUrlPost?: (post: ResponseUrlPost) => void;
}

export interface SlackEmulator {
  /** "http://127.0.0.1:<port>/api/", for `clientOptions.slackApiUrl`. */
  apiUrl: string;
  /** Every Web API call in order, failed ones included (params without `token`; JSON fields decoded). */
  calls: ApiCall[];
  callsTo(method: string): ApiCall[];
  waitForCall(method: string, predicate?: (c: ApiCall) => boolean, timeoutMs?: number): Promise<ApiCall>;
  tokens: { bot: string; app: string };
  /** The workspace the default bot token belongs to. */
  workspace: Workspace;
  addUser(user: SlackUser): void;
  failNext(method: string, failure: Failure, times?: number): void;
  /** How many HTTP 429s the Web API has answered, from `postingLimits` and `failNext` alike. */
  readonly rateLimited: number;
  registerOAuthCode(code: string, install: OAuthInstall): void;
  /** What the app posted: live lists, in order. */
  messages: PostedMessage[];
  ephemeralMessages: EphemeralMessage[];
  views: StoredView[];
  /** Files uploaded through files.getUploadURLExternal, their bytes and where they were shared: a live list. */
  files: SlackFile[];
  sendCommand(appUrl: string, cmd: CommandInput, opts?: SendOptions): Promise<AppResponse>;
  sendInteraction(appUrl: string, payload: Record<string, unknown>, opts?: SendOptions): Promise<AppResponse>;
  sendEvent(appUrl: string, envelope: Record<string, unknown>, opts?: SendOptions): Promise<AppResponse>;
  /** POSTs the app made to response_urls, all or for one id (an id or the whole URL). */
  responses(responseUrlId?: string): ResponseUrlPost[];
  /** The first POST to a response_url, or the first that `predicate` accepts (a later answer to the same request). */
  waitForResponse(
    responseUrlId: string,
    timeoutMs?: number,
    predicate?: (body: Record<string, unknown>) => boolean,
  ): Promise<Record<string, unknown>>;
  socketConnected(timeoutMs?: number): Promise<void>;
  /** Sends an envelope on the newest connection and resolves with the app's ack. `interactive` and
   * `events_api` payloads get the same defaults as sendInteraction / sendEvent. */
  sendSocketEnvelope(
    type: EnvelopeType,
    payload: Record<string, unknown>,
    opts?: SocketEnvelopeOptions,
  ): Promise<SocketAck>;
  /** Sends Slack's `disconnect` message (the client should reconnect through apps.connections.open). */
  socketDisconnect(reason?: string): void;
  commandPayload(cmd: CommandInput): Record<string, string>;
  close(): Promise<void>;
}

const defaultTimeoutMs = 5000;
export async function startSlackEmulator(options: SlackEmulatorOptions): Promise<SlackEmulator> {
  const now = options.now ?? Date.now;
  const limiter = options.postingLimits ? createPostingLimiter(options.postingLimits, now) : undefined;
  const appId = options.appId ?? "A0CLOSER01";
  const tokens = {
    bot: options.botToken ?? "xoxb-emulator-bot-token",
    app: options.appToken ?? "xapp-1-emulator",
  };
  let baseUrl = "";
  const fileProcessingChecks = options.fileProcessingChecks ?? 0;
  const socket = createSocketMode({ appId, baseUrl: () => baseUrl });
  const api = createWebApi({
    appId,
    appToken: tokens.app,
    clientId: options.clientId ?? "1111111111.2222222222",
    clientSecret: options.clientSecret ?? "emulator-client-secret",
    now,
    openSocketUrl: socket.openUrl,
    baseUrl: () => baseUrl,
    fileProcessingChecks: () => fileProcessingChecks,
  });
  const workspace: Workspace = {
    teamId: options.teamId ?? "T0CLOSER01",
    teamName: options.teamName ?? "Closer Emulated",
    botToken: tokens.bot,
    botUserId: options.botUserId ?? "U0CLOSERBOT",
    botId: options.botId ?? "B0CLOSERBOT",
    ...(options.scopes !== undefined ? { scopes: options.scopes } : {}),
  };
  api.workspaces.set(tokens.bot, workspace);
  const workspaceOf = (teamId: string | undefined) =>
    [...api.workspaces.values()].find((w) => w.teamId === teamId) ?? workspace;
  const app = createAppRequests({
    signingSecret: options.signingSecret,
    appId,
    baseUrl: () => baseUrl,
    now,
    workspaceOf,
    users: api.users,
  });
  /** A response_url message's blocks are checked as chat.postMessage checks them, files by their own team. */
  const responseBlockErrors = (body: Record<string, unknown>) =>
    blockErrors(body.blocks, blockLimits.messageBlocks, "/blocks", (id) => {
      const file = api.files.find((f) => f.id === id);
      return file ? api.imageFileRefusal(workspaceOf(file.teamId), id) : "file_not_found";
    });
  const calls = createWaitable<ApiCall>(
    (items) => `calls so far: ${items.map((c) => c.method).join(", ") || "none"}`,
  );
  const failures = new Map<string, Failure[]>();
  let rateLimitedCount = 0;

  /** The team and resolved channel of a bot's chat.postMessage the posting limits apply to. */
  function limitedPost(method: string, token: string | undefined, params: Record<string, unknown>) {
    if (limiter === undefined || method !== "chat.postMessage" || token === undefined) return undefined;
    const team = api.workspaces.get(token);
    const channel = str(params, "channel");
    if (team === undefined || !channel) return undefined;
    return { teamId: team.teamId, channel: api.resolveChannel(channel) };
  }

  function answerApi(
    method: string,
    req: IncomingMessage,
    url: URL,
    body: string,
    res: ServerResponse,
  ): void {
    const { params, token, invalidJson, basicAuth } = parseApiRequest(req, url, body);
    const post = invalidJson ? undefined : limitedPost(method, token, params);
    const failure = failures.get(method)?.shift() ?? (post && limiter?.check(post.teamId, post.channel));
    calls.push({ method, token, params, at: now() });
    if (failure === undefined) {
      const result = invalidJson
        ? { ok: false, error: "invalid_json" }
        : api.call(method, token, params, basicAuth);
      if (post && result.ok === true) limiter?.recordPost(post.teamId, post.channel);
      sendJson(res, 200, result);
    } else if ("error" in failure) {
      sendJson(res, 200, { ok: false, error: failure.error });
    } else if (failure.status === 429) {
      rateLimitedCount += 1;
      sendJson(res, 429, { ok: false, error: "ratelimited" }, { "retry-after": String(failure.retryAfter) });
    } else {
      res.writeHead(failure.status, { "content-type": "text/plain" });
      res.end(`emulated HTTP ${failure.status}`);
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", baseUrl);
    const raw = await readBody(req);
    const uploadToken = /^\/upload\/v1\/([^/]+)$/.exec(url.pathname)?.[1];
    if (uploadToken !== undefined && req.method === "POST") {
      const answer = await api.receiveUpload(uploadToken, req.headers["content-type"] ?? "", raw);
      res.writeHead(answer.status, { "content-type": "text/plain" });
      res.end(answer.body);
      return;
    }
    const body = raw.toString("utf8");
    const method = /^\/api\/([\w.]+)$/.exec(url.pathname)?.[1];
    if (method !== undefined) return answerApi(method, req, url, body, res);
    const responseId = /^\/response\/([^/]+)$/.exec(url.pathname)?.[1];
    if (responseId !== undefined && req.method === "POST") {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        parsed = undefined;
      }
      const blockProblems =
        typeof parsed === "object" && parsed !== null
          ? responseBlockErrors(parsed as Record<string, unknown>)
          : [];
      const reply =
        typeof parsed !== "object" || parsed === null
          ? { status: 400, body: "invalid_payload" }
          : blockProblems.length > 0
            ? { status: 400, body: "invalid_blocks" }
            : app.receiveResponse(responseId, parsed as Record<string, unknown>);
      if (reply.status === 200) api.markShown((parsed as Record<string, unknown>).blocks);
      if (reply.status === 200)
        options.onResponseUrlPost?.({ id: responseId, body: parsed as Record<string, unknown> });
      res.writeHead(reply.status, { "content-type": "text/plain" });
      res.end(reply.body);
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found");
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(`emulator error: ${String(error)}`);
    });
  });
  server.on("upgrade", (req, duplex, head) => {
    if (!socket.handleUpgrade(req, duplex, head)) duplex.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const emulator: SlackEmulator = {
    apiUrl: `${baseUrl}/api/`,
    calls: calls.items,
    callsTo: (method) => calls.items.filter((c) => c.method === method),
    waitForCall: (method, predicate = () => true, timeoutMs = defaultTimeoutMs) =>
      calls.waitFor((c) => c.method === method && predicate(c), timeoutMs, `a ${method} call`),
    tokens,
    workspace,
    addUser: (user) => {
      api.users.set(user.id, user);
    },
    failNext: (method, failure, times = 1) => {
      const queue = failures.get(method) ?? [];
      for (let i = 0; i < times; i += 1) queue.push(failure);
      failures.set(method, queue);
    },
    get rateLimited() {
      return rateLimitedCount;
    },
    registerOAuthCode: (code, install) => {
      api.oauthCodes.set(code, install);
    },
    messages: api.messages,
    ephemeralMessages: api.ephemeralMessages,
    views: api.views,
    files: api.files,
    sendCommand: app.sendCommand,
    sendInteraction: app.sendInteraction,
    sendEvent: app.sendEvent,
    responses: (id) =>
      id === undefined ? [...app.posts.items] : app.posts.items.filter((p) => p.id === responseUrlIdOf(id)),
    waitForResponse: async (id, timeoutMs = defaultTimeoutMs, predicate = () => true) => {
      const wanted = responseUrlIdOf(id);
      const post = await app.posts.waitFor(
        (p) => p.id === wanted && predicate(p.body),
        timeoutMs,
        `a POST to response_url ${wanted}`,
      );
      return post.body;
    },
    socketConnected: async (timeoutMs = defaultTimeoutMs) => {
      await socket.connected(timeoutMs);
    },
    sendSocketEnvelope: (type, payload, opts = {}) => {
      const full =
        type === "interactive"
          ? app.interactionPayload(payload)
          : type === "events_api"
            ? app.eventPayload(payload)
            : payload;
      return socket.send(type, full, opts, defaultTimeoutMs);
    },
    socketDisconnect: (reason = "refresh_requested") => socket.disconnect(reason),
    commandPayload: app.commandPayload,
    close: async () => {
      await socket.close();
      calls.cancelAll("closed");
      app.posts.cancelAll("closed");
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return emulator;
}
