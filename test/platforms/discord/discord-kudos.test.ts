import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFixedClock } from "../../../src/clock.js";
import type { Database } from "../../../src/db/client.js";
import { createDispatcher } from "../../../src/notify/dispatcher.js";
import { createDiscordPort, nonceOf } from "../../../src/platforms/discord/discord-port.js";
import { type DiscordEmulator, startDiscordEmulator } from "../../emulators/discord/discord-emulator.js";
import { silentLog } from "../../fixtures/sales.js";
import { openTestDatabase } from "../../support/db.js";
import { chatInput, shown, startDiscordPlatform } from "./support.js";

const GUILD = "900000000000000301";
const CHANNEL = "910000000000000301";
const WINS = "910000000000000302";
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
    channels: [
      { id: CHANNEL, name: "ventes" },
      { id: WINS, name: "victoires" },
    ],
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
  // A first command on a busy machine may take the whole deadline to be deferred.
  const result = await emu.interact({ type: 2, guildId: GUILD, channelId: CHANNEL, userId, data }, 15_000);
  if (result.callback.type !== 5) return shown(result.callback.data);
  return shown(await emu.waitForInteractionMessage(result.token, "original", 15_000));
}

const deliver = () =>
  createDispatcher({
    db: db.prisma,
    ports: {
      discord: createDiscordPort({ token: emu.token, applicationId: emu.applicationId, apiUrl: emu.apiUrl }),
    },
    clock: createFixedClock("2026-11-18T10:00:00Z"),
    log: silentLog,
  }).drain();

describe("Discord: /kudos and /wins, in French", () => {
  it("GIVEN kudos with typed options THEN one post in the wins channel, mentions off, and the refusals in French", async () => {
    const set = await answer(chatInput("closer", "config-set", { key: "wins_channel", value: `<#${WINS}>` }));
    expect(set).toContain(WINS);
    // ben is a member once he has used Closer.
    expect(await answer(chatInput("wins", undefined), BEN)).toContain(
      "Aucune note de victoire ne correspond.",
    );
    const sent = await answer(
      chatInput(
        "kudos",
        undefined,
        { member: { user: BEN }, text: "@everyone merci pour la relance" },
        { [BEN]: "ben" },
      ),
    );
    expect(sent).toContain("🙌 Kudos envoyés à ben");
    expect(sent).toContain("Encore 2 kudos possibles aujourd’hui.");
    await deliver();
    await deliver();
    const posts = emu.channelMessages(WINS);
    expect(posts).toHaveLength(1);
    const kudos = await db.prisma.kudos.findFirstOrThrow({ where: { workspace: { externalId: GUILD } } });
    const requests = emu.requests.filter(
      (r) => r.method === "POST" && r.path === `/channels/${WINS}/messages`,
    );
    expect(requests.map((r) => r.body)).toEqual([
      expect.objectContaining({ nonce: nonceOf(`kudos:${kudos.id}`), allowed_mentions: { parse: [] } }),
    ]);
    expect(shown(posts[0])).toContain("🙌 Ada remercie ben");
    expect(shown(posts[0])).toContain("@everyone merci pour la relance");

    expect(
      await answer(
        chatInput("kudos", undefined, { member: { user: ADA }, text: "bravo moi" }, { [ADA]: "ada" }),
      ),
    ).toContain("Les kudos, c’est pour un collègue, pas pour soi-même.");
  });

  it("GIVEN a won deal with a note THEN /wins with typed text, period and source finds it", async () => {
    expect(
      await answer(
        chatInput("deal", "log", { amount: "5k", customer: "Dupont", stage: "proposal", source: "Salon" }),
        BEN,
      ),
    ).toContain("Dupont");
    expect(
      await answer(chatInput("deal", "won", { deal: "1", note: "Démo chez eux, devant l’équipe" }), BEN),
    ).toContain("Dupont");
    const found = await answer(
      chatInput("wins", undefined, { text: "DEMO", period: "mois", source: "salon" }),
    );
    expect(found).toContain("💡 Ce qui marche\u202f: les notes de victoire");
    expect(found).toContain("Dupont");
    expect(found).toContain("Démo chez eux, devant l’équipe");
    expect(await answer(chatInput("wins", undefined, { period: "mois dernier" }))).toContain(
      "Aucune note de victoire ne correspond.",
    );
  });
});
