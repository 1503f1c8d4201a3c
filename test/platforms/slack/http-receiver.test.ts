import { readFileSync } from "node:fs";
import { App, type AppOptions, MemoryInstallationStore } from "@slack/bolt";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFixedClock } from "../../../src/clock.js";
import { createHttpServer } from "../../../src/http/server.js";
import { createMetrics } from "../../../src/metrics.js";
import { boltLogger } from "../../../src/platforms/slack/bolt-logger.js";
import {
  createSlackHttpReceiver,
  type SlackHttpReceiver,
  type SlackHttpReceiverOptions,
} from "../../../src/platforms/slack/http-receiver.js";
import { type SlackEmulator, startSlackEmulator } from "../../emulators/slack/slack-emulator.js";

const SIGNING_SECRET = "closer-test-signing-secret";
const logger = boltLogger(pino({ level: "silent" }));

/**
 * A real Bolt App on the receiver, its routes mounted on Closer's HTTP server (port 0), with a
 * global middleware recording every body that reaches Bolt's listeners.
 */
async function startBolt(
  receiverOptions: Omit<SlackHttpReceiverOptions, "logger">,
  appOptions: Partial<AppOptions>,
  listen: (app: App) => void,
) {
  const receiver = createSlackHttpReceiver({ logger, ...receiverOptions });
  const http = createHttpServer({
    port: 0,
    log: pino({ level: "silent" }),
    metrics: createMetrics(),
    pingDatabase: async () => 1,
    checks: () => [{ name: "slack", ready: receiver.ready }],
  });
  const app = new App({ receiver, logger, ...appOptions });
  const reached: Record<string, unknown>[] = [];
  app.use(async ({ body, next }) => {
    reached.push(body as Record<string, unknown>);
    await next();
  });
  listen(app);
  http.mount(receiver.routes);
  await app.start();
  const base = `http://127.0.0.1:${await http.listen()}`;
  return {
    app,
    receiver: receiver as SlackHttpReceiver,
    base,
    appUrl: `${base}/slack/events`,
    reached,
    async close() {
      await app.stop();
      await http.close();
    },
  };
}

type Bolt = Awaited<ReturnType<typeof startBolt>>;

describe("Bolt on Closer's HTTP server", () => {
  let emu: SlackEmulator;
  let bolt: Bolt;
  const command = (text: string, name = "/deal") => ({
    command: name,
    text,
    teamId: emu.workspace.teamId,
    userId: "U0ALICE",
  });
  const reachedText = (text: string) => bolt.reached.some((body) => body.text === text);

  beforeAll(async () => {
    emu = await startSlackEmulator({ signingSecret: SIGNING_SECRET });
    bolt = await startBolt(
      { signingSecret: SIGNING_SECRET },
      { token: emu.tokens.bot, clientOptions: { slackApiUrl: emu.apiUrl } },
      (app) => {
        app.command("/deal", async ({ command, ack, context }) => {
          await ack({
            response_type: "ephemeral",
            text: `${command.text} (retry ${context.retryNum ?? 0}: ${context.retryReason ?? "none"})`,
          });
        });
        app.command("/silent", async () => {});
        app.command("/broken", async () => {
          throw new Error("listener failed before its ack");
        });
      },
    );
  });
  afterAll(async () => {
    await bolt.close();
    await emu.close();
  });

  it("GIVEN a signed slash command THEN the HTTP answer is the listener's ack", async () => {
    const res = await emu.sendCommand(bolt.appUrl, command("log 12k Acme"));
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ response_type: "ephemeral", text: "log 12k Acme (retry 0: none)" });
    expect(emu.callsTo("auth.test").length).toBeGreaterThan(0);
  });

  it("GIVEN Slack's retry headers THEN the listener sees the retry number and reason", async () => {
    const res = await emu.sendCommand(bolt.appUrl, command("show #1"), {
      retryNum: 2,
      retryReason: "http_timeout",
    });
    expect(res.json).toMatchObject({ text: "show #1 (retry 2: http_timeout)" });
  });

  it.each(["forged", "stale", "missing"] as const)(
    "GIVEN a %s signature THEN 401 and the request reaches no listener",
    async (signature) => {
      const text = `log 99k ${signature} Corp`;
      const res = await emu.sendCommand(bolt.appUrl, command(text), { signature });
      expect(res.status).toBe(401);
      expect(res.body).toBe("");
      expect(reachedText(text)).toBe(false);
      const signed = await emu.sendCommand(bolt.appUrl, command(`${text} signed`));
      expect(signed.status).toBe(200);
      expect(reachedText(`${text} signed`)).toBe(true);
    },
  );

  it("GIVEN Slack's url_verification THEN the challenge is echoed", async () => {
    const res = await emu.sendEvent(bolt.appUrl, { type: "url_verification", challenge: "chal-42" });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ challenge: "chal-42" });
  });

  it("GIVEN an unsigned ssl_check carrying a payload THEN 200 and the payload reaches no listener", async () => {
    const before = bolt.reached.length;
    const payload = JSON.stringify({
      type: "block_actions",
      team: { id: emu.workspace.teamId },
      actions: [],
    });
    const res = await fetch(bolt.appUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ ssl_check: "1", payload }).toString(),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
    expect(bolt.reached.length).toBe(before);
  });

  it("GIVEN a listener that never acknowledges THEN Bolt's default timeout answers 404 after about 3 s", async () => {
    const started = Date.now();
    const res = await emu.sendCommand(bolt.appUrl, command("nothing", "/silent"));
    expect(res.status).toBe(404);
    expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
  });

  it("GIVEN a listener that throws before acknowledging THEN 500 and the next request is served", async () => {
    const res = await emu.sendCommand(bolt.appUrl, command("boom", "/broken"));
    expect(res.status).toBe(500);
    const next = await emu.sendCommand(bolt.appUrl, command("after the crash"));
    expect(next.json).toMatchObject({ text: "after the crash (retry 0: none)" });
  });

  it("GIVEN the app stopped THEN events get 503 and /readyz names slack; started again THEN both recover", async () => {
    await bolt.app.stop();
    try {
      const refused = await emu.sendCommand(bolt.appUrl, command("while stopped"));
      expect(refused.status).toBe(503);
      expect(reachedText("while stopped")).toBe(false);
      const ready = await fetch(`${bolt.base}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ down: ["slack"] });
    } finally {
      await bolt.app.start();
    }
    expect((await fetch(`${bolt.base}/readyz`)).status).toBe(200);
    expect((await emu.sendCommand(bolt.appUrl, command("started again"))).status).toBe(200);
  });
});

describe("Request timestamps against the receiver's clock", () => {
  const now = new Date("2026-11-24T09:00:00Z");
  const nowSec = now.getTime() / 1000;
  let emu: SlackEmulator;
  let bolt: Bolt;

  beforeAll(async () => {
    emu = await startSlackEmulator({ signingSecret: SIGNING_SECRET });
    bolt = await startBolt(
      { signingSecret: SIGNING_SECRET, clock: createFixedClock(now) },
      { token: emu.tokens.bot, clientOptions: { slackApiUrl: emu.apiUrl } },
      (app) => {
        app.command("/deal", async ({ command, ack }) => {
          await ack(`got ${command.text}`);
        });
      },
    );
  });
  afterAll(async () => {
    await bolt.close();
    await emu.close();
  });

  const sendAt = (text: string, offsetSeconds: number) =>
    emu.sendCommand(
      bolt.appUrl,
      { command: "/deal", text, teamId: emu.workspace.teamId, userId: "U0ALICE" },
      { timestamp: nowSec + offsetSeconds },
    );

  it.each([
    ["6 minutes ahead", 6 * 60],
    ["6 minutes behind", -6 * 60],
  ])("GIVEN a correctly signed request stamped %s THEN 401 and it reaches no listener", async (_, offset) => {
    const text = `log 1k skewed ${offset}`;
    const res = await sendAt(text, offset);
    expect(res.status).toBe(401);
    expect(res.body).toBe("");
    expect(bolt.reached.some((body) => body.text === text)).toBe(false);
  });

  it.each([
    ["4 minutes ahead", 4 * 60],
    ["4 minutes behind", -4 * 60],
  ])("GIVEN a correctly signed request stamped %s THEN it is served", async (_, offset) => {
    const res = await sendAt(`log 1k near ${offset}`, offset);
    expect(res.status).toBe(200);
    expect(res.body).toBe(`got log 1k near ${offset}`);
  });
});

describe("Slack's published signature test vector through the receiver", () => {
  const vector = {
    secret: "8f742231b10e8888abcd99yyyzzz85a5",
    timestamp: 1531420618,
    signature: "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
    body: readFileSync(new URL("../../fixtures/slack-signature-vector.txt", import.meta.url), "utf8"),
  };
  let emu: SlackEmulator;
  let bolt: Bolt;

  beforeAll(async () => {
    emu = await startSlackEmulator({ signingSecret: vector.secret });
    bolt = await startBolt(
      // The example was signed in 2018: verify it as of that moment, as Slack's docs do.
      { signingSecret: vector.secret, clock: createFixedClock(new Date(vector.timestamp * 1000)) },
      { token: emu.tokens.bot, clientOptions: { slackApiUrl: emu.apiUrl } },
      (app) => {
        app.command("/webhook-collect", async ({ command, ack }) => {
          await ack(`hello ${command.user_name} of ${command.team_id}`);
        });
      },
    );
  });
  afterAll(async () => {
    await bolt.close();
    await emu.close();
  });

  const post = (body: string) =>
    fetch(bolt.appUrl, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": String(vector.timestamp),
        "x-slack-signature": vector.signature,
      },
      body,
    });

  it("GIVEN the documented secret, timestamp, body and signature THEN it verifies and reaches the listener", async () => {
    const res = await post(vector.body);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("hello roadrunner of T1DC2JH3J");
  });

  it("GIVEN the documented signature on a changed body THEN 401", async () => {
    const before = bolt.reached.length;
    const res = await post(vector.body.replace("text=", "text=hijacked"));
    expect(res.status).toBe(401);
    expect(bolt.reached.length).toBe(before);
  });
});

describe("Slack OAuth install through the receiver", () => {
  let emu: SlackEmulator;
  let bolt: Bolt;
  const store = new MemoryInstallationStore();
  const tokensSeen: { teamId: string | undefined; botToken: string | undefined }[] = [];

  beforeAll(async () => {
    emu = await startSlackEmulator({
      signingSecret: SIGNING_SECRET,
      clientId: "cid",
      clientSecret: "csecret",
    });
    bolt = await startBolt(
      {
        signingSecret: SIGNING_SECRET,
        oauth: {
          clientId: "cid",
          clientSecret: "csecret",
          stateSecret: "state-secret-for-tests",
          scopes: ["commands", "chat:write"],
          installationStore: store,
          clientOptions: { slackApiUrl: emu.apiUrl },
          directInstall: true,
        },
      },
      // No token: Bolt must take the receiver's installer as its authorize.
      { clientOptions: { slackApiUrl: emu.apiUrl } },
      (app) => {
        app.command("/deal", async ({ ack, context }) => {
          tokensSeen.push({ teamId: context.teamId, botToken: context.botToken });
          await ack(`installed team ${context.teamId}`);
        });
      },
    );
  });
  afterAll(async () => {
    await bolt.close();
    await emu.close();
  });

  /** Opens /slack/install as a browser would: the redirect to Slack, its state and state cookie. */
  async function beginInstall() {
    const page = await fetch(`${bolt.base}/slack/install`, { redirect: "manual" });
    const location = new URL(page.headers.get("location") ?? "");
    const cookie = page.headers.get("set-cookie")?.split(";")[0] ?? "";
    return { page, location, state: location.searchParams.get("state") ?? "", cookie };
  }

  it("GIVEN /slack/install THEN a redirect to Slack's authorize page with our client id, scopes and a state cookie", async () => {
    const { page, location, state, cookie } = await beginInstall();
    expect(page.status).toBe(302);
    expect(`${location.origin}${location.pathname}`).toBe("https://slack.com/oauth/v2/authorize");
    expect(location.searchParams.get("client_id")).toBe("cid");
    expect(location.searchParams.get("scope")).toBe("commands,chat:write");
    expect(state).not.toBe("");
    expect(cookie).toMatch(/^slack-app-oauth-state=/);
  });

  it("GIVEN the redirect back with a code Slack knows THEN the installation is stored and the team's commands are authorized with its token", async () => {
    const { state, cookie } = await beginInstall();
    emu.registerOAuthCode("code-north", {
      teamId: "T0NORTH",
      teamName: "North",
      botToken: "xoxb-north",
      botUserId: "UB0NORTH",
      userId: "U0NINA",
    });
    const back = await fetch(`${bolt.base}/slack/oauth_redirect?code=code-north&state=${state}`, {
      headers: { cookie },
    });
    expect(back.status).toBe(200);
    expect(await back.text()).toContain("Thank you!");
    const stored = await store.fetchInstallation({
      teamId: "T0NORTH",
      enterpriseId: undefined,
      isEnterpriseInstall: false,
    });
    expect(stored).toMatchObject({
      team: { id: "T0NORTH" },
      bot: { token: "xoxb-north", userId: "UB0NORTH" },
    });

    const res = await emu.sendCommand(bolt.appUrl, {
      command: "/deal",
      text: "log 1k",
      teamId: "T0NORTH",
      userId: "U0NINA",
    });
    expect(res.status).toBe(200);
    expect(res.body).toBe("installed team T0NORTH");
    expect(tokensSeen).toContainEqual({ teamId: "T0NORTH", botToken: "xoxb-north" });
  });

  it("GIVEN a redirect whose state was not issued to this browser THEN 400 and nothing is stored", async () => {
    const { state } = await beginInstall();
    emu.registerOAuthCode("code-south", {
      teamId: "T0SOUTH",
      teamName: "South",
      botToken: "xoxb-south",
      botUserId: "UB0SOUTH",
      userId: "U0SOL",
    });
    const back = await fetch(`${bolt.base}/slack/oauth_redirect?code=code-south&state=${state}`);
    expect(back.status).toBe(400);
    const stored = await store
      .fetchInstallation({ teamId: "T0SOUTH", enterpriseId: undefined, isEnterpriseInstall: false })
      .catch(() => undefined);
    expect(stored).toBeUndefined();
    expect(emu.callsTo("oauth.v2.access").some((c) => c.params.code === "code-south")).toBe(false);
  });

  it("GIVEN a signed command from a team that never installed THEN 401 and no listener runs", async () => {
    const before = tokensSeen.length;
    const res = await emu.sendCommand(bolt.appUrl, {
      command: "/deal",
      text: "log 2k",
      teamId: "T0STRANGER",
      userId: "U0NOBODY",
    });
    expect(res.status).toBe(401);
    expect(tokensSeen.length).toBe(before);
  });
});
