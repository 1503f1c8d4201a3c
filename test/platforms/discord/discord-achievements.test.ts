import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../src/db/client.js";
import { type DiscordEmulator, startDiscordEmulator } from "../../emulators/discord/discord-emulator.js";
import { openTestDatabase } from "../../support/db.js";
import { chatInput, shown, startDiscordPlatform } from "./support.js";

const GUILD = "900000000000000301";
const CHANNEL = "910000000000000301";
const ADA = "920000000000000301";
const BEN = "920000000000000302";
const MANAGE_GUILD = String(0x20);

let emu: DiscordEmulator;
let db: Database;
let discord: Awaited<ReturnType<typeof startDiscordPlatform>>;

beforeAll(async () => {
  emu = await startDiscordEmulator({ heartbeatIntervalMs: 200, interactionDeadlineMs: 15_000 });
  emu.addGuild({
    id: GUILD,
    name: "Ventes",
    preferredLocale: "fr",
    channels: [{ id: CHANNEL, name: "ventes" }],
    roles: [{ id: GUILD, name: "@everyone", permissions: "0" }],
  });
  emu.addMember(GUILD, { id: ADA, username: "ada", globalName: "Ada", permissions: MANAGE_GUILD });
  emu.addMember(GUILD, { id: BEN, username: "ben", permissions: "0" });
  db = await openTestDatabase();
  discord = await startDiscordPlatform(db, emu);
  await emu.connected();
});
afterAll(async () => {
  await discord.platform.stop();
  await emu.close();
  await db.close();
});

/** Runs a command and reads its answer: the reply, or the edit of a deferred one (a slow first command). */
async function answer(data: Record<string, unknown>, userId = ADA): Promise<string> {
  const result = await emu.interact({ type: 2, guildId: GUILD, channelId: CHANNEL, userId, data });
  if (result.callback.type !== 5) return shown(result.callback.data);
  return shown(await emu.waitForInteractionMessage(result.token, "original"));
}

describe("Discord: /closer me, in French", () => {
  it("GIVEN a first win THEN /closer me lists it with the streak, in French, and the win's post is queued for #wins", async () => {
    expect(
      await answer(chatInput("closer", "config-set", { key: "wins_channel", value: CHANNEL })),
    ).toContain("wins_channel");
    const won = await answer(
      chatInput("deal", "log", { amount: "5k", customer: "Dupont", stage: "won" }),
      BEN,
    );
    expect(won).toContain("Dupont");
    const me = await answer(chatInput("closer", "me"), BEN);
    expect(me).toContain("Trophées de ben");
    expect(me).toContain("🔥 Série en cours\u202f: 1 jour ouvré");
    expect(me).toMatch(/18 nov\. 2026 · Première victoire\u202f: Dupont, 5\s000\s€/u);
    const post = await db.prisma.outbox.findFirst({
      where: { kind: "achievement", destination: `#${CHANNEL}` },
    });
    expect(post?.payload).toMatchObject({ title: "🏅 Trophée débloqué" });
    const none = await answer(chatInput("closer", "me"));
    expect(none).toContain("Aucun trophée pour l’instant");
  });
});
