import { once } from "node:events";
import { constants, inflateSync } from "node:zlib";
import { REST, Routes } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RawData, WebSocket } from "ws";
import { createWaitable } from "../waitable.js";
import { discordCode } from "./discord-code.js";
import { type DiscordEmulator, startDiscordEmulator } from "./discord-emulator.js";

describe("Discord emulator REST edges", () => {
  let emulator: DiscordEmulator;
  beforeAll(async () => {
    emulator = await startDiscordEmulator();
  });
  afterAll(() => emulator.close());

  it("GIVEN a wrong token THEN 401; an unknown route THEN Discord's 404 JSON", async () => {
    const bad = new REST({ api: emulator.apiUrl }).setToken("not-the-token");
    expect(await discordCode(bad.get(Routes.user("@me")))).toBe(0);
    expect(emulator.requests.at(-1)?.status).toBe(401);
    const response = await fetch(`${emulator.apiUrl}/v10/nowhere`, {
      headers: { authorization: `Bot ${emulator.token}` },
    });
    expect([response.status, await response.json()]).toEqual([404, { message: "404: Not Found", code: 0 }]);
  });

  it("GIVEN a 503 THEN @discordjs/rest retries and succeeds", async () => {
    emulator.failNext("GET", /^\/users\/@me$/, { status: 503 });
    const rest = new REST({ api: emulator.apiUrl }).setToken(emulator.token);
    expect(await rest.get(Routes.user("@me"))).toMatchObject({ id: emulator.botUserId, bot: true });
    expect(emulator.requests.filter((c) => c.path === "/users/@me").map((c) => c.status)).toEqual([
      401, 503, 200,
    ]);
  });

  it("GIVEN a global 429 THEN the response carries Retry-After, X-RateLimit-Global and Discord's body", async () => {
    emulator.failNext("GET", /^\/gateway\/bot$/, { status: 429, retryAfter: 1.5, global: true });
    const response = await fetch(`${emulator.apiUrl}/v10/gateway/bot`, {
      headers: { authorization: `Bot ${emulator.token}` },
    });
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("1.5");
    expect(response.headers.get("x-ratelimit-global")).toBe("true");
    expect(await response.json()).toEqual({
      message: "You are being rate limited.",
      retry_after: 1.5,
      global: true,
    });
  });
});

describe("Discord emulator gateway with a raw WebSocket", () => {
  let emulator: DiscordEmulator;
  beforeAll(async () => {
    emulator = await startDiscordEmulator({ heartbeatIntervalMs: 45_000 });
  });
  afterAll(() => emulator.close());

  function connect(query = "v=10&encoding=json") {
    const ws = new WebSocket(`${emulator.gatewayUrl}?${query}`);
    const frames = createWaitable<RawData>();
    const payloads = createWaitable<Record<string, unknown>>();
    ws.on("message", (data, isBinary) => {
      frames.push(data);
      if (!isBinary) payloads.push(JSON.parse(data.toString()) as Record<string, unknown>);
    });
    const closed = new Promise<number>((resolve) => ws.on("close", (code) => resolve(code)));
    const opened = once(ws, "open");
    return {
      ws,
      frames,
      closed,
      opened,
      next: (op: number) => payloads.waitFor((p) => p.op === op, 2000, `op ${op}`),
      send: async (payload: unknown) => {
        await opened;
        ws.send(JSON.stringify(payload));
      },
    };
  }

  it("GIVEN a RESUME for an unknown session THEN op 9 INVALID_SESSION (not resumable)", async () => {
    const gateway = connect();
    expect((await gateway.next(10)).d).toMatchObject({ heartbeat_interval: 45_000 });
    await gateway.send({ op: 6, d: { token: emulator.token, session_id: "nope", seq: 3 } });
    expect(await gateway.next(9)).toMatchObject({ op: 9, d: false });
    gateway.ws.close(1000);
  });

  it("GIVEN a bad token THEN close 4004; a privileged intent not enabled THEN close 4014", async () => {
    const badToken = connect();
    await badToken.send({ op: 2, d: { token: "wrong", intents: 1, properties: {} } });
    expect(await badToken.closed).toBe(4004);
    const privileged = connect();
    await privileged.send({ op: 2, d: { token: emulator.token, intents: 1 | (1 << 15), properties: {} } });
    expect(await privileged.closed).toBe(4014);
  });

  it("GIVEN compress=zlib-stream THEN payloads are one deflate stream, each flushed with Z_SYNC_FLUSH", async () => {
    const gateway = connect("v=10&encoding=json&compress=zlib-stream");
    const hello = (await gateway.frames.waitFor(() => true, 2000, "HELLO")) as Buffer;
    expect(hello.subarray(-4)).toEqual(Buffer.from([0, 0, 0xff, 0xff]));
    const helloText = inflateSync(hello, { finishFlush: constants.Z_SYNC_FLUSH }).toString();
    expect(JSON.parse(helloText)).toMatchObject({ op: 10 });
    await gateway.send({ op: 2, d: { token: emulator.token, intents: 1, properties: {} } });
    const ready = (await gateway.frames.waitFor((f) => f !== hello, 2000, "READY")) as Buffer;
    const both = inflateSync(Buffer.concat([hello, ready]), {
      finishFlush: constants.Z_SYNC_FLUSH,
    }).toString();
    expect(JSON.parse(both.slice(helloText.length))).toMatchObject({ op: 0, t: "READY", s: 1 });
    gateway.ws.close(1000);
  });
});
