import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import type { Database } from "../../src/db/client.js";
import { createDispatcher } from "../../src/notify/dispatcher.js";
import { enqueue } from "../../src/notify/outbox.js";
import { startSlackEmulator } from "../emulators/slack/slack-emulator.js";
import { createTestSales, silentLog } from "../fixtures/sales.js";
import { openTestDatabase } from "../support/db.js";
import { emulatorSlackPort } from "../support/slack-port.js";
import { notification, outboxRows } from "./support.js";

/** 21:00 in Paris, inside quiet hours 20:00-08:00; they end at 07:00 UTC the next day. */
const EVENING = "2026-11-18T20:00:00Z";
const MORNING = "2026-11-19T07:00:00Z";

describe("quiet hours on Slack", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db.close());

  it("GIVEN three wins held overnight AND a process that posted the merged message then stopped before recording THEN Slack has one message for the three AND every row is recorded with its reference", async () => {
    const { sales, clock } = createTestSales(db, EVENING);
    const emulator = await startSlackEmulator({
      signingSecret: "closer-test-signing-secret",
      teamId: "T0QUIET",
      now: () => clock.now().getTime(),
    });
    onTestFinished(() => emulator.close());
    let ws = await sales.workspaces.ensureWorkspace({
      platform: "slack",
      externalId: emulator.workspace.teamId,
      name: "Acme Sales",
      timezone: "Europe/Paris",
      winsChannel: "C0WINS",
    });
    const admin = await sales.members.ensureMember(ws, { platformUserId: "U0ADMIN", displayName: "Ada" });
    ws = await sales.workspaces.setConfig(ws, admin, "quiet_hours", "20:00-08:00");
    const newPort = () => emulatorSlackPort(emulator, db);
    const newDispatcher = () =>
      createDispatcher({ db: db.prisma, ports: { slack: newPort() }, clock, log: silentLog });
    const key = (name: string) => `win:${ws.id}:${name}`;

    await enqueue(
      db.prisma,
      ws,
      ["a", "b", "c"].map((n) => notification(key(n), "#C0WINS", `Won ${n}`)),
      clock.now(),
    );
    await newDispatcher().drain();
    expect(emulator.callsTo("chat.postMessage")).toHaveLength(0);

    // At 08:00 process A claims the first win and posts the merged message, then dies.
    clock.set(MORNING);
    const a = newDispatcher();
    const [row] = await a.claim();
    if (!row) throw new Error("process A claimed nothing");
    const { message } = await a.prepare(ws, row);
    const earlierRef = await newPort().deliver(message);

    // Process B takes over once A's lease runs out.
    const b = newDispatcher();
    clock.advance(60_001);
    await b.drain();
    await b.drain();

    // B's resend looked for the earlier post by its key, found it, and posted nothing.
    expect(emulator.callsTo("conversations.history")).toHaveLength(1);
    expect(emulator.callsTo("chat.postMessage")).toHaveLength(1);
    expect(emulator.messages).toHaveLength(1);
    const [posted] = emulator.messages;
    expect(posted?.metadata).toEqual({
      event_type: "closer_notification",
      event_payload: { dedupe_key: key("a") },
    });
    expect(posted?.text?.split("\n")).toEqual([
      "While you were away: 3 posts",
      "• Won a",
      `   Deal ${key("a")} closed`,
      "• Won b",
      `   Deal ${key("b")} closed`,
      "• Won c",
      `   Deal ${key("c")} closed`,
    ]);
    expect(earlierRef).toBe(`C0WINS/${posted?.ts}`);
    const rows = await outboxRows(db.prisma, ws);
    expect(rows.map((r) => [r.dedupeKey, r.status, r.messageRef])).toEqual(
      ["a", "b", "c"].map((n) => [key(n), "sent", earlierRef]),
    );
  });
});
