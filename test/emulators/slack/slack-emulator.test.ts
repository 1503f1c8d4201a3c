import { readFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { App, LogLevel } from "@slack/bolt";
import { SocketModeClient } from "@slack/socket-mode";
import { type RetryOptions, type WebAPIPlatformError, WebClient } from "@slack/web-api";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type SlackEmulator, signSlackRequest, startSlackEmulator } from "./slack-emulator.js";

const signingSecret = "emulator-signing-secret";
const quiet = { logLevel: LogLevel.ERROR };
// WebClient logs Slack's "[ERROR] …" response messages at error level; these tests provoke them on purpose.
const silentLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  setLevel() {},
  getLevel: () => LogLevel.ERROR,
  setName() {},
};
const apiClient = (emulator: SlackEmulator, token: string | undefined, retryConfig?: RetryOptions) =>
  new WebClient(token, {
    slackApiUrl: emulator.apiUrl,
    logger: silentLogger,
    ...(retryConfig ? { retryConfig } : {}),
  });

/** The Slack error code a WebClient call rejected with. */
async function slackError(call: Promise<unknown>): Promise<string | undefined> {
  try {
    await call;
    return undefined;
  } catch (error) {
    return (error as WebAPIPlatformError).data?.error;
  }
}

describe("Slack's published signature test vector", () => {
  it("GIVEN the documented secret, timestamp and body THEN signSlackRequest gives the documented signature", async () => {
    const body = await readFile(
      new URL("../../fixtures/slack-signature-vector.txt", import.meta.url),
      "utf8",
    );
    expect(signSlackRequest("8f742231b10e8888abcd99yyyzzz85a5", 1531420618, body)).toBe(
      "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
    );
  });
});

describe("Slack emulator Web API with the real WebClient", () => {
  let emulator: SlackEmulator;
  let client: WebClient;
  beforeAll(async () => {
    emulator = await startSlackEmulator({ signingSecret });
    client = apiClient(emulator, emulator.tokens.bot);
    emulator.addUser({
      id: "U0ALICE",
      teamId: emulator.workspace.teamId,
      name: "alice",
      realName: "Alice Martin",
      tz: "Europe/Paris",
      locale: "fr-FR",
      isAdmin: true,
    });
  });
  afterAll(() => emulator.close());

  it("GIVEN the bot token THEN auth.test names the workspace and the bot", async () => {
    const auth = await client.auth.test();
    expect(auth).toMatchObject({
      ok: true,
      team_id: "T0CLOSER01",
      user_id: "U0CLOSERBOT",
      bot_id: "B0CLOSERBOT",
    });
    expect(emulator.callsTo("auth.test").at(-1)?.token).toBe(emulator.tokens.bot);
  });

  it("GIVEN messages posted THEN ts increase, blocks and metadata are decoded and history returns them", async () => {
    const metadata = { event_type: "deal_logged", event_payload: { dealId: 7 } };
    const blocks = [{ type: "section", text: { type: "mrkdwn", text: "*Deal #7*" } }];
    const first = await client.chat.postMessage({ channel: "C0SALES", text: "Deal #7", blocks, metadata });
    const second = await client.chat.postMessage({ channel: "C0SALES", text: "Deal #8" });
    expect(first).toMatchObject({
      ok: true,
      channel: "C0SALES",
      message: { text: "Deal #7", bot_id: "B0CLOSERBOT" },
    });
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    const call = await emulator.waitForCall("chat.postMessage", (c) => c.params.text === "Deal #7");
    expect(call.params).toMatchObject({ channel: "C0SALES", blocks, metadata });

    const plain = await client.conversations.history({ channel: "C0SALES" });
    expect(plain.messages?.map((m) => m.text)).toEqual(["Deal #8", "Deal #7"]);
    expect(plain.messages?.[1]?.metadata).toBeUndefined();
    const withMetadata = await client.conversations.history({
      channel: "C0SALES",
      include_all_metadata: true,
    });
    expect(withMetadata.messages?.[1]?.metadata).toEqual(metadata);

    await client.chat.update({ channel: "C0SALES", ts: first.ts as string, text: "Deal #7 won" });
    await client.chat.delete({ channel: "C0SALES", ts: second.ts as string });
    const after = await client.conversations.history({ channel: "C0SALES" });
    expect(after.messages?.map((m) => m.text)).toEqual(["Deal #7 won"]);
    expect(emulator.messages.filter((m) => m.channel === "C0SALES").map((m) => [m.text, m.deleted])).toEqual([
      ["Deal #7 won", false],
      ["Deal #8", true],
    ]);
  });

  it("GIVEN a user THEN conversations.open gives the same DM channel as posting to the user id", async () => {
    const opened = await client.conversations.open({ users: "U0ALICE" });
    const again = await client.conversations.open({ users: "U0ALICE" });
    const posted = await client.chat.postMessage({ channel: "U0ALICE", text: "hello" });
    expect(opened.channel?.id).toMatch(/^D/);
    expect(again.channel?.id).toBe(opened.channel?.id);
    expect(posted.channel).toBe(opened.channel?.id);
    const ephemeral = await client.chat.postEphemeral({ channel: "C0SALES", user: "U0ALICE", text: "psst" });
    expect(ephemeral.message_ts).toMatch(/^\d+\.\d{6}$/);
    expect(emulator.ephemeralMessages.at(-1)).toMatchObject({ user: "U0ALICE", text: "psst" });
  });

  it("GIVEN a known user THEN users.info answers with tz, admin flag and the locale only when asked", async () => {
    const info = await client.users.info({ user: "U0ALICE" });
    expect(info.user).toMatchObject({
      id: "U0ALICE",
      tz: "Europe/Paris",
      is_admin: true,
      is_owner: false,
      profile: { display_name: "alice", real_name: "Alice Martin" },
    });
    expect(info.user?.locale).toBeUndefined();
    expect((await client.users.info({ user: "U0ALICE", include_locale: true })).user?.locale).toBe("fr-FR");
    expect(await slackError(client.users.info({ user: "U0NOBODY" }))).toBe("user_not_found");
  });

  it("GIVEN views THEN views.open needs an unused trigger_id and views.update checks the hash", async () => {
    const view = {
      type: "modal" as const,
      title: { type: "plain_text" as const, text: "Log a deal" },
      blocks: [{ type: "section", text: { type: "mrkdwn", text: "Amount?" } }],
    };
    const opened = await client.views.open({ trigger_id: "1.2.abc", view });
    expect(opened.view).toMatchObject({ id: expect.stringMatching(/^V/), type: "modal", title: view.title });
    expect(await slackError(client.views.open({ trigger_id: "1.2.abc", view }))).toBe("exchanged_trigger_id");
    expect(await slackError(client.apiCall("views.open", { view }))).toBe("invalid_arguments");

    const id = opened.view?.id as string;
    const updated = await client.views.update({ view_id: id, hash: opened.view?.hash, view });
    expect(updated.view?.hash).not.toBe(opened.view?.hash);
    expect(await slackError(client.views.update({ view_id: id, hash: opened.view?.hash, view }))).toBe(
      "hash_conflict",
    );
    const home = {
      type: "home" as const,
      blocks: [{ type: "section", text: { type: "mrkdwn", text: "Hi" } }],
    };
    const published = await client.views.publish({ user_id: "U0ALICE", view: home });
    const republished = await client.views.publish({ user_id: "U0ALICE", view: home });
    expect(republished.view?.id).toBe(published.view?.id);
    expect(emulator.views.find((v) => v.id === id)?.history).toHaveLength(2);
  });

  it("GIVEN blocks past Slack's limits THEN chat.postMessage refuses them with invalid_blocks", async () => {
    const blocks = Array.from({ length: 51 }, () => ({ type: "divider" }));
    expect(await slackError(client.chat.postMessage({ channel: "C0SALES", text: "x", blocks }))).toBe(
      "invalid_blocks",
    );
    const long = [{ type: "section", text: { type: "mrkdwn", text: "x".repeat(3001) } }];
    expect(await slackError(client.chat.postMessage({ channel: "C0SALES", text: "x", blocks: long }))).toBe(
      "invalid_blocks",
    );
  });

  it("GIVEN a bad token, the app token or an unknown method THEN Slack's errors come back", async () => {
    const stranger = apiClient(emulator, "xoxb-not-a-real-token");
    expect(await slackError(stranger.auth.test())).toBe("invalid_auth");
    const appClient = apiClient(emulator, emulator.tokens.app);
    expect(await slackError(appClient.chat.postMessage({ channel: "C1", text: "x" }))).toBe(
      "not_allowed_token_type",
    );
    expect(await slackError(client.apps.connections.open())).toBe("not_allowed_token_type");
    expect(await slackError(client.apiCall("deals.teleport"))).toBe("unknown_method");
  });

  it("GIVEN a 429 with Retry-After: 1 THEN WebClient waits and retries, and the retry succeeds", async () => {
    const retrying = apiClient(emulator, emulator.tokens.bot, { retries: 1 });
    emulator.failNext("chat.postMessage", { status: 429, retryAfter: 1 });
    const before = emulator.callsTo("chat.postMessage").length;
    const posted = await retrying.chat.postMessage({ channel: "C0RATE", text: "after the limit" });
    expect(posted.ok).toBe(true);
    const [limited, retried] = emulator.callsTo("chat.postMessage").slice(before);
    expect(emulator.callsTo("chat.postMessage")).toHaveLength(before + 2);
    expect((retried?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(1000);
  });

  it("GIVEN a 503 or an injected error THEN WebClient retries the 503 and surfaces the error", async () => {
    const retrying = apiClient(emulator, emulator.tokens.bot, { retries: 1, minTimeout: 0, maxTimeout: 0 });
    emulator.failNext("users.info", { status: 503 });
    expect((await retrying.users.info({ user: "U0ALICE" })).ok).toBe(true);
    emulator.failNext("chat.postMessage", { error: "channel_not_found" });
    expect(await slackError(retrying.chat.postMessage({ channel: "C0GONE", text: "x" }))).toBe(
      "channel_not_found",
    );
  });

  it("GIVEN a registered OAuth code THEN oauth.v2.access installs the team and its bot token works", async () => {
    emulator.registerOAuthCode("code-1", {
      teamId: "T0OTHER",
      teamName: "Other Co",
      botToken: "xoxb-other",
      botUserId: "U0OTHERBOT",
      userId: "U0INSTALLER",
    });
    const noToken = apiClient(emulator, undefined);
    const credentials = { client_id: "1111111111.2222222222", client_secret: "emulator-client-secret" };
    const bad = noToken.oauth.v2.access({ ...credentials, client_secret: "no", code: "code-1" });
    expect(await slackError(bad)).toBe("bad_client_secret");
    const access = await noToken.oauth.v2.access({ ...credentials, code: "code-1" });
    expect(access).toMatchObject({
      access_token: "xoxb-other",
      bot_user_id: "U0OTHERBOT",
      team: { id: "T0OTHER", name: "Other Co" },
      authed_user: { id: "U0INSTALLER" },
      enterprise: null,
    });
    const other = apiClient(emulator, "xoxb-other");
    expect((await other.auth.test()).team_id).toBe("T0OTHER");
    const reused = noToken.oauth.v2.access({ ...credentials, code: "code-1" });
    expect(await slackError(reused)).toBe("invalid_code");
  });
  it("GIVEN a response_url THEN it takes five POSTs and refuses the sixth, as Slack documents", async () => {
    const { response_url } = emulator.commandPayload({
      command: "/kpi",
      text: "",
      teamId: "T0CLOSER01",
      userId: "U0ALICE",
    });
    const statuses: number[] = [];
    for (let i = 1; i <= 6; i += 1) {
      const posted = await fetch(response_url as string, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ text: `update ${i}` }),
      });
      statuses.push(posted.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 404]);
    expect(emulator.responses(response_url).map((r) => r.body.text)).toHaveLength(5);
  });
});

describe("Slack emulator Socket Mode with the real SocketModeClient", () => {
  let emulator: SlackEmulator;
  beforeAll(async () => {
    emulator = await startSlackEmulator({ signingSecret });
  });
  afterAll(() => emulator.close());

  it("GIVEN the client connected THEN a slash_commands envelope is acked with the client's payload", async () => {
    const client = new SocketModeClient({
      appToken: emulator.tokens.app,
      clientOptions: { slackApiUrl: emulator.apiUrl },
      ...quiet,
    });
    client.on(
      "slash_commands",
      async ({ ack, body }: { ack: (r?: object) => Promise<void>; body: { text: string } }) => {
        await ack({ text: `got ${body.text}` });
      },
    );
    await client.start();
    try {
      await emulator.socketConnected();
      const payload = emulator.commandPayload({
        command: "/deal",
        text: "log 12k Acme",
        teamId: "T0CLOSER01",
        userId: "U1",
      });
      const ack = await emulator.sendSocketEnvelope("slash_commands", payload);
      expect(ack.payload).toEqual({ text: "got log 12k Acme" });
      expect(emulator.callsTo("apps.connections.open")[0]?.token).toBe(emulator.tokens.app);
    } finally {
      await client.disconnect();
    }
  });

  it("GIVEN Slack asks the client to disconnect THEN it reconnects through a fresh apps.connections.open", async () => {
    const client = new SocketModeClient({
      appToken: emulator.tokens.app,
      clientOptions: { slackApiUrl: emulator.apiUrl },
      clientPingTimeout: 50, // also the reconnect delay
      ...quiet,
    });
    const retries: unknown[] = [];
    // Socket Mode clients emit events_api envelopes under the inner event's type.
    client.on(
      "app_mention",
      async (args: { ack: () => Promise<void>; retry_num: number; retry_reason: string }) => {
        retries.push([args.retry_num, args.retry_reason]);
        await args.ack();
      },
    );
    await client.start();
    try {
      const opens = emulator.callsTo("apps.connections.open").length;
      const reconnected = new Promise((resolve) => client.once("connected", resolve));
      emulator.socketDisconnect();
      await reconnected;
      expect(emulator.callsTo("apps.connections.open")).toHaveLength(opens + 1);
      const event = { type: "app_mention", user: "U0ALICE", text: "hi", channel: "C0SALES", ts: "1.000001" };
      const ack = await emulator.sendSocketEnvelope(
        "events_api",
        { event },
        { retryAttempt: 1, retryReason: "timeout" },
      );
      expect(ack.envelope_id).toEqual(expect.any(String));
      expect(retries).toEqual([[1, "timeout"]]);
    } finally {
      await client.disconnect();
    }
  });
});

describe("Slack emulator with a real Bolt app", () => {
  let emulator: SlackEmulator;
  let app: App | undefined;
  beforeAll(async () => {
    emulator = await startSlackEmulator({ signingSecret });
  });
  afterEach(async () => {
    await app?.stop();
    app = undefined;
  });
  afterAll(() => emulator.close());

  it("GIVEN Bolt over HTTP THEN a signed command is acked 200 and answered on response_url, a forged one gets 401", async () => {
    app = new App({
      token: emulator.tokens.bot,
      signingSecret,
      clientOptions: { slackApiUrl: emulator.apiUrl },
      ...quiet,
    });
    app.command("/deal", async ({ ack, command, respond, client }) => {
      await ack();
      await respond({ text: `echo ${command.text}` });
      await client.chat.postMessage({ channel: command.channel_id, text: `logged ${command.text}` });
    });
    const server = await app.start({ port: 0, host: "127.0.0.1" });
    const appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
    const cmd = {
      command: "/deal",
      text: "log 12k Acme",
      teamId: emulator.workspace.teamId,
      userId: "U0ALICE",
    };

    const accepted = await emulator.sendCommand(appUrl, cmd);
    expect(accepted.status).toBe(200);
    expect(await emulator.waitForResponse(accepted.responseUrlId as string)).toEqual({
      text: "echo log 12k Acme",
    });
    await emulator.waitForCall("chat.postMessage", (c) => c.params.text === "logged log 12k Acme");
    expect(emulator.callsTo("auth.test")).toHaveLength(1);

    for (const signature of ["forged", "stale", "missing"] as const) {
      expect((await emulator.sendCommand(appUrl, cmd, { signature })).status).toBe(401);
    }
  });

  it("GIVEN Bolt over HTTP THEN signed events and interactions reach their listeners", async () => {
    app = new App({
      token: emulator.tokens.bot,
      signingSecret,
      clientOptions: { slackApiUrl: emulator.apiUrl },
      ...quiet,
    });
    app.event("app_mention", async ({ event, say }) => {
      await say(`hi <@${event.user}>`);
    });
    app.action("won", async ({ ack, respond }) => {
      await ack();
      await respond({ replace_original: true, text: "Won!" });
    });
    const server = await app.start({ port: 0, host: "127.0.0.1" });
    const appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;

    const event = {
      type: "app_mention",
      user: "U0ALICE",
      text: "<@U0CLOSERBOT> kpi",
      channel: "C0SALES",
      ts: "1.000001",
    };
    expect((await emulator.sendEvent(appUrl, { event })).status).toBe(200);
    await emulator.waitForCall("chat.postMessage", (c) => c.params.text === "hi <@U0ALICE>");

    const clicked = await emulator.sendInteraction(appUrl, {
      type: "block_actions",
      user: { id: "U0ALICE" },
      team: { id: emulator.workspace.teamId },
      channel: { id: "C0SALES" },
      container: { type: "message", channel_id: "C0SALES", message_ts: "1.000001" },
      actions: [{ type: "button", action_id: "won", block_id: "b", value: "7", action_ts: "2.000001" }],
    });
    expect(clicked.status).toBe(200);
    expect(await emulator.waitForResponse(clicked.responseUrlId as string)).toMatchObject({ text: "Won!" });
  });

  it("GIVEN Bolt in Socket Mode THEN it connects through apps.connections.open and acks a command", async () => {
    app = new App({
      token: emulator.tokens.bot,
      appToken: emulator.tokens.app,
      socketMode: true,
      clientOptions: { slackApiUrl: emulator.apiUrl },
      ...quiet,
    });
    app.command("/deal", async ({ ack, command, respond }) => {
      await ack({ text: "on it" });
      await respond({ text: `done: ${command.text}` });
    });
    await app.start();
    await emulator.socketConnected();
    const payload = emulator.commandPayload({
      command: "/deal",
      text: "won #7",
      teamId: emulator.workspace.teamId,
      userId: "U0ALICE",
    });
    const ack = await emulator.sendSocketEnvelope("slash_commands", payload);
    expect(ack.payload).toEqual({ text: "on it" });
    expect(await emulator.waitForResponse(payload.response_url as string)).toEqual({ text: "done: won #7" });
  });
});
