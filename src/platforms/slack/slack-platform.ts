import { App, type AppOptions, type Receiver, type RespondArguments, SocketModeReceiver } from "@slack/bolt";
import type { Clock } from "../../clock.js";
import type { Config } from "../../config.js";
import { AppError } from "../../errors.js";
import type { PrismaClient } from "../../generated/prisma/client.js";
import type { Route } from "../../http/server.js";
import type { Logger } from "../../logger.js";
import { translator } from "../../messages/i18n.js";
import { errorReply } from "../../messages/reply.js";
import type { Metrics } from "../../metrics.js";
import { drawCharts } from "../../notify/chart-images.js";
import type { SalesService } from "../../sales/sales-service.js";
import { createEdge } from "../edge.js";
import { type ClaimRequest, createRequestClaims } from "../processed-requests.js";
import { boltLogger } from "./bolt-logger.js";
import { uploadChartBlocks, withImageBlocks } from "./chart-blocks.js";
import { LISTENERS } from "./handlers/index.js";
import { createSlackHttpReceiver, createSlackInstaller } from "./http-receiver.js";
import { createInstallationStore } from "./installation-store.js";
import { type ListenerKit, toSlack } from "./listener-kit.js";
import { type Block, renderBlocks } from "./render-blocks.js";
import { sendFileByDm } from "./send-file-by-dm.js";
import { createSlackIdentities } from "./slack-context.js";

/**
 * Bot scopes the app asks for; manifest.yml lists the same. The history scopes let a resent
 * notification find its earlier post (by its metadata) instead of posting twice; `files:write`
 * sends an export by DM and uploads the charts messages show; `users:read.email` gives members their email, which imports match owners by.
 */
export const SLACK_SCOPES = [
  "commands",
  "chat:write",
  "im:write",
  "users:read",
  "users:read.email",
  "files:write",
  "channels:history",
  "groups:history",
  "im:history",
];

/**
 * How long a command may take to be answered in its acknowledgement. Slack waits 3 s for the ack,
 * but an ack that waits for the work is as slow as the busiest moment's work: past this the ack
 * goes out empty and the answer follows through response_url (bench/RESULTS.md, bench/ack).
 */
const ACK_BUDGET_MS = 50;

/** Slack retries for about an hour at most; a claimed request id is kept a day. */
const DEDUPE_TTL_MS = 24 * 3600_000;

export interface SlackPlatformOptions {
  slack: NonNullable<Config["slack"]>;
  sales: SalesService;
  db: PrismaClient;
  clock: Clock;
  log: Logger;
  /** How long a command may take to be answered in its acknowledgement (50 ms); 0 always answers through response_url. */
  ackBudgetMs?: number;
  metrics?: Metrics | undefined;
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
  const ackBudgetMs = options.ackBudgetMs ?? ACK_BUDGET_MS;
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

  /** Commands running now, for the acknowledgement budget. */
  let running = 0;
  const kit: ListenerKit = {
    log,
    identities,
    claim,
    ackBudgetMs: () => (running === 0 ? ackBudgetMs : 0),
    async run({ client, teamId, userId, input, claimKey, requestId, ask }) {
      running++;
      try {
        return await edge({
          claim: () => claim(claimKey),
          identify: () =>
            teamId
              ? identities.contextFor(client, teamId, userId, requestId)
              : Promise.reject(new AppError("invalid_input", "error.workspace_not_found")),
          locale: () => (teamId ? identities.localeOf(client, teamId, userId) : Promise.resolve(undefined)),
          input,
          ask: ask ?? false,
        });
      } finally {
        running--;
      }
    },
    async deliverFile(client, userId, answer, respond) {
      const file = answer.reply.file;
      if (!file) return;
      try {
        await sendFileByDm(client, userId, file, renderBlocks(answer.reply).text);
      } catch (error) {
        log.warn(
          { err: error, workspaceId: answer.ctx?.workspace.id, file: file.name },
          "slack file not sent",
        );
        const t = translator(answer.reply.locale ?? "en");
        await respond(toSlack(answer.ctx, errorReply(t("error.file_not_sent"))) as RespondArguments).catch(
          (err: unknown) => log.warn({ err }, "slack file failure not answered"),
        );
      }
    },
    async withCharts(client, answer) {
      const message = toSlack(answer.ctx, answer.reply);
      try {
        const images = await uploadChartBlocks(client, await drawCharts(answer.reply.charts, log));
        return {
          ...message,
          blocks: withImageBlocks(message.blocks as Block[], images) as typeof message.blocks,
        };
      } catch (error) {
        log.warn(
          { err: error, workspaceId: answer.ctx?.workspace.id },
          "slack chart not uploaded; answering with the text alone",
        );
        return message;
      }
    },
  };
  for (const listen of LISTENERS) listen(app, kit);

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
