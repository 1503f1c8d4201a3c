import { afterAll, beforeAll } from "vitest";
import { announceAchievements } from "../../../src/announcements/achievements.js";
import { announceWin } from "../../../src/announcements/celebration.js";
import { announceKudos } from "../../../src/announcements/kudos.js";
import { createFixedClock } from "../../../src/clock.js";
import type { Database } from "../../../src/db/client.js";
import type { Metrics } from "../../../src/metrics.js";
import { createDiscordPlatform } from "../../../src/platforms/discord/discord-platform.js";
import { createSalesService } from "../../../src/sales/sales-service.js";
import { type DiscordEmulator, startDiscordEmulator } from "../../emulators/discord/discord-emulator.js";
import { silentLog } from "../../fixtures/sales.js";
import { openTestDatabase } from "../../support/db.js";

/** Closer's Discord platform on a test database, logged in to the emulator's gateway. */
export async function startDiscordPlatform(
  db: Database,
  emulator: DiscordEmulator,
  deferAfterMs?: number,
  metrics?: Metrics,
) {
  const clock = createFixedClock("2026-11-18T10:00:00Z");
  const sales = createSalesService({
    db: db.prisma,
    clock,
    onWin: announceWin,
    onKudos: announceKudos,
    onAchievements: announceAchievements,
  });
  const platform = createDiscordPlatform({
    discord: { token: emulator.token, applicationId: emulator.applicationId, apiUrl: emulator.apiUrl },
    sales,
    db: db.prisma,
    clock,
    log: silentLog,
    ...(deferAfterMs === undefined ? {} : { deferAfterMs }),
    metrics,
  });
  await platform.start();
  return { platform, sales };
}

type OptionValue = string | number | boolean | { user: string };

/** The `data` of a chat-input interaction: `/name sub option:value…`; user options carry their resolved user. */
export function chatInput(
  name: string,
  sub: string | undefined,
  options: Record<string, OptionValue> = {},
  users: Record<string, string> = {},
) {
  const typed = Object.entries(options).map(([key, value]) =>
    typeof value === "object"
      ? { type: 6, name: key, value: value.user }
      : { type: typeof value === "string" ? 3 : typeof value === "number" ? 4 : 5, name: key, value },
  );
  const resolvedUsers = Object.fromEntries(
    Object.values(options)
      .filter((v): v is { user: string } => typeof v === "object")
      .map((v) => [
        v.user,
        {
          id: v.user,
          username: users[v.user] ?? v.user,
          global_name: null,
          discriminator: "0",
          avatar: null,
        },
      ]),
  );
  return {
    id: `cmd-${name}`,
    name,
    type: 1,
    options: sub ? [{ type: 1, name: sub, options: typed }] : typed,
    ...(Object.keys(resolvedUsers).length ? { resolved: { users: resolvedUsers } } : {}),
  };
}

interface Embed {
  title?: string;
  description?: string;
  fields?: { name: string; value: string }[];
}

/** Everything an answer shows, as text: embed titles, descriptions and fields. */
export function shown(data: Record<string, unknown> | undefined): string {
  const embeds = (data?.embeds ?? []) as Embed[];
  return embeds
    .flatMap((e) => [
      e.title ?? "",
      e.description ?? "",
      ...(e.fields ?? []).map((f) => `${f.name}: ${f.value}`),
    ])
    .join("\n");
}

/**
 * A French guild, « Ventes », with its sales channel and two members, Ada (Manage Server: an admin)
 * and Ben, on the emulator, and Closer's Discord platform on a fresh test database: started before
 * the file's tests, stopped after them. The ids are the file's own (`n`, 1–9), so files never share
 * a guild. `answer` runs a command (as Ada unless told) and reads its answer: the reply, or the edit
 * of a deferred one (a slow first command).
 */
export function frenchGuildOfTwo(n: number) {
  const id = (prefix: string, k: number) => `${prefix}${"0".repeat(12)}${n}0${k}`;
  const GUILD = id("900", 1);
  const CHANNEL = id("910", 1);
  const ADA = id("920", 1);
  const BEN = id("920", 2);
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
    emu.addMember(GUILD, { id: ADA, username: "ada", globalName: "Ada", permissions: String(0x20) });
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
  return {
    GUILD,
    CHANNEL,
    ADA,
    BEN,
    db: () => db,
    emulator: () => emu,
    async answer(data: Record<string, unknown>, userId = ADA): Promise<string> {
      // A first command on a busy machine may take the whole deadline to be deferred.
      const result = await emu.interact(
        { type: 2, guildId: GUILD, channelId: CHANNEL, userId, data },
        15_000,
      );
      if (result.callback.type !== 5) return shown(result.callback.data);
      return shown(await emu.waitForInteractionMessage(result.token, "original", 15_000));
    },
  };
}
