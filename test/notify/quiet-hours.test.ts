import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { createDispatcher } from "../../src/notify/dispatcher.js";
import { enqueue, MAX_MERGED, type Notification } from "../../src/notify/outbox.js";
import type { Workspace } from "../../src/sales/deps.js";
import { createTestSales, runText, seedRep, seedWorkspace, silentLog } from "../fixtures/sales.js";
import { openTestDatabase } from "../support/db.js";
import { createRecordingPort, notification, outboxRows } from "./support.js";

/** 20:30 in Paris, inside quiet hours 20:00-08:00. */
const EVENING = "2026-11-18T19:30:00Z";
/** 08:00 in Paris the next morning, when they end. */
const MORNING = "2026-11-19T07:00:00Z";

describe("quiet hours in the outbox dispatcher", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db.close());

  /** A Paris workspace with the quiet hours given, a recording port, and `newDispatcher()` for a fresh process. */
  async function setup(quietHours: string | null, now = EVENING) {
    const { sales, clock } = createTestSales(db, now);
    let ws = await seedWorkspace(sales, { timezone: "Europe/Paris" });
    const admin = await sales.members.ensureMember(ws, { platformUserId: "admin", displayName: "admin" });
    ws = await sales.workspaces.setConfig(ws, admin, "wins_channel", "wins");
    if (quietHours) ws = await sales.workspaces.setConfig(ws, admin, "quiet_hours", quietHours);
    const port = createRecordingPort();
    const newDispatcher = () =>
      createDispatcher({ db: db.prisma, ports: { shell: port }, clock, log: silentLog });
    const win = (name: string, destination: `#${string}` = "#wins") =>
      notification(`win:${ws.id}:${name}`, destination, `Won ${name}`);
    const queue = (...notifications: Notification[]) => enqueue(db.prisma, ws, notifications, clock.now());
    return { sales, clock, ws, admin, port, newDispatcher, win, queue };
  }

  const rowsOf = async (ws: Workspace) =>
    (await outboxRows(db.prisma, ws)).map((r) => ({
      key: r.dedupeKey.replace(`:${ws.id}:`, ":"),
      status: r.status,
      ref: r.messageRef,
    }));

  it("GIVEN quiet hours 20:00-08:00 AND wins at 20:30, 23:30 and 07:59 THEN nothing is posted before 08:00 AND at 08:00 one message lists the three, each row sent with its reference", async () => {
    const { clock, ws, port, newDispatcher, win, queue } = await setup("20:00-08:00");
    const dispatcher = newDispatcher();
    await queue(win("a"));
    await dispatcher.drain();
    clock.set("2026-11-18T22:30:00Z"); // 23:30, before midnight
    await queue(win("b"));
    await dispatcher.drain();
    clock.set("2026-11-19T06:59:00Z"); // 07:59, after midnight
    await queue(win("c"));
    await dispatcher.drain();
    clock.set("2026-11-19T06:59:59Z");
    await dispatcher.drain();

    expect(port.calls).toEqual([]);
    expect(await rowsOf(ws)).toEqual(
      ["a", "b", "c"].map((n) => ({ key: `win:${n}`, status: "pending", ref: null })),
    );
    const held = await outboxRows(db.prisma, ws);
    expect(held.map((r) => [r.attempts, r.nextAttemptAt.toISOString(), r.quietUntil?.toISOString()])).toEqual(
      Array(3).fill([0, "2026-11-19T07:00:00.000Z", "2026-11-19T07:00:00.000Z"]),
    );

    clock.set(MORNING);
    await dispatcher.drain();
    await dispatcher.drain();

    expect(port.printed).toEqual([
      [
        "[#wins] While you were away: 3 posts",
        "  • Won a",
        `     Deal win:${ws.id}:a closed`,
        "  • Won b",
        `     Deal win:${ws.id}:b closed`,
        "  • Won c",
        `     Deal win:${ws.id}:c closed`,
      ].join("\n"),
    ]);
    expect(port.delivered.map((m) => [m.dedupeKey, m.attempt])).toEqual([[`win:${ws.id}:a`, 1]]);
    const ref = `shell:win:${ws.id}:a`;
    expect(await rowsOf(ws)).toEqual(["a", "b", "c"].map((n) => ({ key: `win:${n}`, status: "sent", ref })));
  });

  it("GIVEN a process that held the wins AND stopped THEN a new process posts them once at 08:00 AND the old one, back, adds nothing", async () => {
    const { clock, ws, port, newDispatcher, win, queue } = await setup("20:00-08:00");
    const before = newDispatcher();
    await queue(win("a"), win("b"));
    await before.drain();
    expect(port.calls).toEqual([]);

    clock.set(MORNING);
    const after = newDispatcher();
    await after.drain();
    await before.drain();
    await after.drain();

    expect(port.delivered.map((m) => m.reply.title)).toEqual(["While you were away: 2 posts"]);
    expect((await rowsOf(ws)).map((r) => r.status)).toEqual(["sent", "sent"]);
  });

  it("GIVEN a process that posted the merged message AND stopped before recording THEN the next one resends the same rows under the same key, AND no row is left behind", async () => {
    const { clock, ws, port, newDispatcher, win, queue } = await setup("20:00-08:00");
    await queue(win("a"), win("b"));
    await newDispatcher().drain();
    clock.set(MORNING);

    // Process A claims the first row and sends its message, then dies before recording.
    const a = newDispatcher();
    const [row] = await a.claim();
    if (!row) throw new Error("process A claimed nothing");
    const first = await a.prepare(ws, row);
    await port.deliver(first.message);
    // A win after the quiet hours is not held: it goes alone, after the merged message.
    await queue(win("later"));

    const b = newDispatcher();
    await b.drain();
    expect(port.calls).toHaveLength(1); // A's lease still runs
    clock.advance(60_001);
    await b.drain();
    await b.drain();

    const [resent, later] = port.calls.slice(1);
    expect(resent).toMatchObject({ dedupeKey: `win:${ws.id}:a`, attempt: 2, reply: first.message.reply });
    expect(later?.reply.title).toBe("Won later");
    expect(first.group).toHaveLength(2);
    expect(await rowsOf(ws)).toEqual([
      { key: "win:a", status: "sent", ref: `shell:win:${ws.id}:a` },
      { key: "win:b", status: "sent", ref: `shell:win:${ws.id}:a` },
      { key: "win:later", status: "sent", ref: `shell:win:${ws.id}:later` },
    ]);
  });

  it("GIVEN two replicas draining at 08:00 at once THEN the held wins go out in one message, once", async () => {
    const { clock, ws, port, newDispatcher, win, queue } = await setup("20:00-08:00");
    await queue(win("a"), win("b"), win("c"));
    await newDispatcher().drain();
    clock.set(MORNING);
    await Promise.all([newDispatcher().drain(), newDispatcher().drain()]);
    await newDispatcher().drain();

    expect(port.delivered.map((m) => m.reply.title)).toEqual(["While you were away: 3 posts"]);
    expect((await rowsOf(ws)).map((r) => r.status)).toEqual(["sent", "sent", "sent"]);
  });

  it("GIVEN wins held AND quiet hours moved to 21:00-09:00 at 23:00 THEN they wait for the new end", async () => {
    const { sales, clock, ws, admin, port, newDispatcher, win, queue } = await setup("20:00-08:00");
    await queue(win("a"));
    await newDispatcher().drain();
    clock.set("2026-11-18T22:00:00Z");
    await runText(sales, ws, admin, "/closer config set quiet_hours 21:00-09:00");
    await newDispatcher().drain();
    clock.set(MORNING);
    await newDispatcher().drain();
    expect(port.calls).toEqual([]);
    clock.set("2026-11-19T08:00:00Z");
    await newDispatcher().drain();
    expect(port.delivered.map((m) => m.reply.title)).toEqual(["Won a"]);
  });

  it("GIVEN one win held THEN it goes out at the end as it was written, not as a list of one", async () => {
    const { clock, port, newDispatcher, win, queue } = await setup("20:00-08:00");
    await queue(win("a"));
    await newDispatcher().drain();
    clock.set(MORNING);
    await newDispatcher().drain();
    expect(port.delivered.map((m) => m.reply.title)).toEqual(["Won a"]);
  });

  it("GIVEN quiet hours THEN DMs, the digest in its channel AND a digest in the wins channel go now, while the wins there wait", async () => {
    const { clock, ws, port, newDispatcher, win, queue } = await setup("20:00-08:00");
    const digest = (name: string, destination: `#${string}` | `@${string}`): Notification => ({
      ...notification(`digest:${ws.id}:${name}`, destination, `Digest ${name}`),
      kind: "digest",
    });
    const reminders: Notification = {
      ...notification(`reminders:${ws.id}:alice`, "@alice", "Your reminders"),
      kind: "reminders",
    };
    await queue(
      win("a"),
      digest("wins", "#wins"),
      digest("channel", "#digest"),
      digest("bob", "@bob"),
      reminders,
    );
    await newDispatcher().drain();

    expect(port.delivered.map((m) => m.reply.title).sort()).toEqual([
      "Digest bob",
      "Digest channel",
      "Digest wins",
      "Your reminders",
    ]);
    clock.set(MORNING);
    await newDispatcher().drain();
    expect(port.delivered.at(-1)?.reply.title).toBe("Won a");
  });

  it("GIVEN an award AND wins held for one channel, AND a win for another THEN each kind and each channel has its own message", async () => {
    const { clock, ws, port, newDispatcher, win, queue } = await setup("20:00-08:00");
    const award: Notification = {
      ...notification(`award:${ws.id}:2026-11-16:week`, "#wins", "Awards of the week"),
      kind: "award",
    };
    await queue(win("a"), award, win("b"), win("c", "#floor"), win("d", "#floor"));
    await newDispatcher().drain();
    expect(port.calls).toEqual([]);

    clock.set(MORNING);
    await newDispatcher().drain();
    const titles = (destination: string) =>
      port.delivered.filter((m) => m.destination === destination).map((m) => m.reply.title);
    expect(titles("#wins")).toEqual(["While you were away: 2 posts", "Awards of the week"]);
    expect(titles("#floor")).toEqual(["While you were away: 2 posts"]);
    expect(port.delivered.find((m) => m.destination === "#floor")?.reply.lines).toEqual([
      "• Won c",
      `   Deal win:${ws.id}:c closed`,
      "• Won d",
      `   Deal win:${ws.id}:d closed`,
    ]);
  });

  it("GIVEN kudos AND achievements held with a win THEN the kudos go in one message, the achievements in another, the win alone", async () => {
    const { clock, ws, port, newDispatcher, win, queue } = await setup("20:00-08:00");
    const of = (kind: "kudos" | "achievement", key: string, title: string): Notification => ({
      ...notification(key, "#wins", title),
      kind,
    });
    await queue(
      of("kudos", `kudos:${ws.id}01`, "Ana thanks Ben"),
      of("achievement", `achievement:${ws.id}:member:1:hat_trick:2026-11-18`, "Hat-trick for Ana"),
      win("a"),
      of("kudos", `kudos:${ws.id}02`, "Ben thanks Ana"),
      of("achievement", `achievement:${ws.id}:member:2:first_win:first`, "First win for Ben"),
    );
    await newDispatcher().drain();
    expect(port.calls).toEqual([]);

    clock.set(MORNING);
    await newDispatcher().drain();
    const delivered = port.delivered.map((m) => [
      m.reply.title,
      m.reply.lines.filter((l) => l.startsWith("•")),
    ]);
    expect(delivered).toEqual([
      ["While you were away: 2 posts", ["• Ana thanks Ben", "• Ben thanks Ana"]],
      ["While you were away: 2 posts", ["• Hat-trick for Ana", "• First win for Ben"]],
      ["Won a", []],
    ]);
  });

  it(`GIVEN more than ${MAX_MERGED} wins held THEN they go in messages of at most ${MAX_MERGED}`, async () => {
    const { clock, ws, port, newDispatcher, win, queue } = await setup("20:00-08:00");
    await queue(...Array.from({ length: MAX_MERGED + 1 }, (_, i) => win(`w${i}`)));
    await newDispatcher().drain();
    clock.set(MORNING);
    await newDispatcher().drain();
    expect(port.delivered.map((m) => m.reply.title)).toEqual([
      `While you were away: ${MAX_MERGED} posts`,
      "Won w20",
    ]);
    expect((await rowsOf(ws)).every((r) => r.status === "sent")).toBe(true);
  });

  it.each([
    // Spring forward (28 March 2027): 08:00 in Paris is 06:00 UTC, an hour earlier than the evening's offset says.
    ["spring forward", "2027-03-28T05:30:00Z", "2027-03-28T05:59:59Z", "2027-03-28T06:00:00Z"],
    // Fall back (25 October 2026): 08:00 is 07:00 UTC, an hour later than the evening's offset says.
    ["fall back", "2026-10-24T22:00:00Z", "2026-10-25T06:59:59Z", "2026-10-25T07:00:00Z"],
  ])(
    "GIVEN a win at night on a DST change day (%s) THEN it waits until 08:00 local AND not a second more",
    async (_, night, justBefore, end) => {
      const { clock, port, newDispatcher, win, queue } = await setup("20:00-08:00", night);
      await queue(win("a"));
      await newDispatcher().drain();
      clock.set(justBefore);
      await newDispatcher().drain();
      expect(port.calls).toEqual([]);
      clock.set(end);
      await newDispatcher().drain();
      expect(port.delivered.map((m) => m.reply.title)).toEqual(["Won a"]);
    },
  );

  it("GIVEN a workspace without quiet hours THEN a win at 23:30 is posted at once, alone, as before", async () => {
    const { ws, port, newDispatcher, win, queue } = await setup(null, "2026-11-18T22:30:00Z");
    await queue(win("a"), win("b"));
    await newDispatcher().drain();
    expect(port.delivered.map((m) => m.reply.title)).toEqual(["Won a", "Won b"]);
    const rows = await outboxRows(db.prisma, ws);
    expect(rows.map((r) => [r.status, r.quietUntil, r.mergedInto])).toEqual([
      ["sent", null, null],
      ["sent", null, null],
    ]);
  });

  it("GIVEN wins held AND quiet hours turned off at 23:00 THEN they are posted at once, merged", async () => {
    const { sales, clock, ws, admin, port, newDispatcher, win, queue } = await setup("20:00-08:00");
    await queue(win("a"), win("b"));
    await newDispatcher().drain();
    clock.set("2026-11-18T22:00:00Z");
    expect(await runText(sales, ws, admin, "/closer config set quiet_hours off")).toBe(
      "quiet_hours is now off",
    );
    await newDispatcher().drain();
    expect(port.delivered.map((m) => m.reply.title)).toEqual(["While you were away: 2 posts"]);
  });

  it("GIVEN a French workspace AND deals won in the evening through /deal won THEN the morning message is in French and names each win", async () => {
    const { sales, clock, ws, admin, port, newDispatcher } = await setup("20:00-08:00");
    const fr = await sales.workspaces.setConfig(ws, admin, "locale", "fr");
    const alice = await seedRep(sales, fr, "alice");
    await runText(sales, fr, alice, "/deal log 12k Acme");
    await runText(sales, fr, alice, "/deal log 3k Globex");
    await runText(sales, fr, alice, "/deal won #1");
    await runText(sales, fr, alice, "/deal won #2");
    await newDispatcher().drain();
    expect(port.calls).toEqual([]);

    clock.set(MORNING);
    await newDispatcher().drain();
    // The two wins in one message; alice's first win, an achievement, in its own.
    expect(port.delivered).toHaveLength(2);
    const [message, achievement] = port.printed;
    expect(message?.split("\n")[0]).toBe("[#wins] Pendant votre absence\u202f: 2 messages");
    expect(message).toContain("• 🎉 alice a gagné l’affaire Acme\u202f: 12\u202f000\u00a0€");
    expect(message).toContain("• 🎉 alice a gagné l’affaire Globex\u202f: 3\u202f000\u00a0€");
    expect(achievement?.split("\n")[0]).toBe("[#wins] 🏅 Trophée débloqué");
    expect(achievement).toContain("Première victoire\u202f: Acme");
  });
});
