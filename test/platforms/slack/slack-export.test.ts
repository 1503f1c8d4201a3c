import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../src/db/client.js";
import { DEAL_COLUMNS } from "../../../src/transfer/closer-format.js";
import { type SlackEmulator, startSlackEmulator } from "../../emulators/slack/slack-emulator.js";
import { openTestDatabase } from "../../support/db.js";
import { answerText, SIGNING_SECRET, startSlackPlatform, textOf } from "./support.js";

let emu: SlackEmulator;
let db: Database;
let slack: Awaited<ReturnType<typeof startSlackPlatform>>;
let team: string;
const OTHER_TEAM = "T0OTHERTEAM";

beforeAll(async () => {
  emu = await startSlackEmulator({ signingSecret: SIGNING_SECRET });
  team = emu.workspace.teamId;
  emu.addUser({ id: "U0ALICE", teamId: team, name: "alice", tz: "Europe/Paris", locale: "en-US" });
  emu.addUser({ id: "U0BOB", teamId: team, name: "bob", tz: "Europe/Paris", locale: "en-US" });
  emu.addUser({ id: "U0CAROL", teamId: OTHER_TEAM, name: "carol", tz: "Europe/Paris", locale: "en-US" });
  db = await openTestDatabase();
  slack = await startSlackPlatform(db, emu);
});
afterAll(async () => {
  await slack.platform.stop();
  await emu.close();
  await db.close();
});

const command = (userId: string, line: string, teamId = team) => {
  const [name, ...rest] = line.split(" ");
  return emu.sendCommand(slack.appUrl, {
    command: name ?? "",
    text: rest.join(" "),
    teamId,
    userId,
    channelId: "C0SALES",
  });
};

/** The file called `name` once its upload is completed: asked for, then completed (the emulator records both). */
async function uploaded(name: string) {
  await emu.waitForCall("files.getUploadURLExternal", (c) => c.params.filename === name);
  const file = emu.files.findLast((f) => f.name === name);
  const completes = (c: { params: Record<string, unknown> }) =>
    Array.isArray(c.params.files) && c.params.files.some((f) => f?.id === file?.id);
  await emu.waitForCall("files.completeUploadExternal", completes);
  return file;
}

/** The CSV a completed upload carried: its header and its rows as records. */
function csvOf(content: Buffer | undefined) {
  const text = content?.toString("utf8") ?? "";
  const header = text.replace(/^\ufeff/, "").split(/\r?\n/)[0];
  const rows: Record<string, string>[] = parse(content ?? Buffer.alloc(0), { bom: true, columns: true });
  return { header, rows };
}

describe("Slack: /closer export deals", () => {
  it("GIVEN deals in two workspaces WHEN an admin exports THEN the answer says so and the CSV of their workspace alone reaches their DM", async () => {
    // Alice is the workspace's first member, so its admin.
    for (const [user, line, teamId] of [
      ["U0ALICE", "/deal log 12k Acme stage:proposal", team],
      ["U0BOB", "/deal log 3k Globex", team],
      ["U0CAROL", "/deal log 99k Umbrella", OTHER_TEAM],
    ] as const) {
      expect(await answerText(emu, await command(user, line, teamId))).toContain("logged");
    }

    const res = await command("U0ALICE", "/closer export deals");
    expect(await answerText(emu, res)).toContain("closer-deals-all.csv: 2 deals");
    const file = await uploaded("closer-deals-all.csv");
    expect(file).toMatchObject({ name: "closer-deals-all.csv", completed: true });
    expect(emu.callsTo("conversations.open").map((c) => c.params.users)).toEqual(["U0ALICE"]);
    expect(file?.channel).toMatch(/^D/);
    const { header, rows } = csvOf(file?.content);
    expect(header).toBe(DEAL_COLUMNS.join(","));
    expect(rows.map((r) => [r.customer, r.owner, r.amount])).toEqual([
      ["Acme", "alice", "12000.00"],
      ["Globex", "bob", "3000.00"],
    ]);
    const shared = emu.messages.find((m) => m.files?.some((f) => f.id === file?.id));
    expect(shared?.text).toContain("closer-deals-all.csv: 2 deals");
  });

  it("GIVEN a period THEN the file is named after it", async () => {
    const res = await command("U0ALICE", "/closer export deals month");
    expect(await answerText(emu, res)).toContain("closer-deals-2026-11.csv: 2 deals");
    expect(csvOf((await uploaded("closer-deals-2026-11.csv"))?.content).rows).toHaveLength(2);
  });

  it("GIVEN a rep THEN refused", async () => {
    const refused = await answerText(emu, await command("U0BOB", "/closer export deals"));
    expect(refused).toContain("Only managers and admins can export deals");
  });

  it("GIVEN uploads Slack refuses THEN the user is told, for them alone, that the file could not be sent", async () => {
    emu.failNext("files.getUploadURLExternal", { error: "file_uploads_disabled" });
    const res = await command("U0ALICE", "/closer export deals");
    expect(await answerText(emu, res)).toContain("closer-deals-all.csv: 2 deals");
    const told = await emu.waitForResponse(res.responseUrlId ?? "", undefined, (body) =>
      textOf(body).includes("could not be sent"),
    );
    expect(textOf(told)).toContain("The file could not be sent to you by direct message");
    expect(told).toMatchObject({ response_type: "ephemeral" });
  });
});
