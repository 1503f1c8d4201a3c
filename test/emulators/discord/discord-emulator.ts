import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createWaitable } from "../waitable.js";
import { createCommandRegistry } from "./commands.js";
import { createSnowflakes } from "./discord-objects.js";
import { createGateway } from "./gateway.js";
import { discordError, errors, parseBody, type RestResult, type Route, readBody, send } from "./http-io.js";
import { createInteractions } from "./interactions.js";
import { createRestApi } from "./rest-api.js";
import type { DiscordEmulator, DiscordEmulatorOptions, Failure, RestCall } from "./types.js";
import { createWorld } from "./world.js";

export { messageLimits } from "./message-rules.js";
export { nonceWindowMs } from "./rest-api.js";
export type * from "./types.js";

const defaultTimeoutMs = 5000;
const bucketOf = (route: Route | undefined, method: string, path: string) =>
  createHash("sha1")
    .update(`${method} ${route?.pattern.source ?? path}`)
    .digest("hex")
    .slice(0, 32);

function decodePath(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}

function failureResult(failure: Failure, bucket: string, nowMs: number): RestResult {
  if (failure.status !== 429) {
    const text = { 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable" }[
      failure.status
    ];
    return discordError(failure.status, 0, `${failure.status}: ${text}`);
  }
  const { retryAfter } = failure;
  const global = failure.global === true;
  const headers: Record<string, string> = global
    ? { "x-ratelimit-global": "true", "x-ratelimit-scope": "global" }
    : {
        "x-ratelimit-limit": "5",
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": ((nowMs + retryAfter * 1000) / 1000).toFixed(3),
        "x-ratelimit-reset-after": retryAfter.toFixed(3),
        "x-ratelimit-bucket": bucket,
        "x-ratelimit-scope": "user",
      };
  // Discord's header is whole seconds; the emulator sends the value as given so tests stay fast.
  headers["retry-after"] = String(retryAfter);
  return {
    status: 429,
    headers,
    body: { message: "You are being rate limited.", retry_after: retryAfter, global },
  };
}

/** A local Discord: REST API v10 on `/api/v10` and the gateway on `/gateway`, on 127.0.0.1 and port 0. */
export async function startDiscordEmulator(options: DiscordEmulatorOptions = {}): Promise<DiscordEmulator> {
  const now = options.now ?? Date.now;
  const nextId = createSnowflakes(now);
  const applicationId = options.applicationId ?? "1190000000000000001";
  const bot = { id: options.botUserId ?? applicationId, username: options.botUsername ?? "Closer" };
  const token =
    options.token ??
    `${Buffer.from(bot.id).toString("base64url")}.emulator.${randomBytes(20).toString("base64url")}`;
  let baseUrl = "";
  const gatewayUrl = () => `${baseUrl.replace(/^http/, "ws")}/gateway`;

  const world = createWorld({ bot, nextId, isoNow: () => new Date(now()).toISOString() });
  const commands = createCommandRegistry({ applicationId, nextId, hasGuild: world.hasGuild });
  const rest = createRestApi({ world, applicationId, gatewayUrl, baseUrl: () => baseUrl, nextId, now });
  const interactions = createInteractions({
    world,
    commands,
    applicationId,
    nextId,
    now,
    deadlineMs: options.interactionDeadlineMs ?? 3000,
    baseUrl: () => baseUrl,
  });
  const gateway = createGateway({
    token,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
    privilegedIntents: options.privilegedIntents ?? 0,
    url: gatewayUrl,
    readyData: () => ({
      v: 10,
      user_settings: {},
      user: world.botUser,
      application: { id: applicationId, flags: 0 },
      private_channels: [],
      presences: [],
      relationships: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      auth: {},
      session_type: "normal",
      _trace: ["closer-discord-emulator"],
    }),
    guildCreates: () =>
      world.guildIds().flatMap((id) => {
        const guild = world.guildCreatePayload(id);
        return guild ? [guild] : [];
      }),
  });
  const routes = [...rest.routes, ...commands.routes, ...interactions.routes];
  const requests = createWaitable<RestCall>(
    (items) =>
      `requests so far: ${items.map((c) => `${c.method} ${c.path} ${c.status}`).join(", ") || "none"}`,
  );
  const failures: { method: string; pattern: RegExp; failure: Failure }[] = [];

  async function answer(req: IncomingMessage, call: RestCall, version: string | undefined, invalid: boolean) {
    if (version !== "10") return errors.notFound();
    const route = routes.find((r) => r.method === call.method && r.pattern.test(call.path));
    const bucket = bucketOf(route, call.method, call.path);
    const failureIndex = failures.findIndex((f) => f.method === call.method && f.pattern.test(call.path));
    const failure = failures.splice(failureIndex, failureIndex >= 0 ? 1 : 0)[0];
    if (failure) return failureResult(failure.failure, bucket, now());
    if (!route) {
      return routes.some((r) => r.pattern.test(call.path))
        ? discordError(405, 0, "405: Method Not Allowed")
        : errors.notFound();
    }
    if (!route.noBotAuth && req.headers.authorization !== `Bot ${token}`) return errors.unauthorized();
    if (invalid) return errors.invalidJson();
    const params = (route.pattern.exec(call.path) ?? []).slice(1).map((p) => p ?? "");
    const query = new URLSearchParams(call.query);
    const result = route.handle({ params, body: call.body, files: call.files, query });
    const resetAfter = 1;
    return {
      ...result,
      headers: {
        "x-ratelimit-limit": "5",
        "x-ratelimit-remaining": "4",
        "x-ratelimit-reset": ((now() + resetAfter * 1000) / 1000).toFixed(3),
        "x-ratelimit-reset-after": resetAfter.toFixed(3),
        "x-ratelimit-bucket": bucket,
        ...result.headers,
      },
    };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", baseUrl);
    const raw = await readBody(req);
    const parsed = await parseBody(req.headers["content-type"] ?? "", raw);
    // @discordjs/rest encodes "@me" as "%40me"; Discord routes on the decoded path.
    const versioned = /^\/api\/v(\d+)(\/.*)$/.exec(decodePath(url.pathname));
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")]),
    );
    const call: RestCall = {
      method: req.method ?? "GET",
      path: versioned?.[2] ?? decodePath(url.pathname),
      query: Object.fromEntries(url.searchParams),
      body: parsed.body,
      files: parsed.files,
      headers,
      status: 0,
      at: now(),
    };
    const result = await answer(req, call, versioned?.[1], parsed.invalid);
    call.status = result.status;
    requests.push(call);
    send(res, result);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) =>
      send(res, discordError(500, 0, `emulator error: ${String(error)}`)),
    );
  });
  server.on("upgrade", (req, socket, head) => {
    if (!gateway.handleUpgrade(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    apiUrl: `${baseUrl}/api`,
    gatewayUrl: gatewayUrl(),
    token,
    applicationId,
    botUserId: bot.id,
    requests: requests.items,
    waitForRequest: (method, pathPattern, predicate = () => true, timeoutMs = defaultTimeoutMs) =>
      requests.waitFor(
        (c) => c.method === method && pathPattern.test(c.path) && predicate(c),
        timeoutMs,
        `a ${method} ${pathPattern} request`,
      ),
    failNext: (method, pattern, failure, times = 1) => {
      for (let i = 0; i < times; i += 1) failures.push({ method, pattern, failure });
    },
    addGuild: (guild) => {
      world.addGuild(guild);
      gateway.dispatch("GUILD_CREATE", world.guildCreatePayload(guild.id));
    },
    addMember: (guildId, member) => world.addMember(guildId, member),
    commands: (guildId) => [...commands.list(guildId)],
    interact: async (input, timeoutMs = defaultTimeoutMs) => {
      await gateway.session(timeoutMs);
      const record = interactions.create(input);
      const acknowledged = interactions.waitForCallback(record.token, timeoutMs);
      gateway.dispatch("INTERACTION_CREATE", record.payload);
      await acknowledged;
      return { id: record.id, token: record.token, callback: record.callback ?? { type: 0 } };
    },
    interactionMessages: (token) => interactions.messages(token),
    waitForInteractionMessage: (token, kind, timeoutMs = defaultTimeoutMs) =>
      interactions.waitForMessage(token, kind, timeoutMs),
    channelMessages: (channelId) => rest.channelMessages(channelId),
    channelFiles: (channelId) => rest.channelFiles(channelId),
    dmChannelId: (userId) => world.dmChannelId(userId),
    closeDms: (userId) => world.closeDms(userId),
    connected: (timeoutMs = defaultTimeoutMs) => gateway.connected(timeoutMs),
    requestReconnect: (timeoutMs = defaultTimeoutMs) => gateway.requestReconnect(timeoutMs),
    gatewayEvents: gateway.received.items,
    waitForGatewayEvent: (op, predicate = () => true, timeoutMs = defaultTimeoutMs) =>
      gateway.received.waitFor(
        (e) => e.op === op && predicate(e),
        timeoutMs,
        `a gateway op ${op} from the client`,
      ),
    close: async () => {
      gateway.close();
      requests.cancelAll("closed");
      interactions.cancelAll("closed");
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
