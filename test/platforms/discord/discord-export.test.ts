import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../src/db/client.js";
import { DEAL_COLUMNS } from "../../../src/transfer/closer-format.js";
import {
  type DiscordEmulator,
  type InteractionResult,
  startDiscordEmulator,
} from "../../emulators/discord/discord-emulator.js";
import { openTestDatabase } from "../../support/db.js";
import { chatInput, shown, startDiscordPlatform } from "./support.js";

const GUILD = "940000000000000101";
const OTHER_GUILD = "940000000000000202";
const CHANNEL = "941000000000000101";
const OTHER_CHANNEL = "941000000000000202";
const ADA = "942000000000000101";
const BEN = "942000000000000102";
const CY = "942000000000000203";
const MANAGE_GUILD = String(0x20);
const DM_MESSAGES = /^\/channels\/\d+\/messages$/;

let emu: DiscordEmulator;
let db: Database;
let discord: Awaited<ReturnType<typeof startDiscordPlatform>>;

beforeAll(async () => {
  emu = await startDiscordEmulator({ heartbeatIntervalMs: 200, interactionDeadlineMs: 15_000 });
  emu.addGuild({ id: GUILD, name: "Sales", channels: [{ id: CHANNEL, name: "sales" }] });
  emu.addGuild({ id: OTHER_GUILD, name: "Elsewhere", channels: [{ id: OTHER_CHANNEL, name: "x" }] });
  emu.addMember(GUILD, { id: ADA, username: "ada", permissions: MANAGE_GUILD });
  emu.addMember(GUILD, { id: BEN, username: "ben", permissions: "0" });
  emu.addMember(OTHER_GUILD, { id: CY, username: "cy", permissions: MANAGE_GUILD });
  db = await openTestDatabase();
  discord = await startDiscordPlatform(db, emu);
  await emu.connected();
});
afterAll(async () => {
  await discord.platform.stop();
  await emu.close();
  await db.close();
});

const run = (data: Record<string, unknown>, userId = ADA, guildId = GUILD) =>
  emu.interact({ type: 2, guildId, channelId: guildId === GUILD ? CHANNEL : OTHER_CHANNEL, userId, data });

/** What an interaction was answered, in its callback or, deferred on a busy machine, in the edit that follows. */
async function answered(result: InteractionResult): Promise<string> {
  const deferred = result.callback.type === 5;
  return shown(
    deferred ? await emu.waitForInteractionMessage(result.token, "original") : result.callback.data,
  );
}

/** The CSV of the latest file the user's DM received: its header and its rows as records. */
async function dmFile(userId: string, name: string) {
  await emu.waitForRequest("POST", DM_MESSAGES, (c) => c.files.some((f) => f.filename === name));
  const file = emu.channelFiles(emu.dmChannelId(userId)).findLast((f) => f.filename === name);
  const header = file?.content
    .toString("utf8")
    .replace(/^\ufeff/, "")
    .split(/\r?\n/)[0];
  const rows: Record<string, string>[] = parse(file?.content ?? Buffer.alloc(0), {
    bom: true,
    columns: true,
  });
  return { file, header, rows };
}

describe("Discord: /closer export-deals", () => {
  it("GIVEN deals in two guilds WHEN an admin exports THEN the answer says so and the CSV of their guild alone is attached to a DM", async () => {
    for (const [customer, user, guild] of [
      ["Acme", ADA, GUILD],
      ["Globex", BEN, GUILD],
      ["Umbrella", CY, OTHER_GUILD],
    ] as const) {
      expect(
        await answered(await run(chatInput("deal", "log", { amount: "12k", customer }), user, guild)),
      ).toContain("logged");
    }
    expect(await answered(await run(chatInput("closer", "export-deals")))).toContain(
      "closer-deals-all.csv: 2 deals",
    );
    const { file, header, rows } = await dmFile(ADA, "closer-deals-all.csv");
    expect(header).toBe(DEAL_COLUMNS.join(","));
    expect(rows.map((r) => [r.customer, r.owner, r.amount])).toEqual([
      ["Acme", "ada", "12000.00"],
      ["Globex", "ben", "12000.00"],
    ]);
    const [message] = emu.channelMessages(emu.dmChannelId(ADA)).filter((m) => m.id === file?.messageId);
    expect(shown(message)).toContain("closer-deals-all.csv: 2 deals");
  });

  it("GIVEN a period THEN the file is named after it", async () => {
    const result = await run(chatInput("closer", "export-deals", { period: "month" }));
    expect(await answered(result)).toContain("closer-deals-2026-11.csv: 2 deals");
    expect((await dmFile(ADA, "closer-deals-2026-11.csv")).rows).toHaveLength(2);
  });

  it("GIVEN a rep THEN refused", async () => {
    const result = await run(chatInput("closer", "export-deals"), BEN);
    expect(await answered(result)).toContain("Only managers and admins can export deals");
  });

  it("GIVEN an admin who closed their DMs THEN they are told, for them alone, how to open them", async () => {
    emu.closeDms(ADA);
    const result = await run(chatInput("closer", "export-deals"));
    expect(await answered(result)).toContain("closer-deals-all.csv: 2 deals");
    const told = await emu.waitForInteractionMessage(result.token, "followup");
    expect(shown(told)).toContain("your direct messages are closed to this server's members");
    expect(told.flags).toBe(64);
  });
});
