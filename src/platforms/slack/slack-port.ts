import { type types, webApi } from "@slack/bolt";
import type { Config } from "../../config.js";
import type { PrismaClient } from "../../generated/prisma/client.js";
import type { Logger } from "../../logger.js";
import { type DrawChart, drawCharts } from "../../notify/chart-images.js";
import { DeliveryError, type DeliveryPort, type OutboundMessage } from "../../notify/port.js";
import { boltLogger } from "./bolt-logger.js";
import { isSlackFileRefused, uploadChartBlocks, withImageBlocks } from "./chart-blocks.js";
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
  /** Draws a chart as PNG; the bundled renderer by default. */
  drawChart?: DrawChart;
  /**
   * Waits before posting again when Slack has not finished processing a just-uploaded picture
   * (`invalid_blocks` on its `slack_file`); after the last, the message goes without its pictures.
   */
  fileWaitsMs?: number[];
}

const FILE_WAITS_MS = [500, 1000, 2000, 4000];

/**
 * Slack's delivery port: `chat.postMessage` with the outbox key in the message metadata, DMs through
 * `conversations.open`. A resend (attempt > 1) first reads the channel's recent history for a post
 * carrying the same key, so a crash between posting and recording never posts twice. Rate limits
 * come back as retryable errors with Slack's Retry-After; the dispatcher waits, not the client.
 *
 * A reply's charts are drawn, uploaded privately, and shown by image blocks (`slack_file`) of the
 * one message that carries the key, so the resend check covers them too: a found post is the
 * pictures' post, and nothing is uploaded again. A picture that cannot be drawn, or uploaded for
 * good (no `files:write`), is left out and the text goes alone.
 */
export function createSlackPort({
  slack,
  db,
  log,
  drawChart,
  fileWaitsMs = FILE_WAITS_MS,
}: SlackPortOptions): DeliveryPort {
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

  /** The reply's charts as image blocks of files uploaded privately; none when they cannot be. */
  async function chartBlocks(client: webApi.WebClient, message: OutboundMessage) {
    const images = await drawCharts(message.reply.charts, log, drawChart);
    try {
      return await uploadChartBlocks(client, images);
    } catch (error) {
      const failure = deliveryError(error);
      // Nothing is posted yet: a pause Slack asks for is the whole message's retry.
      if (failure.retryable) throw failure;
      log.warn(
        { err: failure.message, key: message.dedupeKey },
        "slack chart not uploaded; posting the text alone",
      );
      return [];
    }
  }

  /**
   * Posts; while Slack has not finished processing the uploaded pictures (it does so after
   * `files.completeUploadExternal` answers), waits and posts again, and at last posts the text alone.
   * A refused post posted nothing, so trying again cannot post twice.
   */
  async function postWhenFilesReady<T>(
    post: (withImages: boolean) => Promise<T>,
    images: boolean,
    key: string,
  ) {
    if (!images) return post(false);
    for (const wait of fileWaitsMs) {
      try {
        return await post(true);
      } catch (error) {
        if (!isSlackFileRefused(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
    try {
      return await post(true);
    } catch (error) {
      if (!isSlackFileRefused(error)) throw error;
      log.warn({ key }, "slack refused the uploaded chart; posting the text alone");
      return post(false);
    }
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
        const images = await chartBlocks(client, message);
        const post = (withImages: boolean) =>
          client.chat.postMessage({
            channel,
            text,
            blocks: (withImages ? withImageBlocks(blocks, images) : blocks) as types.KnownBlock[],
            unfurl_links: false,
            metadata: { event_type: NOTIFICATION_EVENT, event_payload: { dedupe_key: message.dedupeKey } },
          });
        const posted = await postWhenFilesReady(post, images.length > 0, message.dedupeKey);
        if (posted.channel) channels.set(`${teamId}|${message.destination}`, posted.channel);
        return `${posted.channel ?? channel}/${posted.ts}`;
      } catch (error) {
        throw error instanceof DeliveryError ? error : deliveryError(error);
      }
    },
  };
}
