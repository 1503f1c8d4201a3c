import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../src/db/client.js";
import { type SlackEmulator, startSlackEmulator } from "../../emulators/slack/slack-emulator.js";
import { openTestDatabase } from "../../support/db.js";
import { answerText, SIGNING_SECRET, startSlackPlatform } from "./support.js";

/* A French team on Slack types French keywords and reads French agreement and typography. */

let emu: SlackEmulator;
let db: Database;
let slack: Awaited<ReturnType<typeof startSlackPlatform>>;
let team: string;

const CAMILLE = "U0CAMILLE";

beforeAll(async () => {
  emu = await startSlackEmulator({ signingSecret: SIGNING_SECRET });
  team = emu.workspace.teamId;
  emu.addUser({
    id: CAMILLE,
    teamId: team,
    name: "camille",
    tz: "Europe/Paris",
    locale: "fr-FR",
    isAdmin: true,
  });
  db = await openTestDatabase();
  slack = await startSlackPlatform(db, emu);
});
afterAll(async () => {
  await slack.platform.stop();
  await emu.close();
  await db.close();
});

const say = async (text: string) => {
  const [name, ...rest] = text.split(" ");
  const res = await emu.sendCommand(slack.appUrl, {
    command: name ?? "",
    text: rest.join(" "),
    teamId: team,
    userId: CAMILLE,
    channelId: "C0VENTES",
  });
  return answerText(emu, res);
};

describe("Slack in French", () => {
  it("GIVEN French option keys and words THEN they are read as their English twins", async () => {
    await say("/closer config set locale fr");
    const logged = await say("/deal log 5k Boulangerie Dupont étape:proposition clôture:2026-12-15");
    expect(logged).toContain("Affaire n° 1 enregistrée");
    expect(logged).toContain("Boulangerie Dupont · 5\u202f000\u00a0€ · proposition");
    expect(await say("/deal lost #1 raison:prix")).toContain("Affaire n° 1 perdue (prix)");
    const kpi = await say("/kpi mois");
    expect(kpi).toContain("0\u00a0% (0 gagnée, 1 perdue)");
    expect(await say("/kpi mois perdues")).toContain("Raisons des pertes");
    expect(await say("/leaderboard mois métrique:affaires")).toContain("affaires gagnées");
  });

  it("GIVEN a mistyped French key THEN the refusal suggests the French key, with French typography", async () => {
    const refused = await say("/deal log 5k Acme étpae:proposition");
    expect(refused).toContain(
      "«\u202fétpae:proposition\u202f» n’est pas une option de cette commande\u202f: vouliez-vous dire étape:\u202f?",
    );
    expect(refused).toContain("Syntaxe\u202f: /deal log");
    expect(refused).toContain("[étape:");
  });
});
