import { type BotMethod, fail, flag, isRecord, type Params, type Result, str } from "./api-result.js";
import { blockErrors, blockLimits } from "./block-limits.js";
import { createFilesApi } from "./files-api.js";
import { exchangeOAuthCode } from "./oauth-api.js";
import type {
  EphemeralMessage,
  OAuthInstall,
  PostedMessage,
  SlackUser,
  StoredView,
  Workspace,
} from "./types.js";
import { usersInfo } from "./users-api.js";
import { createViewMethods } from "./views-api.js";

export interface WebApiOptions {
  appId: string;
  appToken: string;
  clientId: string;
  clientSecret: string;
  now: () => number;
  /** Issues a fresh Socket Mode URL for apps.connections.open. */
  openSocketUrl: () => string;
  /** The emulator's own address, for upload URLs. */
  baseUrl: () => string;
  /** How many image-block checks a just-completed file fails, as while Slack processes it. */
  fileProcessingChecks?: () => number;
}

export function createWebApi(options: WebApiOptions) {
  const workspaces = new Map<string, Workspace>();
  const users = new Map<string, SlackUser>();
  const messages: PostedMessage[] = [];
  const ephemeralMessages: EphemeralMessage[] = [];
  const views: StoredView[] = [];
  const dmChannels = new Map<string, string>();
  const oauthCodes = new Map<string, OAuthInstall>();
  let lastTsMicros = 0;

  /** Message timestamps: "<seconds>.<microseconds>", strictly increasing even within one millisecond. */
  function nextTs(): string {
    lastTsMicros = Math.max(options.now() * 1000, lastTsMicros + 1);
    const seconds = Math.floor(lastTsMicros / 1_000_000);
    return `${seconds}.${String(lastTsMicros % 1_000_000).padStart(6, "0")}`;
  }

  function dmChannelFor(userId: string): string {
    let channel = dmChannels.get(userId);
    if (channel === undefined) {
      channel = `D${String(dmChannels.size + 1).padStart(8, "0")}${userId.slice(1, 4)}`;
      dmChannels.set(userId, channel);
    }
    return channel;
  }

  /** Posting to a user id posts to the app's DM with that user, as Slack does. */
  function resolveChannel(channel: string): string {
    return /^[UW]/.test(channel) ? dmChannelFor(channel) : channel;
  }

  /** A channel a file can be shared in: any public or private channel id, a DM handed out, a user's DM. */
  function findChannel(channel: string): string | undefined {
    if (/^[CG]/.test(channel)) return channel;
    if (/^[UW]/.test(channel)) return dmChannelFor(channel);
    return [...dmChannels.values()].includes(channel) ? channel : undefined;
  }

  const filesApi = createFilesApi({
    baseUrl: options.baseUrl,
    findChannel,
    ...(options.fileProcessingChecks ? { processingChecks: options.fileProcessingChecks } : {}),
    share: (ws, channel, text, files) => {
      const ts = nextTs();
      messages.push({
        teamId: ws.teamId,
        channel,
        ts,
        text,
        user: ws.botUserId,
        botId: ws.botId,
        edits: 0,
        deleted: false,
        params: { channel, ...(text === undefined ? {} : { initial_comment: text }) },
        files,
      });
    },
  });

  function messageJson(m: PostedMessage, withMetadata: boolean): Result {
    return {
      type: "message",
      user: m.user,
      bot_id: m.botId,
      app_id: options.appId,
      team: m.teamId,
      text: m.text ?? "",
      ts: m.ts,
      ...(m.threadTs !== undefined ? { thread_ts: m.threadTs } : {}),
      ...(m.blocks !== undefined ? { blocks: m.blocks } : {}),
      ...(withMetadata && m.metadata !== undefined ? { metadata: m.metadata } : {}),
      ...(m.edits > 0 ? { edited: { user: m.user, ts: m.ts } } : {}),
    };
  }

  function contentErrors(params: Params, ws: Workspace): Result | undefined {
    const text = str(params, "text");
    if (text === undefined && params.blocks === undefined && params.attachments === undefined)
      return fail("no_text");
    if (text !== undefined && text.length > blockLimits.messageText) return fail("msg_too_long");
    const errors = blockErrors(params.blocks, blockLimits.messageBlocks, "/blocks", (id) =>
      filesApi.imageFileRefusal(ws, id),
    );
    return errors.length > 0 ? { ...fail("invalid_blocks", errors), errors } : undefined;
  }

  const findMessage = (channel: string | undefined, ts: string | undefined) =>
    messages.find((m) => m.channel === (channel && resolveChannel(channel)) && m.ts === ts && !m.deleted);

  const botMethods: Record<string, BotMethod> = {
    "auth.test": (_params, ws) => ({
      url: `https://${ws.teamId.toLowerCase()}.slack.com/`,
      team: ws.teamName,
      user: "closer",
      team_id: ws.teamId,
      user_id: ws.botUserId,
      bot_id: ws.botId,
      is_enterprise_install: false,
      ...(ws.enterpriseId !== undefined ? { enterprise_id: ws.enterpriseId } : {}),
    }),
    "chat.postMessage": (params, ws) => {
      const channel = str(params, "channel");
      if (!channel) return fail("channel_not_found");
      const invalid = contentErrors(params, ws);
      if (invalid) return invalid;
      const message: PostedMessage = {
        teamId: ws.teamId,
        channel: resolveChannel(channel),
        ts: nextTs(),
        threadTs: str(params, "thread_ts"),
        text: str(params, "text"),
        blocks: Array.isArray(params.blocks) ? params.blocks : undefined,
        metadata: isRecord(params.metadata) ? params.metadata : undefined,
        user: ws.botUserId,
        botId: ws.botId,
        edits: 0,
        deleted: false,
        params,
      };
      messages.push(message);
      filesApi.markShown(params.blocks);
      return { channel: message.channel, ts: message.ts, message: messageJson(message, true) };
    },
    "chat.postEphemeral": (params, ws) => {
      const channel = str(params, "channel");
      const user = str(params, "user");
      if (!channel) return fail("channel_not_found");
      if (!user) return fail("user_not_in_channel");
      const invalid = contentErrors(params, ws);
      if (invalid) return invalid;
      const messageTs = nextTs();
      ephemeralMessages.push({
        teamId: ws.teamId,
        channel: resolveChannel(channel),
        user,
        messageTs,
        text: str(params, "text"),
        blocks: Array.isArray(params.blocks) ? params.blocks : undefined,
        params,
      });
      return { message_ts: messageTs };
    },
    "chat.update": (params) => {
      const message = findMessage(str(params, "channel"), str(params, "ts"));
      if (!message) return fail("message_not_found");
      const errors = blockErrors(params.blocks, blockLimits.messageBlocks);
      if (errors.length > 0) return { ...fail("invalid_blocks", errors), errors };
      if (params.text !== undefined) message.text = str(params, "text");
      if (params.blocks !== undefined)
        message.blocks = Array.isArray(params.blocks) ? params.blocks : undefined;
      if (isRecord(params.metadata)) message.metadata = params.metadata;
      message.edits += 1;
      message.params = { ...message.params, ...params };
      return {
        channel: message.channel,
        ts: message.ts,
        text: message.text ?? "",
        message: messageJson(message, true),
      };
    },
    "chat.delete": (params) => {
      const message = findMessage(str(params, "channel"), str(params, "ts"));
      if (!message) return fail("message_not_found");
      message.deleted = true;
      return { channel: message.channel, ts: message.ts };
    },
    "conversations.open": (params) => {
      const ids = (str(params, "users") ?? "").split(",").filter((u) => u.length > 0);
      const existing = str(params, "channel");
      if (existing !== undefined) return { channel: { id: existing } };
      if (ids.length === 0) return fail("users_list_not_supplied");
      if (ids.some((u) => !/^[UW]/.test(u))) return fail("user_not_found");
      const id =
        ids.length === 1
          ? dmChannelFor(ids[0] as string)
          : `G${ids.join("").replace(/\W/g, "").slice(0, 10)}`;
      const full = flag(params, "return_im") ? { is_im: ids.length === 1, user: ids[0], created: 0 } : {};
      return { channel: { id, ...full } };
    },
    "conversations.history": (params) => {
      const channel = str(params, "channel");
      if (!channel) return fail("channel_not_found");
      const oldest = Number(str(params, "oldest") ?? "0");
      const latest = Number(str(params, "latest") ?? "Infinity");
      const limit = Number(str(params, "limit") ?? "100") || 100;
      const withMetadata = flag(params, "include_all_metadata");
      const found = messages
        .filter((m) => m.channel === resolveChannel(channel) && !m.deleted)
        .filter((m) => m.threadTs === undefined || m.threadTs === m.ts)
        .filter((m) => Number(m.ts) > oldest && Number(m.ts) < latest)
        .reverse();
      return {
        messages: found.slice(0, limit).map((m) => messageJson(m, withMetadata)),
        has_more: found.length > limit,
        pin_count: 0,
        response_metadata: { next_cursor: "" },
      };
    },
    "users.info": usersInfo(users, options.now),
    "team.info": (params, ws) => {
      const wanted = str(params, "team");
      const team = wanted === undefined ? ws : [...workspaces.values()].find((w) => w.teamId === wanted);
      if (!team) return fail("team_not_found");
      return {
        team: {
          id: team.teamId,
          name: team.teamName,
          domain: team.teamId.toLowerCase(),
          email_domain: "",
          icon: { image_default: true },
          ...(team.enterpriseId !== undefined ? { enterprise_id: team.enterpriseId } : {}),
        },
      };
    },
    ...createViewMethods({ views, appId: options.appId, now: options.now }),
    ...filesApi.methods,
  };

  /** Answers one Web API call with the JSON body Slack would send (HTTP 200). */
  function call(
    method: string,
    token: string | undefined,
    params: Params,
    basicAuth?: { id: string; secret: string },
  ): Result {
    const run = botMethods[method];
    const known = run !== undefined || method === "oauth.v2.access" || method === "apps.connections.open";
    if (!known) return fail("unknown_method");
    if (method === "oauth.v2.access") {
      const { appId, clientId, clientSecret } = options;
      return exchangeOAuthCode(
        { appId, clientId, clientSecret, codes: oauthCodes, workspaces },
        params,
        basicAuth,
      );
    }
    if (token === undefined || token === "") return fail("not_authed");
    const workspace = workspaces.get(token);
    if (method === "apps.connections.open") {
      if (token === options.appToken) return withOk({ url: options.openSocketUrl() });
      return fail(workspace ? "not_allowed_token_type" : "invalid_auth");
    }
    if (token === options.appToken) return fail("not_allowed_token_type");
    if (!workspace || run === undefined) return fail("invalid_auth");
    return withOk(run(params, workspace));
  }

  return {
    workspaces,
    users,
    messages,
    ephemeralMessages,
    views,
    oauthCodes,
    files: filesApi.files,
    receiveUpload: filesApi.receiveUpload,
    imageFileRefusal: filesApi.imageFileRefusal,
    markShown: filesApi.markShown,
    resolveChannel,
    call,
  };
}

function withOk(result: Result): Result {
  return "ok" in result ? result : { ok: true, ...result };
}
