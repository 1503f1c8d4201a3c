import { createHash, timingSafeEqual } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener, type HttpBindings } from "@hono/node-server";
import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import { type Context, Hono } from "hono";
import { routePath } from "hono/route";
import type { Logger } from "../logger.js";
import type { Metrics } from "../metrics.js";
import { within } from "../within.js";

/** Hono's context on Node: `c.env.incoming` / `c.env.outgoing` are the raw request and response. */
export type HttpContext = Context<{ Bindings: HttpBindings }>;

/**
 * A route another module mounts (Bolt's receiver, web pages). A handler that writes to
 * `c.env.outgoing` itself returns `RESPONSE_ALREADY_SENT` from `@hono/node-server/utils/response`.
 */
export interface Route {
  method: "GET" | "POST";
  path: string;
  handler: (c: HttpContext) => Response | Promise<Response>;
}

/** Something `/readyz` waits for besides the database, such as a platform's connection. */
export interface ReadinessCheck {
  name: string;
  ready(): boolean | Promise<boolean>;
}

export interface HttpServerOptions {
  /** 0 picks a free port; `listen` returns the bound one. */
  port: number;
  log: Logger;
  metrics: Metrics;
  /** When set, `/metrics` needs `Authorization: Bearer <metricsToken>`. */
  metricsToken?: string;
  pingDatabase: () => Promise<unknown>;
  /** Read at each `/readyz`, so platforms started after the server are included. */
  checks: () => readonly ReadinessCheck[];
  /** How long `/readyz` waits for the database or a check before calling it down (default 800 ms). */
  readyTimeoutMs?: number;
}

export interface HttpServer {
  app: Hono<{ Bindings: HttpBindings }>;
  /** Adds routes; only before `listen` (Hono's router is fixed once it has matched a request). */
  mount(routes: readonly Route[]): void;
  /** Starts listening and resolves with the bound port. */
  listen(): Promise<number>;
  /** Stops accepting connections and resolves once the open ones have ended. */
  close(): Promise<void>;
}

/** The name `/readyz` reports the database under; a check may not take it. */
const DATABASE = "database";

/** Probes give up after 1 s by default (Kubernetes' timeoutSeconds): `/readyz` answers before that. */
const READY_TIMEOUT_MS = 800;

/** True when `work` resolves to true within `ms`; a rejection, a timeout or false is down. */
async function upWithin(work: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  try {
    return (await within(Promise.resolve().then(work), ms)) === true;
  } catch {
    return false;
  }
}

/** Compares a presented secret with the expected one in constant time, whatever their lengths. */
function sameSecret(presented: string, expected: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Closer's one HTTP server (Hono on Node): `/livez`, `/readyz` (alias `/healthz`), `/metrics`, and
 * whatever routes are mounted. A handler that throws is logged by its route pattern (never its path,
 * which may hold a page token) and answered 500; the process keeps serving.
 */
export function createHttpServer(options: HttpServerOptions): HttpServer {
  const { log, metrics, metricsToken } = options;
  const readyTimeoutMs = options.readyTimeoutMs ?? READY_TIMEOUT_MS;
  // One ping at a time: probes against a hung database share the one waiting, not a connection each.
  let ping: Promise<unknown> | undefined;
  const pingDatabase = () => {
    ping ??= Promise.resolve()
      .then(options.pingDatabase)
      .finally(() => {
        ping = undefined;
      });
    return ping;
  };
  const app = new Hono<{ Bindings: HttpBindings }>();
  let server: Server | undefined;

  app.get("/livez", (c) => c.json({ status: "live" }));

  const readiness = async (c: HttpContext) => {
    const checks = options.checks();
    const results = await Promise.all([
      upWithin(async () => {
        await pingDatabase();
        return true;
      }, readyTimeoutMs),
      ...checks.map((check) => upWithin(() => check.ready(), readyTimeoutMs)),
    ]);
    const names = [DATABASE, ...checks.map((check) => check.name)];
    const states = Object.fromEntries(names.map((name, i) => [name, results[i] ? "up" : "down"]));
    const down = names.filter((name) => states[name] === "down");
    c.header("Cache-Control", "no-store");
    return down.length === 0
      ? c.json({ status: "ready", checks: states }, 200)
      : c.json({ status: "unavailable", down, checks: states }, 503);
  };
  app.get("/readyz", readiness);
  app.get("/healthz", readiness);

  app.get("/metrics", async (c) => {
    if (metricsToken !== undefined) {
      const presented = BEARER.exec(c.req.header("authorization") ?? "")?.[1];
      if (presented === undefined || !sameSecret(presented, metricsToken)) {
        c.header("WWW-Authenticate", 'Bearer realm="metrics"');
        return c.text("unauthorized", 401);
      }
    }
    const text = await metrics.registry.metrics();
    return c.body(text, 200, { "Content-Type": metrics.registry.contentType });
  });

  app.notFound((c) => c.text("not found", 404));

  app.onError((err, c) => {
    log.error({ err, method: c.req.method, route: routePath(c) }, "http handler failed");
    const outgoing = c.env?.outgoing;
    // A handler that wrote to the Node response itself (Bolt, OAuth) may have started answering.
    if (outgoing?.headersSent) {
      if (!outgoing.writableEnded) outgoing.end();
      return RESPONSE_ALREADY_SENT;
    }
    return c.text("internal error", 500);
  });

  // Anything thrown that is not an Error escapes Hono's onError; the adapter hands it here.
  const listener = getRequestListener(app.fetch, {
    errorHandler: (err) => {
      log.error({ err }, "http request failed");
      return new Response("internal error", { status: 500 });
    },
  });

  return {
    app,
    mount(routes) {
      if (server) throw new Error("routes must be mounted before the HTTP server listens");
      for (const route of routes) app.on(route.method, route.path, (c) => route.handler(c));
    },
    listen() {
      if (server) return Promise.reject(new Error("the HTTP server is already listening"));
      const created = createServer(listener);
      server = created;
      return new Promise((resolve, reject) => {
        created.once("error", (error) => {
          server = undefined;
          reject(error);
        });
        created.listen(options.port, () => {
          created.removeAllListeners("error");
          created.on("error", (error) => log.error({ err: error }, "http server error"));
          resolve((created.address() as AddressInfo).port);
        });
      });
    },
    close() {
      const closing = server;
      server = undefined;
      if (!closing?.listening) return Promise.resolve();
      return new Promise((resolve, reject) => {
        closing.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive connections with no request in flight would hold the close open until they time out.
        closing.closeIdleConnections();
      });
    },
  };
}
