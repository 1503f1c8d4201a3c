import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import type { Database } from "../../src/db/client.js";
import { createDispatcher } from "../../src/notify/dispatcher.js";
import { type Destination, enqueue, payloadReply } from "../../src/notify/outbox.js";
import {
  type PostedMessage,
  type PostingLimits,
  startSlackEmulator,
} from "../emulators/slack/slack-emulator.js";
import { createTestSales, silentLog } from "../fixtures/sales.js";
import { openTestDatabase } from "../support/db.js";
import { emulatorSlackPort } from "../support/slack-port.js";
import { notification, outboxRow } from "./support.js";

const START = "2026-11-18T10:00:00Z";
const at = (ms: number) => new Date(new Date(START).getTime() + ms);

describe("notifications delivered to Slack", () => {
  let db: Database;
  let teams = 0;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db.close());

  /**
   * An emulated Slack team on the test's fixed clock, its workspace, and what a process needs to
   * deliver there: `newPort()` and `newDispatcher()` each stand for a fresh process.
   */
  async function setup(postingLimits?: PostingLimits) {
    const { sales, clock } = createTestSales(db, START);
    teams += 1;
    const emulator = await startSlackEmulator({
      signingSecret: "closer-test-signing-secret",
      teamId: `T0NOTIFY${teams}`,
      now: () => clock.now().getTime(),
      ...(postingLimits ? { postingLimits } : {}),
    });
    onTestFinished(() => emulator.close());
    const ws = await sales.workspaces.ensureWorkspace({
      platform: "slack",
      externalId: emulator.workspace.teamId,
      name: "Acme Sales",
      winsChannel: "C0WINS",
    });
    const newPort = () => emulatorSlackPort(emulator, db);
    const newDispatcher = (port = newPort()) =>
      createDispatcher({ db: db.prisma, ports: { slack: port }, clock, log: silentLog });
    const key = (name: string) => `test:${ws.id}:${name}`;
    /** The emulator's messages that carry `dedupeKey` in their metadata. */
    const postsOf = (dedupeKey: string): PostedMessage[] =>
      emulator.messages.filter(
        (m) => (m.metadata?.event_payload as { dedupe_key?: string } | undefined)?.dedupe_key === dedupeKey,
      );
    return { clock, emulator, ws, newPort, newDispatcher, key, postsOf };
  }

  it("GIVEN a win for the wins channel THEN it is posted with the key in its metadata, Block Kit and a text fallback", async () => {
    const { clock, emulator, ws, newDispatcher, key } = await setup();
    await enqueue(
      db.prisma,
      ws,
      [
        {
          key: key("win"),
          kind: "win",
          destination: "#C0WINS",
          reply: {
            visibility: "public",
            title: "🎉 Deal #7 won by Alice",
            lines: ["Acme <Corp> · €12,000"],
            fields: [{ label: "Attainment", value: "64%" }],
          },
        },
      ],
      clock.now(),
    );

    await newDispatcher().drain();

    expect(emulator.messages).toHaveLength(1);
    const [posted] = emulator.messages;
    expect(posted?.channel).toBe("C0WINS");
    expect(posted?.metadata).toEqual({
      event_type: "closer_notification",
      event_payload: { dedupe_key: key("win") },
    });
    expect(posted?.text).toBe("🎉 Deal #7 won by Alice\nAttainment: 64%\nAcme &lt;Corp&gt; · €12,000");
    expect(posted?.blocks).toEqual([
      { type: "section", text: { type: "mrkdwn", text: "*🎉 Deal #7 won by Alice*" } },
      { type: "section", fields: [{ type: "mrkdwn", text: "*Attainment*\n64%" }] },
      { type: "section", text: { type: "mrkdwn", text: "Acme &lt;Corp&gt; · €12,000" } },
    ]);
    expect(await outboxRow(db.prisma, key("win"))).toMatchObject({
      status: "sent",
      messageRef: `C0WINS/${posted?.ts}`,
    });
  });

  it("GIVEN DMs to a user THEN they go to the DM channel conversations.open gives, opened once", async () => {
    const { clock, emulator, ws, newDispatcher, key } = await setup();
    await enqueue(
      db.prisma,
      ws,
      [notification(key("digest"), "@U0ALICE"), notification(key("reminder"), "@U0ALICE")],
      clock.now(),
    );
    const dispatcher = newDispatcher();

    await dispatcher.drain();
    clock.advance(1000);
    await dispatcher.drain();

    expect(emulator.callsTo("conversations.open").map((c) => c.params.users)).toEqual(["U0ALICE"]);
    const dm = emulator.messages[0]?.channel ?? "";
    expect(dm).toMatch(/^D/);
    expect(emulator.messages.map((m) => [m.channel, m.text])).toEqual([
      [dm, `Won ${key("digest")}\nDeal ${key("digest")} closed`],
      [dm, `Won ${key("reminder")}\nDeal ${key("reminder")} closed`],
    ]);
    expect(await outboxRow(db.prisma, key("digest"))).toMatchObject({
      status: "sent",
      messageRef: `${dm}/${emulator.messages[0]?.ts}`,
    });
  });

  it("GIVEN a 429 with Retry-After 2 THEN nothing is re-sent before 2 s of the clock AND the win is then posted once", async () => {
    const { clock, emulator, ws, newDispatcher, key, postsOf } = await setup();
    emulator.failNext("chat.postMessage", { status: 429, retryAfter: 2 });
    await enqueue(db.prisma, ws, [notification(key("win"), "#C0WINS")], clock.now());
    const dispatcher = newDispatcher();

    await dispatcher.drain();
    expect(emulator.rateLimited).toBe(1);
    expect(await outboxRow(db.prisma, key("win"))).toMatchObject({
      status: "pending",
      lastError: "ratelimited",
      nextAttemptAt: at(2000),
    });

    clock.advance(1999);
    await dispatcher.drain();
    expect(emulator.callsTo("chat.postMessage")).toHaveLength(1);

    clock.advance(1);
    await dispatcher.drain();
    clock.advance(60_000);
    await dispatcher.drain();

    expect(emulator.callsTo("chat.postMessage")).toHaveLength(2);
    // The 429 said nothing was posted, so the retry posts straight away, without reading history.
    expect(emulator.callsTo("conversations.history")).toHaveLength(0);
    expect(emulator.messages).toHaveLength(1);
    expect(postsOf(key("win"))).toHaveLength(1);
    expect(await outboxRow(db.prisma, key("win"))).toMatchObject({
      status: "sent",
      attempts: 1,
      messageRef: `C0WINS/${emulator.messages[0]?.ts}`,
    });
  });

  it("GIVEN a 429 with Retry-After on a channel THEN the channel's later rows wait it out too AND keep their order", async () => {
    const { clock, emulator, ws, newDispatcher, key } = await setup();
    emulator.failNext("chat.postMessage", { status: 429, retryAfter: 2 });
    await enqueue(
      db.prisma,
      ws,
      [notification(key("win-1"), "#C0WINS"), notification(key("win-2"), "#C0WINS")],
      clock.now(),
    );
    const dispatcher = newDispatcher();

    await dispatcher.drain();
    expect(emulator.callsTo("chat.postMessage")).toHaveLength(1);
    expect(await outboxRow(db.prisma, key("win-2"))).toMatchObject({
      status: "pending",
      attempts: 0,
      nextAttemptAt: at(2000),
    });

    clock.advance(2000);
    await dispatcher.drain();
    clock.advance(1000);
    await dispatcher.drain();

    expect(emulator.rateLimited).toBe(1);
    expect(emulator.messages.map((m) => m.text?.split("\n")[0])).toEqual([
      `Won ${key("win-1")}`,
      `Won ${key("win-2")}`,
    ]);
    expect(emulator.messages.map((m) => Math.floor(Number(m.ts)) - at(0).getTime() / 1000)).toEqual([2, 3]);
  });

  it("GIVEN a dispatcher that posted and stopped before recording THEN the next one finds the post AND Slack has one message", async () => {
    const { clock, emulator, ws, newPort, newDispatcher, key, postsOf } = await setup();
    await enqueue(db.prisma, ws, [notification(key("win"), "#C0WINS")], clock.now());

    // Dispatcher A claims the row and posts it, as its sendGroup would, then the process dies.
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
    expect(row.attempts).toBe(1);
    expect(emulator.messages).toHaveLength(1);

    const b = newDispatcher();
    clock.advance(59_999);
    await b.drain();
    expect(await outboxRow(db.prisma, key("win"))).toMatchObject({ status: "pending", attempts: 1 });

    clock.advance(2);
    await b.drain();

    expect(emulator.callsTo("conversations.history")).toHaveLength(1);
    expect(emulator.callsTo("chat.postMessage")).toHaveLength(1);
    expect(postsOf(key("win"))).toHaveLength(1);
    expect(earlierRef).toBe(`C0WINS/${emulator.messages[0]?.ts}`);
    expect(await outboxRow(db.prisma, key("win"))).toMatchObject({
      status: "sent",
      attempts: 2,
      messageRef: earlierRef,
    });
  });

  it("GIVEN channel_not_found THEN the row fails at once with that error AND nothing is posted", async () => {
    const { clock, emulator, ws, newDispatcher, key } = await setup();
    emulator.failNext("chat.postMessage", { error: "channel_not_found" });
    await enqueue(db.prisma, ws, [notification(key("win"), "#C0GONE")], clock.now());
    const dispatcher = newDispatcher();

    await dispatcher.drain();
    clock.advance(3_600_000);
    await dispatcher.drain();

    expect(emulator.callsTo("chat.postMessage")).toHaveLength(1);
    expect(emulator.messages).toHaveLength(0);
    expect(await outboxRow(db.prisma, key("win"))).toMatchObject({
      status: "failed",
      attempts: 1,
      lastError: "channel_not_found",
      messageRef: null,
    });
  });

  it("GIVEN Slack's one post a second per channel THEN five rows to one channel go out one per clock second, with no 429 and no duplicate", async () => {
    const { clock, emulator, ws, newDispatcher, key, postsOf } = await setup({ perChannelPerSecond: 1 });
    const keys = [1, 2, 3, 4, 5].map((n) => key(`win-${n}`));
    await enqueue(
      db.prisma,
      ws,
      keys.map((k) => notification(k, "#C0WINS")),
      clock.now(),
    );
    const dispatcher = newDispatcher();

    const postedPerSecond: number[] = [];
    for (let second = 0; second < 5; second += 1) {
      await dispatcher.drain();
      postedPerSecond.push(emulator.messages.length);
      clock.advance(1000);
    }
    await dispatcher.drain();

    expect(postedPerSecond).toEqual([1, 2, 3, 4, 5]);
    expect(emulator.rateLimited).toBe(0);
    expect(emulator.callsTo("chat.postMessage")).toHaveLength(5);
    expect(keys.map((k) => postsOf(k).length)).toEqual([1, 1, 1, 1, 1]);
    expect(emulator.messages.map((m) => Math.floor(Number(m.ts)) - at(0).getTime() / 1000)).toEqual([
      0, 1, 2, 3, 4,
    ]);
    const rows = await db.prisma.outbox.findMany({ where: { workspaceId: ws.id } });
    expect(rows.map((r) => [r.status, r.attempts])).toEqual(keys.map(() => ["sent", 1]));
  });
});
