import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../src/db/client.js";
import { type SlackEmulator, startSlackEmulator } from "../../emulators/slack/slack-emulator.js";
import { openTestDatabase } from "../../support/db.js";
import { answerText, SIGNING_SECRET, startSlackPlatform, textOf } from "./support.js";

let emu: SlackEmulator;
let db: Database;
let slack: Awaited<ReturnType<typeof startSlackPlatform>>;
let team: string;

beforeAll(async () => {
  emu = await startSlackEmulator({ signingSecret: SIGNING_SECRET });
  team = emu.workspace.teamId;
  emu.addUser({ id: "U0ALICE", teamId: team, name: "alice", tz: "Europe/Paris", locale: "en-US" });
  db = await openTestDatabase();
  slack = await startSlackPlatform(db, emu);
});
afterAll(async () => {
  await slack.platform.stop();
  await emu.close();
  await db.close();
});

const command = (line: string) => {
  const [name, ...rest] = line.split(" ");
  return emu.sendCommand(slack.appUrl, {
    command: name ?? "",
    text: rest.join(" "),
    teamId: team,
    userId: "U0ALICE",
    channelId: "C0SALES",
  });
};

type Block = { type: string; slack_file?: { id: string }; alt_text?: string };

describe("Slack: /kpi chart", () => {
  it("GIVEN wins and a goal THEN the answer comes by response_url with both charts uploaded privately and shown in image blocks", async () => {
    for (const line of [
      "/deal log 12k Acme",
      "/deal won #1",
      "/deal log 5k Globex stage:proposal",
      "/goal set 40k company month",
    ])
      await answerText(emu, await command(line));

    const res = await command("/kpi chart");
    // The acknowledgement is empty: drawing and uploading take longer than it may wait.
    expect(textOf(res.json)).toBe("");
    // The first chart of a process loads ECharts and resvg: seconds on a busy machine.
    const answer = await emu.waitForResponse(res.responseUrlId ?? "", 30_000);
    expect(textOf(answer)).toContain("Won: €12,000 · deals: 1");
    expect(answer.response_type).toBe("ephemeral");
    const images = (answer.blocks as Block[]).filter((b) => b.type === "image");
    expect(images.map((b) => b.alt_text)).toEqual([
      "Won against goal · This month · company",
      "Open pipeline by stage · company",
    ]);
    expect(emu.files.map((f) => [f.name, f.completed, f.channel, f.shownIn])).toEqual([
      ["chart.png", true, undefined, 1],
      ["chart-2.png", true, undefined, 1],
    ]);
    expect(images.map((b) => b.slack_file?.id)).toEqual(emu.files.map((f) => f.id));
    // Nothing was posted to the channel: the answer is the user's alone.
    expect(emu.messages.filter((m) => m.files?.length)).toEqual([]);
  }, 90_000);

  it("GIVEN /kpi without chart THEN nothing is drawn or uploaded", async () => {
    const before = emu.files.length;
    expect(await answerText(emu, await command("/kpi month"))).toContain("Won: €12,000");
    expect(emu.files).toHaveLength(before);
  });
});
