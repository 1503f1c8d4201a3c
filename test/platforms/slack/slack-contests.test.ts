import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../src/db/client.js";
import { type SlackEmulator, startSlackEmulator } from "../../emulators/slack/slack-emulator.js";
import { openTestDatabase } from "../../support/db.js";
import { answerText, SIGNING_SECRET, startSlackPlatform } from "./support.js";

let emu: SlackEmulator;
let db: Database;
let slack: Awaited<ReturnType<typeof startSlackPlatform>>;
const ALICE = "U0ALICE";
const BOB = "U0BOB";

beforeAll(async () => {
  emu = await startSlackEmulator({ signingSecret: SIGNING_SECRET });
  emu.addUser({
    id: ALICE,
    teamId: emu.workspace.teamId,
    name: "alice",
    tz: "UTC",
    locale: "en-US",
    isAdmin: true,
  });
  emu.addUser({ id: BOB, teamId: emu.workspace.teamId, name: "bob", tz: "UTC", locale: "en-US" });
  db = await openTestDatabase();
  slack = await startSlackPlatform(db, emu);
});
afterAll(async () => {
  await slack.platform.stop();
  await emu.close();
  await db.close();
});

const command = async (name: string, text: string, userId = ALICE) =>
  answerText(
    emu,
    await emu.sendCommand(slack.appUrl, {
      command: name,
      text,
      teamId: emu.workspace.teamId,
      userId,
      channelId: "C0SALES",
    }),
  );

describe("Slack: /contest", () => {
  it("GIVEN a contest created over Slack and a win THEN /contest show gives the standings, the time left and the prize", async () => {
    expect(
      await command(
        "/contest",
        'create “November push” metric:deals from:2026-11-18 to:2026-11-30 prize:"Lunch with the CEO"',
      ),
    ).toContain("Contest “November push” created");
    expect(await command("/deal", "log 2k Acme stage:won", BOB)).toContain("Acme");
    const shown = await command("/contest", "show november push", BOB);
    expect(shown).toContain("13 days left, ends Nov 30, 2026");
    expect(shown).toContain("1. bob · 1");
    expect(shown).toContain("Prize: Lunch with the CEO");
    expect(await command("/contest", "cancel November push", BOB)).toContain(
      "Only a manager or an admin can run a contest.",
    );
  });
});
