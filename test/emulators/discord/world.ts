import {
  allPermissions,
  type BotIdentity,
  botUserObject,
  defaultEveryonePermissions,
  dmChannelObject,
  memberObject,
  roleObject,
  textChannelObject,
  userObject,
} from "./discord-objects.js";
import type { GuildInput, MemberInput } from "./types.js";

interface StoredGuild {
  input: GuildInput;
  roles: { id: string; name: string; permissions: string }[];
  channels: { id: string; name: string }[];
  joinedAt: string;
}

interface StoredMember {
  input: MemberInput;
  joinedAt: string;
}

/** A channel the app can post to: a guild text channel or a DM channel. */
export type KnownChannel =
  | { kind: "guild"; guildId: string; object: Record<string, unknown> }
  | { kind: "dm"; userId: string; object: Record<string, unknown> };

/**
 * The guilds, members and DM channels the emulated Discord knows, and their JSON as Discord sends
 * it. Users are known through their guild memberships.
 */
export function createWorld(deps: { bot: BotIdentity; nextId: () => string; isoNow: () => string }) {
  const guilds = new Map<string, StoredGuild>();
  const members = new Map<string, Map<string, StoredMember>>();
  const dmChannels = new Map<string, string>();
  const botUser = botUserObject(deps.bot);

  function addGuild(input: GuildInput): void {
    const roles = input.roles ?? [];
    const everyone = roles.find((r) => r.id === input.id) ?? {
      id: input.id,
      name: "@everyone",
      permissions: defaultEveryonePermissions,
    };
    guilds.set(input.id, {
      input,
      roles: [everyone, ...roles.filter((r) => r.id !== input.id)],
      channels: input.channels ?? [],
      joinedAt: deps.isoNow(),
    });
    if (!members.has(input.id)) members.set(input.id, new Map());
  }

  function addMember(guildId: string, input: MemberInput): void {
    const guildMembers = members.get(guildId);
    if (!guildMembers)
      throw new Error(`Discord emulator: addMember(${guildId}): unknown guild, addGuild first`);
    guildMembers.set(input.id, { input, joinedAt: deps.isoNow() });
  }

  const findMember = (guildId: string, userId: string) => members.get(guildId)?.get(userId);

  function findUser(userId: string): Record<string, unknown> | undefined {
    if (userId === deps.bot.id) return botUser;
    for (const guildMembers of members.values()) {
      const member = guildMembers.get(userId);
      if (member) return userObject(member.input);
    }
    return undefined;
  }

  function memberPayload(guildId: string, userId: string): Record<string, unknown> | undefined {
    const guild = guilds.get(guildId);
    if (guild && userId === deps.bot.id) return memberObject(botUser, { joinedAt: guild.joinedAt });
    const member = findMember(guildId, userId);
    if (!member) return undefined;
    return memberObject(userObject(member.input), {
      nick: member.input.nick,
      roles: member.input.roles,
      joinedAt: member.joinedAt,
    });
  }

  /** Interaction `member.permissions`: as given, everything for the owner, else @everyone's and the roles'. */
  function memberPermissions(guildId: string, userId: string): string {
    const guild = guilds.get(guildId);
    const member = findMember(guildId, userId);
    if (member?.input.permissions !== undefined) return member.input.permissions;
    if (!guild) return "0";
    if (guild.input.ownerId === userId) return allPermissions;
    const granted = guild.roles.filter((r) => r.id === guildId || member?.input.roles?.includes(r.id));
    return granted.reduce((sum, r) => sum | BigInt(r.permissions), 0n).toString();
  }

  function guildObject(guildId: string): Record<string, unknown> | undefined {
    const guild = guilds.get(guildId);
    if (!guild) return undefined;
    const { input } = guild;
    return {
      id: input.id,
      name: input.name,
      icon: null,
      icon_hash: null,
      splash: null,
      discovery_splash: null,
      owner_id: input.ownerId ?? deps.bot.id,
      afk_channel_id: null,
      afk_timeout: 300,
      widget_enabled: false,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      roles: guild.roles.map((role, index) => roleObject(role, index)),
      emojis: [],
      stickers: [],
      features: [],
      mfa_level: 0,
      application_id: null,
      system_channel_id: guild.channels[0]?.id ?? null,
      system_channel_flags: 0,
      rules_channel_id: null,
      public_updates_channel_id: null,
      safety_alerts_channel_id: null,
      max_presences: null,
      max_members: 500_000,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: 0,
      premium_subscription_count: 0,
      preferred_locale: input.preferredLocale ?? "en-US",
      max_video_channel_users: 25,
      max_stage_video_channel_users: 50,
      nsfw_level: 0,
      premium_progress_bar_enabled: false,
      incidents_data: null,
    };
  }

  /** GUILD_CREATE's payload: the guild plus its channels and, with the Guilds intent only, the bot's member. */
  function guildCreatePayload(guildId: string): Record<string, unknown> | undefined {
    const guild = guilds.get(guildId);
    const base = guildObject(guildId);
    if (!guild || !base) return undefined;
    return {
      ...base,
      joined_at: guild.joinedAt,
      large: false,
      unavailable: false,
      member_count: (members.get(guildId)?.size ?? 0) + 1,
      members: [memberPayload(guildId, deps.bot.id)],
      channels: guild.channels.map((c, index) => textChannelObject(c, guildId, index)),
      threads: [],
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  function dmChannelId(userId: string): string {
    let id = dmChannels.get(userId);
    if (id === undefined) {
      id = deps.nextId();
      dmChannels.set(userId, id);
    }
    return id;
  }

  function findChannel(channelId: string): KnownChannel | undefined {
    for (const [guildId, guild] of guilds) {
      const index = guild.channels.findIndex((c) => c.id === channelId);
      const channel = guild.channels[index];
      if (channel) return { kind: "guild", guildId, object: textChannelObject(channel, guildId, index) };
    }
    for (const [userId, id] of dmChannels) {
      const recipient = findUser(userId);
      if (id === channelId && recipient)
        return { kind: "dm", userId, object: dmChannelObject(id, recipient) };
    }
    return undefined;
  }

  /** False when some membership says the user has DMs from server members closed. */
  function acceptsDms(userId: string): boolean {
    return ![...members.values()].some((m) => m.get(userId)?.input.acceptsDms === false);
  }

  /** The user closes DMs from the members of every server they share with the bot. */
  function closeDms(userId: string): void {
    for (const guildMembers of members.values()) {
      const member = guildMembers.get(userId);
      if (member) member.input = { ...member.input, acceptsDms: false };
    }
  }

  return {
    botUser,
    acceptsDms,
    closeDms,
    addGuild,
    addMember,
    guildIds: () => [...guilds.keys()],
    hasGuild: (guildId: string) => guilds.has(guildId),
    guildInput: (guildId: string) => guilds.get(guildId)?.input,
    firstChannelId: (guildId: string) => guilds.get(guildId)?.channels[0]?.id,
    findMember: (guildId: string, userId: string) => findMember(guildId, userId)?.input,
    findUser,
    memberPayload,
    memberPermissions,
    guildObject,
    guildCreatePayload,
    dmChannelId,
    findChannel,
  };
}

export type World = ReturnType<typeof createWorld>;
