import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { type Database, openDatabase } from "../../src/db/client.js";
import { migrate } from "../../src/db/migrate.js";
import { createDispatcher } from "../../src/notify/dispatcher.js";
import { channelOf, enqueue } from "../../src/notify/outbox.js";
import { createSlackPort } from "../../src/platforms/slack/slack-port.js";
import { startSlackEmulator } from "../emulators/slack/slack-emulator.js";
import { createTestSales, silentLog } from "../fixtures/sales.js";
import { type EmptyDatabase, openEmptyDatabase } from "../support/db.js";
import { createRecordingPort, notification, outboxRows } from "./support.js";

describe("dispatcher replicas", () => {
  let empty: EmptyDatabase;
  /** Two handles on one database: two connection pools on PostgreSQL, PGlite's single handle twice. */
  let first: Database;
  let second: Database;
  beforeAll(async () => {
    empty = await openEmptyDatabase();
    first = empty.db;
    await migrate(first.sql);
    second = empty.url ? await openDatabase(empty.url) : first;
  });
  afterAll(async () => {
    if (second !== first) await second.close();
    await empty.close();
  });

  it("GIVEN two dispatchers draining 200 rows over 20 destinations at once THEN every key is delivered exactly once", async () => {
    const { sales, clock } = createTestSales(first);
    const ws = await sales.workspaces.ensureWorkspace({
      platform: "shell",
      externalId: randomUUID(),
      name: "Replicas",
    });
    const keys = Array.from({ length: 200 }, (_, i) => `test:${ws.id}:win-${i}`);
    await enqueue(
      first.prisma,
      ws,
      keys.map((key, i) => notification(key, channelOf(`dest-${i % 20}`))),
      clock.now(),
    );
    const ports = [createRecordingPort(), createRecordingPort()];
    const [a, b] = [first, second].map((db, i) =>
      createDispatcher({
        db: db.prisma,
        ports: { shell: ports[i] },
        clock,
        log: silentLog,
        batchSize: 10,
        concurrency: 4,
      }),
    );

    await Promise.all([a?.drain(), b?.drain()]);

    const delivered = ports.flatMap((p) => p.delivered.map((m) => m.dedupeKey));
    expect(delivered).toHaveLength(200);
    expect(new Set(delivered)).toEqual(new Set(keys));
    // Both replicas took part: the rows were shared, not served by whichever started first.
    expect(ports.map((p) => p.delivered.length > 0)).toEqual([true, true]);
    const rows = await outboxRows(second.prisma, ws);
    expect(rows.filter((r) => r.status === "sent")).toHaveLength(200);
    expect(rows.every((r) => r.attempts === 1 && r.messageRef === `shell:${r.dedupeKey}`)).toBe(true);
  });

  it("GIVEN two replicas taking turns on Slack channels limited to one post a second THEN Slack's 429s hold them back AND each key is posted once", async () => {
    const { sales, clock } = createTestSales(first);
    const emulator = await startSlackEmulator({
      signingSecret: "closer-test-signing-secret",
      teamId: "T0REPLICAS",
      now: () => clock.now().getTime(),
      postingLimits: { perChannelPerSecond: 1 },
    });
    onTestFinished(() => emulator.close());
    const ws = await sales.workspaces.ensureWorkspace({
      platform: "slack",
      externalId: emulator.workspace.teamId,
      name: "Replicas",
    });
    const keys = Array.from({ length: 20 }, (_, i) => `test:${ws.id}:win-${i}`);
    await enqueue(
      first.prisma,
      ws,
      keys.map((key, i) => notification(key, channelOf(`C0CHAN${i % 4}`))),
      clock.now(),
    );
    const replicas = [first, second].map((db) =>
      createDispatcher({
        db: db.prisma,
        ports: {
          slack: createSlackPort({
            slack: {
              botToken: emulator.tokens.bot,
              signingSecret: "closer-test-signing-secret",
              appToken: undefined,
              apiUrl: emulator.apiUrl,
              oauth: undefined,
            },
            db: db.prisma,
            log: silentLog,
          }),
        },
        clock,
        log: silentLog,
        batchSize: 3,
      }),
    );

    // Each replica keeps one post a second per channel only for itself; Slack's 429s do the rest.
    // Turns (not Promise.all) and batches of 3 over 4 channels: both post to one channel in one second, every run.
    const [a, b] = replicas;
    for (let tick = 0; tick < 30; tick += 1) {
      while (((await a?.dispatchOnce()) ?? 0) + ((await b?.dispatchOnce()) ?? 0) > 0) {}
      clock.advance(1000);
    }

    const posted = emulator.messages.map(
      (m) => (m.metadata?.event_payload as { dedupe_key?: string } | undefined)?.dedupe_key,
    );
    expect(posted.toSorted()).toEqual(keys.toSorted());
    const rows = await outboxRows(second.prisma, ws);
    expect(rows.map((r) => r.status)).toEqual(keys.map(() => "sent"));
    const perChannelSecond = emulator.messages.map((m) => `${m.channel}@${Math.floor(Number(m.ts))}`);
    expect(new Set(perChannelSecond).size).toBe(perChannelSecond.length);
    expect(emulator.rateLimited).toBeGreaterThan(0);
  });
});
