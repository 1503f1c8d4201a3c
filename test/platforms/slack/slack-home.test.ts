import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../src/db/client.js";
import { type SlackEmulator, startSlackEmulator } from "../../emulators/slack/slack-emulator.js";
import { openTestDatabase } from "../../support/db.js";
import { SIGNING_SECRET, startSlackPlatform, textOf } from "./support.js";

const NORA = "U0NORA";

let emu: SlackEmulator;
let db: Database;
let slack: Awaited<ReturnType<typeof startSlackPlatform>>;

beforeAll(async () => {
  emu = await startSlackEmulator({ signingSecret: SIGNING_SECRET, teamId: "T0HOME" });
  emu.addUser({ id: NORA, teamId: "T0HOME", name: "nora", tz: "Europe/Paris", locale: "en-US" });
  db = await openTestDatabase();
  slack = await startSlackPlatform(db, emu);
});
afterAll(async () => {
  await slack.platform.stop();
  await emu.close();
  await db.close();
});

describe("the Slack App Home", () => {
  it("GIVEN a rep whose oldest open deal has 120 newer, closed deals after it THEN the Home tab still lists it, and every open deal by stage", async () => {
    const first = await emu.sendCommand(slack.appUrl, {
      command: "/deal",
      text: "log 4k Oldest Corp stage:qualified",
      teamId: "T0HOME",
      userId: NORA,
    });
    expect(textOf(first.json)).toContain("Deal #1 logged");
    const ws = await slack.sales.workspaces.ensureWorkspace({
      platform: "slack",
      externalId: "T0HOME",
      name: "T0HOME",
    });
    const nora = await slack.sales.members.findMember(ws, NORA);
    if (!nora) throw new Error("nora was not created by her command");
    for (let n = 0; n < 120; n++)
      await slack.sales.deals.logDeal(ws, nora, { amount: 100_000n, customer: `Closed ${n}`, stage: "won" });
    await slack.sales.deals.logDeal(ws, nora, {
      amount: 900_000n,
      customer: "Newest Corp",
      stage: "proposal",
    });

    await emu.sendEvent(slack.appUrl, {
      team_id: "T0HOME",
      event_id: "Ev0HOMEALL",
      event: { type: "app_home_opened", user: NORA, channel: "D0NORA", tab: "home", event_ts: "2.1" },
    });
    const published = await emu.waitForCall("views.publish", (c) => c.params.user_id === NORA);
    const home = JSON.stringify(published.params.view);
    expect(home).toContain("#1 Oldest Corp");
    expect(home).toContain("#122 Newest Corp");
    expect(home).not.toContain("Closed 0");
    expect(home.indexOf("_qualified_")).toBeLessThan(home.indexOf("_proposal_"));
  });
});
