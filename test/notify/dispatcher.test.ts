import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { createDispatcher, type DispatcherOptions } from "../../src/notify/dispatcher.js";
import { enqueue } from "../../src/notify/outbox.js";
import { DeliveryError } from "../../src/notify/port.js";
import { createTestSales, runText, seedRep, seedWorkspace, silentLog } from "../fixtures/sales.js";
import { openTestDatabase } from "../support/db.js";
import { createRecordingPort, notification, outboxRow, outboxRows } from "./support.js";

const START = "2026-11-18T10:00:00Z";
const at = (ms: number) => new Date(new Date(START).getTime() + ms);

describe("outbox dispatcher", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db.close());

  /** A shell workspace of its own, its admin, a recording port and a dispatcher on the fixed clock. */
  async function setup(options: { minIntervalMs?: number } & Pick<DispatcherOptions, "maxAttempts"> = {}) {
    const { minIntervalMs, ...dispatcherOptions } = options;
    const { sales, clock } = createTestSales(db, START);
    const ws = await seedWorkspace(sales);
    const admin = await sales.members.ensureMember(ws, { platformUserId: "admin", displayName: "admin" });
    const port = createRecordingPort(minIntervalMs);
    const dispatcher = createDispatcher({
      db: db.prisma,
      ports: { shell: port },
      clock,
      log: silentLog,
      ...dispatcherOptions,
    });
    const key = (name: string) => `test:${ws.id}:${name}`;
    return { sales, clock, ws, admin, port, dispatcher, key };
  }

  it("GIVEN two queued notifications THEN each is delivered once and recorded as sent with its message ref", async () => {
    const { clock, ws, port, dispatcher, key } = await setup();
    await enqueue(
      db.prisma,
      ws,
      [notification(key("a"), "#wins", "Acme won"), notification(key("b"), "@alice", "Your digest")],
      clock.now(),
    );

    await dispatcher.drain();
    await dispatcher.drain();

    expect(port.printed).toEqual([
      `[#wins] Acme won\n  Deal ${key("a")} closed`,
      `[dm @alice] Your digest\n  Deal ${key("b")} closed`,
    ]);
    expect(port.delivered.map((m) => [m.dedupeKey, m.attempt])).toEqual([
      [key("a"), 1],
      [key("b"), 1],
    ]);
    const rows = await outboxRows(db.prisma, ws);
    expect(
      rows.map((r) => ({ key: r.dedupeKey, status: r.status, ref: r.messageRef, attempts: r.attempts })),
    ).toEqual([
      { key: key("a"), status: "sent", ref: `shell:${key("a")}`, attempts: 1 },
      { key: key("b"), status: "sent", ref: `shell:${key("b")}`, attempts: 1 },
    ]);
    expect(rows.every((r) => r.sentAt?.getTime() === clock.now().getTime() && r.lastError === null)).toBe(
      true,
    );
  });

  it("GIVEN the same key enqueued twice THEN the outbox holds one row AND it is delivered once", async () => {
    const { clock, ws, port, dispatcher, key } = await setup();
    const win = notification(key("win"), "#wins");

    expect(await enqueue(db.prisma, ws, [win], clock.now())).toBe(1);
    expect(
      await enqueue(db.prisma, ws, [win, { ...win, reply: { ...win.reply, title: "again" } }], clock.now()),
    ).toBe(0);
    await dispatcher.drain();

    expect(await outboxRows(db.prisma, ws)).toHaveLength(1);
    expect(port.delivered.map((m) => m.reply.title)).toEqual([`Won ${key("win")}`]);
  });

  it("GIVEN a retryable error with Retry-After 5 s THEN the row waits 5 s of the clock, the wait costs no attempt, AND it is then delivered exactly once", async () => {
    const { clock, ws, port, dispatcher, key } = await setup();
    port.failNext(new DeliveryError("ratelimited", true, 5000));
    await enqueue(db.prisma, ws, [notification(key("win"), "#wins")], clock.now());

    await dispatcher.drain();
    const waiting = await outboxRow(db.prisma, key("win"));
    expect(waiting).toMatchObject({ status: "pending", attempts: 0, lastError: "ratelimited" });
    expect(waiting.nextAttemptAt).toEqual(at(5000));

    clock.advance(4000);
    await dispatcher.drain();
    expect(port.calls).toHaveLength(1);

    clock.advance(1000);
    await dispatcher.drain();
    clock.advance(60_000);
    await dispatcher.drain();

    // A rate limit means nothing was posted: the retry is a first attempt again (no history lookup).
    expect(port.calls.map((m) => m.attempt)).toEqual([1, 1]);
    expect(port.delivered).toHaveLength(1);
    expect(await outboxRow(db.prisma, key("win"))).toMatchObject({
      status: "sent",
      attempts: 1,
      lastError: null,
      messageRef: `shell:${key("win")}`,
      sentAt: at(5000),
    });
  });

  it("GIVEN a Retry-After on one destination THEN its later rows wait with it, uncounted, AND other destinations go now", async () => {
    const { clock, ws, port, dispatcher, key } = await setup();
    port.failNext(new DeliveryError("ratelimited", true, 3000));
    await enqueue(
      db.prisma,
      ws,
      [
        notification(key("wins-1"), "#wins"),
        notification(key("wins-2"), "#wins"),
        notification(key("digest-1"), "#digest"),
      ],
      clock.now(),
    );

    await dispatcher.drain();
    expect(port.calls.map((m) => m.dedupeKey)).toEqual([key("wins-1"), key("digest-1")]);
    expect(await outboxRow(db.prisma, key("wins-2"))).toMatchObject({
      status: "pending",
      attempts: 0,
      nextAttemptAt: at(3000),
    });

    clock.advance(3000);
    await dispatcher.drain();
    expect(port.delivered.map((m) => [m.dedupeKey, m.attempt])).toEqual([
      [key("digest-1"), 1],
      [key("wins-1"), 1],
      [key("wins-2"), 1],
    ]);
  });

  it("GIVEN a retryable error without Retry-After THEN the row backs off from 2 s AND fails after maxAttempts", async () => {
    const { clock, ws, port, dispatcher, key } = await setup({ maxAttempts: 3 });
    port.failNext(...[1, 2, 3, 4].map(() => new DeliveryError("HTTP 503", true)));
    await enqueue(db.prisma, ws, [notification(key("win"), "#wins")], clock.now());

    await dispatcher.drain();
    expect((await outboxRow(db.prisma, key("win"))).nextAttemptAt).toEqual(at(2000));
    clock.advance(1999);
    await dispatcher.drain();
    expect(port.calls).toHaveLength(1);

    clock.advance(1);
    await dispatcher.drain();
    expect(await outboxRow(db.prisma, key("win"))).toMatchObject({ status: "pending", attempts: 2 });
    expect((await outboxRow(db.prisma, key("win"))).nextAttemptAt).toEqual(at(2000 + 4000));

    clock.advance(4000);
    await dispatcher.drain();
    clock.advance(3_600_000);
    await dispatcher.drain();

    expect(port.calls.map((m) => m.attempt)).toEqual([1, 2, 3]);
    expect(port.delivered).toHaveLength(0);
    expect(await outboxRow(db.prisma, key("win"))).toMatchObject({
      status: "failed",
      attempts: 3,
      lastError: "HTTP 503",
      messageRef: null,
    });
  });

  it("GIVEN a row whose payload is not a reply THEN it never reaches the port AND fails at once without stopping the others", async () => {
    const { clock, ws, port, dispatcher, key } = await setup({ maxAttempts: 2 });
    await db.prisma.outbox.create({
      data: {
        workspaceId: ws.id,
        dedupeKey: key("broken"),
        kind: "win",
        destination: "#wins",
        payload: { text: "not a reply" },
        createdAt: clock.now(),
        nextAttemptAt: clock.now(),
      },
    });
    await enqueue(db.prisma, ws, [notification(key("ok"), "#digest")], clock.now());

    await dispatcher.drain();

    expect(port.calls.map((m) => m.dedupeKey)).toEqual([key("ok")]);
    expect(await outboxRow(db.prisma, key("ok"))).toMatchObject({ status: "sent" });
    expect(await outboxRow(db.prisma, key("broken"))).toMatchObject({
      status: "failed",
      attempts: 1,
      messageRef: null,
      lastError: "the stored payload is not a message",
    });
  });

  it("GIVEN a permanent error THEN the row fails AND /closer status shows it AND /closer retry delivers it", async () => {
    const { sales, clock, ws, admin, port, dispatcher, key } = await setup();
    port.failNext(new DeliveryError("channel_not_found", false));
    await enqueue(
      db.prisma,
      ws,
      [notification(key("lost"), "#gone"), notification(key("ok"), "#wins")],
      clock.now(),
    );

    await dispatcher.drain();
    clock.advance(3_600_000);
    await dispatcher.drain();

    expect(port.calls.map((m) => m.dedupeKey)).toEqual([key("lost"), key("ok")]);
    expect(await outboxRow(db.prisma, key("lost"))).toMatchObject({
      status: "failed",
      attempts: 1,
      lastError: "channel_not_found",
    });
    expect(await sales.outbox.status(ws, admin)).toEqual({
      pending: 0,
      failed: 1,
      sent: 1,
      lastError: { key: key("lost"), error: "channel_not_found", at: at(0) },
    });
    const status = await runText(sales, ws, admin, "/closer status");
    expect(status).toContain("Pending: 0 · failed: 1 · sent: 1");
    expect(status).toContain(`Last error (${key("lost")}, `);
    expect(status).toContain("): channel_not_found");

    expect(await runText(sales, ws, admin, "/closer retry")).toBe("1 failed notification queued again");
    expect(await outboxRow(db.prisma, key("lost"))).toMatchObject({ status: "pending", attempts: 0 });
    await dispatcher.drain();

    expect(port.delivered.map((m) => m.dedupeKey)).toEqual([key("ok"), key("lost")]);
    expect(await outboxRow(db.prisma, key("lost"))).toMatchObject({ status: "sent", lastError: null });
    expect(await sales.outbox.status(ws, admin)).toEqual({ pending: 0, failed: 0, sent: 2, lastError: null });
    expect(await runText(sales, ws, admin, "/closer status")).toContain("No delivery error.");
  });

  it("GIVEN a member who is not an admin THEN /closer status and /closer retry are refused", async () => {
    const { sales, clock, ws, port, dispatcher, key } = await setup();
    const rep = await seedRep(sales, ws, "bob");
    port.failNext(new DeliveryError("channel_not_found", false));
    await enqueue(db.prisma, ws, [notification(key("lost"), "#gone")], clock.now());
    await dispatcher.drain();

    expect(await runText(sales, ws, rep, "/closer status")).toBe("! Only an admin can do that.");
    expect(await runText(sales, ws, rep, "/closer retry")).toBe("! Only an admin can do that.");
    await expect(sales.outbox.status(ws, rep)).rejects.toMatchObject({ key: "error.forbidden_admin_only" });
    await expect(sales.outbox.retryFailed(ws, rep)).rejects.toMatchObject({
      key: "error.forbidden_admin_only",
    });
    expect(await outboxRow(db.prisma, key("lost"))).toMatchObject({ status: "failed" });
  });

  it("GIVEN rows of a platform this process has no port for THEN they are not claimed", async () => {
    const { sales, clock, ws, port, dispatcher, key } = await setup();
    const discord = await sales.workspaces.ensureWorkspace({
      platform: "discord",
      externalId: randomUUID(),
      name: "Elsewhere",
    });
    await enqueue(db.prisma, discord, [notification(`test:${discord.id}:win`, "#123")], clock.now());
    await enqueue(db.prisma, ws, [notification(key("win"), "#wins")], clock.now());

    await dispatcher.drain();
    expect(await dispatcher.claim()).toEqual([]);
    const portless = createDispatcher({ db: db.prisma, ports: {}, clock, log: silentLog });
    expect(await portless.claim()).toEqual([]);

    expect(port.calls.map((m) => m.dedupeKey)).toEqual([key("win")]);
    expect(await outboxRow(db.prisma, `test:${discord.id}:win`)).toMatchObject({
      status: "pending",
      attempts: 0,
      nextAttemptAt: at(0),
    });
  });

  it("GIVEN a port allowing one message a second per destination THEN a second row to one destination waits 1 s AND another destination is served now", async () => {
    const { clock, ws, port, dispatcher, key } = await setup({ minIntervalMs: 1000 });
    await enqueue(
      db.prisma,
      ws,
      [
        notification(key("wins-1"), "#wins"),
        notification(key("wins-2"), "#wins"),
        notification(key("digest-1"), "#digest"),
      ],
      clock.now(),
    );

    await dispatcher.drain();
    expect(port.delivered.map((m) => m.dedupeKey).sort()).toEqual([key("digest-1"), key("wins-1")].sort());
    // Put off by the interval, not by a failure: the attempt is not counted.
    expect(await outboxRow(db.prisma, key("wins-2"))).toMatchObject({
      status: "pending",
      attempts: 0,
      lastError: null,
      nextAttemptAt: at(1000),
    });

    clock.advance(999);
    await dispatcher.drain();
    expect(port.delivered).toHaveLength(2);

    clock.advance(1);
    await dispatcher.drain();
    expect(port.delivered.map((m) => [m.dedupeKey, m.attempt]).at(-1)).toEqual([key("wins-2"), 1]);
    expect(await outboxRow(db.prisma, key("wins-2"))).toMatchObject({ status: "sent", sentAt: at(1000) });
  });
});
