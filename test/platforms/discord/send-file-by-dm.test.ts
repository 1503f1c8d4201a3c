import { once } from "node:events";
import { Client, Events, GatewayIntentBits } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Reply, ReplyFile } from "../../../src/messages/reply.js";
import { isDmClosed, sendFileByDm } from "../../../src/platforms/discord/send-file-by-dm.js";
import { type DiscordEmulator, startDiscordEmulator } from "../../emulators/discord/discord-emulator.js";

const guildId = "1300000000000000001";
const annId = "1300000000000000100";
const bobId = "1300000000000000200";

const csv: ReplyFile = {
  name: "closer-deals-2026-11.csv",
  type: "text/csv; charset=utf-8",
  content: Buffer.from("\ufeffnumber,customer,amount,currency\n1,Crème & Co,12000.50,EUR\n", "utf8"),
};
const said: Reply = {
  visibility: "ephemeral",
  title: "Deals of November 2026",
  lines: ["2 deals, sent to you by direct message."],
  actions: [{ id: "again", label: "Again", command: "closer", value: "export deals" }],
};

/** Whatever the call threw, for the test to look at. */
async function thrown(call: Promise<unknown>): Promise<unknown> {
  try {
    await call;
    return undefined;
  } catch (error) {
    return error;
  }
}

describe("sendFileByDm on Discord", () => {
  let emulator: DiscordEmulator;
  let client: Client;
  beforeAll(async () => {
    emulator = await startDiscordEmulator({ heartbeatIntervalMs: 300 });
    emulator.addGuild({
      id: guildId,
      name: "Sales",
      channels: [{ id: "1300000000000000010", name: "sales" }],
    });
    emulator.addMember(guildId, { id: annId, username: "ann" });
    emulator.addMember(guildId, { id: bobId, username: "bob" });
    client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: emulator.apiUrl } });
    const ready = once(client, Events.ClientReady);
    await client.login(emulator.token);
    await ready;
  });
  afterAll(async () => {
    await client?.destroy();
    await emulator?.close();
  });

  it("GIVEN a file THEN the user's DM receives it as an attachment, its name and exact bytes, with what the reply says and no buttons", async () => {
    await sendFileByDm(client, annId, csv, said);
    const dm = emulator.dmChannelId(annId);
    const [file] = emulator.channelFiles(dm);
    expect(file?.filename).toBe(csv.name);
    expect(file?.content.equals(csv.content)).toBe(true);
    const [message] = emulator.channelMessages(dm);
    expect(message).toMatchObject({
      id: file?.messageId,
      embeds: [{ title: said.title, description: said.lines[0] }],
      components: [],
    });
  });

  it("GIVEN a user who closed their DMs THEN Discord's 50007 is thrown, known as closed DMs, and nothing arrives", async () => {
    emulator.closeDms(bobId);
    const error = await thrown(sendFileByDm(client, bobId, csv, said));
    expect(isDmClosed(error)).toBe(true);
    expect(emulator.channelFiles(emulator.dmChannelId(bobId))).toEqual([]);
  });

  it("GIVEN a user Discord does not know THEN the error is not taken for closed DMs", async () => {
    const error = await thrown(sendFileByDm(client, "1300000000000000999", csv, said));
    expect(error).toBeInstanceOf(Error);
    expect(isDmClosed(error)).toBe(false);
  });
});
