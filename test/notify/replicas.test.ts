import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { createFixedClock } from "../../src/clock.js";
import { type Database, openDatabase } from "../../src/db/client.js";
import { migrate } from "../../src/db/migrate.js";
import { createDispatcher } from "../../src/notify/dispatcher.js";
import { channelOf, enqueue } from "../../src/notify/outbox.js";
import type { DeliveryPort } from "../../src/notify/port.js";
import { startSlackEmulator } from "../emulators/slack/slack-emulator.js";
import { createTestSales, silentLog } from "../fixtures/sales.js";
import { type EmptyDatabase, openMigratedDatabase } from "../support/db.js";
import { emulatorSlackPort } from "../support/slack-port.js";
import { createRecordingPort, notification, outboxRows } from "./support.js";

describe("dispatcher replicas", () => {
  let empty: EmptyDatabase;
  /** Two handles on one database: two connection pools on PostgreSQL, PGlite's single handle twice. */
  let first: Database;
  let second: Database;
  beforeAll(async () => {
    empty = await openMigratedDatabase();
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

  it("GIVEN two dispatchers with clocks of their own, both with due rows for one channel THEN no two posts to a channel are less than 1 s apart on their clocks", async () => {
    const { sales, clock } = createTestSales(first);
    const ws = await sales.workspaces.ensureWorkspace({
      platform: "shell",
      externalId: randomUUID(),
      name: "Paced replicas",
    });
    const general = Array.from({ length: 6 }, (_, i) => `test:${ws.id}:general-${i}`);
    const wins = Array.from({ length: 3 }, (_, i) => `test:${ws.id}:wins-${i}`);
    await enqueue(
      first.prisma,
      ws,
      [
        ...general.map((key) => notification(key, channelOf("general"))),
        ...wins.map((key) => notification(key, channelOf("wins"))),
      ],
      clock.now(),
    );
    /** Every post, stamped by the clock of the dispatcher that made it. */
    const posts: { replica: number; key: string; destination: string; at: number }[] = [];
    const clocks = [createFixedClock(clock.now()), createFixedClock(clock.now())];
    const replicas = [first, second].map((db, replica) => {
      const own = clocks[replica] ?? clock;
      const port: DeliveryPort = {
        minIntervalMs: 1000,
        async deliver(message) {
          posts.push({
            replica,
            key: message.dedupeKey,
            destination: message.destination,
            at: own.now().getTime(),
          });
          return `shell:${message.dedupeKey}`;
        },
      };
      return createDispatcher({
        db: db.prisma,
        ports: { shell: port },
        clock: own,
        log: silentLog,
        batchSize: 5,
      });
    });

    // The clocks move in turns, 300 ms each, so one is often ahead of the other; both replicas poll at every step.
    const pollBoth = () => Promise.all(replicas.map((r) => r.drain()));
    for (let step = 0; step < 30; step += 1) {
      clocks[0]?.advance(300);
      await pollBoth();
      clocks[1]?.advance(300);
      await pollBoth();
    }

    expect(posts.map((p) => p.key).toSorted()).toEqual([...general, ...wins].toSorted());
    for (const destination of ["#general", "#wins"]) {
      const times = posts
        .filter((p) => p.destination === destination)
        .map((p) => p.at)
        .toSorted((a, b) => a - b);
      const gaps = times.slice(1).map((t, i) => t - (times[i] ?? Number.NaN));
      expect(
        gaps.every((gap) => gap >= 1000),
        `${destination}: ${JSON.stringify(posts)}`,
      ).toBe(true);
    }
    const rows = await outboxRows(second.prisma, ws);
    expect(rows.every((r) => r.status === "sent" && r.attempts === 1)).toBe(true);
  });

  it("GIVEN two replicas taking turns on Slack channels limited to one post a second THEN they keep the pace together: no 429 AND each key is posted once", async () => {
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
          slack: emulatorSlackPort(emulator, db),
        },
        clock,
        log: silentLog,
        batchSize: 3,
      }),
    );

    // Turns (not Promise.all) and batches of 3 over 4 channels: both replicas have due rows for one
    // channel in one second, every run; the pace kept in the outbox holds them both back.
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
    expect(emulator.rateLimited).toBe(0);
  });
});
