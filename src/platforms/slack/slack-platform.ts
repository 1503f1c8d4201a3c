import {
  App,
  type AppOptions,
  type Receiver,
  type RespondArguments,
  SocketModeReceiver,
  type types,
  type webApi,
} from "@slack/bolt";
import type { Clock } from "../../clock.js";
import type { CommandContext } from "../../commands/command.js";
import { dealLog } from "../../commands/deal.js";
import { describeIssue, validate } from "../../commands/execute.js";
import { SLASH_COMMANDS } from "../../commands/registry.js";
import type { Config } from "../../config.js";
import type { PrismaClient } from "../../generated/prisma/client.js";
import type { Route } from "../../http/server.js";
import type { Logger } from "../../logger.js";
import type { Reply } from "../../messages/reply.js";
import type { Metrics } from "../../metrics.js";
import { LOST_REASONS } from "../../sales/deals/stages.js";
import type { SalesService } from "../../sales/sales-service.js";
import { within } from "../../within.js";
import { createEdge, type EdgeRequest } from "../edge.js";
import { type ClaimRequest, createRequestClaims } from "../processed-requests.js";
import { boltLogger } from "./bolt-logger.js";
import { DEAL_MODAL_ID, type DealModalMetadata, dealModal, dealModalInput } from "./deal-modal.js";
import { buildHome } from "./home.js";
import { createSlackHttpReceiver, createSlackInstaller } from "./http-receiver.js";
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
  metrics?: Metrics | undefined;
}

type WebClient = webApi.WebClient;

/** A reply as Slack message arguments; the lost-reason picker needs the workspace's language. */
function toSlack(ctx: CommandContext | undefined, reply: Reply) {
  const { text, blocks } = renderBlocks(
    reply,
    ctx && {
      lostPlaceholder: ctx.t("action.lost_placeholder"),
      lostReasons: LOST_REASONS.map((r) => ({ label: ctx.t(`reason.${r}`), value: r })),
    },
  );
  // Our renderer builds Block Kit JSON within Slack's limits; the Slack types only check its shape.
  return {
    text,
    blocks: blocks as types.KnownBlock[],
    response_type: reply.visibility === "public" ? ("in_channel" as const) : ("ephemeral" as const),
  };
}

/**
 * The Slack platform: Bolt over HTTP (its receiver mounted on Closer's HTTP server at
 * `/slack/events`), or over Socket Mode; one workspace by token, or many by OAuth (install routes on
 * Closer's HTTP server too). Every slash command, button and the `/deal` form go through the edge;
 * the App Home shows a member's pipeline. Redelivered requests are recognised by their trigger or
 * event id and change nothing.
 */
export function createSlackPlatform(options: SlackPlatformOptions) {
  const { sales, db, clock, log, slack } = options;
  const ackBudgetMs = options.ackBudgetMs ?? 2500;
  const identities = createSlackIdentities(sales, clock);
  const claim: ClaimRequest = createRequestClaims(db, clock, DEDUPE_TTL_MS);
  const edge = createEdge({ platform: "slack", log, metrics: options.metrics });
  const logger = boltLogger(log);
  const clientOptions = slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {};
  const oauth = slack.oauth && {
    ...slack.oauth,
    scopes: SLACK_SCOPES,
    installationStore: createInstallationStore(db),
    clientOptions,
  };

  /** Routes for Closer's HTTP server: Bolt's events over HTTP, the OAuth install in either mode. */
  let routes: Route[] = [];
  let receiver: Receiver;
  let ready: () => boolean;
  const auth: Partial<AppOptions> = {};
  if (slack.appToken) {
    // Our own SocketModeReceiver: without installer or custom routes it opens no port of its own.
    const socket = new SocketModeReceiver({
      appToken: slack.appToken,
      logger,
      installerOptions: { clientOptions },
    });
    let connected = false;
    socket.client.on("connected", () => {
      connected = true;
    });
    for (const state of ["disconnected", "reconnecting"]) {
      socket.client.on(state, () => {
        connected = false;
      });
    }
    receiver = socket;
    ready = () => connected;
    if (oauth) {
      const installer = createSlackInstaller(oauth, logger);
      routes = installer.routes;
      auth.authorize = installer.installer.authorize;
    }
  } else {
    if (!slack.signingSecret) throw new Error("Slack over HTTP needs a signing secret");
    const http = createSlackHttpReceiver({
      signingSecret: slack.signingSecret,
      logger,
      ...(oauth ? { oauth } : {}),
    });
    receiver = http;
    routes = http.routes;
    ready = http.ready;
  }
  if (!oauth) auth.token = slack.botToken;
  const app = new App({ logger, clientOptions, receiver, ...auth });

  /** Runs a command line for a Slack user through the edge. */
  function run(
    client: WebClient,
    teamId: string,
    userId: string,
    input: EdgeRequest["input"],
    requestId?: string,
  ) {
    return edge({ identify: () => identities.contextFor(client, teamId, userId, requestId), input });
  }

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
      const work = run(client, teamId, command.user_id, { line: `/${name} ${text}` }, command.trigger_id);
      const early = await within(work, ackBudgetMs);
      if (early) {
        await ack(toSlack(early.ctx, early.reply));
        return;
      }
      await ack();
      const { ctx, reply } = await work;
      await respond(toSlack(ctx, reply) as RespondArguments);
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
    const { ctx, reply } = await run(client, teamId, body.user.id, { line });
    await respond({ ...toSlack(ctx, reply), replace_original: false });
  });

  app.view(DEAL_MODAL_ID, async ({ ack, body, view, client }) => {
    const teamId = body.team?.id ?? "";
    const raw = dealModalInput(view.state.values);
    const { ctx, reply } = await run(
      client,
      teamId,
      body.user.id,
      { command: dealLog as never, raw },
      `view:${view.id}`,
    );
    if (reply.tone === "error") {
      // Input errors land on their fields; any other refusal on the first one.
      const errors: Record<string, string> = {};
      const parsed = ctx ? validate(dealLog as never, raw, ctx.parse) : undefined;
      for (const issue of parsed?.success === false ? parsed.error.issues : []) {
        errors[String(issue.path[0] ?? "amount")] ??= describeIssue(ctx?.t ?? ((k) => k), issue);
      }
      await ack({
        response_action: "errors",
        errors: Object.keys(errors).length ? errors : { amount: reply.lines.join(" ") },
      });
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
    /** What Closer's HTTP server must serve for Slack: events over HTTP, the OAuth install. */
    routes,
    /** Connected: the HTTP receiver is started, or the Socket Mode connection is open. */
    ready: () => ready(),
    /** Starts Bolt: the HTTP receiver (its routes are already on the server), or the socket. */
    start: () => app.start(),
    stop: () => app.stop(),
  };
}

export type SlackPlatform = ReturnType<typeof createSlackPlatform>;
