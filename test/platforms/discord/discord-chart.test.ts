import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../src/db/client.js";
import {
  type DiscordEmulator,
  type InteractionResult,
  startDiscordEmulator,
} from "../../emulators/discord/discord-emulator.js";
import { openTestDatabase } from "../../support/db.js";
import { chatInput, shown, startDiscordPlatform } from "./support.js";

const GUILD = "950000000000000101";
const CHANNEL = "951000000000000101";
const ADA = "952000000000000101";
const MANAGE_GUILD = String(0x20);
const ORIGINAL = /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/;

let emu: DiscordEmulator;
let db: Database;
let discord: Awaited<ReturnType<typeof startDiscordPlatform>>;

beforeAll(async () => {
  emu = await startDiscordEmulator({ heartbeatIntervalMs: 200, interactionDeadlineMs: 15_000 });
  emu.addGuild({
    id: GUILD,
    name: "Sales",
    channels: [{ id: CHANNEL, name: "sales" }],
    preferredLocale: "fr",
  });
  emu.addMember(GUILD, { id: ADA, username: "ada", permissions: MANAGE_GUILD });
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

/** The first chart of a process loads ECharts and resvg: seconds on a busy machine. */
const DRAWING_MS = 30_000;

async function answered(result: InteractionResult): Promise<string> {
  const deferred = result.callback.type === 5;
  return shown(
    deferred
      ? await emu.waitForInteractionMessage(result.token, "original", DRAWING_MS)
      : result.callback.data,
  );
}

describe("Discord: /kpi view:chart", () => {
  it("GIVEN wins and a goal THEN the deferred answer is edited with both charts attached, each shown in an embed", async () => {
    await answered(await run(chatInput("deal", "log", { amount: "12k", customer: "Acme" })));
    await answered(await run(chatInput("deal", "won", { deal: "#1" })));
    await answered(await run(chatInput("goal", "set", { target: "40k", company: true, period: "month" })));

    const result = await run(chatInput("kpi", undefined, { view: "chart", period: "month" }));
    // Deferred for the user alone: drawing the charts may take longer than Discord waits.
    expect(result.callback).toMatchObject({ type: 5, data: { flags: 64 } });
    const text = await answered(result);
    expect(text).toContain("Gagné face à l’objectif et portefeuille");
    const edit = await emu.waitForRequest("PATCH", ORIGINAL, (r) => r.files.length > 0, DRAWING_MS);
    expect(edit.files.map((f) => [f.filename, f.contentType])).toEqual([
      ["chart.png", "image/png"],
      ["chart-2.png", "image/png"],
    ]);
    expect([...(edit.files[0]?.content.subarray(0, 4) ?? [])]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    const body = edit.body as {
      embeds: { image?: { url: string } }[];
      attachments: { description: string }[];
    };
    expect(body.embeds.map((e) => e.image?.url)).toEqual([
      "attachment://chart.png",
      "attachment://chart-2.png",
    ]);
    // Each picture's text alternative is its title.
    expect(body.attachments.map((a) => a.description)).toEqual([
      "Gagné face à l’objectif · Ce mois-ci · entreprise",
      "Portefeuille en cours par étape · entreprise",
    ]);
    // As Discord shows it: each embed's image is the message's attachment of that name.
    const message = (await (await fetch(`${emu.apiUrl}/v10${edit.path}`)).json()) as {
      embeds: { image?: { url: string } }[];
      attachments: { filename: string; url: string }[];
    };
    expect(message.embeds.map((e) => e.image?.url)).toEqual(message.attachments.map((a) => a.url));
  }, 90_000);
});
