import { createHash } from "node:crypto";
import { DiscordAPIError, REST, Routes } from "discord.js";
import { pino } from "pino";
import type { Config } from "../../config.js";
import type { Logger } from "../../logger.js";
import { type DrawChart, drawCharts } from "../../notify/chart-images.js";
import { DeliveryError, type DeliveryPort, type OutboundMessage } from "../../notify/port.js";
import { altText, renderEmbed } from "./render-embed.js";

/** Discord's nonce is at most 25 characters: a digest of the outbox key. */
export function nonceOf(key: string): string {
  return createHash("sha256").update(key).digest("base64url").slice(0, 25);
}

/**
 * Discord's delivery port: channel messages, and DMs through `POST /users/@me/channels`, each sent
 * with `nonce` + `enforce_nonce`, so a resend after a crash returns the earlier message instead of
 * posting again. discord.js's REST client waits out 429s itself, honouring Retry-After.
 *
 * A reply's charts are attached to that same message (one multipart request, the embed showing
 * `attachment://chart.png`), so the nonce that keeps the message single keeps its pictures single.
 */
export function createDiscordPort(
  discord: NonNullable<Config["discord"]>,
  options: { log?: Logger | undefined; drawChart?: DrawChart } = {},
): DeliveryPort {
  const rest = new REST({ ...(discord.apiUrl ? { api: discord.apiUrl } : {}), retries: 1 }).setToken(
    discord.token,
  );
  const dms = new Map<string, string>();
  const log = options.log ?? pino({ level: "silent" });

  async function channelFor(destination: string): Promise<string> {
    if (destination.startsWith("#")) return destination.slice(1);
    const user = destination.slice(1);
    let id = dms.get(user);
    if (!id) {
      const channel = (await rest.post(Routes.userChannels(), { body: { recipient_id: user } })) as {
        id: string;
      };
      id = channel.id;
      dms.set(user, id);
    }
    return id;
  }

  return {
    minIntervalMs: 0,
    async deliver(message: OutboundMessage): Promise<string> {
      try {
        const channel = await channelFor(message.destination);
        const images = await drawCharts(message.reply.charts, log, options.drawChart);
        const { embeds, allowed_mentions } = renderEmbed(message.reply, undefined, images);
        const posted = (await rest.post(Routes.channelMessages(channel), {
          body: {
            embeds,
            allowed_mentions,
            nonce: nonceOf(message.dedupeKey),
            enforce_nonce: true,
            ...(images.length
              ? {
                  attachments: images.map((im, id) => ({
                    id,
                    filename: im.name,
                    description: altText(im.title),
                  })),
                }
              : {}),
          },
          ...(images.length
            ? { files: images.map((im) => ({ name: im.name, data: im.png, contentType: "image/png" })) }
            : {}),
        })) as { id: string };
        return `${channel}/${posted.id}`;
      } catch (error) {
        if (error instanceof DiscordAPIError)
          throw new DeliveryError(`${error.status} ${error.code}: ${error.message}`, error.status >= 500);
        throw new DeliveryError(error instanceof Error ? error.message : String(error), true);
      }
    },
  };
}
