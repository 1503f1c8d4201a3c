import type { MemberInput, UploadedFile } from "./types.js";

const discordEpoch = 1_420_070_400_000n;

/** Snowflakes from the emulator clock, so discord.js derives sensible `createdAt` dates from ids. */
export function createSnowflakes(now: () => number): () => string {
  let increment = 0n;
  return () => {
    increment = (increment + 1n) & 0xfffn;
    return ((BigInt(Math.floor(now())) - discordEpoch) * 4_194_304n + (1n << 17n) + increment).toString();
  };
}

const bits = (...positions: number[]) => positions.reduce((sum, p) => sum | (1n << BigInt(p)), 0n).toString();

/** Discord's @everyone defaults for a new server (view, send, embed, attach, history, reactions, …). */
export const defaultEveryonePermissions = bits(
  0,
  6,
  9,
  10,
  11,
  14,
  15,
  16,
  18,
  20,
  21,
  25,
  26,
  31,
  32,
  35,
  36,
  37,
  38,
  39,
  46,
  49,
  50,
);
export const allPermissions = ((1n << 51n) - 1n).toString();

export interface BotIdentity {
  id: string;
  username: string;
}

export function botUserObject(bot: BotIdentity): Record<string, unknown> {
  return {
    id: bot.id,
    username: bot.username,
    discriminator: "0",
    global_name: null,
    avatar: null,
    bot: true,
    verified: true,
    mfa_enabled: false,
    flags: 0,
    public_flags: 0,
    email: null,
  };
}

export function userObject(
  member: Pick<MemberInput, "id" | "username" | "globalName">,
): Record<string, unknown> {
  return {
    id: member.id,
    username: member.username,
    discriminator: "0",
    global_name: member.globalName ?? null,
    avatar: null,
    avatar_decoration_data: null,
    public_flags: 0,
    primary_guild: null,
  };
}

/** A guild member as REST and the gateway give it (interactions add `permissions`). */
export function memberObject(
  user: Record<string, unknown>,
  fields: { nick?: string | undefined; roles?: string[] | undefined; joinedAt: string },
): Record<string, unknown> {
  return {
    user,
    nick: fields.nick ?? null,
    avatar: null,
    banner: null,
    roles: fields.roles ?? [],
    joined_at: fields.joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    communication_disabled_until: null,
  };
}

export function roleObject(
  role: { id: string; name: string; permissions: string },
  position: number,
): Record<string, unknown> {
  return {
    id: role.id,
    name: role.name,
    description: null,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position,
    permissions: role.permissions,
    managed: false,
    mentionable: false,
    flags: 0,
  };
}

export function textChannelObject(
  channel: { id: string; name: string },
  guildId: string,
  position: number,
): Record<string, unknown> {
  return {
    id: channel.id,
    type: 0,
    guild_id: guildId,
    name: channel.name,
    position,
    permission_overwrites: [],
    parent_id: null,
    topic: null,
    nsfw: false,
    last_message_id: null,
    rate_limit_per_user: 0,
    flags: 0,
  };
}

export function dmChannelObject(id: string, recipient: Record<string, unknown>): Record<string, unknown> {
  return { id, type: 1, last_message_id: null, flags: 0, recipients: [recipient] };
}

/** Fields of a create/edit message body that end up on the message object. */
const messageFields = ["content", "embeds", "components", "tts", "nonce", "poll", "sticker_ids"] as const;

/**
 * An embed's `attachment://<filename>` image (or thumbnail) becomes the URL of the message's
 * attachment of that name, as Discord shows it; one naming no attachment is left as sent.
 */
export function resolveEmbedAttachments(message: Record<string, unknown>): void {
  const attachments = Array.isArray(message.attachments)
    ? (message.attachments as Record<string, unknown>[])
    : [];
  if (!Array.isArray(message.embeds)) return;
  message.embeds = message.embeds.map((value) => {
    if (typeof value !== "object" || value === null) return value;
    const embed = { ...(value as Record<string, unknown>) };
    for (const key of ["image", "thumbnail"]) {
      const media = embed[key] as { url?: unknown } | undefined;
      const name = typeof media?.url === "string" ? /^attachment:\/\/(.+)$/.exec(media.url)?.[1] : undefined;
      const attachment = attachments.find((a) => a.filename === name);
      if (attachment) embed[key] = { ...media, url: attachment.url, proxy_url: attachment.proxy_url };
    }
    return embed;
  });
}

export function attachmentObjects(
  files: UploadedFile[],
  body: Record<string, unknown>,
  nextId: () => string,
  baseUrl: string,
): Record<string, unknown>[] {
  const described = Array.isArray(body.attachments) ? (body.attachments as Record<string, unknown>[]) : [];
  return files.map((file, index) => {
    const id = nextId();
    const filename = (described[index]?.filename as string | undefined) ?? file.filename;
    const url = `${baseUrl}/attachments/${id}/${encodeURIComponent(filename)}`;
    return { id, filename, size: file.size, url, proxy_url: url, content_type: file.contentType };
  });
}

export interface MessageInit {
  id: string;
  channelId: string;
  guildId?: string | undefined;
  author: Record<string, unknown>;
  body: Record<string, unknown>;
  attachments?: Record<string, unknown>[];
  timestamp: string;
  extra?: Record<string, unknown>;
}

export function messageObject(init: MessageInit): Record<string, unknown> {
  const message: Record<string, unknown> = {
    type: 0,
    content: "",
    mentions: [],
    mention_roles: [],
    attachments: init.attachments ?? [],
    embeds: [],
    timestamp: init.timestamp,
    edited_timestamp: null,
    flags: typeof init.body.flags === "number" ? init.body.flags : 0,
    components: [],
    id: init.id,
    channel_id: init.channelId,
    author: init.author,
    pinned: false,
    mention_everyone: false,
    tts: false,
    ...(init.guildId === undefined ? {} : { guild_id: init.guildId }),
    ...init.extra,
  };
  for (const field of messageFields) if (init.body[field] !== undefined) message[field] = init.body[field];
  resolveEmbedAttachments(message);
  if (init.body.message_reference !== undefined) {
    message.message_reference = {
      type: 0,
      channel_id: init.channelId,
      ...(init.body.message_reference as object),
    };
  }
  return message;
}

/** An edit: given fields replace the old ones (Discord's PATCH semantics), `edited_timestamp` moves. */
export function editMessage(
  message: Record<string, unknown>,
  body: Record<string, unknown>,
  timestamp: string,
  attachments?: Record<string, unknown>[],
): void {
  for (const field of ["content", "embeds", "components", "flags", "poll"]) {
    if (body[field] !== undefined) message[field] = body[field] ?? (field === "content" ? "" : []);
  }
  if (attachments !== undefined && attachments.length > 0) message.attachments = attachments;
  else if (Array.isArray(body.attachments) && body.attachments.length === 0) message.attachments = [];
  resolveEmbedAttachments(message);
  message.edited_timestamp = timestamp;
}
