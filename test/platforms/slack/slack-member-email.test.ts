import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importCommand, parseImportArgs } from "../../../src/cli/import.js";
import type { Database } from "../../../src/db/client.js";
import type { Workspace } from "../../../src/sales/deps.js";
import { placeholderId } from "../../../src/sales/members/placeholder-member.js";
import { type SlackEmulator, startSlackEmulator } from "../../emulators/slack/slack-emulator.js";
import { seedDeal } from "../../fixtures/sales.js";
import { textCollector } from "../../support/collector.js";
import { openTestDatabase } from "../../support/db.js";
import { answerText, SIGNING_SECRET, startSlackPlatform } from "./support.js";

let emu: SlackEmulator;
let db: Database;
let slack: Awaited<ReturnType<typeof startSlackPlatform>>;
let team: string;

beforeAll(async () => {
  emu = await startSlackEmulator({ signingSecret: SIGNING_SECRET });
  team = emu.workspace.teamId;
  const user = (id: string, name: string, email: string, isAdmin = false) =>
    emu.addUser({ id, teamId: team, name, tz: "Europe/Paris", locale: "en-US", email, isAdmin });
  user("U0ALICE", "alice", "Alice.Martin@Acme.com", true);
  user("U0ANN", "ann", "ann@acme.com");
  user("U0EVE", "eve", "EVE@acme.com");
  user("U0LUCAS", "lucas", "Lucas.Bernard@example.com");
  db = await openTestDatabase();
  slack = await startSlackPlatform(db, emu);
});
afterAll(async () => {
  await slack.platform.stop();
  await emu.close();
  await db.close();
});

const command = (userId: string, name: string, text: string) =>
  emu.sendCommand(slack.appUrl, { command: name, text, teamId: team, userId, channelId: "C0SALES" });

const workspace = (): Promise<Workspace> =>
  db.prisma.workspace.findUniqueOrThrow({
    where: { platform_externalId: { platform: "slack", externalId: team } },
  });

const memberOf = async (platformUserId: string) =>
  db.prisma.member.findUniqueOrThrow({
    where: { workspaceId_platformUserId: { workspaceId: (await workspace()).id, platformUserId } },
  });

/** What `closer import deals --create-members` leaves for an owner it knows by email: a member and their deals. */
async function importedOwner(email: string, customers: string[]) {
  const ws = await workspace();
  const placeholder = await db.prisma.member.create({
    data: { workspaceId: ws.id, platformUserId: placeholderId(email), displayName: email, email },
  });
  for (const customer of customers)
    await seedDeal(slack.sales, ws, placeholder, { amount: 50_000n, customer });
  return placeholder;
}

/** `closer import deals <fixture> --create-members --commit` into the Slack workspace, as its admin runs it. */
async function importFixture(name: string) {
  const args = parseImportArgs([
    "deals",
    fileURLToPath(new URL(`../../fixtures/import/${name}`, import.meta.url)),
    "--create-members",
    "--commit",
  ]);
  if (typeof args === "string") throw new Error(args);
  const out = textCollector();
  await importCommand(slack.sales, await workspace(), args, { stdout: out.stream, stderr: out.stream });
  return out.text();
}

describe("Slack: members' email", () => {
  it("GIVEN a Slack user with an email WHEN they first run a command THEN their member keeps it, lower-cased", async () => {
    expect(await answerText(emu, await command("U0ALICE", "/deal", "list"))).not.toBe("");
    expect((await memberOf("U0ALICE")).email).toBe("alice.martin@acme.com");
  });

  it("GIVEN deals imported for an owner with Ann's email WHEN Ann first runs a command THEN that member is hers and so are its deals", async () => {
    const placeholder = await importedOwner("ann@acme.com", ["Globex", "Initech"]);
    const listed = await answerText(emu, await command("U0ANN", "/deal", "list"));
    expect(listed).toContain("Globex");
    expect(listed).toContain("Initech");
    expect(await memberOf("U0ANN")).toMatchObject({
      id: placeholder.id,
      displayName: "ann",
      email: "ann@acme.com",
    });
    const members = await db.prisma.member.count({ where: { workspaceId: (await workspace()).id } });
    expect(members).toBe(2);
  });

  it("GIVEN an imported owner with Eve's email WHEN Eve's first two commands arrive at once THEN one member, the imported one", async () => {
    const placeholder = await importedOwner("eve@acme.com", ["Umbrella"]);
    const answers = await Promise.all([command("U0EVE", "/deal", "list"), command("U0EVE", "/kpi", "month")]);
    const texts = await Promise.all(answers.map((a) => answerText(emu, a)));
    expect(texts[0]).toContain("Umbrella");
    expect((await memberOf("U0EVE")).id).toBe(placeholder.id);
    const eves = await db.prisma.member.count({
      where: { workspaceId: (await workspace()).id, email: "eve@acme.com" },
    });
    expect(eves).toBe(1);
  });

  it("GIVEN a HubSpot export imported with --create-members WHEN the Slack user with an owner's email first runs a command THEN that owner's deals are theirs", async () => {
    expect(await importFixture("hubspot.csv")).toContain("Deals: 17 created");
    const imported = await memberOf(placeholderId("lucas.bernard@example.com"));
    const theirs = await db.prisma.deal.count({ where: { ownerId: imported.id } });
    expect(theirs).toBeGreaterThan(0);
    const listed = await answerText(emu, await command("U0LUCAS", "/deal", "list"));
    expect(listed).toContain("Pharmacie Centrale");
    const lucas = await memberOf("U0LUCAS");
    expect([lucas.id, lucas.displayName, lucas.email]).toEqual([
      imported.id,
      "lucas",
      "lucas.bernard@example.com",
    ]);
    expect(await db.prisma.deal.count({ where: { ownerId: lucas.id } })).toBe(theirs);
  });
});
