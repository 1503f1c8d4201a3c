import {
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  Client,
  Events,
  GatewayIntentBits,
  type GuildMember,
  type Interaction,
  type InteractionReplyOptions,
  type ModalSubmitInteraction,
  Options,
  PermissionFlagsBits,
  Status,
  type User,
} from "discord.js";
import type { Clock } from "../../clock.js";
import type { CommandContext } from "../../commands/command.js";
import { commandContext } from "../../commands/context.js";
import { dealLog } from "../../commands/deal.js";
import type { MemberRef } from "../../commands/grammar/tokens.js";
import type { Config } from "../../config.js";
import type { PrismaClient } from "../../generated/prisma/client.js";
import type { Logger } from "../../logger.js";
import { type Locale, translator } from "../../messages/i18n.js";
import { errorReply, type Reply } from "../../messages/reply.js";
import type { Metrics } from "../../metrics.js";
import { LOST_REASONS } from "../../sales/deals/stages.js";
import type { SalesService } from "../../sales/sales-service.js";
import { within } from "../../within.js";
import { createEdge, type EdgeRequest } from "../edge.js";
import { createRequestClaims } from "../processed-requests.js";
import { type DiscordCommandSpec, findDiscordCommand } from "./command-definitions.js";
import { DEAL_MODAL_ID, dealModal, dealModalInput } from "./deal-modal.js";
import { renderEmbed } from "./render-embed.js";

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

/** The guild's language, before its workspace is known: French when the guild prefers it. */
function guildLocale(interaction: Interaction): Locale | undefined {
  return interaction.guildLocale?.startsWith("fr") ? "fr" : undefined;
}

function displayName(user: User, member: GuildMember | null): string {
  return member?.displayName ?? user.globalName ?? user.username;
}

/**
 * The Discord platform: discord.js over the gateway with the Guilds intent only and bounded caches;
 * slash commands, autocomplete, buttons and the `/deal log` modal all run the shared commands.
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

  async function contextFor(interaction: Interaction): Promise<CommandContext> {
    const guildId = interaction.guildId;
    if (!guildId) throw new Error("interaction outside a guild");
    const workspace = await sales.workspaces.ensureWorkspace({
      platform: "discord",
      externalId: guildId,
      name: interaction.guild?.name ?? guildId,
      locale: guildLocale(interaction),
    });
    const member =
      interaction.member && "displayName" in interaction.member ? (interaction.member as GuildMember) : null;
    const roles = interaction.member
      ? Array.isArray(interaction.member.roles)
        ? interaction.member.roles
        : [...interaction.member.roles.cache.keys()]
      : [];
    const actor = await sales.members.ensureMember(workspace, {
      platformUserId: interaction.user.id,
      displayName: displayName(interaction.user, member),
      platformAdmin: interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false,
      platformManager: workspace.managerRole !== null && roles.includes(workspace.managerRole),
    });
    const resolve = (ref: MemberRef) =>
      sales.members.ensureMember(workspace, {
        platformUserId: ref.platformUserId,
        displayName: ref.displayName ?? ref.platformUserId,
      });
    return commandContext(sales, workspace, actor, resolve, `discord:${interaction.id}`);
  }

  const message = (ctx: CommandContext | undefined, reply: Reply) => {
    const { allowed_mentions: _, ...rest } = renderEmbed(
      reply,
      ctx && {
        lostPlaceholder: ctx.t("action.lost_placeholder"),
        lostReasons: LOST_REASONS.map((r) => ({ label: ctx.t(`reason.${r}`), value: r })),
      },
    );
    return { ...rest, allowedMentions: { parse: [] } } as InteractionReplyOptions;
  };

  /** Answers in time: directly when ready within the budget, else deferred then edited. */
  async function answer(
    interaction: ChatInputCommandInteraction | ModalSubmitInteraction | Interaction,
    work: Promise<{ ctx?: CommandContext; reply: Reply }>,
    publicAnswer: boolean,
  ) {
    if (!interaction.isRepliable()) return;
    const early = await within(work, deferAfterMs);
    if (early) {
      await interaction.reply(message(early.ctx, early.reply));
      return;
    }
    await interaction.deferReply(publicAnswer ? {} : { flags: 64 });
    const { ctx, reply } = await work;
    const { flags: _, ...edit } = message(ctx, reply) as InteractionReplyOptions & { flags?: number };
    await interaction.editReply(edit);
  }

  /** Runs a command for an interaction through the edge: its context, its input, one answer. */
  function run(interaction: Interaction, input: EdgeRequest["input"]) {
    return edge({ identify: () => contextFor(interaction), locale: guildLocale(interaction), input });
  }

  /**
   * The raw input of a chat-input command: each option the interaction carries, by its name, typed
   * as the command declares it (a user becomes a member reference). An option the command does not
   * declare stays in, for the command's strict schema to refuse.
   */
  function rawOptions(interaction: ChatInputCommandInteraction, spec: DiscordCommandSpec) {
    const data = spec.sub ? (interaction.options.data[0]?.options ?? []) : interaction.options.data;
    return Object.fromEntries(
      data.map((o) => {
        if (spec.declaration.options[o.name]?.kind !== "user" || !o.user) return [o.name, o.value];
        const member = o.member && "displayName" in o.member ? (o.member as GuildMember) : null;
        const ref: MemberRef = { platformUserId: o.user.id, displayName: displayName(o.user, member) };
        return [o.name, ref];
      }),
    );
  }

  async function onChatInput(interaction: ChatInputCommandInteraction) {
    const spec = findDiscordCommand(interaction.commandName, interaction.options.getSubcommand(false));
    if (!spec) {
      const t = translator(guildLocale(interaction) ?? "en");
      const command = `/${interaction.commandName}`;
      await interaction.reply(message(undefined, errorReply(t("error.unknown_command", { command }))));
      return;
    }
    const raw = rawOptions(interaction, spec);
    if (spec.declaration === dealLog && Object.keys(raw).length === 0) {
      const ctx = await contextFor(interaction);
      await interaction.showModal(dealModal(ctx));
      return;
    }
    const { declaration } = spec;
    await answer(
      interaction,
      run(interaction, { command: declaration, raw }),
      declaration.visibility === "public",
    );
  }

  async function onAutocomplete(interaction: AutocompleteInteraction) {
    const focused = interaction.options.getFocused(true);
    const ctx = await contextFor(interaction);
    if (focused.name === "deal") {
      const deals = await sales.deals.searchOpenDeals(ctx.workspace, String(focused.value));
      await interaction.respond(
        deals.map((d) => ({
          name: `#${d.number} ${d.customer.name} · ${ctx.fmt.money(d.amount)}`.slice(0, 100),
          value: String(d.number),
        })),
      );
      return;
    }
    const customers = await sales.customers.searchCustomers(ctx.workspace, String(focused.value));
    await interaction.respond(
      customers.map((c) => ({ name: c.name.slice(0, 100), value: c.name.slice(0, 100) })),
    );
  }

  client.on(Events.InteractionCreate, async (interaction) => {
    try {
      if (interaction.isAutocomplete()) {
        await onAutocomplete(interaction);
        return;
      }
      if (!(await claim(`discord:${interaction.id}`))) return;
      if (interaction.isChatInputCommand()) {
        await onChatInput(interaction);
      } else if (interaction.isButton() && interaction.customId.startsWith("run:")) {
        const line = interaction.customId.slice("run:".length);
        await answer(interaction, run(interaction, { line }), true);
      } else if (interaction.isStringSelectMenu() && interaction.customId.startsWith("run-select:")) {
        const line = interaction.values[0] ?? "";
        await answer(interaction, run(interaction, { line }), true);
      } else if (interaction.isModalSubmit() && interaction.customId === DEAL_MODAL_ID) {
        const raw = dealModalInput((id) => interaction.fields.getTextInputValue(id));
        await answer(interaction, run(interaction, { command: dealLog as never, raw }), true);
      }
    } catch (error) {
      // A handler error never reaches the process: it is logged, and the gateway keeps going.
      log.error({ err: error, interaction: interaction.id }, "discord handler failed");
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
