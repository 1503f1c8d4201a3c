import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { digestsOf } from "../../src/announcements/digest.js";
import type { Database } from "../../src/db/client.js";
import type { Platform } from "../../src/generated/prisma/enums.js";
import { createDispatcher } from "../../src/notify/dispatcher.js";
import { type Destination, enqueue, payloadReply } from "../../src/notify/outbox.js";
import type { DeliveryPort } from "../../src/notify/port.js";
import { createDiscordPort } from "../../src/platforms/discord/discord-port.js";
import { createShellPort } from "../../src/platforms/shell/shell-port.js";
import type { createSlackPort } from "../../src/platforms/slack/slack-port.js";
import type { Workspace } from "../../src/sales/deps.js";
import type { SalesService } from "../../src/sales/sales-service.js";
import { startDiscordEmulator } from "../emulators/discord/discord-emulator.js";
import { startSlackEmulator } from "../emulators/slack/slack-emulator.js";
import { createTestSales, type FixedClock, silentLog } from "../fixtures/sales.js";
import { openTestDatabase } from "../support/db.js";
import { emulatorSlackPort } from "../support/slack-port.js";
import { outboxRow } from "./support.js";

/*
 * The daily digest carries its won-against-goal chart in its one outbox row, drawn when delivered.
 * On Wednesday 18 November 2026, 09:00 UTC: €12,000 won on 5 November, a €30,000 goal for the month.
 */

const START = "2026-11-18T09:00:00Z";
const DAY = "2026-11-18";
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

let db: Database;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(() => db.close());

let workspaces = 0;

/** A workspace of `platform` with a win and a goal this month, and its digest queued for `#<channel>`. */
async function queuedDigest(
  sales: SalesService,
  clock: FixedClock,
  platform: Platform,
  externalId: string,
  channel: string,
  locale: "en" | "fr" = "en",
) {
  const ws0 = await sales.workspaces.ensureWorkspace({ platform, externalId, name: "Acme Sales", locale });
  const admin = await sales.members.ensureMember(ws0, { platformUserId: "UADMIN", displayName: "admin" });
  await sales.workspaces.setConfig(ws0, admin, "digest_channel", `#${channel}`);
  clock.set("2026-11-05T10:00:00Z");
  const { deal } = await sales.deals.logDeal(ws0, admin, { amount: 1_200_000n, customer: "Acme" });
  await sales.deals.winDeal(ws0, admin, deal.number);
  await sales.goals.setGoal(ws0, admin, { scope: "company" }, "revenue", "month", 3_000_000n);
  clock.set(START);
  const ws: Workspace = await sales.workspaces.getWorkspace(ws0.id);
  const notifications = await digestsOf(sales, ws, DAY);
  await enqueue(db.prisma, ws, notifications, clock.now());
  return { ws, key: `digest:${ws.id}:${DAY}:channel` };
}

/** Dispatcher A claims the row and delivers it through `port`, then its process dies before recording. */
async function sendAndCrash(port: DeliveryPort, ws: Workspace, platform: Platform, clock: FixedClock) {
  const [row] = await createDispatcher({
    db: db.prisma,
    ports: { [platform]: port },
    clock,
    log: silentLog,
  }).claim();
  if (!row) throw new Error("dispatcher A claimed nothing");
  const reply = payloadReply(row.payload);
  if (!reply) throw new Error("the row holds no message");
  return port.deliver({
    workspace: ws,
    destination: row.destination as Destination,
    reply,
    dedupeKey: row.dedupe_key,
    attempt: row.attempts,
  });
}

/** A Slack emulator for a new team with its digest queued, and ports to it; options for either. */
async function slackWithDigest(
  emulatorOptions: Partial<Parameters<typeof startSlackEmulator>[0]> = {},
  portOptions: Partial<Parameters<typeof createSlackPort>[0]> = {},
) {
  const { sales, clock } = createTestSales(db, START);
  const emulator = await startSlackEmulator({
    signingSecret: "closer-test-signing-secret",
    teamId: `T0CHART${++workspaces}`,
    now: () => clock.now().getTime(),
    ...emulatorOptions,
  });
  onTestFinished(() => emulator.close());
  const { ws, key } = await queuedDigest(sales, clock, "slack", emulator.workspace.teamId, "C0DIGEST");
  const port = () => emulatorSlackPort(emulator, db, portOptions);
  return { clock, emulator, ws, key, port };
}

describe("the digest's chart", () => {
  it("GIVEN Slack, and a dispatcher that posted and stopped before recording THEN the next one finds the post: one message, one file", async () => {
    const { clock, emulator, ws, key, port } = await slackWithDigest();

    const earlierRef = await sendAndCrash(port(), ws, "slack", clock);
    clock.advance(60_001);
    await createDispatcher({ db: db.prisma, ports: { slack: port() }, clock, log: silentLog }).drain();

    expect(emulator.messages).toHaveLength(1);
    expect(emulator.files).toHaveLength(1);
    const [message] = emulator.messages;
    const [file] = emulator.files;
    // Uploaded privately, shown by the keyed message's image block: no second post shares it.
    expect(file).toMatchObject({ name: "chart.png", completed: true, channel: undefined, shownIn: 1 });
    expect(file?.content?.subarray(0, 4)).toEqual(PNG);
    expect(message?.blocks?.at(-1)).toEqual({
      type: "image",
      slack_file: { id: file?.id },
      alt_text: "Won against goal · November 2026 · company",
      title: { type: "plain_text", text: "Won against goal · November 2026 · company" },
    });
    expect(message?.text).toContain("Daily digest");
    expect(await outboxRow(db.prisma, key)).toMatchObject({
      status: "sent",
      attempts: 2,
      messageRef: earlierRef,
    });
  });

  it("GIVEN Slack still processing the upload THEN the post waits for it AND shows the picture once", async () => {
    const { clock, emulator, key, port } = await slackWithDigest(
      { fileProcessingChecks: 2 },
      { fileWaitsMs: [1, 1, 1] },
    );

    await createDispatcher({ db: db.prisma, ports: { slack: port() }, clock, log: silentLog }).drain();

    expect(emulator.callsTo("chat.postMessage")).toHaveLength(3);
    expect(emulator.messages).toHaveLength(1);
    expect(emulator.files).toHaveLength(1);
    expect(emulator.messages[0]?.blocks?.at(-1)).toMatchObject({ type: "image" });
    expect(await outboxRow(db.prisma, key)).toMatchObject({ status: "sent", attempts: 1 });
  });

  it("GIVEN a Slack app installed without files:write THEN the digest goes as text alone", async () => {
    const { clock, emulator, key, port } = await slackWithDigest({
      scopes: ["commands", "chat:write", "im:write", "channels:history"],
    });

    await createDispatcher({ db: db.prisma, ports: { slack: port() }, clock, log: silentLog }).drain();

    expect(emulator.messages).toHaveLength(1);
    expect(emulator.messages[0]?.blocks?.some((b) => (b as { type?: string }).type === "image")).toBe(false);
    expect(await outboxRow(db.prisma, key)).toMatchObject({ status: "sent" });
  });

  it("GIVEN a chart that cannot be drawn THEN Slack gets the text AND nothing is uploaded", async () => {
    const { clock, emulator, key, port } = await slackWithDigest(
      {},
      { drawChart: () => Promise.reject(new Error("no room to draw")) },
    );

    await createDispatcher({ db: db.prisma, ports: { slack: port() }, clock, log: silentLog }).drain();

    expect(emulator.files).toHaveLength(0);
    expect(emulator.messages).toHaveLength(1);
    expect(emulator.messages[0]?.text).toContain("Daily digest");
    expect(await outboxRow(db.prisma, key)).toMatchObject({ status: "sent", attempts: 1 });
  });

  it("GIVEN Discord, and a dispatcher that sent and stopped before recording THEN the resend gets the message back: one message, one attachment, shown in the embed", async () => {
    const { sales, clock } = createTestSales(db, START);
    const emulator = await startDiscordEmulator({ now: () => clock.now().getTime() });
    onTestFinished(() => emulator.close());
    workspaces += 1;
    const guildId = String(1_300_000_000_000_000_000n + BigInt(workspaces * 100));
    const channel = String(1_300_000_000_000_000_001n + BigInt(workspaces * 100));
    emulator.addGuild({ id: guildId, name: "Acme Sales", channels: [{ id: channel, name: "digest" }] });
    const { ws, key } = await queuedDigest(sales, clock, "discord", guildId, channel, "fr");
    const port = () =>
      createDiscordPort(
        { token: emulator.token, applicationId: emulator.applicationId, apiUrl: emulator.apiUrl },
        { log: silentLog },
      );

    const earlierRef = await sendAndCrash(port(), ws, "discord", clock);
    clock.advance(60_001);
    await createDispatcher({ db: db.prisma, ports: { discord: port() }, clock, log: silentLog }).drain();

    const messages = emulator.channelMessages(channel);
    const files = emulator.channelFiles(channel);
    expect(messages).toHaveLength(1);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({ filename: "chart.png", contentType: "image/png" });
    expect(files[0]?.content.subarray(0, 4)).toEqual(PNG);
    const attachments = messages[0]?.attachments as { url: string; filename: string }[];
    const embeds = messages[0]?.embeds as { title?: string; image?: { url: string } }[];
    expect(attachments.map((a) => a.filename)).toEqual(["chart.png"]);
    expect(embeds).toHaveLength(1);
    expect(embeds[0]?.title).toContain("Point du jour");
    expect(embeds[0]?.image?.url).toBe(attachments[0]?.url);
    const sent = emulator.requests.filter(
      (r) => r.method === "POST" && /\/channels\/\d+\/messages$/.test(r.path),
    );
    expect((sent[0]?.body as { attachments?: unknown } | undefined)?.attachments).toEqual([
      { id: 0, filename: "chart.png", description: "Gagné face à l’objectif · novembre 2026 · entreprise" },
    ]);
    expect(await outboxRow(db.prisma, key)).toMatchObject({
      status: "sent",
      attempts: 2,
      messageRef: earlierRef,
    });
  });

  it("GIVEN the shell THEN the row holds the chart as data, the digest is printed AND its chart saved as a PNG whose path is printed under it, in French", async () => {
    const { sales, clock } = createTestSales(db, START);
    const { key } = await queuedDigest(sales, clock, "shell", `local-${++workspaces}`, "digest", "fr");
    const directory = mkdtempSync(join(tmpdir(), "closer-chart-"));
    const printed: string[] = [];
    const port = createShellPort((text) => printed.push(text), { charts: { directory, log: silentLog } });
    // The one outbox row holds the chart as data: the month's won so far against the goal.
    const stored = payloadReply((await outboxRow(db.prisma, key))?.payload)?.charts;
    expect(stored).toHaveLength(1);
    expect(stored?.[0]).toMatchObject({
      kind: "line",
      title: "Gagné face à l’objectif · novembre 2026 · entreprise",
      target: { label: "Objectif", value: 30_000 },
    });
    expect(stored?.[0]?.series[0]?.values.slice(3, 19)).toEqual([
      0,
      ...Array.from({ length: 14 }, () => 12_000),
      null,
    ]);

    await createDispatcher({ db: db.prisma, ports: { shell: port }, clock, log: silentLog }).drain();

    expect(readdirSync(directory)).toEqual(["closer-chart.png"]);
    const path = join(directory, "closer-chart.png");
    expect(readFileSync(path).subarray(0, 4)).toEqual(PNG);
    expect(printed).toHaveLength(1);
    expect(printed[0]).toMatch(/^\[#digest\] 📊 Point du jour/);
    expect(printed[0]?.split("\n").at(-1)).toBe(`  Graphique enregistré\u202f: ${path}`);
    expect(await outboxRow(db.prisma, key)).toMatchObject({ status: "sent" });
  });
});
