import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../src/db/client.js";
import { type DiscordEmulator, startDiscordEmulator } from "../../emulators/discord/discord-emulator.js";
import { openTestDatabase } from "../../support/db.js";
import { chatInput, shown, startDiscordPlatform } from "./support.js";

const GUILD = "900000000000000001";
const CHANNEL = "910000000000000001";
const ADA = "920000000000000001";
const MANAGE_GUILD = String(0x20);

let emu: DiscordEmulator;
let db: Database;
let discord: Awaited<ReturnType<typeof startDiscordPlatform>>;

beforeAll(async () => {
  emu = await startDiscordEmulator({ heartbeatIntervalMs: 200, interactionDeadlineMs: 15_000 });
  emu.addGuild({
    id: GUILD,
    name: "Acme Sales",
    preferredLocale: "en-US",
    channels: [{ id: CHANNEL, name: "sales" }],
    roles: [{ id: GUILD, name: "@everyone", permissions: "0" }],
  });
  emu.addMember(GUILD, { id: ADA, username: "ada", globalName: "Ada", permissions: MANAGE_GUILD });
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

type Rows = { components: { custom_id: string; type: number; label?: string }[] }[];

const click = (customId: string, rows: Rows) =>
  emu.interact({
    type: 3,
    guildId: GUILD,
    channelId: CHANNEL,
    userId: ADA,
    data: { custom_id: customId, component_type: 2 },
    message: { id: "930000000000000001", content: "", embeds: [], components: rows },
  });

const deal = (number: number) => db.prisma.deal.findFirstOrThrow({ where: { number } });

describe("Discord: editing and deleting a deal", () => {
  it("GIVEN a deal's Edit button THEN a modal opens with its values, and submitting it edits the deal", async () => {
    const { callback } = await run(
      chatInput("deal", "log", { amount: "12k", customer: "Acme", title: "Pilot", close: "2026-12-15" }),
    );
    expect(shown(callback.data)).toContain("Deal #1 logged");
    const rows = callback.data?.components as Rows;
    const edit = rows[0]?.components.find((c) => c.label === "Edit");
    expect(edit?.custom_id).toBe("form:/deal edit #1");

    const opened = await click(edit?.custom_id ?? "", rows);
    expect(opened.callback.type).toBe(9);
    const modal = opened.callback.data as {
      custom_id: string;
      components: { components: { custom_id: string; value?: string }[] }[];
    };
    expect(modal.custom_id).toBe("deal_edit:1");
    const inputs = modal.components.flatMap((r) => r.components);
    expect(Object.fromEntries(inputs.map((i) => [i.custom_id, i.value]))).toEqual({
      amount: "12000",
      customer: "Acme",
      title: "Pilot",
      source: undefined,
      close: "2026-12-15",
    });

    const submit = (values: Record<string, string>) =>
      emu.interact({
        type: 5,
        guildId: GUILD,
        channelId: CHANNEL,
        userId: ADA,
        data: {
          custom_id: modal.custom_id,
          components: Object.entries(values).map(([custom_id, value]) => ({
            type: 1,
            components: [{ type: 4, custom_id, value }],
          })),
        },
      });
    const unchanged = { customer: "Acme", title: "Pilot", source: "", close: "2026-12-15" };
    const bad = await submit({ amount: "abc", ...unchanged });
    expect(shown(bad.callback.data)).toContain("“abc” is not an amount");
    expect(bad.callback.data?.flags).toBe(64);
    const good = await submit({ ...unchanged, amount: "15000", source: "referral" });
    expect(shown(good.callback.data)).toContain("Deal #1 edited");
    expect(shown(good.callback.data)).toContain("Amount: €12,000.00 → €15,000.00");
    expect(shown(good.callback.data)).toContain("Source: none → referral");
    expect(await deal(1)).toMatchObject({ amount: 1_500_000n, leadSource: "referral" });
  });

  it("GIVEN /deal delete THEN an ephemeral question comes first, and its button deletes the deal", async () => {
    const asked = await run(chatInput("deal", "delete", { deal: "1" }));
    expect(asked.callback.data?.flags).toBe(64);
    expect(shown(asked.callback.data)).toContain("Delete deal #1?");
    expect((await deal(1)).deletedAt).toBeNull();
    const rows = asked.callback.data?.components as Rows;
    const yes = rows[0]?.components[0];
    expect(yes?.custom_id).toBe("run:/deal delete #1");
    const done = await click(yes?.custom_id ?? "", rows);
    expect(shown(done.callback.data)).toContain("Deal #1 deleted");
    expect((await deal(1)).deletedAt).not.toBeNull();

    const restore = await run(chatInput("deal", "restore", { deal: "1" }));
    expect(shown(restore.callback.data)).toContain("Restore deal #1?");
    const confirmRows = restore.callback.data?.components as Rows;
    const again = await click(confirmRows[0]?.components[0]?.custom_id ?? "", confirmRows);
    expect(shown(again.callback.data)).toContain("Deal #1 restored");
    expect((await deal(1)).deletedAt).toBeNull();
  });

  it("GIVEN /deal delete answered after the defer budget THEN its question is deferred privately", async () => {
    const own = await startDiscordEmulator({ interactionDeadlineMs: 15_000 });
    own.addGuild({ id: GUILD, name: "Acme Sales", channels: [{ id: CHANNEL, name: "sales" }] });
    own.addMember(GUILD, { id: ADA, username: "ada", permissions: MANAGE_GUILD });
    const slow = await startDiscordPlatform(db, own, 0);
    try {
      await own.connected();
      const asked = await own.interact({
        type: 2,
        guildId: GUILD,
        channelId: CHANNEL,
        userId: ADA,
        data: chatInput("deal", "delete", { deal: "1" }),
      });
      expect([asked.callback.type, asked.callback.data?.flags]).toEqual([5, 64]);
      expect(shown(await own.waitForInteractionMessage(asked.token, "original"))).toContain(
        "Delete deal #1?",
      );
    } finally {
      await slow.platform.stop();
      await own.close();
    }
  });

  it("GIVEN a deal option typed THEN edit suggests any deal, won suggests open ones, restore deleted ones", async () => {
    const logged = await run(chatInput("deal", "log", { amount: "2k", customer: "Closed Co", stage: "won" }));
    const number = /Deal #(\d+) won/.exec(shown(logged.callback.data))?.[1];
    const suggest = async (sub: string) => {
      const { callback } = await emu.interact({
        type: 4,
        guildId: GUILD,
        userId: ADA,
        data: {
          id: "cmd-deal",
          name: "deal",
          type: 1,
          options: [
            { type: 1, name: sub, options: [{ type: 3, name: "deal", value: "closed", focused: true }] },
          ],
        },
      });
      return ((callback.data?.choices ?? []) as { value: string }[]).map((c) => c.value);
    };
    expect(await suggest("edit")).toEqual([number]);
    expect(await suggest("won")).toEqual([]);
    expect(await suggest("restore")).toEqual([]);

    const asked = await run(chatInput("deal", "delete", { deal: String(number) }));
    const rows = asked.callback.data?.components as Rows;
    await click(rows[0]?.components[0]?.custom_id ?? "", rows);
    expect(await suggest("restore")).toEqual([number]);
    expect(await suggest("edit")).toEqual([]);
  });
});
