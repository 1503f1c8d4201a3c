import type { IncomingMessage, ServerResponse } from "node:http";
import { parse as parseQueryString } from "node:querystring";
import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import {
  type App,
  type Logger as BoltLogger,
  type BufferedIncomingMessage,
  defaultBodyLimit,
  HTTPModuleFunctions,
  HTTPResponseAck,
  type InstallationStore,
  type InstallProviderOptions,
  isRawBodyError,
  type Receiver,
  type ReceiverEvent,
  verifySlackRequest,
} from "@slack/bolt";
import { InstallProvider } from "@slack/oauth";
import { type Clock, systemClock } from "../../clock.js";
import type { Route } from "../../http/server.js";

/** Multi-workspace mode: Slack's OAuth install, as Bolt's `installerOptions` would set it up. */
export interface SlackOAuthOptions {
  clientId: string;
  clientSecret: string;
  /** Signs the OAuth state (with a browser cookie) so a redirect cannot be replayed or forged. */
  stateSecret: string;
  scopes: readonly string[];
  installationStore: InstallationStore;
  /** The Web API client's options for the code exchange, e.g. `{ slackApiUrl }`. */
  clientOptions?: InstallProviderOptions["clientOptions"];
  /** Redirect `/slack/install` straight to Slack instead of showing an "Add to Slack" page (default false). */
  directInstall?: boolean;
  /** Default true; false only for org-wide installs started from Slack's admin pages. */
  stateVerification?: boolean;
  installPath?: string;
  redirectUriPath?: string;
  /** The full redirect URL registered with Slack, when it must be sent explicitly. */
  redirectUri?: string;
}

export interface SlackInstaller {
  /** Its `authorize` is what Bolt uses to find a team's bot token. */
  installer: InstallProvider;
  /** `GET <installPath>` and `GET <redirectUriPath>`. */
  routes: Route[];
}

export interface SlackHttpReceiverOptions {
  signingSecret: string;
  logger: BoltLogger;
  oauth?: SlackOAuthOptions;
  /** Where Slack POSTs events, commands and interactions (default `/slack/events`). */
  eventsPath?: string;
  /** The request timestamps' reference ("now"); tests fix it to check Slack's published example. */
  clock?: Clock;
}

/** A Bolt receiver whose HTTP routes are mounted on Closer's own server instead of a server of its own. */
export interface SlackHttpReceiver extends Receiver {
  routes: Route[];
  /** Present with OAuth: Bolt's `App` then authorizes through it (no `token` may be given). */
  installer?: InstallProvider;
  /** True between `start()` and `stop()`: the readiness check of Slack over HTTP. */
  ready(): boolean;
}

const FORM = "application/x-www-form-urlencoded";

/** Slack's replay window, which Bolt applies to the past only. */
const MAX_CLOCK_SKEW_SECONDS = 5 * 60;

/**
 * Bolt refuses a request stamped more than 5 minutes ago but not one stamped ahead of now, so a
 * captured request signed for next year would replay until then: the window holds both ways.
 */
function assertNotFromTheFuture(timestampSeconds: number, nowMilliseconds: number): void {
  if (timestampSeconds > Math.floor(nowMilliseconds / 1000) + MAX_CLOCK_SKEW_SECONDS) {
    throw new Error(
      `x-slack-request-timestamp is more than ${MAX_CLOCK_SKEW_SECONDS / 60} minutes ahead of the receiver's clock`,
    );
  }
}

/**
 * Slack's OAuth install flow with `@slack/oauth`, configured as Bolt's receivers configure it.
 * Used by the HTTP receiver, and on its own with Socket Mode: mount `routes` on the HTTP server and
 * give Bolt `authorize: installer.authorize`, so Bolt's SocketModeReceiver opens no port for OAuth.
 */
export function createSlackInstaller(oauth: SlackOAuthOptions, logger: BoltLogger): SlackInstaller {
  const stateVerification = oauth.stateVerification ?? true;
  const installer = new InstallProvider({
    clientId: oauth.clientId,
    clientSecret: oauth.clientSecret,
    stateSecret: oauth.stateSecret,
    stateVerification,
    installationStore: oauth.installationStore,
    directInstall: oauth.directInstall ?? false,
    logger,
    ...(oauth.clientOptions ? { clientOptions: oauth.clientOptions } : {}),
  });
  const installUrlOptions = {
    scopes: [...oauth.scopes],
    ...(oauth.redirectUri !== undefined ? { redirectUri: oauth.redirectUri } : {}),
  };
  return {
    installer,
    routes: [
      {
        method: "GET",
        path: oauth.installPath ?? "/slack/install",
        handler: async (c) => {
          await installer.handleInstallPath(c.env.incoming, c.env.outgoing, {}, installUrlOptions);
          return RESPONSE_ALREADY_SENT;
        },
      },
      {
        method: "GET",
        path: oauth.redirectUriPath ?? "/slack/oauth_redirect",
        handler: async (c) => {
          // Without state verification the install options are not in the state, so Bolt passes them.
          await installer.handleCallback(
            c.env.incoming,
            c.env.outgoing,
            {},
            stateVerification ? undefined : installUrlOptions,
          );
          return RESPONSE_ALREADY_SENT;
        },
      },
    ],
  };
}

/**
 * Bolt's HTTP receiving, on routes for Closer's HTTP server: the steps of Bolt's `HTTPReceiver`
 * with its own functions (body limit, signature and 5-minute window either way, form/JSON/payload parsing,
 * `ssl_check`, `url_verification`, retry headers, `HTTPResponseAck` and its unhandled-request
 * timeout, the default event error handler). Forged or stale requests get 401 and reach no listener.
 */
export function createSlackHttpReceiver(options: SlackHttpReceiverOptions): SlackHttpReceiver {
  const { signingSecret, logger } = options;
  const clock = options.clock ?? systemClock;
  const oauth = options.oauth ? createSlackInstaller(options.oauth, logger) : undefined;
  let app: App | undefined;
  let running = false;

  /**
   * Bolt's `parseAndVerifyHTTPRequest`, step for step, except that "now" comes from the clock:
   * Bolt's own version reads Date.now() and so could never check Slack's published example.
   */
  async function bufferAndVerify(req: IncomingMessage): Promise<BufferedIncomingMessage> {
    const buffered = await HTTPModuleFunctions.bufferIncomingMessage(req, defaultBodyLimit);
    const body = buffered.rawBody.toString();
    if (req.headers["content-type"] === FORM && parseQueryString(body).ssl_check === "1") {
      // Slack does not sign ssl_check; drop anything else in the body so nothing unsigned gets through.
      buffered.rawBody = Buffer.from("ssl_check=1");
      return buffered;
    }
    const timestamp = Number(HTTPModuleFunctions.getHeader(req, "x-slack-request-timestamp"));
    const nowMilliseconds = clock.now().getTime();
    assertNotFromTheFuture(timestamp, nowMilliseconds);
    verifySlackRequest({
      signingSecret,
      body,
      headers: {
        "x-slack-signature": HTTPModuleFunctions.getHeader(req, "x-slack-signature"),
        "x-slack-request-timestamp": timestamp,
      },
      nowMilliseconds,
      logger,
    });
    return buffered;
  }

  /** Bolt's `HTTPReceiver.handleIncomingEvent`; it answers `res` itself, whatever happens. */
  async function handleIncomingEvent(bolt: App, req: IncomingMessage, res: ServerResponse): Promise<void> {
    let buffered: BufferedIncomingMessage;
    try {
      buffered = await bufferAndVerify(req);
    } catch (error) {
      if (isRawBodyError(error) && (error.type === "entity.too.large" || error.statusCode === 413)) {
        logger.warn(`Request body exceeded the maximum allowed size (limit: ${error.limit} bytes)`);
        HTTPModuleFunctions.buildNoBodyResponse(res, 413);
        return;
      }
      logger.warn(`Failed to parse and verify the request data: ${(error as Error).message}`);
      HTTPModuleFunctions.buildNoBodyResponse(res, 401);
      return;
    }
    let body: Record<string, unknown>;
    try {
      body = HTTPModuleFunctions.parseHTTPRequestBody(buffered);
    } catch (error) {
      logger.warn(`Malformed request body: ${(error as Error).message}`);
      HTTPModuleFunctions.buildNoBodyResponse(res, 400);
      return;
    }
    if (body.ssl_check === "1") {
      HTTPModuleFunctions.buildSSLCheckResponse(res);
      return;
    }
    if (body.type === "url_verification") {
      HTTPModuleFunctions.buildUrlVerificationResponse(res, body);
      return;
    }
    const ack = new HTTPResponseAck({
      logger,
      processBeforeResponse: false,
      httpRequest: buffered,
      httpRequestBody: body,
      httpResponse: res,
    });
    const event: ReceiverEvent = {
      body,
      ack: ack.bind(),
      retryNum: HTTPModuleFunctions.extractRetryNumFromHTTPRequest(req),
      retryReason: HTTPModuleFunctions.extractRetryReasonFromHTTPRequest(req),
      customProperties: {},
    };
    try {
      await bolt.processEvent(event);
    } catch (error) {
      const acknowledged = await HTTPModuleFunctions.defaultProcessEventErrorHandler({
        error: error as Error,
        logger,
        request: req,
        response: res,
        storedResponse: ack.storedResponse,
      });
      if (acknowledged) ack.ack();
    }
  }

  const events: Route = {
    method: "POST",
    path: options.eventsPath ?? "/slack/events",
    handler: async (c) => {
      if (!running || !app) return c.text("slack receiver not started", 503, { "Retry-After": "1" });
      const { incoming, outgoing } = c.env;
      // Bolt answers at ack() and its listener may go on afterwards: wait for the answer, not the work.
      const answered = new Promise<void>((resolve) => {
        outgoing.once("finish", resolve);
        outgoing.once("close", resolve);
      });
      handleIncomingEvent(app, incoming, outgoing).catch((error: unknown) => {
        logger.error(`Slack request failed: ${(error as Error).message}`);
        if (!outgoing.headersSent) HTTPModuleFunctions.buildNoBodyResponse(outgoing, 500);
        else if (!outgoing.writableEnded) outgoing.end();
      });
      await answered;
      return RESPONSE_ALREADY_SENT;
    },
  };

  return {
    routes: [events, ...(oauth?.routes ?? [])],
    ...(oauth ? { installer: oauth.installer } : {}),
    init(bolt: App) {
      app = bolt;
    },
    async start() {
      running = true;
    },
    async stop() {
      running = false;
    },
    ready: () => running,
  };
}
