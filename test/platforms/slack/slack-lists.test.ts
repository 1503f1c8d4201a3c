import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../src/db/client.js";
import { type SlackEmulator, startSlackEmulator } from "../../emulators/slack/slack-emulator.js";
import { openTestDatabase } from "../../support/db.js";
import { answerText, SIGNING_SECRET, startSlackPlatform } from "./support.js";

let emu: SlackEmulator;
let db: Database;
let slack: Awaited<ReturnType<typeof startSlackPlatform>>;
const ALICE = "U0ALICE";

beforeAll(async () => {
  emu = await startSlackEmulator({ signingSecret: SIGNING_SECRET });
  emu.addUser({
    id: ALICE,
    teamId: emu.workspace.teamId,
    name: "alice",
    tz: "UTC",
    locale: "fr-FR",
    isAdmin: true,
  });
  db = await openTestDatabase();
  slack = await startSlackPlatform(db, emu);
});
afterAll(async () => {
  await slack.platform.stop();
  await emu.close();
  await db.close();
});

const command = async (name: string, text: string) =>
  answerText(
    emu,
    await emu.sendCommand(slack.appUrl, {
      command: name,
      text,
      teamId: emu.workspace.teamId,
      userId: ALICE,
      channelId: "C0SALES",
    }),
  );

describe("Slack lists cut short", () => {
  it("GIVEN 22 deals THEN /deal list shows 20 and says « … et 2 autres », and /remind list, under its limit, says nothing more", async () => {
    await command("/deal", "log 1k Client 1");
    const { workspace: ws, member: alice } = await slack.sales.identify(
      { platform: "slack", externalId: emu.workspace.teamId, name: "x" },
      { platformUserId: ALICE, displayName: "alice" },
    );
    for (let i = 2; i <= 22; i++)
      await slack.sales.deals.logDeal(ws, alice, { amount: 100_000n, customer: `Client ${i}` });
    const list = await command("/deal", "list");
    expect(list.split("\n").filter((l) => l.includes("Client "))).toHaveLength(20);
    expect(list).toContain("… et 2 autres");
    expect(list).not.toContain("Client 2 ");
    const reminders = await command("/remind", "list");
    expect(reminders).not.toContain("autre");
  });
});
