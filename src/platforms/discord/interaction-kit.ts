import type { GuildMember, Interaction, InteractionReplyOptions, User } from "discord.js";
import { PermissionFlagsBits } from "discord.js";
import type { CommandContext } from "../../commands/command.js";
import { commandContext } from "../../commands/context.js";
import type { MemberRef } from "../../commands/grammar/tokens.js";
import type { Logger } from "../../logger.js";
import { type Locale, translator } from "../../messages/i18n.js";
import { errorReply, type Reply } from "../../messages/reply.js";
import { type ChartImage, drawCharts } from "../../notify/chart-images.js";
import { LOST_REASONS } from "../../sales/deals/stages.js";
import type { SalesService } from "../../sales/sales-service.js";
import { within } from "../../within.js";
import type { Edge, EdgeAnswer, EdgeRequest } from "../edge.js";
import type { ClaimRequest } from "../processed-requests.js";
import { altText, renderEmbed } from "./render-embed.js";
import { isDmClosed, sendFileByDm } from "./send-file-by-dm.js";

/** The guild's language, before its workspace is known: French when the guild prefers it. */
export function guildLocale(interaction: Interaction): Locale | undefined {
  return interaction.guildLocale?.startsWith("fr") ? "fr" : undefined;
}

export function displayName(user: User, member: GuildMember | null): string {
  return member?.displayName ?? user.globalName ?? user.username;
}

/** What every interaction handler works with: who is asking, running through the edge, answering in time. */
export interface InteractionKit {
  sales: SalesService;
  log: Logger;
  /** The workspace (the guild) and member (the user) behind an interaction, and its command context. */
  contextFor(interaction: Interaction): Promise<CommandContext>;
  /** Runs a command for an interaction through the edge, claiming the interaction first: null for a redelivery. */
  run(
    interaction: Interaction,
    input: EdgeRequest["input"],
    options?: { ask?: boolean },
  ): Promise<EdgeAnswer | null>;
  /**
   * Answers directly when the work is done within the budget, else defers then edits the answer;
   * a file the answer carries then goes to the user by DM.
   */
  answer(interaction: Interaction, work: Promise<EdgeAnswer | null>, publicAnswer: boolean): Promise<void>;
  /** A reply as discord.js message options, pinging nobody; `images` attached and shown in its embeds. */
  message(ctx: CommandContext | undefined, reply: Reply, images?: ChartImage[]): InteractionReplyOptions;
}

export function createInteractionKit(options: {
  sales: SalesService;
  log: Logger;
  edge: Edge;
  claim: ClaimRequest;
  deferAfterMs: number;
}): InteractionKit {
  const { sales, log, edge, claim, deferAfterMs } = options;

  async function contextFor(interaction: Interaction): Promise<CommandContext> {
    const guildId = interaction.guildId;
    if (!guildId) throw new Error("interaction outside a guild");
    const member =
      interaction.member && "displayName" in interaction.member ? (interaction.member as GuildMember) : null;
    const roles = interaction.member
      ? Array.isArray(interaction.member.roles)
        ? interaction.member.roles
        : [...interaction.member.roles.cache.keys()]
      : [];
    const { workspace, member: actor } = await sales.identify(
      {
        platform: "discord",
        externalId: guildId,
        name: interaction.guild?.name ?? guildId,
        locale: guildLocale(interaction),
      },
      {
        platformUserId: interaction.user.id,
        displayName: displayName(interaction.user, member),
        platformAdmin: interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false,
        platformRoles: roles,
      },
    );
    const identityOf = async (ref: MemberRef) => ({
      platformUserId: ref.platformUserId,
      displayName: ref.displayName ?? ref.platformUserId,
    });
    return commandContext(sales, workspace, actor, identityOf, `discord:${interaction.id}`);
  }

  const message = (ctx: CommandContext | undefined, reply: Reply, images: ChartImage[] = []) => {
    const { allowed_mentions: _, ...rest } = renderEmbed(
      reply,
      ctx && {
        lostPlaceholder: ctx.t("action.lost_placeholder"),
        lostReasons: LOST_REASONS.map((r) => ({ label: ctx.t(`reason.${r}`), value: r })),
      },
      images,
    );
    const files = images.map((i) => ({ attachment: i.png, name: i.name, description: altText(i.title) }));
    return {
      ...rest,
      ...(files.length ? { files } : {}),
      allowedMentions: { parse: [] },
    } as InteractionReplyOptions;
  };

  /** Sends the answer's file by DM; when that fails (DMs closed, 50007, or else), tells the user alone. */
  async function deliverFile(interaction: Interaction, answer: EdgeAnswer) {
    const file = answer.reply.file;
    if (!file || !interaction.isRepliable()) return;
    try {
      await sendFileByDm(interaction.client, interaction.user.id, file, answer.reply);
    } catch (error) {
      const closed = isDmClosed(error);
      if (!closed)
        log.warn({ err: error, interaction: interaction.id, file: file.name }, "discord file not sent");
      const t = translator(answer.reply.locale ?? "en");
      const refusal = errorReply(t(closed ? "error.file_dm_closed" : "error.file_not_sent"));
      await interaction
        .followUp(message(answer.ctx, refusal))
        .catch((err: unknown) =>
          log.warn({ err, interaction: interaction.id }, "discord file failure not answered"),
        );
    }
  }

  return {
    sales,
    log,
    contextFor,
    message,
    run: (interaction, input, options = {}) =>
      edge({
        claim: () => claim(`discord:${interaction.id}`),
        identify: () => contextFor(interaction),
        locale: guildLocale(interaction),
        input,
        ask: options.ask ?? false,
      }),
    async answer(interaction, work, publicAnswer) {
      if (!interaction.isRepliable()) return;
      const early = await within(work, deferAfterMs);
      if (early === null) return;
      // An answer with charts is deferred: drawing them may take longer than Discord waits for a reply.
      if (early && !early.reply.charts?.length) {
        await interaction.reply(message(early.ctx, early.reply));
        await deliverFile(interaction, early);
        return;
      }
      await interaction.deferReply(publicAnswer ? {} : { flags: 64 });
      const answer = early ?? (await work);
      if (!answer) return;
      const images = await drawCharts(answer.reply.charts, log);
      const { flags: _, ...edit } = message(answer.ctx, answer.reply, images) as InteractionReplyOptions & {
        flags?: number;
      };
      await interaction.editReply(edit);
      await deliverFile(interaction, answer);
    },
  };
}
