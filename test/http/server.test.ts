import { Writable } from "node:stream";
import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createHttpServer, type HttpServerOptions, type Route } from "../../src/http/server.js";
import { createMetrics } from "../../src/metrics.js";

const silent = pino({ level: "silent" });

/** A real pino logger whose JSON lines the test can read. */
function recordingLog() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: pino({ level: "info" }, sink), lines };
}

const running: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

/** The server on a free port with a database that answers, no checks and no token, unless overridden. */
async function start(overrides: Partial<HttpServerOptions> = {}, routes: Route[] = []) {
  const server = createHttpServer({
    port: 0,
    log: silent,
    metrics: createMetrics(),
    pingDatabase: async () => 1,
    checks: () => [],
    ...overrides,
  });
  server.mount(routes);
  running.push(server);
  const port = await server.listen();
  const get = (path: string, init?: RequestInit) => fetch(`http://127.0.0.1:${port}${path}`, init);
  return { server, port, get };
}

const never = () => new Promise<never>(() => {});

describe("GET /livez", () => {
  it("GIVEN a database that is down THEN 200 and the database is never asked", async () => {
    let pings = 0;
    const { get } = await start({
      pingDatabase: async () => {
        pings += 1;
        throw new Error("down");
      },
    });
    const res = await get("/livez");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "live" });
    expect(pings).toBe(0);
  });
});

describe("GET /readyz and /healthz", () => {
  it.each(["/readyz", "/healthz"])(
    "GIVEN the database and every check up THEN %s is 200 JSON naming each",
    async (path) => {
      const { get } = await start({ checks: () => [{ name: "slack", ready: () => true }] });
      const res = await get(path);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("application/json");
      expect(await res.json()).toEqual({ status: "ready", checks: { database: "up", slack: "up" } });
    },
  );

  it("GIVEN a database ping that rejects THEN 503 naming the database", async () => {
    const { get } = await start({
      pingDatabase: () => Promise.reject(new Error("connection refused")),
      checks: () => [{ name: "discord", ready: async () => true }],
    });
    const res = await get("/readyz");
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      status: "unavailable",
      down: ["database"],
      checks: { database: "down", discord: "up" },
    });
  });

  it("GIVEN a database that never answers THEN 503 naming the database once the timeout passes", async () => {
    const { get } = await start({ pingDatabase: never, readyTimeoutMs: 50 });
    const res = await get("/healthz");
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: "unavailable", down: ["database"] });
  });

  it.each(["/readyz", "/healthz"])(
    "GIVEN a database that never answers and the default timeout THEN %s is 503 within a second (a probe's default timeout)",
    async (path) => {
      const { get } = await start({ pingDatabase: never });
      const started = performance.now();
      const res = await get(path);
      expect(performance.now() - started).toBeLessThan(1000);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: "unavailable", down: ["database"] });
    },
  );

  it("GIVEN probes while the database hangs THEN they share one ping, and the next after it settles pings again", async () => {
    let pings = 0;
    let answer: (() => void) | undefined;
    const { get } = await start({
      readyTimeoutMs: 50,
      pingDatabase: () => {
        pings += 1;
        // The first ping hangs until the test answers it; later ones answer at once.
        return pings > 1
          ? Promise.resolve()
          : new Promise<void>((resolve) => {
              answer = resolve;
            });
      },
    });
    const statuses = await Promise.all([get("/readyz"), get("/healthz"), get("/readyz")]);
    expect(statuses.map((res) => res.status)).toEqual([503, 503, 503]);
    expect(pings).toBe(1);
    answer?.();
    await expect.poll(async () => (await get("/readyz")).status).toBe(200);
    expect(pings).toBe(2);
  });

  it("GIVEN a platform that is not connected, one that throws and one that hangs THEN 503 naming all three", async () => {
    const { get } = await start({
      readyTimeoutMs: 50,
      checks: () => [
        { name: "slack", ready: () => false },
        { name: "discord", ready: () => Promise.reject(new Error("gateway closed")) },
        { name: "web", ready: never },
      ],
    });
    const res = await get("/readyz");
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      status: "unavailable",
      down: ["slack", "discord", "web"],
      checks: { database: "up", slack: "down", discord: "down", web: "down" },
    });
  });

  it("GIVEN checks added after the server started THEN the next /readyz includes them", async () => {
    const checks: { name: string; ready(): boolean }[] = [];
    const { get } = await start({ checks: () => checks });
    expect(await (await get("/readyz")).json()).toEqual({ status: "ready", checks: { database: "up" } });
    checks.push({ name: "slack", ready: () => false });
    expect((await get("/readyz")).status).toBe(503);
  });
});

describe("GET /metrics", () => {
  it("GIVEN each Closer metric recorded once THEN the Prometheus text has them and Node's default metrics", async () => {
    const metrics = createMetrics();
    metrics.commands.inc({ platform: "slack", command: "deal", outcome: "ok" });
    metrics.commands.inc({ platform: "discord", command: "kpi", outcome: "refused" });
    metrics.commandDuration.observe({ platform: "slack", command: "deal" }, 0.042);
    metrics.notifications.inc({ platform: "slack", kind: "win", outcome: "sent" });
    metrics.jobRuns.inc({ job: "digest", outcome: "done_before" });
    const { get } = await start({ metrics });
    const res = await get("/metrics");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const text = await res.text();
    expect(text).toContain("process_cpu_user_seconds_total");
    expect(text).toContain("nodejs_heap_size_used_bytes");
    expect(text).toContain('closer_commands_total{platform="slack",command="deal",outcome="ok"} 1');
    expect(text).toContain('closer_commands_total{platform="discord",command="kpi",outcome="refused"} 1');
    expect(text).toContain(
      'closer_command_duration_seconds_bucket{le="0.05",platform="slack",command="deal"} 1',
    );
    expect(text).toContain('closer_command_duration_seconds_count{platform="slack",command="deal"} 1');
    expect(text).toContain('closer_notifications_total{platform="slack",kind="win",outcome="sent"} 1');
    expect(text).toContain('closer_job_runs_total{job="digest",outcome="done_before"} 1');
    expect(text).toContain("# TYPE closer_outbox_pending gauge");
  });

  it("GIVEN an outbox with rows waiting THEN closer_outbox_pending shows what was read at the scrape", async () => {
    let pending: Partial<Record<"slack" | "discord" | "shell", number>> = { slack: 3, discord: 0 };
    const { get } = await start({ metrics: createMetrics({ outboxPending: async () => pending }) });
    const first = await (await get("/metrics")).text();
    expect(first).toContain('closer_outbox_pending{platform="slack"} 3');
    expect(first).toContain('closer_outbox_pending{platform="discord"} 0');
    pending = { slack: 1 };
    const second = await (await get("/metrics")).text();
    expect(second).toContain('closer_outbox_pending{platform="slack"} 1');
    expect(second).not.toContain('closer_outbox_pending{platform="discord"}');
  });

  it("GIVEN the outbox cannot be read THEN the scrape still succeeds, without outbox samples", async () => {
    const { get } = await start({
      metrics: createMetrics({ outboxPending: () => Promise.reject(new Error("database down")) }),
    });
    const res = await get("/metrics");
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain("process_cpu_user_seconds_total");
    expect(text).not.toMatch(/^closer_outbox_pending\{/m);
  });

  it("GIVEN two apps in one process THEN each has its own registry", async () => {
    const one = createMetrics();
    const two = createMetrics();
    one.jobRuns.inc({ job: "awards", outcome: "queued" });
    expect(await one.registry.metrics()).toContain('closer_job_runs_total{job="awards",outcome="queued"} 1');
    expect(await two.registry.metrics()).not.toContain('job="awards"');
  });

  it("GIVEN METRICS_TOKEN THEN no or a wrong bearer gets 401 and the right one 200", async () => {
    const { get } = await start({ metricsToken: "s3cret-metrics-token" });
    const without = await get("/metrics");
    expect(without.status).toBe(401);
    expect(without.headers.get("www-authenticate")).toContain("Bearer");
    expect((await get("/metrics", { headers: { authorization: "Bearer wrong" } })).status).toBe(401);
    expect((await get("/metrics", { headers: { authorization: "s3cret-metrics-token" } })).status).toBe(401);
    const right = await get("/metrics", { headers: { authorization: "Bearer s3cret-metrics-token" } });
    expect(right.status).toBe(200);
    expect(await right.text()).toContain("# TYPE closer_commands_total counter");
    expect((await get("/livez")).status).toBe(200);
  });
});

describe("routes and errors", () => {
  it("GIVEN an unknown path THEN 404", async () => {
    const { get } = await start();
    expect((await get("/nothing-here")).status).toBe(404);
    expect((await get("/livez", { method: "POST" })).status).toBe(404);
  });

  it("GIVEN a mounted route that writes the Node response itself THEN its answer is what the client gets", async () => {
    const { get } = await start({}, [
      {
        method: "POST",
        path: "/raw",
        handler: (c) => {
          c.env.outgoing.writeHead(202, { "content-type": "text/plain" });
          c.env.outgoing.end("written by hand");
          return RESPONSE_ALREADY_SENT;
        },
      },
    ]);
    const res = await get("/raw", { method: "POST", body: "x" });
    expect(res.status).toBe(202);
    expect(await res.text()).toBe("written by hand");
  });

  it("GIVEN a route that throws THEN 500, logged by its pattern without the token in its path, and the server keeps answering", async () => {
    const { log, lines } = recordingLog();
    const { get } = await start({ log }, [
      {
        method: "GET",
        path: "/tv/:token",
        handler: () => {
          throw new Error("chart failed");
        },
      },
      {
        method: "GET",
        path: "/odd",
        handler: () => Promise.reject("not an Error"),
      },
    ]);
    const res = await get("/tv/tv-token-abc123");
    expect(res.status).toBe(500);
    expect(await res.text()).toBe("internal error");
    expect((await get("/odd")).status).toBe(500);
    expect((await get("/livez")).status).toBe(200);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      level: 50,
      route: "/tv/:token",
      method: "GET",
      err: { message: "chart failed" },
    });
    expect(JSON.stringify(lines)).not.toContain("tv-token-abc123");
  });

  it("GIVEN a server that is listening THEN mounting more routes is refused", async () => {
    const { server } = await start();
    expect(() => server.mount([{ method: "GET", path: "/late", handler: (c) => c.text("late") }])).toThrow(
      /before the HTTP server listens/,
    );
  });

  it("GIVEN a closed server THEN its port no longer answers", async () => {
    const { server, get } = await start();
    expect((await get("/livez")).status).toBe(200);
    await server.close();
    await expect(get("/livez")).rejects.toThrow();
  });
});
