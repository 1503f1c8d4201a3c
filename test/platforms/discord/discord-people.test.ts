import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../src/db/client.js";
import { type DiscordEmulator, startDiscordEmulator } from "../../emulators/discord/discord-emulator.js";
import { openTestDatabase } from "../../support/db.js";
import { chatInput, shown, startDiscordPlatform } from "./support.js";

const GUILD = "900000000000000101";
const CHANNEL = "910000000000000101";
const ADA = "920000000000000101";
const BEN = "920000000000000102";
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

const run = (data: Record<string, unknown>, userId = ADA) =>
  emu.interact({ type: 2, guildId: GUILD, channelId: CHANNEL, userId, data });

type Rows = { components: { custom_id: string; type: number; label?: string }[] }[];

describe("Discord: customers, members and teams, in French", () => {
  it("GIVEN a search matching several customers THEN a button each, and a click shows the chosen one", async () => {
    for (const customer of ["Boulangerie Dupont", "Boulangerie Martin", "Dupont Frères"]) {
      const { callback } = await run(chatInput("deal", "log", { amount: "5k", customer }));
      expect(shown(callback.data)).toContain("enregistrée");
    }
    const { callback } = await run(chatInput("customer", "show", { name: "dupont" }), BEN);
    expect(shown(callback.data)).toContain(
      "2 clients correspondent à «\u202fdupont\u202f»\u202f; choisissez-en un",
    );
    const rows = callback.data?.components as Rows;
    const buttons = rows[0]?.components ?? [];
    expect(buttons.map((b) => [b.label, b.custom_id])).toEqual([
      ["Dupont Frères", "run:/customer Dupont Frères"],
      ["Boulangerie Dupont", "run:/customer Boulangerie Dupont"],
    ]);
    const click = await emu.interact({
      type: 3,
      guildId: GUILD,
      channelId: CHANNEL,
      userId: BEN,
      data: { custom_id: buttons[1]?.custom_id, component_type: 2 },
      message: { id: "930000000000000101", content: "", embeds: [], components: rows },
    });
    expect(shown(click.callback.data)).toContain("Boulangerie Dupont · prospect");
  });

  it("GIVEN a merge and a team renamed THEN French answers; GIVEN a rep THEN refused", async () => {
    const merged = await run(
      chatInput("customer", "merge", { name: "Dupont Frères", into: "Boulangerie Dupont" }),
    );
    expect(shown(merged.callback.data)).toContain("Dupont Frères fusionné dans Boulangerie Dupont");
    expect(shown(merged.callback.data)).toContain("1 affaire déplacée, avec son historique");
    await run(chatInput("closer", "team-add", { team: "Nord", member: { user: BEN } }, { [BEN]: "ben" }));
    const renamed = await run(chatInput("closer", "team-rename", { team: "Nord", new_name: "Nord-Est" }));
    expect(shown(renamed.callback.data)).toContain("L’équipe Nord s’appelle désormais Nord-Est");
    const list = await run(chatInput("closer", "team-list"));
    expect(shown(list.callback.data)).toContain("Nord-Est · managers\u202f: – · membres\u202f: ben");
    const deleted = await run(chatInput("closer", "team-delete", { team: "nord est" }));
    expect(shown(deleted.callback.data)).toContain("Équipe Nord-Est supprimée");
    expect(shown(deleted.callback.data)).toContain("1 membre n’est plus dans aucune équipe");
    expect(shown(deleted.callback.data)).toContain("0 objectif de l’équipe supprimé");
    const refused = await run(chatInput("customer", "rename", { name: "Boulangerie Dupont", to: "X" }), BEN);
    expect(shown(refused.callback.data)).toContain("Seul un manager ou un admin peut faire cela.");
  });

  it("GIVEN a member removed THEN their commands are refused until they are brought back", async () => {
    const removed = await run(
      chatInput("closer", "member-remove", { member: { user: BEN } }, { [BEN]: "ben" }),
    );
    expect(shown(removed.callback.data)).toContain("ben ne fait plus partie de Closer");
    const refused = await run(chatInput("kpi", undefined, {}), BEN);
    expect(shown(refused.callback.data)).toContain("Vous ne faites plus partie de Closer");
    const restored = await run(
      chatInput("closer", "member-restore", { member: { user: BEN } }, { [BEN]: "ben" }),
    );
    expect(shown(restored.callback.data)).toContain("ben fait de nouveau partie de Closer");
  });
});
