import type { Clock } from "../clock.js";
import type { Config } from "../config.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import type { Platform } from "../generated/prisma/enums.js";
import type { Route } from "../http/server.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "../metrics.js";
import type { DeliveryPort } from "../notify/port.js";
import type { SalesService } from "../sales/sales-service.js";

/** What a platform is built from. */
export interface PlatformDeps {
  config: Config;
  sales: SalesService;
  db: PrismaClient;
  clock: Clock;
  log: Logger;
  metrics?: Metrics | undefined;
}

/** A platform's inbound side, once built: the routes it needs on Closer's HTTP server, and its lifecycle. */
export interface RunningPlatform {
  name: Platform;
  routes: Route[];
  /** Whether it is connected (Bolt's receiver started or its socket open; Discord's gateway ready). */
  ready(): boolean;
  start(): Promise<unknown>;
  stop(): Promise<unknown>;
}

/** A chat platform Closer runs on besides the shell: when it is configured, how it runs, how it posts. */
export interface PlatformEntry {
  name: Platform;
  configured(config: Config): boolean;
  /** Builds the inbound side; its library is loaded only now, so the shell starts without it. */
  create(deps: PlatformDeps): Promise<RunningPlatform>;
  /** The delivery port the dispatcher posts notifications through. */
  port(deps: Pick<PlatformDeps, "config" | "db" | "log">): Promise<DeliveryPort>;
}

const slack: PlatformEntry = {
  name: "slack",
  configured: (config) => config.slack !== undefined,
  async create({ config, ...deps }) {
    const { createSlackPlatform } = await import("./slack/slack-platform.js");
    const platform = createSlackPlatform({ ...deps, slack: required(config.slack) });
    return { name: "slack", ...platform };
  },
  async port({ config, db, log }) {
    const { createSlackPort } = await import("./slack/slack-port.js");
    return createSlackPort({ slack: required(config.slack), db, log });
  },
};

const discord: PlatformEntry = {
  name: "discord",
  configured: (config) => config.discord !== undefined,
  async create({ config, ...deps }) {
    const { createDiscordPlatform } = await import("./discord/discord-platform.js");
    const platform = createDiscordPlatform({ ...deps, discord: required(config.discord) });
    return { name: "discord", ...platform };
  },
  async port({ config, log }) {
    const { createDiscordPort } = await import("./discord/discord-port.js");
    return createDiscordPort(required(config.discord), { log });
  },
};

function required<T>(value: T | undefined): T {
  if (value === undefined) throw new Error("the platform is not configured");
  return value;
}

/** Every platform but the shell, which `closer start` runs when none of these is configured. */
export const PLATFORMS: readonly PlatformEntry[] = [slack, discord];

/** The platforms a configuration sets credentials for. */
export function configuredPlatforms(config: Config): PlatformEntry[] {
  return PLATFORMS.filter((p) => p.configured(config));
}
