import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { App, type AppOptions, type RespondArguments, type types, type webApi } from "@slack/bolt";
import type { Clock } from "../../clock.js";
import type { CommandContext } from "../../commands/command.js";
import { dealLog } from "../../commands/deal.js";
import { describeIssue, executeCommand, executeText } from "../../commands/execute.js";
import { SLASH_COMMANDS } from "../../commands/registry.js";
import type { Config } from "../../config.js";
import { isAppError } from "../../errors.js";
import type { PrismaClient } from "../../generated/prisma/client.js";
import type { Logger } from "../../logger.js";
import { errorReply, type Reply } from "../../messages/reply.js";
import { LOST_REASONS } from "../../sales/deals/stages.js";
import type { SalesService } from "../../sales/sales-service.js";
import { type ClaimRequest, createRequestClaims } from "../processed-requests.js";
import { within } from "../within.js";
import { boltLogger } from "./bolt-logger.js";
import { DEAL_MODAL_ID, type DealModalMetadata, dealModal, dealModalInput } from "./deal-modal.js";
import { buildHome } from "./home.js";
import { createInstallationStore } from "./installation-store.js";
import { renderBlocks } from "./render-blocks.js";
import { createSlackIdentities, unescapeSlack } from "./slack-context.js";

/**
 * Bot scopes the app asks for; manifest.yml lists the same. The history scopes let a resent
 * notification find its earlier post (by its metadata) instead of posting twice.
 */
export const SLACK_SCOPES = [
  "commands",
  "chat:write",
  "im:write",
  "users:read",
  "channels:history",
  "groups:history",
  "im:history",
];

/** Slack retries for about an hour at most; a claimed request id is kept a day. */
const DEDUPE_TTL_MS = 24 * 3600_000;

export interface SlackPlatformOptions {
  slack: NonNullable<Config["slack"]>;
  sales: SalesService;
  db: PrismaClient;
  clock: Clock;
  log: Logger;
  /** How long a command may take before it is acknowledged and answered through response_url; 0 always does. */
  ackBudgetMs?: number;
}

type WebClient = webApi.WebClient;

/** A reply as Slack message arguments. */
function toSlack(ctx: CommandContext, reply: Reply) {
  const { text, blocks } = renderBlocks(reply, {
    lostPlaceholder: ctx.t("action.lost_placeholder"),
    lostReasons: LOST_REASONS.map((r) => ({ label: ctx.t(`reason.${r}`), value: r })),
  });
  // Our renderer builds Block Kit JSON within Slack's limits; the Slack types only check its shape.
  return {
    text,
    blocks: blocks as types.KnownBlock[],
    response_type: reply.visibility === "public" ? ("in_channel" as const) : ("ephemeral" as const),
  };
}

/**
 * The Slack platform: Bolt over HTTP (`/slack/events`), Socket Mode, or multi-workspace OAuth, with
 * every slash command mapped onto the shared command objects, the `/deal` modal, deal buttons and
 * the App Home. Redelivered requests are recognised by their trigger or event id and change nothing.
 */
export function createSlackPlatform(options: SlackPlatformOptions) {
  const { sales, db, clock, log } = options;
  const ackBudgetMs = options.ackBudgetMs ?? 2500;
  const identities = createSlackIdentities(sales, clock);
  const claim: ClaimRequest = createRequestClaims(db, clock, DEDUPE_TTL_MS);
  const { slack } = options;
  const clientOptions = slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {};

  const appOptions: AppOptions = {
    logger: boltLogger(log),
    clientOptions,
    customRoutes: [
      {
        path: "/healthz",
        method: ["GET"],
        handler: (_req, res) => {
          db.$queryRaw`SELECT 1`.then(
            () => res.writeHead(200).end("ok"),
            () => res.writeHead(503).end("database unavailable"),
          );
        },
      },
    ],
  };
  if (slack.oauth) {
    Object.assign(appOptions, {
      signingSecret: slack.signingSecret,
      clientId: slack.oauth.clientId,
      clientSecret: slack.oauth.clientSecret,
      stateSecret: slack.oauth.stateSecret,
      scopes: SLACK_SCOPES,
      installationStore: createInstallationStore(db),
      installerOptions: { clientOptions, directInstall: false },
    });
  } else {
    Object.assign(appOptions, { token: slack.botToken, signingSecret: slack.signingSecret });
  }
  if (slack.appToken) {
    Object.assign(appOptions, {
      socketMode: true,
      appToken: slack.appToken,
      installerOptions: { ...(appOptions.installerOptions ?? {}), clientOptions },
    });
  }
  const app = new App(appOptions);

  /** Runs a command line for a Slack user, never throwing: failures become a localised reply. */
  async function run(client: WebClient, teamId: string, userId: string, line: string, requestId?: string) {
    let ctx: CommandContext | undefined;
    try {
      ctx = await identities.contextFor(client, teamId, userId, requestId);
      return { ctx, reply: await executeText(ctx, line, log) };
    } catch (error) {
      if (ctx && isAppError(error)) return { ctx, reply: errorReply(ctx.t(error.key, error.params)) };
      log.error({ err: error, teamId }, "slack request failed");
      return {
        ctx,
        reply: errorReply(
          "Something went wrong; nothing was saved. / Une erreur est survenue ; rien n’a été enregistré.",
        ),
      };
    }
  }

  const plain = (reply: Reply): RespondArguments => ({
    text: reply.lines.join("\n"),
    response_type: "ephemeral",
  });

  for (const name of SLASH_COMMANDS) {
    app.command(`/${name}`, async ({ command, ack, respond, client }) => {
      const teamId = command.team_id;
      if (!(await claim(`slack:${teamId}:command:${command.trigger_id}`))) {
        await ack();
        return;
      }
      const text = unescapeSlack(command.text ?? "").trim();
      if (name === "deal" && text === "") {
        await ack();
        const ctx = await identities.contextFor(client, teamId, command.user_id).catch((error: unknown) => {
          log.error({ err: error }, "slack modal context failed");
          return undefined;
        });
        if (ctx) {
          await client.views.open({
            trigger_id: command.trigger_id,
            view: dealModal(ctx, { channelId: command.channel_id }) as types.ModalView,
          });
        }
        return;
      }
      const work = run(client, teamId, command.user_id, `/${name} ${text}`, command.trigger_id);
      const early = await within(work, ackBudgetMs);
      if (early) {
        await ack(early.ctx ? toSlack(early.ctx, early.reply) : plain(early.reply));
        return;
      }
      await ack();
      const { ctx, reply } = await work;
      await respond(ctx ? toSlack(ctx, reply) : plain(reply));
    });
  }

  app.action(/^deal\.(won|lost|stage)$/, async ({ ack, body, action, respond, client }) => {
    await ack();
    const teamId = body.team?.id ?? "";
    const line =
      action.type === "button"
        ? action.value
        : action.type === "static_select"
          ? action.selected_option.value
          : undefined;
    const key = `slack:${teamId}:action:${"trigger_id" in body ? body.trigger_id : ""}:${"action_ts" in action ? action.action_ts : ""}`;
    if (!line || !(await claim(key))) return;
    const { ctx, reply } = await run(client, teamId, body.user.id, line);
    await respond({ ...(ctx ? toSlack(ctx, reply) : plain(reply)), replace_original: false });
  });

  app.view(DEAL_MODAL_ID, async ({ ack, body, view, client }) => {
    const teamId = body.team?.id ?? "";
    let ctx: CommandContext;
    try {
      ctx = await identities.contextFor(client, teamId, body.user.id, `view:${view.id}`);
    } catch (error) {
      log.error({ err: error }, "slack modal submission failed");
      await ack({
        response_action: "errors",
        errors: { amount: "Something went wrong; nothing was saved." },
      });
      return;
    }
    const raw = dealModalInput(view.state.values);
    const parsed = dealLog.input(ctx.parse).safeParse(raw);
    if (!parsed.success) {
      const errors: Record<string, string> = {};
      for (const issue of parsed.error.issues) {
        const block = String(issue.path[0] ?? "amount");
        errors[block] ??= describeIssue(ctx.t, issue);
      }
      await ack({ response_action: "errors", errors });
      return;
    }
    const reply = await executeCommand(ctx, dealLog, raw, log);
    if (reply.tone === "error") {
      await ack({ response_action: "errors", errors: { amount: reply.lines.join(" ") } });
      return;
    }
    await ack();
    const { channelId } = JSON.parse(view.private_metadata || "{}") as Partial<DealModalMetadata>;
    const message = toSlack(ctx, reply);
    const channel = channelId ?? body.user.id;
    await client.chat.postMessage({ channel, text: message.text, blocks: message.blocks });
  });

  app.event("app_home_opened", async ({ event, body, client }) => {
    if (event.tab !== "home") return;
    const teamId = ("team_id" in body ? String(body.team_id) : "") || (event as { team?: string }).team || "";
    if (!(await claim(`slack:${teamId}:event:${"event_id" in body ? body.event_id : event.event_ts}`)))
      return;
    const ctx = await identities.contextFor(client, teamId, event.user);
    await client.views.publish({ user_id: event.user, view: (await buildHome(ctx)) as types.HomeView });
  });

  app.error(async (error) => {
    log.error({ err: error }, "slack handler failed");
  });

  return {
    app,
    /** Starts Bolt: over HTTP on `port` (0 picks one), or over Socket Mode. Returns the HTTP port. */
    async start(port: number): Promise<number | undefined> {
      if (slack.appToken) {
        await app.start();
        return undefined;
      }
      const server = (await app.start(port)) as Server;
      return (server.address() as AddressInfo).port;
    },
    stop: () => app.stop(),
  };
}

export type SlackPlatform = ReturnType<typeof createSlackPlatform>;
