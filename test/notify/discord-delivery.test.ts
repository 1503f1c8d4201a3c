import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import type { Database } from "../../src/db/client.js";
import { createDispatcher } from "../../src/notify/dispatcher.js";
import { type Destination, enqueue, payloadReply } from "../../src/notify/outbox.js";
import { createDiscordPort, nonceOf } from "../../src/platforms/discord/discord-port.js";
import { startDiscordEmulator } from "../emulators/discord/discord-emulator.js";
import { createTestSales, silentLog } from "../fixtures/sales.js";
import { openTestDatabase } from "../support/db.js";
import { notification, outboxRow } from "./support.js";

const START = "2026-11-18T10:00:00Z";
const ALICE = "300000000000000001";
const messagesPath = /^\/channels\/\d+\/messages$/;

describe("notifications delivered to Discord", () => {
  let db: Database;
  let guilds = 0;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db.close());

  /**
   * An emulated Discord with a guild of its own on the test's fixed clock, its workspace, and what a
   * process needs to deliver there: `newPort()` and `newDispatcher()` each stand for a fresh process.
   */
  async function setup() {
    const { sales, clock } = createTestSales(db, START);
    guilds += 1;
    const guildId = String(1_200_000_000_000_000_000n + BigInt(guilds * 100));
    const winsChannel = String(1_200_000_000_000_000_001n + BigInt(guilds * 100));
    const emulator = await startDiscordEmulator({ now: () => clock.now().getTime() });
    onTestFinished(() => emulator.close());
    emulator.addGuild({ id: guildId, name: "Acme Sales", channels: [{ id: winsChannel, name: "wins" }] });
    emulator.addMember(guildId, { id: ALICE, username: "alice" });
    const ws = await sales.workspaces.ensureWorkspace({
      platform: "discord",
      externalId: guildId,
      name: "Acme Sales",
      winsChannel,
    });
    const newPort = () =>
      createDiscordPort({
        token: emulator.token,
        applicationId: emulator.applicationId,
        apiUrl: emulator.apiUrl,
      });
    const newDispatcher = () =>
      createDispatcher({ db: db.prisma, ports: { discord: newPort() }, clock, log: silentLog });
    const key = (name: string) => `test:${ws.id}:${name}`;
    return { clock, emulator, ws, winsChannel, newPort, newDispatcher, key };
  }

  it("GIVEN a win for the wins channel THEN the message carries nonce + enforce_nonce and the embed", async () => {
    const { clock, emulator, ws, winsChannel, newDispatcher, key } = await setup();
    await enqueue(
      db.prisma,
      ws,
      [
        {
          key: key("win"),
          kind: "win",
          destination: `#${winsChannel}`,
          reply: {
            visibility: "public",
            title: "🎉 Deal #7 won by Alice",
            lines: ["Acme · €12,000"],
            fields: [{ label: "Attainment", value: "64%" }],
          },
        },
      ],
      clock.now(),
    );

    await newDispatcher().drain();

    const posts = emulator.requests.filter((r) => r.method === "POST" && messagesPath.test(r.path));
    expect(posts).toHaveLength(1);
    expect(posts[0]?.body).toMatchObject({ nonce: nonceOf(key("win")), enforce_nonce: true });
    expect(nonceOf(key("win"))).toHaveLength(25);
    const messages = emulator.channelMessages(winsChannel);
    expect(messages).toHaveLength(1);
    expect(messages[0]?.embeds).toEqual([
      {
        title: "🎉 Deal #7 won by Alice",
        description: "Acme · €12,000",
        color: 0x1f6feb,
        fields: [{ name: "Attainment", value: "64%", inline: true }],
      },
    ]);
    expect(await outboxRow(db.prisma, key("win"))).toMatchObject({
      status: "sent",
      messageRef: `${winsChannel}/${messages[0]?.id}`,
    });
  });

  it("GIVEN a DM to a member THEN it goes to the DM channel POST /users/@me/channels gives", async () => {
    const { clock, emulator, ws, newDispatcher, key } = await setup();
    await enqueue(db.prisma, ws, [notification(key("digest"), `@${ALICE}`, "Your digest")], clock.now());

    await newDispatcher().drain();

    const opened = emulator.requests.filter((r) => r.method === "POST" && r.path === "/users/@me/channels");
    expect(opened.map((r) => r.body)).toEqual([{ recipient_id: ALICE }]);
    const dm = emulator.dmChannelId(ALICE);
    const messages = emulator.channelMessages(dm);
    expect(messages.map((m) => (m.embeds as { title?: string }[])[0]?.title)).toEqual(["Your digest"]);
    expect(messages[0]?.nonce).toBe(nonceOf(key("digest")));
    expect(await outboxRow(db.prisma, key("digest"))).toMatchObject({
      status: "sent",
      messageRef: `${dm}/${messages[0]?.id}`,
    });
  });

  it("GIVEN a dispatcher that sent and stopped before recording THEN the next one gets the same message back AND the channel has one", async () => {
    const { clock, emulator, ws, winsChannel, newPort, newDispatcher, key } = await setup();
    await enqueue(db.prisma, ws, [notification(key("win"), `#${winsChannel}`)], clock.now());

    // Dispatcher A claims the row and sends it, as its sendGroup would, then the process dies.
    const [row] = await newDispatcher().claim();
    if (!row) throw new Error("dispatcher A claimed nothing");
    const reply = payloadReply(row.payload);
    if (!reply) throw new Error("the row holds no message");
    const earlierRef = await newPort().deliver({
      workspace: ws,
      destination: row.destination as Destination,
      reply,
      dedupeKey: row.dedupe_key,
      attempt: row.attempts,
    });

    const b = newDispatcher();
    clock.advance(59_999);
    await b.drain();
    expect(await outboxRow(db.prisma, key("win"))).toMatchObject({ status: "pending", attempts: 1 });

    clock.advance(2);
    await b.drain();

    const posts = emulator.requests.filter((r) => r.method === "POST" && messagesPath.test(r.path));
    expect(posts.map((p) => (p.body as { nonce?: string }).nonce)).toEqual([
      nonceOf(key("win")),
      nonceOf(key("win")),
    ]);
    const messages = emulator.channelMessages(winsChannel);
    expect(messages).toHaveLength(1);
    expect(earlierRef).toBe(`${winsChannel}/${messages[0]?.id}`);
    expect(await outboxRow(db.prisma, key("win"))).toMatchObject({
      status: "sent",
      attempts: 2,
      messageRef: earlierRef,
    });
  });

  it("GIVEN Discord answers 500 on every try of a send THEN the row backs off AND is posted once later", async () => {
    const { clock, emulator, ws, winsChannel, newDispatcher, key } = await setup();
    // discord.js tries twice (retries: 1) before giving up on a 5xx.
    emulator.failNext("POST", messagesPath, { status: 500 }, 2);
    await enqueue(db.prisma, ws, [notification(key("win"), `#${winsChannel}`)], clock.now());
    const dispatcher = newDispatcher();

    await dispatcher.drain();
    expect(await outboxRow(db.prisma, key("win"))).toMatchObject({ status: "pending", attempts: 1 });
    expect(emulator.channelMessages(winsChannel)).toHaveLength(0);

    clock.advance(2000);
    await dispatcher.drain();

    expect(emulator.channelMessages(winsChannel)).toHaveLength(1);
    expect(await outboxRow(db.prisma, key("win"))).toMatchObject({
      status: "sent",
      attempts: 2,
      lastError: null,
    });
  });

  it("GIVEN a channel Discord does not know THEN the row fails at once", async () => {
    const { clock, emulator, ws, newDispatcher, key } = await setup();
    await enqueue(db.prisma, ws, [notification(key("win"), "#1299999999999999999")], clock.now());
    const dispatcher = newDispatcher();

    await dispatcher.drain();
    clock.advance(3_600_000);
    await dispatcher.drain();

    const posts = emulator.requests.filter((r) => r.method === "POST" && messagesPath.test(r.path));
    expect(posts).toHaveLength(1);
    const row = await outboxRow(db.prisma, key("win"));
    expect(row).toMatchObject({ status: "failed", attempts: 1, messageRef: null });
    expect(row.lastError).toContain("404 10003");
  });
});
