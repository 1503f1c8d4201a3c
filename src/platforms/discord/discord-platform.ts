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
  type User,
} from "discord.js";
import type { Clock } from "../../clock.js";
import type { CommandContext } from "../../commands/command.js";
import { commandContext } from "../../commands/context.js";
import { dealLog } from "../../commands/deal.js";
import { executeCommand, executeText } from "../../commands/execute.js";
import type { MemberRef } from "../../commands/grammar/tokenize.js";
import { commandNamed } from "../../commands/registry.js";
import type { Config } from "../../config.js";
import type { PrismaClient } from "../../generated/prisma/client.js";
import type { Logger } from "../../logger.js";
import { errorReply, type Reply } from "../../messages/reply.js";
import { LOST_REASONS } from "../../sales/deals/stages.js";
import type { SalesService } from "../../sales/sales-service.js";
import { createRequestClaims } from "../processed-requests.js";
import { within } from "../within.js";
import { findDiscordCommand, type OptionReader } from "./command-definitions.js";
import { DEAL_MODAL_ID, dealModal, dealModalInput } from "./deal-modal.js";
import { renderEmbed } from "./render-embed.js";

/** Interactions are never redelivered after 15 minutes (their token expires); claims are kept a day. */
const DEDUPE_TTL_MS = 24 * 3600_000;

/** Commands whose answer is for the channel; deferring must choose before the answer exists. */
const PUBLIC_COMMANDS = new Set([
  "deal log",
  "deal won",
  "deal lost",
  "deal stage",
  "deal assign",
  "goal set",
  "leaderboard",
  "closer role",
  "closer team add",
]);

export interface DiscordPlatformOptions {
  discord: NonNullable<Config["discord"]>;
  sales: SalesService;
  db: PrismaClient;
  clock: Clock;
  log: Logger;
  /** How long an answer may take before the interaction is deferred (Discord allows 3 s); 0 always defers. */
  deferAfterMs?: number;
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
      locale: interaction.guildLocale?.startsWith("fr") ? "fr" : undefined,
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

  async function run(interaction: Interaction, toReply: (ctx: CommandContext) => Promise<Reply>) {
    let ctx: CommandContext | undefined;
    try {
      ctx = await contextFor(interaction);
      return { ctx, reply: await toReply(ctx) };
    } catch (error) {
      log.error({ err: error, interaction: interaction.id }, "discord interaction failed");
      return {
        ctx,
        reply: errorReply(ctx ? ctx.t("error.generic") : "Something went wrong; nothing was saved."),
      };
    }
  }

  function reader(interaction: ChatInputCommandInteraction): OptionReader {
    const o = interaction.options;
    return {
      string: (name) => o.getString(name) ?? undefined,
      integer: (name) => o.getInteger(name) ?? undefined,
      boolean: (name) => o.getBoolean(name) ?? undefined,
      user: (name) => {
        const user = o.getUser(name);
        if (!user) return undefined;
        const member = o.getMember(name);
        return {
          platformUserId: user.id,
          displayName:
            member && "displayName" in member
              ? (member as GuildMember).displayName
              : (user.globalName ?? user.username),
        };
      },
    };
  }

  async function onChatInput(interaction: ChatInputCommandInteraction) {
    const spec = findDiscordCommand(interaction.commandName, interaction.options.getSubcommand(false));
    const command = spec && commandNamed(spec.command);
    if (!spec || !command) {
      await interaction.reply({ content: "Unknown command.", flags: 64 });
      return;
    }
    if (spec.command === "deal log" && interaction.options.data[0]?.options?.length === 0) {
      const ctx = await contextFor(interaction);
      await interaction.showModal(dealModal(ctx));
      return;
    }
    const raw = spec.toRaw(reader(interaction));
    await answer(
      interaction,
      run(interaction, (ctx) => executeCommand(ctx, command, raw, log)),
      PUBLIC_COMMANDS.has(spec.command),
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
        await answer(
          interaction,
          run(interaction, (ctx) => executeText(ctx, line, log)),
          true,
        );
      } else if (interaction.isStringSelectMenu() && interaction.customId.startsWith("run-select:")) {
        const line = interaction.values[0] ?? "";
        await answer(
          interaction,
          run(interaction, (ctx) => executeText(ctx, line, log)),
          true,
        );
      } else if (interaction.isModalSubmit() && interaction.customId === DEAL_MODAL_ID) {
        const raw = dealModalInput((id) => interaction.fields.getTextInputValue(id));
        await answer(
          interaction,
          run(interaction, (ctx) => executeCommand(ctx, dealLog, raw, log)),
          true,
        );
      }
    } catch (error) {
      // A handler error never reaches the process: it is logged, and the gateway keeps going.
      log.error({ err: error, interaction: interaction.id }, "discord handler failed");
    }
  });
  client.on(Events.Error, (error) => log.error({ err: error }, "discord client error"));

  return {
    client,
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
