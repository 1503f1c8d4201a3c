export interface DiscordEmulatorOptions {
  /** The bot token the app logs in with; defaults to a token-shaped string for `botUserId`. */
  token?: string;
  applicationId?: string;
  botUserId?: string;
  botUsername?: string;
  /** HELLO's heartbeat_interval; Discord's is 41 250 ms. */
  heartbeatIntervalMs?: number;
  /** Discord rejects callbacks after 3 s with 10062 Unknown interaction; `Infinity` turns that off. */
  interactionDeadlineMs?: number;
  /** Privileged intents "enabled in the developer portal" (GuildMembers 1<<1, GuildPresences 1<<8,
   * MessageContent 1<<15); IDENTIFY asking for others is closed with 4014. Defaults to none. */
  privilegedIntents?: number;
  /** Clock (ms) for timestamps, snowflakes, nonce windows and the interaction deadline. */
  now?: () => number;
}

/** A REST request the app made, failed ones included; `path` is relative to `/api/v10`. */
export interface RestCall {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Parsed JSON, or a multipart request's `payload_json`. */
  body: unknown;
  files: UploadedFile[];
  headers: Record<string, string>;
  /** The status the emulator answered with. */
  status: number;
  at: number;
}

export interface UploadedFile {
  field: string;
  filename: string;
  contentType: string;
  size: number;
  /** The bytes of the part, as received. */
  content: Buffer;
}

/** A file attached to a message the app created, with its bytes. */
export interface ChannelFile {
  messageId: string;
  /** The attachment's name (the `attachments` entry's `filename`, else the part's). */
  filename: string;
  contentType: string;
  content: Buffer;
}

export type Failure = { status: 429; retryAfter: number; global?: boolean } | { status: 500 | 502 | 503 };

export interface GuildInput {
  id: string;
  name: string;
  preferredLocale?: string;
  ownerId?: string;
  channels?: { id: string; name: string }[];
  /** The @everyone role (id = guild id) is added unless given. */
  roles?: { id: string; name: string; permissions: string }[];
}

export interface MemberInput {
  id: string;
  username: string;
  globalName?: string;
  nick?: string;
  /** Bitfield as a string (e.g. Manage Guild 0x20 = "32"): the `member.permissions` of interactions. */
  permissions?: string;
  roles?: string[];
  locale?: string;
  /** False: DMs to this user fail with 50007 Cannot send messages to this user. */
  acceptsDms?: boolean;
}

export interface InteractionInput {
  type: 2 | 3 | 4 | 5;
  guildId: string;
  channelId?: string;
  userId: string;
  data: Record<string, unknown>;
  id?: string;
  token?: string;
  locale?: string;
  message?: Record<string, unknown>;
}

export interface InteractionResult {
  id: string;
  token: string;
  callback: { type: number; data?: Record<string, unknown> };
}

export interface InteractionMessage {
  kind: "callback" | "original" | "followup";
  body: Record<string, unknown>;
}

/** A gateway payload the client sent. */
export interface GatewayEvent {
  op: number;
  t?: string;
  d?: unknown;
}

export interface DiscordEmulator {
  /** "http://127.0.0.1:<port>/api", for discord.js `rest: { api }` (the client appends `/v10`). */
  apiUrl: string;
  /** "ws://127.0.0.1:<port>/gateway", what GET /gateway/bot hands out. */
  gatewayUrl: string;
  token: string;
  applicationId: string;
  botUserId: string;
  requests: RestCall[];
  waitForRequest(
    method: string,
    pathPattern: RegExp,
    predicate?: (c: RestCall) => boolean,
    timeoutMs?: number,
  ): Promise<RestCall>;
  /** The next `times` requests matching method and path (relative to /api/v10) fail. */
  failNext(method: string, pathPattern: RegExp, failure: Failure, times?: number): void;
  addGuild(guild: GuildInput): void;
  addMember(guildId: string, member: MemberInput): void;
  /** Registered application commands, global or for one guild, as Discord returns them. */
  commands(guildId?: string): unknown[];
  interact(input: InteractionInput, timeoutMs?: number): Promise<InteractionResult>;
  interactionMessages(token: string): InteractionMessage[];
  waitForInteractionMessage(
    token: string,
    kind: "original" | "followup",
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  /** Messages created with POST /channels/:id/messages (DM channels included), latest state. */
  channelMessages(channelId: string): Record<string, unknown>[];
  /** Files attached to messages created in a channel (DM channels included), in order. */
  channelFiles(channelId: string): ChannelFile[];
  /** The DM channel id POST /users/@me/channels gives for this user (stable). */
  dmChannelId(userId: string): string;
  /** From now on, messages to this user's DM channel fail with 50007, as when they close DMs. */
  closeDms(userId: string): void;
  connected(timeoutMs?: number): Promise<void>;
  requestReconnect(timeoutMs?: number): Promise<void>;
  gatewayEvents: GatewayEvent[];
  waitForGatewayEvent(
    op: number,
    predicate?: (e: GatewayEvent) => boolean,
    timeoutMs?: number,
  ): Promise<GatewayEvent>;
  close(): Promise<void>;
}
