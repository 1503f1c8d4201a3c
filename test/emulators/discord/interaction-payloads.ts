import { randomBytes } from "node:crypto";
import type { createCommandRegistry } from "./commands.js";
import { messageObject } from "./discord-objects.js";
import type { InteractionInput } from "./types.js";
import type { World } from "./world.js";

/** What the emulator remembers of an interaction it dispatched. */
export interface InteractionRecord {
  id: string;
  token: string;
  type: InteractionInput["type"];
  guildId: string;
  channelId: string;
  userId: string;
  createdAt: number;
  payload: Record<string, unknown>;
  /** The message a component (or a modal opened from one) belongs to. */
  componentMessage?: Record<string, unknown>;
  callback?: { type: number; data?: Record<string, unknown> };
  /** The response message (@original); undefined before a message callback or after deletion. */
  original?: Record<string, unknown>;
  followups: Record<string, unknown>[];
}

export interface PayloadDeps {
  world: World;
  commands: ReturnType<typeof createCommandRegistry>;
  applicationId: string;
  nextId: () => string;
  now: () => number;
}

/** Interaction tokens look like Discord's: long, URL-safe, and unguessable. */
const interactionToken = (id: string) =>
  Buffer.from(`interaction:${id}:${randomBytes(48).toString("base64url")}`).toString("base64url");

function completeData(input: InteractionInput, deps: PayloadDeps): Record<string, unknown> {
  if (input.type === 2 || input.type === 4) {
    const data: Record<string, unknown> = { type: 1, ...input.data };
    if (data.id === undefined) {
      const command = deps.commands.find(input.guildId, String(data.name), Number(data.type));
      data.id = command?.id ?? deps.nextId();
      if (command?.guild_id !== undefined) data.guild_id = command.guild_id;
    }
    return data;
  }
  if (input.type === 3) return { component_type: 2, ...input.data };
  return { components: [], ...input.data };
}

/** The message a component sits on: the test's, over a plain bot message in the channel. */
function componentMessage(input: InteractionInput, channelId: string, deps: PayloadDeps) {
  if (input.type !== 3 && input.message === undefined) return undefined;
  const base = messageObject({
    id: deps.nextId(),
    channelId,
    author: deps.world.botUser,
    body: { content: "", components: [] },
    timestamp: new Date(deps.now()).toISOString(),
    extra: { application_id: deps.applicationId },
  });
  return { ...base, ...input.message };
}

/**
 * An INTERACTION_CREATE payload shaped like Discord's for a guild: a member (no `user`), the
 * partial channel, permissions as strings, entitlements, locales and integration owners.
 */
export function buildInteraction(input: InteractionInput, deps: PayloadDeps): InteractionRecord {
  const { world } = deps;
  const guild = world.guildInput(input.guildId);
  if (!guild)
    throw new Error(`Discord emulator: interact: unknown guild ${input.guildId}; call addGuild first`);
  const member = world.memberPayload(input.guildId, input.userId);
  if (!member) {
    throw new Error(
      `Discord emulator: interact: ${input.userId} is not a member of guild ${input.guildId}; call addMember first`,
    );
  }
  const channelId = input.channelId ?? world.firstChannelId(input.guildId);
  const channel = channelId === undefined ? undefined : world.findChannel(channelId);
  if (channelId === undefined || channel?.kind !== "guild" || channel.guildId !== input.guildId) {
    throw new Error(
      `Discord emulator: interact: channel ${channelId ?? "(none)"} is not in guild ${input.guildId}`,
    );
  }
  const id = input.id ?? deps.nextId();
  const token = input.token ?? interactionToken(id);
  const permissions = world.memberPermissions(input.guildId, input.userId);
  const message = componentMessage(input, channelId, deps);
  const locale = input.locale ?? world.findMember(input.guildId, input.userId)?.locale ?? "en-US";
  const payload: Record<string, unknown> = {
    app_permissions: world.memberPermissions(input.guildId, world.botUser.id as string),
    application_id: deps.applicationId,
    attachment_size_limit: 10_485_760,
    authorizing_integration_owners: { "0": input.guildId },
    channel: { ...channel.object, permissions },
    channel_id: channelId,
    context: 0,
    data: completeData(input, deps),
    entitlement_sku_ids: [],
    entitlements: [],
    guild: { id: input.guildId, locale: guild.preferredLocale ?? "en-US", features: [] },
    guild_id: input.guildId,
    guild_locale: guild.preferredLocale ?? "en-US",
    id,
    locale,
    member: { ...member, permissions },
    token,
    type: input.type,
    version: 1,
    ...(message === undefined ? {} : { message }),
  };
  return {
    id,
    token,
    type: input.type,
    guildId: input.guildId,
    channelId,
    userId: input.userId,
    createdAt: deps.now(),
    payload,
    ...(message === undefined ? {} : { componentMessage: message }),
    followups: [],
  };
}
