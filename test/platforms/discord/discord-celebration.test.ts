import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFixedClock } from "../../../src/clock.js";
import type { Database } from "../../../src/db/client.js";
import { createDispatcher } from "../../../src/notify/dispatcher.js";
import { createDiscordPort, nonceOf } from "../../../src/platforms/discord/discord-port.js";
import { type DiscordEmulator, startDiscordEmulator } from "../../emulators/discord/discord-emulator.js";
import { silentLog } from "../../fixtures/sales.js";
import { openTestDatabase } from "../../support/db.js";
import { chatInput, shown, startDiscordPlatform } from "./support.js";

const GUILD = "900000000000000001";
const CHANNEL = "910000000000000001";
const WINS = "910000000000000003";
const ADA = "920000000000000001";

let emu: DiscordEmulator;
let db: Database;
let discord: Awaited<ReturnType<typeof startDiscordPlatform>>;

beforeAll(async () => {
  emu = await startDiscordEmulator({ heartbeatIntervalMs: 200, interactionDeadlineMs: 15_000 });
  emu.addGuild({
    id: GUILD,
    name: "Acme Sales",
    preferredLocale: "en-US",
    channels: [
      { id: CHANNEL, name: "sales" },
      { id: WINS, name: "wins" },
    ],
  });
  emu.addMember(GUILD, { id: ADA, username: "ada", globalName: "Ada", permissions: String(0x20) });
  db = await openTestDatabase();
  discord = await startDiscordPlatform(db, emu);
  await emu.connected();
});
afterAll(async () => {
  await discord.platform.stop();
  await emu.close();
  await db.close();
});

const run = (data: Record<string, unknown>) =>
  emu.interact({ type: 2, guildId: GUILD, channelId: CHANNEL, userId: ADA, data });

const deliver = () =>
  createDispatcher({
    db: db.prisma,
    ports: {
      discord: createDiscordPort({ token: emu.token, applicationId: emu.applicationId, apiUrl: emu.apiUrl }),
    },
    clock: createFixedClock("2026-11-18T10:00:00Z"),
    log: silentLog,
  }).drain();

describe("Discord celebrations", () => {
  it("GIVEN a wins channel and a deal won THEN exactly one message lands there, with a nonce Discord enforces", async () => {
    const set = await run(chatInput("closer", "config-set", { key: "wins_channel", value: `<#${WINS}>` }));
    expect(shown(set.callback.data)).toContain(`wins_channel is now ${WINS}`);
    // Celebrations alone: the achievements this win earns are posted by a switch of their own.
    await run(chatInput("closer", "config-set", { key: "announce.achievements", value: "off" }));
    await run(chatInput("deal", "log", { amount: "12k", customer: "@everyone Acme", stage: "proposal" }));
    await run(chatInput("deal", "won", { deal: "1", note: "great demo" }));
    await deliver();
    await deliver();
    const posts = emu.channelMessages(WINS);
    expect(posts).toHaveLength(1);
    const deal = await db.prisma.deal.findFirstOrThrow({
      where: { number: 1, workspace: { externalId: GUILD } },
    });
    expect(posts[0]?.nonce).toBe(nonceOf(`win:${deal.id}`));
    const sent = emu.requests.filter((r) => r.method === "POST" && r.path === `/channels/${WINS}/messages`);
    // Twice delivered would be two requests; the second drain found nothing to send.
    expect(sent.map((r) => r.body)).toEqual([
      expect.objectContaining({
        nonce: nonceOf(`win:${deal.id}`),
        enforce_nonce: true,
        allowed_mentions: { parse: [] },
      }),
    ]);
    expect(shown(posts[0])).toContain("🎉 Ada won @everyone Acme: €12,000");
    expect(shown(posts[0])).toContain("How we won it: great demo");
    const row = await db.prisma.outbox.findUniqueOrThrow({ where: { dedupeKey: `win:${deal.id}` } });
    expect(row).toMatchObject({ status: "sent", messageRef: `${WINS}/${posts[0]?.id}` });
  });
});
