import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../src/db/client.js";
import { type SlackEmulator, startSlackEmulator } from "../../emulators/slack/slack-emulator.js";
import { holdClaims, openTestDatabase } from "../../support/db.js";
import { SIGNING_SECRET, startSlackPlatform, textOf } from "./support.js";

let emu: SlackEmulator;
let db: Database;
let slack: Awaited<ReturnType<typeof startSlackPlatform>>;
let team: string;

const ALICE = "U0ALICE";

beforeAll(async () => {
  emu = await startSlackEmulator({ signingSecret: SIGNING_SECRET });
  team = emu.workspace.teamId;
  emu.addUser({ id: ALICE, teamId: team, name: "alice", tz: "Europe/Paris", locale: "en-US" });
  db = await openTestDatabase();
  // The production budget: an answer not ready within 50 ms goes through response_url.
  slack = await startSlackPlatform(db, emu, {}, { ackBudgetMs: 50 });
});
afterAll(async () => {
  await slack.platform.stop();
  await emu.close();
  await db.close();
});

const field = (value: string) => ({ value: { type: "plain_text_input", value } });

/** The `/deal` form as Slack submits it, from the view `id`, with `customer` and a private_metadata. */
const submitForm = (
  id: string,
  customer: string,
  privateMetadata = JSON.stringify({ channelId: "C0SALES" }),
) =>
  emu.sendInteraction(slack.appUrl, {
    type: "view_submission",
    team: { id: team },
    user: { id: ALICE, team_id: team },
    view: {
      id,
      callback_id: "deal_log",
      private_metadata: privateMetadata,
      state: { values: { amount: field("4k"), customer: field(customer) } },
    },
  });

describe("Slack acknowledgements", () => {
  it("GIVEN a database that holds the request up THEN the ack comes within the budget and the answer later, once", async () => {
    const release = await holdClaims(db);
    const sent = Date.now();
    const res = await emu.sendCommand(slack.appUrl, {
      command: "/deal",
      text: "log 7k Held Corp",
      teamId: team,
      userId: ALICE,
    });
    const acked = Date.now() - sent;
    await release();
    expect(res.status).toBe(200);
    expect(res.body).toBe("");
    expect(acked).toBeLessThan(1000);
    const answer = await emu.waitForResponse(res.responseUrlId ?? "");
    expect(textOf(answer)).toMatch(/Deal #\d+ logged/);
    expect(await db.prisma.deal.count({ where: { customer: { name: "Held Corp" } } })).toBe(1);
  });

  it("GIVEN a form delivered twice THEN one deal and one post", async () => {
    const posts = () =>
      emu.callsTo("chat.postMessage").filter((c) => String(c.params.text).includes("Twice Corp")).length;
    const first = await submitForm("V0TWICE", "Twice Corp");
    await emu.waitForCall("chat.postMessage", (c) => String(c.params.text).includes("Twice Corp"));
    const second = await submitForm("V0TWICE", "Twice Corp");
    expect([first.status, second.status]).toEqual([200, 200]);
    // A later form's post shows the redelivery's would have come before it.
    await submitForm("V0AFTER", "After Corp");
    await emu.waitForCall("chat.postMessage", (c) => String(c.params.text).includes("After Corp"));
    expect(posts()).toBe(1);
    expect(await db.prisma.deal.count({ where: { customer: { name: "Twice Corp" } } })).toBe(1);
  });

  it("GIVEN a form whose hidden field is not ours THEN the deal is logged and its answer goes to the user alone", async () => {
    for (const [i, metadata] of ["{not json", JSON.stringify({ channelId: "#general" })].entries()) {
      const customer = `Hidden Field ${i}`;
      expect((await submitForm(`V0HIDDEN${i}`, customer, metadata)).status).toBe(200);
      const posted = await emu.waitForCall("chat.postMessage", (c) =>
        String(c.params.text).includes(customer),
      );
      expect(posted.params.channel).toBe(ALICE);
    }
  });

  it("GIVEN a button payload with no team THEN it is refused and creates no workspace", async () => {
    const workspaces = await db.prisma.workspace.count();
    const click = await emu.sendInteraction(slack.appUrl, {
      type: "block_actions",
      user: { id: "U0NOTEAM" },
      channel: { id: "C0SALES" },
      container: { type: "message", channel_id: "C0SALES" },
      actions: [{ type: "button", action_id: "deal.won", value: "/deal won #1", action_ts: "1.0" }],
    });
    const answer = await emu.waitForResponse(click.responseUrlId ?? "");
    expect(textOf(answer)).toContain("This workspace is not set up yet.");
    expect(await db.prisma.workspace.count()).toBe(workspaces);
    expect(await db.prisma.member.count({ where: { platformUserId: "U0NOTEAM" } })).toBe(0);
  });
});
