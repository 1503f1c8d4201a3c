import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { announceWin } from "../../src/announcements/celebration.js";
import { announceKudos } from "../../src/announcements/kudos.js";
import { createFixedClock } from "../../src/clock.js";
import type { Database } from "../../src/db/client.js";
import { en } from "../../src/messages/catalog/en.js";
import { fr } from "../../src/messages/catalog/fr.js";
import { createMetrics, type Metrics } from "../../src/metrics.js";
import { runShell } from "../../src/platforms/shell/shell.js";
import { createSalesService } from "../../src/sales/sales-service.js";
import { type DiscordEmulator, startDiscordEmulator } from "../emulators/discord/discord-emulator.js";
import { type SlackEmulator, startSlackEmulator } from "../emulators/slack/slack-emulator.js";
import { silentLog } from "../fixtures/sales.js";
import { openTestDatabase } from "../support/db.js";
import { chatInput, shown, startDiscordPlatform } from "./discord/support.js";
import { SIGNING_SECRET, startSlackPlatform, textOf } from "./slack/support.js";

/*
 * One edge for every platform: the same refusals, in the workspace's language, whether a command
 * comes from Slack, Discord or the shell; an unexpected failure answered with the localised
 * "nothing was saved" and nothing written; and each command counted in /metrics.
 */

const GUILD = "900000000000000101";
const CHANNEL = "910000000000000101";
const ADA = "920000000000000101";
const TEAM = "T0FRANCE";
const CAMILLE = "U0CAMILLE";
/** A customer whose creation the database refuses: a fault nothing in Closer expects. */
const BROKEN = "Panne Générale";

let db: Database;
let slackEmu: SlackEmulator;
let discordEmu: DiscordEmulator;
let slack: Awaited<ReturnType<typeof startSlackPlatform>>;
let discord: Awaited<ReturnType<typeof startDiscordPlatform>>;
const metrics: Metrics = createMetrics();

beforeAll(async () => {
  db = await openTestDatabase();
  await db.sql.exec(`
    CREATE FUNCTION refuse_broken_customer() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'injected fault'; END $$;
    CREATE TRIGGER refuse_broken_customer BEFORE INSERT ON customer
      FOR EACH ROW WHEN (NEW.name = '${BROKEN}') EXECUTE FUNCTION refuse_broken_customer();`);
  slackEmu = await startSlackEmulator({ signingSecret: SIGNING_SECRET, teamId: TEAM });
  slackEmu.addUser({ id: CAMILLE, teamId: TEAM, name: "camille", tz: "Europe/Paris", locale: "fr-FR" });
  slack = await startSlackPlatform(db, slackEmu, {}, { metrics });
  discordEmu = await startDiscordEmulator({ heartbeatIntervalMs: 200, interactionDeadlineMs: 15_000 });
  discordEmu.addGuild({
    id: GUILD,
    name: "Ventes",
    preferredLocale: "fr",
    channels: [{ id: CHANNEL, name: "ventes" }],
  });
  discordEmu.addMember(GUILD, { id: ADA, username: "ada", globalName: "Ada", permissions: String(0x20) });
  discord = await startDiscordPlatform(db, discordEmu, undefined, metrics);
  await discordEmu.connected();
});

afterAll(async () => {
  await slack.platform.stop();
  await discord.platform.stop();
  await slackEmu.close();
  await discordEmu.close();
  await db.close();
});

/** The text a platform shows for one command, run as a French user. */
type Platform = (line: string) => Promise<string>;

const onSlack: Platform = async (line) => {
  const [, command = "", text = ""] = /^(\/\w+)\s*(.*)$/s.exec(line) ?? [];
  const res = await slackEmu.sendCommand(slack.appUrl, { command, text, teamId: TEAM, userId: CAMILLE });
  return textOf(res.json);
};

const onDiscord: Platform = async (line) => {
  // Discord has no text form: the command's typed options, as Discord sends them.
  const typed: Record<string, [string, string | undefined, Record<string, string>]> = {
    "/deal show #999": ["deal", "show", { deal: "#999" }],
    [`/deal log 5k ${BROKEN}`]: ["deal", "log", { amount: "5k", customer: BROKEN }],
    "/deal log 5k Acme": ["deal", "log", { amount: "5k", customer: "Acme" }],
    "/kpi mois metric:deals": ["kpi", undefined, { period: "month", metric: "deals" }],
  };
  const [name, sub, options] = typed[line] ?? [];
  if (!name) throw new Error(`no Discord form for ${line}`);
  const { callback } = await discordEmu.interact({
    type: 2,
    guildId: GUILD,
    channelId: CHANNEL,
    userId: ADA,
    data: chatInput(name, sub, options),
  });
  return shown(callback.data);
};

/** The shell, as `closer start` runs it: lines on stdin, replies on stdout, in a French workspace. */
const onShell: Platform = async (line) => {
  const input = new PassThrough();
  const output = new PassThrough();
  let out = "";
  output.on("data", (chunk: Buffer) => {
    out += chunk.toString("utf8");
  });
  const sales = createSalesService({
    db: db.prisma,
    clock: createFixedClock("2026-11-18T10:00:00Z"),
    onWin: announceWin,
    onKudos: announceKudos,
  });
  const done = runShell({ sales, input, output, log: silentLog, metrics });
  input.end(`/closer config set locale fr\n${line}\n`);
  await done;
  return out.split("\n").slice(1).join("\n");
};

const PLATFORMS: [string, Platform][] = [
  ["Slack", onSlack],
  ["Discord", onDiscord],
  ["the shell", onShell],
];

describe("GIVEN a French team", () => {
  it.each(PLATFORMS)(
    "GIVEN a deal that does not exist on %s THEN the refusal is the service's, in French",
    async (_, on) => {
      expect(await on("/deal show #999")).toContain(fr["error.deal_not_found"].replace("{number}", "999"));
    },
  );

  it.each(PLATFORMS)(
    "GIVEN the database failing mid-command on %s THEN the French 'nothing was saved', nothing saved, and the next command works",
    async (_, on) => {
      const before = await db.prisma.deal.count();
      const answer = await on(`/deal log 5k ${BROKEN}`);
      expect(answer).toContain(fr["error.generic"]);
      expect(answer).not.toContain(en["error.generic"]);
      expect(await db.prisma.deal.count()).toBe(before);
      expect(await db.prisma.customer.count({ where: { name: BROKEN } })).toBe(0);
      expect(await on("/deal log 5k Acme")).toMatch(/Affaire n° \d+ enregistrée/);
    },
  );

  it.each(PLATFORMS)(
    "GIVEN an option /kpi does not take on %s THEN it is refused in French, not dropped",
    async (_, on) => {
      const answer = await on("/kpi mois metric:deals");
      const [before = "", after = ""] = fr["input.unexpected"].split("{value}");
      expect(answer).toContain(`${before}metric`);
      expect(answer).toContain(after.trim());
    },
  );

  it("GIVEN a Discord command Closer does not know (a stale registration) THEN it says so in French", async () => {
    const { callback } = await discordEmu.interact({
      type: 2,
      guildId: GUILD,
      channelId: CHANNEL,
      userId: ADA,
      data: chatInput("deal", "merge", { deal: "1" }),
    });
    expect(shown(callback.data)).toContain(fr["error.unknown_command"].replace("{command}", "/deal"));
    expect(callback.data?.flags).toBe(64);
  });

  it("GIVEN those commands THEN /metrics counts each by platform, command and outcome, with no user text", async () => {
    const text = await metrics.registry.metrics();
    for (const platform of ["slack", "discord", "shell"]) {
      expect(text).toMatch(
        new RegExp(
          `closer_commands_total\\{platform="${platform}",command="deal show",outcome="refused"\\} [1-9]`,
        ),
      );
      expect(text).toMatch(
        new RegExp(
          `closer_commands_total\\{platform="${platform}",command="deal log",outcome="error"\\} [1-9]`,
        ),
      );
      expect(text).toMatch(
        new RegExp(`closer_commands_total\\{platform="${platform}",command="deal log",outcome="ok"\\} [1-9]`),
      );
      expect(text).toMatch(
        new RegExp(`closer_command_duration_seconds_count\\{platform="${platform}",command="kpi"\\} [1-9]`),
      );
    }
    expect(text).not.toContain(BROKEN);
    expect(text).not.toContain("Acme");
  });
});
