import { readFileSync } from "node:fs";
import { verifySlackRequest } from "@slack/bolt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../src/db/client.js";
import { type SlackEmulator, startSlackEmulator } from "../../emulators/slack/slack-emulator.js";
import { openTestDatabase } from "../../support/db.js";
import { SIGNING_SECRET, startSlackPlatform, textOf } from "./support.js";

let emu: SlackEmulator;
let db: Database;
let slack: Awaited<ReturnType<typeof startSlackPlatform>>;
let team: string;

const ALICE = "U0ALICE";
const BOB = "U0BOB";

beforeAll(async () => {
  emu = await startSlackEmulator({ signingSecret: SIGNING_SECRET });
  team = emu.workspace.teamId;
  emu.addUser({
    id: ALICE,
    teamId: team,
    name: "alice",
    realName: "Alice Martin",
    tz: "Europe/Paris",
    locale: "en-US",
    isAdmin: true,
  });
  emu.addUser({ id: BOB, teamId: team, name: "bob", tz: "Europe/Paris", locale: "fr-FR" });
  db = await openTestDatabase();
  slack = await startSlackPlatform(db, emu);
});
afterAll(async () => {
  await slack.platform.stop();
  await emu.close();
  await db.close();
});

const command = (text: string, userId = ALICE, extra: { triggerId?: string; channelId?: string } = {}) => {
  const [name, ...rest] = text.split(" ");
  return emu.sendCommand(slack.appUrl, {
    command: name ?? "",
    text: rest.join(" "),
    teamId: team,
    userId,
    channelId: "C0SALES",
    ...extra,
  });
};
const deals = () => db.prisma.deal.count();

describe("Slack over HTTP", () => {
  it("GIVEN the first command of a team THEN its workspace takes the user's time zone and the admin is a Closer admin", async () => {
    const res = await command("/deal log 12k Acme stage:proposal");
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ response_type: "in_channel" });
    expect(textOf(res.json)).toContain("Deal #1 logged");
    expect(textOf(res.json)).toContain("#1 Acme · €12,000 · proposal (50%) · alice");
    const ws = await db.prisma.workspace.findFirstOrThrow({ where: { platform: "slack", externalId: team } });
    expect(ws.timezone).toBe("Europe/Paris");
    const alice = await db.prisma.member.findFirstOrThrow({
      where: { workspaceId: ws.id, platformUserId: ALICE },
    });
    expect(alice).toMatchObject({ displayName: "alice", role: "admin" });
  });

  it("GIVEN a deal reply THEN it is Block Kit with buttons and a plain-text fallback", async () => {
    const res = await command("/deal show #1");
    const body = res.json as {
      text: string;
      blocks: { type: string; elements?: { action_id: string; value?: string }[] }[];
    };
    expect(body.text).toContain("Deal #1 · Acme");
    const actions = body.blocks.find((b) => b.type === "actions");
    expect(actions?.elements?.map((e) => e.action_id)).toEqual([
      "deal.won",
      "deal.lost",
      "deal.stage",
      "deal.edit",
    ]);
    expect(actions?.elements?.[0]?.value).toBe("/deal won #1");
  });

  it.each([
    ["/goal set 20k company month", "Goal set for company"],
    ["/goal", "Goals: alice"],
    ["/kpi month", "KPIs · This month · company"],
    ["/leaderboard quarter", "Leaderboard · This quarter"],
    ["/forecast quarter", "Forecast · This quarter · company"],
    ["/customer acme", "Acme · prospect"],
    ["/customer list prospects", "Prospects"],
    ["/remind #1 tomorrow call the CFO", "Reminder set"],
    ["/closer config show", "Settings"],
    ["/closer help", "Closer commands"],
  ])("GIVEN %s THEN it answers in the acknowledgement", async (line, expected) => {
    const res = await command(line);
    expect(res.status).toBe(200);
    expect(textOf(res.json)).toContain(expected);
    expect(textOf(res.json)).not.toContain("⚠️");
  });

  it("GIVEN a rep's command THEN their personal answers are ephemeral and refusals say why", async () => {
    const refused = await command("/deal won #1", BOB);
    expect(refused.json).toMatchObject({ response_type: "ephemeral" });
    expect(textOf(refused.json)).toContain("Only alice, their manager or an admin can change this deal.");
  });

  it("GIVEN a French-speaking user in a workspace created in English THEN the workspace's language is used", async () => {
    const res = await command("/kpi", BOB);
    expect(textOf(res.json)).toContain("KPIs · This month · company");
  });

  it("GIVEN a customer called <!channel> or <@U0BOB> THEN the reply pings nobody", async () => {
    const res = await command("/deal log 1k <!channel> & <@U0BOB|bob> Corp");
    const body = JSON.stringify(res.json);
    expect(body).not.toContain("<!channel>");
    expect(body).not.toContain("<@U0BOB");
    expect(textOf(res.json)).toContain("&lt;!channel&gt; &amp;");
  });

  it("GIVEN the same command delivered three times (Slack retries) THEN one deal is logged", async () => {
    const before = await deals();
    const triggerId = "trigger-retried-1";
    const first = await command("/deal log 5k Retry Corp", ALICE, { triggerId });
    const second = await emu.sendCommand(
      slack.appUrl,
      { command: "/deal", text: "log 5k Retry Corp", teamId: team, userId: ALICE, triggerId },
      { retryNum: 1, retryReason: "http_timeout" },
    );
    const third = await emu.sendCommand(
      slack.appUrl,
      { command: "/deal", text: "log 5k Retry Corp", teamId: team, userId: ALICE, triggerId },
      { retryNum: 2, retryReason: "http_timeout" },
    );
    expect([first.status, second.status, third.status]).toEqual([200, 200, 200]);
    expect(textOf(first.json)).toContain("logged");
    expect(await deals()).toBe(before + 1);
  });

  it.each(["forged", "missing", "stale"] as const)(
    "GIVEN a %s signature THEN 401 and nothing is written",
    async (signature) => {
      const before = await deals();
      const res = await emu.sendCommand(
        slack.appUrl,
        { command: "/deal", text: "log 99k Forged Corp", teamId: team, userId: ALICE },
        { signature },
      );
      expect(res.status).toBe(401);
      expect(await deals()).toBe(before);
    },
  );

  it("GIVEN Slack's published example THEN Bolt's verifier accepts it and refuses a changed body", () => {
    const body = readFileSync(new URL("../../fixtures/slack-signature-vector.txt", import.meta.url), "utf8");
    const headers = {
      "x-slack-signature": "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
      "x-slack-request-timestamp": 1531420618,
    };
    const options = {
      signingSecret: "8f742231b10e8888abcd99yyyzzz85a5",
      headers,
      nowMilliseconds: 1531420618 * 1000,
    };
    expect(() => verifySlackRequest({ ...options, body })).not.toThrow();
    expect(() => verifySlackRequest({ ...options, body: `${body}x` })).toThrow();
  });

  it("GIVEN /deal alone THEN a modal opens; bad fields come back on their inputs; a good one logs and posts", async () => {
    const res = await command("/deal", ALICE, { channelId: "C0SALES" });
    expect(res.status).toBe(200);
    const opened = await emu.waitForCall("views.open");
    const view = opened.params.view as {
      callback_id: string;
      private_metadata: string;
      blocks: { block_id: string }[];
    };
    expect(view.callback_id).toBe("deal_log");
    expect(view.blocks.map((b) => b.block_id)).toEqual(["amount", "customer", "stage", "source", "close"]);

    const submit = (values: Record<string, unknown>) =>
      emu.sendInteraction(slack.appUrl, {
        type: "view_submission",
        team: { id: team },
        user: { id: ALICE, team_id: team },
        view: {
          id: "V0MODAL",
          callback_id: "deal_log",
          private_metadata: view.private_metadata,
          state: { values },
        },
      });
    const field = (value: string) => ({ value: { type: "plain_text_input", value } });
    const before = await deals();
    const bad = await submit({
      amount: field("-3"),
      customer: field(""),
      stage: { value: { type: "static_select", selected_option: { value: "proposal" } } },
    });
    expect(bad.json).toEqual({
      response_action: "errors",
      errors: {
        amount: "The amount must be above zero, for example 12k.",
        customer: "The customer's name is missing, for example: /deal log 12k Acme.",
      },
    });
    expect(await deals()).toBe(before);

    const good = await submit({
      amount: field("8 500"),
      customer: field("Modal Corp"),
      stage: { value: { type: "static_select", selected_option: { value: "proposal" } } },
      source: field("event"),
      close: { value: { type: "datepicker", selected_date: "2026-12-15" } },
    });
    expect(good.status).toBe(200);
    const posted = await emu.waitForCall("chat.postMessage", (c) =>
      String(c.params.text).includes("Modal Corp"),
    );
    expect(posted.params.channel).toBe("C0SALES");
    expect(String(posted.params.text)).toMatch(/Deal #\d+ logged/);
    const deal = await db.prisma.deal.findFirstOrThrow({ where: { customer: { name: "Modal Corp" } } });
    expect(deal).toMatchObject({ amount: 850_000n, stage: "proposal", leadSource: "event" });
    expect(deal.expectedCloseDate?.toISOString()).toBe("2026-12-15T00:00:00.000Z");
  });

  it("GIVEN the Won button THEN the deal is won under the clicking user's permissions", async () => {
    const click = (userId: string, value: string, actionId = "deal.won") =>
      emu.sendInteraction(slack.appUrl, {
        type: "block_actions",
        team: { id: team },
        user: { id: userId, team_id: team },
        channel: { id: "C0SALES" },
        container: { type: "message", channel_id: "C0SALES" },
        actions: [{ type: "button", action_id: actionId, value, action_ts: `${Date.now()}.${userId}` }],
      });
    const refused = await click(BOB, "/deal won #1");
    const refusal = await emu.waitForResponse(refused.responseUrlId ?? "");
    expect(textOf(refusal)).toContain("Only alice, their manager or an admin");
    expect((await db.prisma.deal.findFirstOrThrow({ where: { number: 1 } })).stage).toBe("proposal");

    const won = await click(ALICE, "/deal won #1");
    const answer = await emu.waitForResponse(won.responseUrlId ?? "");
    expect(textOf(answer)).toContain("🎉 Deal #1 won by alice");
    expect(answer).toMatchObject({ replace_original: false, response_type: "in_channel" });
  });

  it("GIVEN a lost reason picked in the select THEN the deal is lost with that reason", async () => {
    const logged = await command("/deal log 2k Picky Corp");
    const number = /Deal #(\d+) logged/.exec(textOf(logged.json))?.[1];
    const res = await emu.sendInteraction(slack.appUrl, {
      type: "block_actions",
      team: { id: team },
      user: { id: ALICE, team_id: team },
      container: { type: "message", channel_id: "C0SALES" },
      actions: [
        {
          type: "static_select",
          action_id: "deal.lost",
          selected_option: { value: `/deal lost #${number} reason:competitor` },
          action_ts: "1.2",
        },
      ],
    });
    expect(textOf(await emu.waitForResponse(res.responseUrlId ?? ""))).toContain(
      `Deal #${number} lost (competitor)`,
    );
  });

  it("GIVEN the App Home opened THEN the member's dashboard is published", async () => {
    const res = await emu.sendEvent(slack.appUrl, {
      team_id: team,
      event_id: "Ev0HOME1",
      event: { type: "app_home_opened", user: ALICE, channel: "D0ALICE", tab: "home", event_ts: "1.1" },
    });
    expect(res.status).toBe(200);
    const published = await emu.waitForCall("views.publish", (c) => c.params.user_id === ALICE);
    const home = JSON.stringify(published.params.view);
    expect(home).toContain("alice's pipeline");
    expect(home).toContain("Open deals");
    expect(home).toContain("Modal Corp");
    expect(home).toContain("This month you are #1");
  });

  it("GIVEN Slack answers 429 with Retry-After THEN the post is retried after it and delivered once", async () => {
    emu.failNext("chat.postMessage", { status: 429, retryAfter: 1 });
    const before = emu.callsTo("chat.postMessage").length;
    await command("/deal", ALICE, { channelId: "C0RETRY" });
    const opened = await emu.waitForCall("views.open", (c) =>
      String((c.params.view as { private_metadata: string }).private_metadata).includes("C0RETRY"),
    );
    const view = opened.params.view as { private_metadata: string };
    await emu.sendInteraction(slack.appUrl, {
      type: "view_submission",
      team: { id: team },
      user: { id: ALICE, team_id: team },
      view: {
        id: "V0RETRY",
        callback_id: "deal_log",
        private_metadata: view.private_metadata,
        state: {
          values: {
            amount: { value: { type: "plain_text_input", value: "3k" } },
            customer: { value: { type: "plain_text_input", value: "Throttled Corp" } },
          },
        },
      },
    });
    const delivered = await emu.waitForCall(
      "chat.postMessage",
      (c) => c.params.channel === "C0RETRY" && emu.callsTo("chat.postMessage").length >= before + 2,
      10_000,
    );
    const attempts = emu.callsTo("chat.postMessage").filter((c) => c.params.channel === "C0RETRY");
    expect(attempts).toHaveLength(2);
    expect(attempts[1]?.at ?? 0).toBeGreaterThanOrEqual((attempts[0]?.at ?? 0) + 1000);
    expect(String(delivered.params.text)).toContain("Throttled Corp");
  });

  it("GIVEN an answer slower than the acknowledgement budget THEN Slack gets an empty ack and the answer at response_url", async () => {
    const slow = await startSlackPlatform(db, emu, {}, { ackBudgetMs: 0 });
    try {
      const res = await emu.sendCommand(slow.appUrl, {
        command: "/kpi",
        text: "month",
        teamId: team,
        userId: ALICE,
      });
      expect(res.status).toBe(200);
      expect(res.body).toBe("");
      const answer = await emu.waitForResponse(res.responseUrlId ?? "");
      expect(textOf(answer)).toContain("KPIs · This month · company");
    } finally {
      await slow.platform.stop();
    }
  });

  it("GIVEN a mistyped option, a quote left open or a second mention THEN refused in place, nothing written", async () => {
    const before = await deals();
    for (const [text, expected] of [
      [
        "/deal log 5k Typo Corp stge:proposal",
        "“stge:proposal” is not an option of this command: did you mean stage:?",
      ],
      ['/deal log 5k Typo Corp title:"open', 'A quote is not closed in “title:"open”'],
      ["/deal log 5k Typo Corp stage:lead stage:proposal", "The option stage: is given twice; keep one."],
      [`/deal assign #1 <@${ALICE}> <@${BOB}>`, "is not understood here"],
    ]) {
      const res = await command(text ?? "");
      expect(res.json).toMatchObject({ response_type: "ephemeral" });
      expect(textOf(res.json)).toContain(expected);
    }
    expect(await deals()).toBe(before);
    expect(await db.prisma.customer.count({ where: { name: { startsWith: "Typo" } } })).toBe(0);
  });

  it("GIVEN GET /healthz THEN 200 while the database answers", async () => {
    const res = await fetch(`${slack.base}/healthz`);
    expect(res.status).toBe(200);
  });
});
