export interface SlackUser {
  id: string;
  teamId: string;
  name: string;
  realName?: string;
  tz?: string;
  locale?: string;
  isAdmin?: boolean;
  isOwner?: boolean;
  /** In `users.info`'s profile when the app has `users:read.email`. */
  email?: string;
}

export interface ApiCall {
  method: string;
  token: string | undefined;
  params: Record<string, unknown>;
  at: number;
}

/** A workspace the emulated app is installed in; `botToken` authenticates as its bot. */
export interface Workspace {
  teamId: string;
  teamName: string;
  botToken: string;
  botUserId: string;
  botId: string;
  enterpriseId?: string;
  /** Bot scopes granted; undefined grants every scope (the default bot token's workspace). */
  scopes?: string[];
}

/** A file uploaded through files.getUploadURLExternal, its bytes, and where completing it shared it. */
export interface SlackFile {
  id: string;
  teamId: string;
  /** The file name given to files.getUploadURLExternal. */
  name: string;
  /** The length announced to files.getUploadURLExternal. */
  length: number;
  /** The bytes received at the upload URL; undefined until then. */
  content: Buffer | undefined;
  /** Set by files.completeUploadExternal (the name when it gives none). */
  title: string | undefined;
  /** The channel it was shared in; undefined while private or not completed. */
  channel: string | undefined;
  initialComment: string | undefined;
  completed: boolean;
  /**
   * How many more times an image block naming it is refused as Slack refuses a file it has not
   * finished processing (`invalid_blocks`, "invalid slack file"), after its completion.
   */
  processingChecks: number;
  /** Messages whose image blocks show it. */
  shownIn: number;
}

export interface OAuthInstall {
  teamId: string;
  teamName: string;
  botToken: string;
  botUserId: string;
  userId: string;
  enterpriseId?: string;
  /** Defaults to "B" + the bot user id without its leading letter. */
  botId?: string;
  /** Bot scopes granted; defaults to commands, chat:write, im:write, users:read, team:read. */
  scopes?: string[];
}

/** A message posted with chat.postMessage (kept after chat.delete, flagged `deleted`). */
export interface PostedMessage {
  teamId: string;
  channel: string;
  ts: string;
  threadTs?: string;
  text?: string;
  blocks?: unknown[];
  metadata?: Record<string, unknown>;
  user: string;
  botId: string;
  edits: number;
  deleted: boolean;
  /** The latest parameters (chat.postMessage, then merged chat.update ones). */
  params: Record<string, unknown>;
  /** Files this message shared (files.completeUploadExternal). */
  files?: SlackFile[];
}

export interface EphemeralMessage {
  teamId: string;
  channel: string;
  user: string;
  messageTs: string;
  text?: string;
  blocks?: unknown[];
  params: Record<string, unknown>;
}

/** A view opened, pushed or published; `view` is its latest state, `history` every version. */
export interface StoredView {
  id: string;
  teamId: string;
  type: string;
  via: "views.open" | "views.push" | "views.publish";
  triggerId?: string;
  userId?: string;
  externalId?: string;
  hash: string;
  view: Record<string, unknown>;
  history: Record<string, unknown>[];
}

export type Failure = { status: 429; retryAfter: number } | { status: 500 | 502 | 503 } | { error: string };

/** Slack's posting limits, enforced on chat.postMessage with HTTP 429 `ratelimited` (the message is not stored). */
export interface PostingLimits {
  /** At most this many messages per second per channel (team id + channel; a user id counts as its DM). */
  perChannelPerSecond?: number;
  /** Rate-limits each chat.postMessage with `probability`, drawn from a PRNG seeded with `seed`;
   * `retryAfter` is the Retry-After in seconds (1 by default). */
  randomRateLimit?: { probability: number; seed: number; retryAfter?: number };
}

export interface SendOptions {
  signature?: "valid" | "forged" | "stale" | "missing";
  retryNum?: number;
  retryReason?: string;
  /** Seconds; defaults to the wall clock (Bolt checks staleness against Date.now(), not the emulator's `now`). */
  timestamp?: number;
}

export interface AppResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  json?: unknown;
  /** Id of the response_url handed out with this request, if any (see `responses` / `waitForResponse`). */
  responseUrlId?: string;
}

export interface CommandInput {
  command: string;
  text: string;
  teamId: string;
  userId: string;
  channelId?: string;
  triggerId?: string;
}

export interface ResponseUrlPost {
  id: string;
  body: Record<string, unknown>;
}

export interface SocketAck {
  envelope_id: string;
  payload?: unknown;
}

export interface SocketEnvelopeOptions {
  envelopeId?: string;
  retryAttempt?: number;
  retryReason?: string;
  /** How long to wait for the app's ack; 5000 ms by default. */
  timeoutMs?: number;
}
