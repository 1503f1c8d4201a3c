import { Client, Events, GatewayIntentBits, Options, Status } from "discord.js";
import type { Clock } from "../../clock.js";
import type { Config } from "../../config.js";
import type { PrismaClient } from "../../generated/prisma/client.js";
import type { Logger } from "../../logger.js";
import { translator } from "../../messages/i18n.js";
import { errorReply } from "../../messages/reply.js";
import type { Metrics } from "../../metrics.js";
import type { SalesService } from "../../sales/sales-service.js";
import { createEdge } from "../edge.js";
import { createRequestClaims } from "../processed-requests.js";
import { HANDLERS } from "./handlers/index.js";
import { createInteractionKit, guildLocale } from "./interaction-kit.js";

/** Interactions are never redelivered after 15 minutes (their token expires); claims are kept a day. */
const DEDUPE_TTL_MS = 24 * 3600_000;

export interface DiscordPlatformOptions {
  discord: NonNullable<Config["discord"]>;
  sales: SalesService;
  db: PrismaClient;
  clock: Clock;
  log: Logger;
  /** How long an answer may take before the interaction is deferred (Discord allows 3 s); 0 always defers. */
  deferAfterMs?: number;
  metrics?: Metrics | undefined;
}

/**
 * The Discord platform: discord.js over the gateway with the Guilds intent only and bounded caches.
 * Each kind of interaction (slash command, autocomplete, button, select, the `/deal log` form) has
 * its handler in `handlers/`; all run the shared commands through the edge.
 */
export function createDiscordPlatform(options: DiscordPlatformOptions) {
  const { sales, db, clock, log, discord } = options;
  const deferAfterMs = options.deferAfterMs ?? 2000;
  const claim = createRequestClaims(db, clock, DEDUPE_TTL_MS);
  const edge = createEdge({ platform: "discord", log, metrics: options.metrics });
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: discord.apiUrl ? { api: discord.apiUrl } : {},
    allowedMentions: { parse: [] },
    // Members, users and messages are never needed from the cache: memory stays flat as guilds grow.
    makeCache: Options.cacheWithLimits({
      ...Options.DefaultMakeCacheSettings,
      MessageManager: 0,
      GuildMemberManager: 0,
      UserManager: 0,
      ThreadManager: 0,
      PresenceManager: 0,
      ReactionManager: 0,
      GuildEmojiManager: 0,
      GuildStickerManager: 0,
      VoiceStateManager: 0,
    }),
  });

  const kit = createInteractionKit({ sales, log, edge, claim, deferAfterMs });

  client.on(Events.InteractionCreate, async (interaction) => {
    const handler = HANDLERS.find((h) => h.matches(interaction));
    if (!handler) return;
    try {
      await handler.handle(kit, interaction);
    } catch (error) {
      // A handler error never reaches the process: it is logged, the user told when they can still
      // be, and the gateway keeps going.
      log.error({ err: error, interaction: interaction.id, kind: handler.kind }, "discord handler failed");
      if (interaction.isRepliable() && !interaction.replied && !interaction.deferred) {
        const t = translator(guildLocale(interaction) ?? "en");
        await interaction
          .reply(kit.message(undefined, errorReply(t("error.generic"))))
          .catch((err: unknown) =>
            log.warn({ err, interaction: interaction.id }, "discord error reply failed"),
          );
      }
    }
  });
  client.on(Events.Error, (error) => log.error({ err: error }, "discord client error"));

  return {
    client,
    /** Nothing to serve over HTTP: Discord's interactions arrive through the gateway. */
    routes: [],
    /** Connected: every shard's gateway session is ready (discord.js reconnects and resumes by itself). */
    ready: () => client.isReady() && client.ws.shards.every((shard) => shard.status === Status.Ready),
    /** Logs in and resolves once the gateway session is ready. */
    async start(): Promise<void> {
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(discord.token);
      await ready;
    },
    stop: () => client.destroy(),
  };
}

export type DiscordPlatform = ReturnType<typeof createDiscordPlatform>;
