import { LogLevel } from "@slack/bolt";
import { type WebAPIPlatformError, WebClient } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReplyFile } from "../../../src/messages/reply.js";
import { sendFileByDm } from "../../../src/platforms/slack/send-file-by-dm.js";
import { type SlackEmulator, startSlackEmulator } from "../../emulators/slack/slack-emulator.js";

const silentLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  setLevel() {},
  getLevel: () => LogLevel.ERROR,
  setName() {},
};
const clientOf = (emulator: SlackEmulator) =>
  new WebClient(emulator.tokens.bot, {
    slackApiUrl: emulator.apiUrl,
    logger: silentLogger,
    retryConfig: { retries: 0 },
  });

async function slackError(call: Promise<unknown>): Promise<string | undefined> {
  try {
    await call;
    return undefined;
  } catch (error) {
    return (error as WebAPIPlatformError).data?.error;
  }
}

const csv: ReplyFile = {
  name: "closer-deals-2026-11.csv",
  type: "text/csv; charset=utf-8",
  content: Buffer.from("\ufeffnumber,customer,amount,currency\n1,Crème & Co,12000.50,EUR\n", "utf8"),
};

describe("sendFileByDm on Slack", () => {
  let emulator: SlackEmulator;
  beforeAll(async () => {
    emulator = await startSlackEmulator({ signingSecret: "s" });
    emulator.addUser({ id: "U0ANN", teamId: emulator.workspace.teamId, name: "ann" });
  });
  afterAll(() => emulator?.close());

  it("GIVEN a file THEN the user's DM with the app receives it, its name and exact bytes, with the comment", async () => {
    const client = clientOf(emulator);
    await sendFileByDm(client, "U0ANN", csv, "Deals of November 2026");
    const dm = (await client.conversations.open({ users: "U0ANN" })).channel?.id;
    const file = emulator.files.at(-1);
    expect(file).toMatchObject({ name: csv.name, title: csv.name, channel: dm, completed: true });
    expect(file?.content?.equals(csv.content)).toBe(true);
    const shared = emulator.messages.filter((m) => m.files?.some((f) => f.id === file?.id));
    expect(shared.map((m) => [m.channel, m.text])).toEqual([[dm, "Deals of November 2026"]]);
  });

  it("GIVEN binary content THEN every byte arrives as sent", async () => {
    const bytes = Buffer.from(Array.from({ length: 512 }, (_, i) => i % 256));
    await sendFileByDm(
      clientOf(emulator),
      "U0ANN",
      { name: "all.bin", type: "application/octet-stream", content: bytes },
      "",
    );
    expect(emulator.files.at(-1)?.content?.equals(bytes)).toBe(true);
  });

  it("GIVEN an app without files:write THEN it throws Slack's missing_scope and nothing is shared", async () => {
    const denied = await startSlackEmulator({
      signingSecret: "s",
      scopes: ["commands", "chat:write", "im:write"],
    });
    try {
      denied.addUser({ id: "U0BOB", teamId: denied.workspace.teamId, name: "bob" });
      expect(await slackError(sendFileByDm(clientOf(denied), "U0BOB", csv, "x"))).toBe("missing_scope");
      expect(denied.files).toEqual([]);
      expect(denied.messages).toEqual([]);
    } finally {
      await denied.close();
    }
  });

  it("GIVEN something that is not a user THEN conversations.open refuses and no upload starts", async () => {
    const before = emulator.callsTo("files.getUploadURLExternal").length;
    expect(await slackError(sendFileByDm(clientOf(emulator), "C0SALES", csv, "x"))).toBe("user_not_found");
    expect(emulator.callsTo("files.getUploadURLExternal")).toHaveLength(before);
  });
});
