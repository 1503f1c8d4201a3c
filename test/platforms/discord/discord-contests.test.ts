import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../src/db/client.js";
import { type DiscordEmulator, startDiscordEmulator } from "../../emulators/discord/discord-emulator.js";
import { openTestDatabase } from "../../support/db.js";
import { chatInput, shown, startDiscordPlatform } from "./support.js";

const GUILD = "900000000000000201";
const CHANNEL = "910000000000000201";
const ADA = "920000000000000201";
const BEN = "920000000000000202";
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

describe("Discord: /contest, in French", () => {
  it("GIVEN a contest created with typed options and a win THEN /contest show gives the standings in French", async () => {
    const created = await answer(
      chatInput("contest", "create", {
        name: "Sprint de novembre",
        metric: "revenue",
        from: "2026-11-18",
        to: "2026-11-30",
        prize: "Un resto",
      }),
    );
    expect(created).toContain("Challenge «\u202fSprint de novembre\u202f» créé");
    const won = await answer(
      chatInput("deal", "log", { amount: "5k", customer: "Dupont", stage: "won" }),
      BEN,
    );
    expect(won).toContain("Dupont");
    const text = await answer(chatInput("contest", "show", { name: "sprint de novembre" }), BEN);
    expect(text).toContain("🏆 Sprint de novembre");
    expect(text).toMatch(/1\. ben · 5\s000\s€/u);
    expect(text).toContain("Lot\u202f: Un resto");
    const list = await answer(chatInput("contest", "list"), BEN);
    expect(list).toContain("Sprint de novembre · chiffre d’affaires");
  });
});
