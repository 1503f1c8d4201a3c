import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../src/db/client.js";
import { type SlackEmulator, startSlackEmulator } from "../../emulators/slack/slack-emulator.js";
import { openTestDatabase } from "../../support/db.js";
import { SIGNING_SECRET, startSlackPlatform, textOf } from "./support.js";

let db: Database;

beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(() => db.close());

describe("Slack over Socket Mode", () => {
  let emu: SlackEmulator;
  let slack: Awaited<ReturnType<typeof startSlackPlatform>>;

  beforeAll(async () => {
    emu = await startSlackEmulator({ signingSecret: SIGNING_SECRET, teamId: "T0SOCKET" });
    emu.addUser({ id: "U0SOCK", teamId: "T0SOCKET", name: "sam", tz: "America/New_York" });
    slack = await startSlackPlatform(db, emu, { appToken: emu.tokens.app, signingSecret: undefined });
    await emu.socketConnected();
  });
  afterAll(async () => {
    await slack.platform.stop();
    await emu.close();
  });

  it("GIVEN a slash command envelope THEN the ack carries the reply", async () => {
    const ack = await emu.sendSocketEnvelope(
      "slash_commands",
      emu.commandPayload({
        command: "/deal",
        text: "log 7k Socket Corp",
        teamId: "T0SOCKET",
        userId: "U0SOCK",
      }),
    );
    expect(textOf(ack.payload)).toContain("Deal #1 logged");
  });

  it.each([
    ["/deal", "show #1", "Deal #1 · Socket Corp"],
    ["/goal", "set 20k company", "Goal set for company"],
    ["/kpi", "month", "KPIs · This month · company"],
    ["/leaderboard", "", "Leaderboard · This month"],
    ["/forecast", "quarter", "Forecast · This quarter"],
    ["/customer", "socket corp", "Socket Corp · prospect"],
    ["/remind", "#1 +2d send the quote", "Reminder set"],
    ["/closer", "help", "Closer commands"],
  ])("GIVEN %s %s over the socket THEN the ack answers it", async (command, text, expected) => {
    const ack = await emu.sendSocketEnvelope(
      "slash_commands",
      emu.commandPayload({ command, text, teamId: "T0SOCKET", userId: "U0SOCK" }),
    );
    expect(textOf(ack.payload)).toContain(expected);
  });

  it("GIVEN the same envelope redelivered THEN nothing is logged twice", async () => {
    const payload = emu.commandPayload({
      command: "/deal",
      text: "log 1k Twice Corp",
      teamId: "T0SOCKET",
      userId: "U0SOCK",
      triggerId: "trig-twice",
    });
    await emu.sendSocketEnvelope("slash_commands", payload, { envelopeId: "env-1" });
    await emu.sendSocketEnvelope("slash_commands", payload, {
      envelopeId: "env-1",
      retryAttempt: 1,
      retryReason: "timeout",
    });
    expect(await db.prisma.deal.count({ where: { customer: { name: "Twice Corp" } } })).toBe(1);
  });

  it("GIVEN an App Home event over the socket THEN the home is published", async () => {
    await emu.sendSocketEnvelope("events_api", {
      team_id: "T0SOCKET",
      event_id: "Ev0SOCKHOME",
      event: { type: "app_home_opened", user: "U0SOCK", channel: "D0SAM", tab: "home", event_ts: "2.2" },
    });
    const published = await emu.waitForCall("views.publish", (c) => c.params.user_id === "U0SOCK");
    expect(JSON.stringify(published.params.view)).toContain("Socket Corp");
  });
});

describe("Slack OAuth installation (multi-workspace)", () => {
  let emu: SlackEmulator;
  let slack: Awaited<ReturnType<typeof startSlackPlatform>>;

  beforeAll(async () => {
    emu = await startSlackEmulator({
      signingSecret: SIGNING_SECRET,
      clientId: "cid",
      clientSecret: "csecret",
    });
    slack = await startSlackPlatform(db, emu, {
      botToken: undefined,
      oauth: { clientId: "cid", clientSecret: "csecret", stateSecret: "state-secret-for-tests" },
    });
  });
  afterAll(async () => {
    await slack.platform.stop();
    await emu.close();
  });

  /** Install as a user would: open /slack/install, follow Slack's redirect back with a code. */
  async function install(teamId: string, userId: string, botToken: string) {
    const page = await fetch(`${slack.base}/slack/install`, { redirect: "manual" });
    const html = await page.text();
    const cookie = page.headers.get("set-cookie")?.split(";")[0] ?? "";
    const location = page.headers.get("location") ?? html;
    const state = /state=([^&"']+)/.exec(location)?.[1];
    expect(state).toBeTruthy();
    const code = `code-${teamId}`;
    emu.registerOAuthCode(code, {
      teamId,
      teamName: `Team ${teamId}`,
      botToken,
      botUserId: `UB${teamId}`,
      userId,
    });
    const back = await fetch(`${slack.base}/slack/oauth_redirect?code=${code}&state=${state}`, {
      headers: { cookie },
    });
    expect(back.status).toBe(200);
    await emu.waitForCall("oauth.v2.access", (c) => c.params.code === code);
  }

  it("GIVEN an install and a redirect with its code THEN the installation is stored and the team's commands work", async () => {
    await install("T0NORTH", "U0NINA", "xoxb-north");
    emu.addUser({
      id: "U0NINA",
      teamId: "T0NORTH",
      name: "nina",
      tz: "Europe/Paris",
      locale: "fr-FR",
      isOwner: true,
    });
    const stored = await db.prisma.installation.findUniqueOrThrow({ where: { installKey: "T:T0NORTH" } });
    expect(stored.teamId).toBe("T0NORTH");
    const res = await emu.sendCommand(slack.appUrl, {
      command: "/deal",
      text: "log 12 000 Acme",
      teamId: "T0NORTH",
      userId: "U0NINA",
    });
    expect(textOf(res.json)).toContain("Affaire n° 1 enregistrée");
    expect(textOf(res.json)).toContain("12\u202f000\u00a0€");
    expect(emu.callsTo("users.info").some((c) => c.token === "xoxb-north")).toBe(true);
  });

  it("GIVEN two installed teams with the same customer and deal numbers THEN neither sees the other's", async () => {
    await install("T0SOUTH", "U0SOL", "xoxb-south");
    emu.addUser({ id: "U0SOL", teamId: "T0SOUTH", name: "sol", tz: "UTC", locale: "en-US" });
    const south = (text: string) =>
      emu.sendCommand(slack.appUrl, { command: "/deal", text, teamId: "T0SOUTH", userId: "U0SOL" });
    expect(textOf((await south("log 50k Acme")).json)).toContain("Deal #1 logged");
    const shown = textOf((await south("show #1")).json);
    expect(shown).toContain("€50,000.00");
    expect(shown).not.toContain("12");
    const north = await emu.sendCommand(slack.appUrl, {
      command: "/deal",
      text: "show #1",
      teamId: "T0NORTH",
      userId: "U0NINA",
    });
    expect(textOf(north.json)).toContain("12\u202f000,00\u00a0€");
    expect(textOf(north.json)).not.toContain("50");
  });
});
