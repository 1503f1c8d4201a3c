import { attachmentObjects, editMessage, messageObject, userObject } from "./discord-objects.js";
import { asRecord, errors, type RestResult, type Route, type RouteRequest } from "./http-io.js";
import { checkMessageBody } from "./message-rules.js";
import type { ChannelFile } from "./types.js";
import type { World } from "./world.js";

/** How long an `enforce_nonce` nonce is remembered ("the past few minutes" in Discord's docs). */
export const nonceWindowMs = 5 * 60_000;

interface RestDeps {
  world: World;
  applicationId: string;
  gatewayUrl: () => string;
  baseUrl: () => string;
  nextId: () => string;
  now: () => number;
}

/** Gateway discovery, users, guilds and channel messages (commands and interactions live elsewhere). */
export function createRestApi(deps: RestDeps) {
  const { world } = deps;
  const messages = new Map<string, Record<string, unknown>[]>();
  const channelFiles = new Map<string, ChannelFile[]>();
  const nonces = new Map<string, { nonce: string; at: number; message: Record<string, unknown> }[]>();
  const isoNow = () => new Date(deps.now()).toISOString();

  function createMessage({ params, body, files }: RouteRequest): RestResult {
    const channelId = params[0] ?? "";
    const channel = world.findChannel(channelId);
    if (!channel) return errors.unknownChannel();
    const input = asRecord(body);
    const invalid = checkMessageBody(input, { create: true, hasFiles: files.length > 0 });
    if (invalid) return invalid;
    if (channel.kind === "dm" && !world.acceptsDms(channel.userId)) return errors.cannotDm();
    const nonce = input.nonce === undefined ? undefined : String(input.nonce);
    const recent = (nonces.get(channelId) ?? []).filter((n) => deps.now() - n.at < nonceWindowMs);
    nonces.set(channelId, recent);
    const earlier = recent.find((n) => n.nonce === nonce);
    if (input.enforce_nonce === true && earlier) return { status: 200, body: earlier.message };
    const attachments = attachmentObjects(files, input, deps.nextId, deps.baseUrl());
    const message = messageObject({
      id: deps.nextId(),
      channelId,
      author: world.botUser,
      body: input,
      attachments,
      timestamp: isoNow(),
    });
    messages.set(channelId, [...(messages.get(channelId) ?? []), message]);
    const received = files.map((file, i) => ({
      messageId: String(message.id),
      filename: String(attachments[i]?.filename ?? file.filename),
      contentType: file.contentType,
      content: file.content,
    }));
    channelFiles.set(channelId, [...(channelFiles.get(channelId) ?? []), ...received]);
    if (nonce !== undefined) recent.push({ nonce, at: deps.now(), message });
    return { status: 200, body: message };
  }

  function findMessage(params: string[]) {
    const list = messages.get(params[0] ?? "");
    const index = list?.findIndex((m) => m.id === params[1]) ?? -1;
    return list && index >= 0 ? { list, index, message: list[index] as Record<string, unknown> } : undefined;
  }

  const routes: Route[] = [
    {
      method: "GET",
      pattern: /^\/gateway\/bot$/,
      handle: () => ({
        status: 200,
        body: {
          url: deps.gatewayUrl(),
          shards: 1,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
        },
      }),
    },
    {
      method: "GET",
      pattern: /^\/gateway$/,
      noBotAuth: true,
      handle: () => ({ status: 200, body: { url: deps.gatewayUrl() } }),
    },
    { method: "GET", pattern: /^\/users\/@me$/, handle: () => ({ status: 200, body: world.botUser }) },
    {
      method: "GET",
      pattern: /^\/users\/([^/@]+)$/,
      handle: ({ params }) => {
        const user = world.findUser(params[0] ?? "");
        return user ? { status: 200, body: user } : errors.unknownUser();
      },
    },
    {
      method: "GET",
      pattern: /^\/(?:oauth2\/)?applications\/@me$/,
      handle: () => ({
        status: 200,
        body: {
          id: deps.applicationId,
          name: world.botUser.username,
          icon: null,
          description: "",
          summary: "",
          type: null,
          bot_public: true,
          bot_require_code_grant: false,
          verify_key: "0".repeat(64),
          flags: 0,
          owner: userObject({ id: "100000000000000001", username: "emulator-owner" }),
          team: null,
          bot: world.botUser,
          approximate_guild_count: world.guildIds().length,
          integration_types_config: { "0": {} },
        },
      }),
    },
    {
      method: "POST",
      pattern: /^\/users\/@me\/channels$/,
      handle: ({ body }) => {
        const recipientId = String(asRecord(body).recipient_id ?? "");
        if (!world.findUser(recipientId)) return errors.unknownUser();
        const channel = world.findChannel(world.dmChannelId(recipientId));
        return { status: 200, body: channel?.object };
      },
    },
    {
      method: "GET",
      pattern: /^\/guilds\/([^/]+)$/,
      handle: ({ params, query }) => {
        const guild = world.guildObject(params[0] ?? "");
        if (!guild) return errors.unknownGuild();
        const counts = query.get("with_counts") === "true";
        const memberCount = (world.guildCreatePayload(params[0] ?? "")?.member_count as number) ?? 1;
        return {
          status: 200,
          body: counts
            ? { ...guild, approximate_member_count: memberCount, approximate_presence_count: 0 }
            : guild,
        };
      },
    },
    {
      method: "GET",
      pattern: /^\/guilds\/([^/]+)\/channels$/,
      handle: ({ params }) => {
        const guild = world.guildCreatePayload(params[0] ?? "");
        return guild ? { status: 200, body: guild.channels } : errors.unknownGuild();
      },
    },
    {
      method: "GET",
      pattern: /^\/guilds\/([^/]+)\/members\/([^/]+)$/,
      handle: ({ params }) => {
        const [guildId = "", userId = ""] = params;
        if (!world.hasGuild(guildId)) return errors.unknownGuild();
        const member = world.memberPayload(guildId, userId);
        return member ? { status: 200, body: member } : errors.unknownMember();
      },
    },
    {
      method: "GET",
      pattern: /^\/channels\/([^/]+)$/,
      handle: ({ params }) => {
        const channel = world.findChannel(params[0] ?? "");
        return channel ? { status: 200, body: channel.object } : errors.unknownChannel();
      },
    },
    { method: "POST", pattern: /^\/channels\/([^/]+)\/messages$/, handle: createMessage },
    {
      method: "GET",
      pattern: /^\/channels\/([^/]+)\/messages\/([^/]+)$/,
      handle: ({ params }) => {
        const found = findMessage(params);
        return found ? { status: 200, body: found.message } : errors.unknownMessage();
      },
    },
    {
      method: "PATCH",
      pattern: /^\/channels\/([^/]+)\/messages\/([^/]+)$/,
      handle: ({ params, body, files }) => {
        const found = findMessage(params);
        if (!found) return errors.unknownMessage();
        const input = asRecord(body);
        const invalid = checkMessageBody(input, { create: false, hasFiles: files.length > 0 });
        if (invalid) return invalid;
        editMessage(
          found.message,
          input,
          isoNow(),
          attachmentObjects(files, input, deps.nextId, deps.baseUrl()),
        );
        return { status: 200, body: found.message };
      },
    },
    {
      method: "DELETE",
      pattern: /^\/channels\/([^/]+)\/messages\/([^/]+)$/,
      handle: ({ params }) => {
        const found = findMessage(params);
        if (!found) return errors.unknownMessage();
        found.list.splice(found.index, 1);
        return { status: 204 };
      },
    },
  ];

  return {
    routes,
    channelMessages: (channelId: string) => [...(messages.get(channelId) ?? [])],
    channelFiles: (channelId: string) => [...(channelFiles.get(channelId) ?? [])],
  };
}
