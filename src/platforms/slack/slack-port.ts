import { type types, webApi } from "@slack/bolt";
import type { Config } from "../../config.js";
import type { PrismaClient } from "../../generated/prisma/client.js";
import type { Logger } from "../../logger.js";
import { DeliveryError, type DeliveryPort, type OutboundMessage } from "../../notify/port.js";
import { boltLogger } from "./bolt-logger.js";
import { createInstallationStore } from "./installation-store.js";
import { renderBlocks } from "./render-blocks.js";

/** The metadata event type our posts carry, with the outbox key as payload. */
export const NOTIFICATION_EVENT = "closer_notification";

/** Errors that will not go away by trying again. */
const PERMANENT = new Set([
  "channel_not_found",
  "not_in_channel",
  "is_archived",
  "invalid_auth",
  "account_inactive",
  "token_revoked",
  "missing_scope",
  "user_not_found",
  "msg_too_long",
  "invalid_blocks",
  "no_text",
  "restricted_action",
  "cannot_dm_bot",
]);

/** How far back a resend looks for an earlier post of the same notification. */
const HISTORY_LIMIT = 100;

interface SlackErrorShape {
  code?: string;
  retryAfter?: number;
  data?: { error?: string };
  message?: string;
}

function deliveryError(error: unknown): DeliveryError {
  const e = (error ?? {}) as SlackErrorShape;
  if (e.code === webApi.ErrorCode.RateLimitedError)
    return new DeliveryError("ratelimited", true, (e.retryAfter ?? 1) * 1000);
  if (e.code === webApi.ErrorCode.PlatformError) {
    const reason = e.data?.error ?? "unknown_error";
    return new DeliveryError(reason, !PERMANENT.has(reason));
  }
  return new DeliveryError(e.message ?? String(error), true);
}

export interface SlackPortOptions {
  slack: NonNullable<Config["slack"]>;
  db: PrismaClient;
  log: Logger;
}

/**
 * Slack's delivery port: `chat.postMessage` with the outbox key in the message metadata, DMs through
 * `conversations.open`. A resend (attempt > 1) first reads the channel's recent history for a post
 * carrying the same key, so a crash between posting and recording never posts twice. Rate limits
 * come back as retryable errors with Slack's Retry-After; the dispatcher waits, not the client.
 */
export function createSlackPort({ slack, db, log }: SlackPortOptions): DeliveryPort {
  const store = slack.oauth ? createInstallationStore(db) : undefined;
  const clients = new Map<string, webApi.WebClient>();
  /** Channel ids by team and destination (`@U1` -> its DM, `#wins` -> C…). */
  const channels = new Map<string, string>();

  async function clientFor(teamId: string): Promise<webApi.WebClient> {
    let token = slack.botToken;
    if (store) {
      const installation = await store.fetchInstallation({
        teamId,
        enterpriseId: undefined,
        isEnterpriseInstall: false,
      });
      token = installation.bot?.token;
    }
    if (!token) throw new DeliveryError(`no bot token for team ${teamId}`, false);
    let client = clients.get(token);
    if (!client) {
      client = new webApi.WebClient(token, {
        ...(slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {}),
        logger: boltLogger(log),
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
      });
      clients.set(token, client);
    }
    return client;
  }

  async function channelFor(client: webApi.WebClient, teamId: string, destination: string): Promise<string> {
    const known = channels.get(`${teamId}|${destination}`);
    if (known) return known;
    if (destination.startsWith("#")) return destination.slice(1);
    const opened = await client.conversations.open({ users: destination.slice(1) });
    const id = opened.channel?.id;
    if (!id) throw new DeliveryError("conversations.open returned no channel", true);
    channels.set(`${teamId}|${destination}`, id);
    return id;
  }

  async function findEarlier(
    client: webApi.WebClient,
    channel: string,
    key: string,
  ): Promise<string | undefined> {
    const history = await client.conversations.history({
      channel,
      limit: HISTORY_LIMIT,
      include_all_metadata: true,
    });
    const earlier = history.messages?.find(
      (m) =>
        m.metadata?.event_type === NOTIFICATION_EVENT &&
        (m.metadata.event_payload as Record<string, unknown> | undefined)?.dedupe_key === key,
    );
    return earlier?.ts;
  }

  return {
    minIntervalMs: 1000,
    async deliver(message: OutboundMessage): Promise<string> {
      const teamId = message.workspace.externalId;
      try {
        const client = await clientFor(teamId);
        const channel = await channelFor(client, teamId, message.destination);
        if (message.attempt > 1) {
          const ts = await findEarlier(client, channel, message.dedupeKey);
          if (ts) return `${channel}/${ts}`;
        }
        const { text, blocks } = renderBlocks(message.reply);
        const posted = await client.chat.postMessage({
          channel,
          text,
          blocks: blocks as types.KnownBlock[],
          unfurl_links: false,
          metadata: { event_type: NOTIFICATION_EVENT, event_payload: { dedupe_key: message.dedupeKey } },
        });
        if (posted.channel) channels.set(`${teamId}|${message.destination}`, posted.channel);
        return `${posted.channel ?? channel}/${posted.ts}`;
      } catch (error) {
        throw error instanceof DeliveryError ? error : deliveryError(error);
      }
    },
  };
}
