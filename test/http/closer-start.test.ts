import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DiscordEmulator, startDiscordEmulator } from "../emulators/discord/discord-emulator.js";
import { type SlackEmulator, startSlackEmulator } from "../emulators/slack/slack-emulator.js";
import { chatInput, shown } from "../platforms/discord/support.js";
import { SIGNING_SECRET } from "../platforms/slack/support.js";
import { type CloserProcess, listeningPort, startCloser } from "../support/closer-process.js";
import { pgliteDirs } from "../support/pglite-dir.js";

/*
 * Closer owns its HTTP server whichever platform runs: health, readiness and metrics answer for a
 * Discord-only or Socket Mode deployment too, and for the shell when PORT is set.
 */

const GUILD = "900000000000000301";
const METRICS_TOKEN = "metrics-token-for-tests";

/** Each `closer` here runs on its own copy of the migrated PGlite directory (a user's `pglite:///dir`). */
const databases = pgliteDirs();
afterAll(() => databases.remove());

const get = (port: number, path: string, headers: Record<string, string> = {}) =>
  fetch(`http://127.0.0.1:${port}${path}`, { headers });

describe("GIVEN closer start with Discord only", () => {
  let emu: DiscordEmulator;
  let closer: CloserProcess;
  let port: number;

  beforeAll(async () => {
    emu = await startDiscordEmulator({ heartbeatIntervalMs: 200, interactionDeadlineMs: 15_000 });
    emu.addGuild({ id: GUILD, name: "Health", channels: [{ id: "910000000000000301", name: "sales" }] });
    emu.addMember(GUILD, { id: "920000000000000301", username: "hal", permissions: "0" });
    closer = startCloser(["start"], {
      DATABASE_URL: databases.url(),
      DISCORD_TOKEN: emu.token,
      DISCORD_APPLICATION_ID: emu.applicationId,
      DISCORD_API_URL: emu.apiUrl,
      PORT: "0",
      METRICS_TOKEN,
      LOG_LEVEL: "info",
    });
    port = await listeningPort(closer);
    await closer.logLine(/"msg":"closer ready"/);
    await emu.connected();
  }, 60_000);

  afterAll(async () => {
    // Discord is gone by now: stopping must not wait for a gateway that will never answer.
    expect(await closer.stop()).toBe(0);
  });

  it("GIVEN the gateway connected THEN /livez, /readyz and its alias /healthz answer 200, naming what is up", async () => {
    expect((await get(port, "/livez")).status).toBe(200);
    await expect
      .poll(async () => (await get(port, "/readyz")).status, { timeout: 10_000, interval: 50 })
      .toBe(200);
    for (const path of ["/readyz", "/healthz"]) {
      const res = await get(port, path);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: "ready", checks: { database: "up", discord: "up" } });
    }
    expect((await get(port, "/slack/events")).status).toBe(404);
  });

  it("GIVEN a METRICS_TOKEN THEN /metrics needs it, and counts the commands answered without naming any user", async () => {
    const { callback } = await emu.interact({
      type: 2,
      guildId: GUILD,
      channelId: "910000000000000301",
      userId: "920000000000000301",
      data: chatInput("deal", "log", { amount: "3k", customer: "Metered Corp" }),
    });
    expect(shown(callback.data)).toContain("Deal #1 logged");
    expect((await get(port, "/metrics")).status).toBe(401);
    expect((await get(port, "/metrics", { authorization: "Bearer wrong" })).status).toBe(401);
    const res = await get(port, "/metrics", { authorization: `Bearer ${METRICS_TOKEN}` });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('closer_commands_total{platform="discord",command="deal log",outcome="ok"} 1');
    expect(text).toMatch(
      /closer_command_duration_seconds_bucket\{le="[\d.]+",platform="discord",command="deal log"\}/,
    );
    expect(text).toContain("process_resident_memory_bytes");
    expect(text).not.toContain("Metered Corp");
    expect(text).not.toContain("920000000000000301");
    expect(closer.logs()).not.toContain(METRICS_TOKEN);
    expect(closer.logs()).not.toContain(emu.token);
  });

  it("GIVEN Discord gone THEN /readyz is 503 naming discord, while /livez still answers", async () => {
    await emu.close();
    await expect
      .poll(async () => (await get(port, "/readyz")).status, { timeout: 10_000, interval: 50 })
      .toBe(503);
    expect(await (await get(port, "/readyz")).json()).toMatchObject({
      status: "unavailable",
      down: ["discord"],
    });
    expect((await get(port, "/livez")).status).toBe(200);
  });
});

describe("GIVEN closer start with Slack over Socket Mode", () => {
  let emu: SlackEmulator;
  let closer: CloserProcess;

  beforeAll(async () => {
    emu = await startSlackEmulator({ signingSecret: SIGNING_SECRET });
    closer = startCloser(["start"], {
      DATABASE_URL: databases.url(),
      SLACK_BOT_TOKEN: emu.tokens.bot,
      SLACK_APP_TOKEN: emu.tokens.app,
      SLACK_API_URL: emu.apiUrl,
      PORT: "0",
    });
    await closer.logLine(/"msg":"closer ready"/);
    await emu.socketConnected();
  }, 60_000);

  afterAll(async () => {
    expect(await closer.stop()).toBe(0);
    await emu.close();
  });

  it("GIVEN the socket open THEN Closer's own server reports Slack ready, and serves no events endpoint", async () => {
    const port = await listeningPort(closer);
    await expect
      .poll(async () => (await get(port, "/readyz")).status, { timeout: 10_000, interval: 50 })
      .toBe(200);
    expect(await (await get(port, "/readyz")).json()).toEqual({
      status: "ready",
      checks: { database: "up", slack: "up" },
    });
    expect((await get(port, "/slack/events")).status).toBe(404);
  });
});

describe("GIVEN the shell with PORT set", () => {
  it("GIVEN commands on stdin THEN the HTTP server answers while the shell runs, and both stop at end of input", async () => {
    const closer = startCloser(["start"], { DATABASE_URL: databases.url(), PORT: "0" }, "pipe");
    let out = "";
    closer.child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
    });
    const port = await listeningPort(closer);
    await closer.logLine(/"msg":"closer ready"/);
    expect((await get(port, "/livez")).status).toBe(200);
    expect(await (await get(port, "/readyz")).json()).toEqual({
      status: "ready",
      checks: { database: "up" },
    });
    closer.child.stdin?.end("/deal log 5k Shell Corp\n");
    const exited = new Promise<number | null>((resolve) => closer.child.once("exit", resolve));
    expect(await exited).toBe(0);
    expect(out).toContain("Deal #1 logged");
  }, 60_000);
});
