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
  emu.addUser({ id: ALICE, teamId: team, name: "alice", tz: "Europe/Paris", locale: "en-US", isAdmin: true });
  emu.addUser({ id: BOB, teamId: team, name: "bob", tz: "Europe/Paris", locale: "en-US" });
  db = await openTestDatabase();
  slack = await startSlackPlatform(db, emu);
});
afterAll(async () => {
  await slack.platform.stop();
  await emu.close();
  await db.close();
});

const command = (text: string, userId = ALICE) => {
  const [name, ...rest] = text.split(" ");
  return emu.sendCommand(slack.appUrl, {
    command: name ?? "",
    text: rest.join(" "),
    teamId: team,
    userId,
    channelId: "C0SALES",
  });
};

type Blocks = {
  text: string;
  blocks: { type: string; elements?: { action_id: string; value?: string; text?: { text: string } }[] }[];
};

const click = (userId: string, actionId: string, value: string) =>
  emu.sendInteraction(slack.appUrl, {
    type: "block_actions",
    team: { id: team },
    user: { id: userId, team_id: team },
    channel: { id: "C0SALES" },
    container: { type: "message", channel_id: "C0SALES" },
    actions: [{ type: "button", action_id: actionId, value, action_ts: `${Date.now()}.${actionId}` }],
  });

describe("Slack: customers, members and teams", () => {
  it("GIVEN a search matching several customers THEN a button each, and a click shows the chosen one", async () => {
    for (const name of ["Wayne Enterprises", "Wayne Foods", "Bruce Wayne Consulting"]) {
      expect(textOf((await command(`/deal log 5k ${name}`)).json)).toContain("logged");
    }
    const res = await command("/customer wayne");
    const body = res.json as Blocks;
    expect(body.text).toContain("3 customers match “wayne”; pick one");
    const buttons = body.blocks.find((b) => b.type === "actions")?.elements ?? [];
    expect(buttons.map((b) => [b.action_id, b.text?.text, b.value])).toEqual([
      ["choice.0", "Wayne Enterprises", "/customer Wayne Enterprises"],
      ["choice.1", "Wayne Foods", "/customer Wayne Foods"],
      ["choice.2", "Bruce Wayne Consulting", "/customer Bruce Wayne Consulting"],
    ]);
    const chosen = await click(BOB, "choice.1", "/customer Wayne Foods");
    const answer = await emu.waitForResponse(chosen.responseUrlId ?? "");
    expect(textOf(answer)).toContain("Wayne Foods · prospect");
    expect(answer).toMatchObject({ response_type: "ephemeral" });
  });

  it("GIVEN one match THEN that customer at once; GIVEN a rename and a merge THEN the team sees them", async () => {
    expect(textOf((await command("/customer foods")).json)).toContain("Wayne Foods · prospect");
    const renamed = await command('/customer rename Wayne Foods to:"Wayne Food Co"');
    expect(renamed.json).toMatchObject({ response_type: "in_channel" });
    expect(textOf(renamed.json)).toContain("Wayne Foods is now called Wayne Food Co");
    const merged = await command('/customer merge Wayne Food Co into:"Wayne Enterprises"');
    expect(textOf(merged.json)).toContain("Wayne Food Co merged into Wayne Enterprises");
    expect(textOf(merged.json)).toContain("1 deal moved");
    const refused = await command('/customer merge Wayne Enterprises into:"Bruce Wayne Consulting"', BOB);
    expect(textOf(refused.json)).toContain("Only a manager or an admin can do that.");
  });

  it("GIVEN a member removed THEN their commands are refused, and once brought back they act again", async () => {
    expect(textOf((await command("/deal log 3k Initech", BOB)).json)).toContain("logged");
    const removed = await command("/closer member remove <@U0BOB|bob>");
    expect(removed.json).toMatchObject({ response_type: "ephemeral" });
    expect(textOf(removed.json)).toContain("bob no longer takes part in Closer");
    expect(textOf(removed.json)).toMatch(
      /1 open deal to hand over with \/deal assign #n @someone:\n#\d+ Initech/,
    );
    const refused = await command("/kpi month", BOB);
    expect(textOf(refused.json)).toContain("You no longer take part in Closer");
    expect(textOf((await command("/closer member restore <@U0BOB|bob>")).json)).toContain(
      "bob takes part in Closer again",
    );
    expect(textOf((await command("/kpi month", BOB)).json)).toContain("KPIs · This month");
  });
});
