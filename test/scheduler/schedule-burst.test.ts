import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import type { PrismaClient } from "../../src/generated/prisma/client.js";
import type { Workspace } from "../../src/sales/deps.js";
import { type Cron, createLimiter, createScheduler } from "../../src/scheduler/scheduler.js";
import { createTestSales, seedMember, seedWorkspace, silentLog } from "../fixtures/sales.js";
import { openTestDatabase } from "../support/db.js";

/** node-cron's part as a test sees it: the schedules set, each fired when the test says. */
function manualCron() {
  const fired: (() => unknown)[] = [];
  const cron: Cron = {
    schedule(_pattern, run, options) {
      if (options.name.startsWith("closer-workspace-")) fired.push(run);
      return { stop: () => undefined, destroy: () => undefined, getNextRun: () => null };
    },
  };
  return { cron, fireAll: () => Promise.all(fired.map((run) => run())) };
}

describe("many schedules firing at once", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db.close());

  it("GIVEN ten calls and a limit of two THEN never more than two run at once, and all run in order", async () => {
    const limit = createLimiter(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        limit(async () => {
          most = Math.max(most, ++running);
          await new Promise<void>((resolve) => setImmediate(resolve));
          order.push(i);
          running--;
        }),
      ),
    );
    expect(most).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("GIVEN 24 workspaces due the same minute WHEN all their schedules fire together THEN every digest is queued, once, with no error", async () => {
    const { sales, clock } = createTestSales(db, "2026-11-18T09:00:00Z");
    const workspaces: Workspace[] = [];
    for (let i = 0; i < 24; i++) {
      const ws = await seedWorkspace(sales);
      const admin = await seedMember(sales, ws, "admin", "admin");
      workspaces.push(await sales.workspaces.setConfig(ws, admin, "digest_channel", "digest"));
    }
    const errors: unknown[] = [];
    const log = Object.assign(Object.create(silentLog), { error: (...args: unknown[]) => errors.push(args) });
    const { cron, fireAll } = manualCron();
    // Counts the runs under way: each starts by reading its workspace.
    let running = 0;
    let most = 0;
    const counted = db.prisma.$extends({
      query: {
        workspace: {
          async findUnique({ args, query }) {
            most = Math.max(most, ++running);
            try {
              return await query(args);
            } finally {
              running--;
            }
          },
        },
      },
    }) as unknown as PrismaClient;
    const scheduler = createScheduler({
      db: counted,
      platforms: ["shell"],
      workspaceIds: workspaces.map((w) => w.id),
      clock,
      log,
      cron,
      concurrency: 2,
    });
    clock.set("2026-11-18T08:00:00Z");
    expect(await scheduler.sweep()).toBe(0);
    clock.set("2026-11-18T09:00:00Z");
    await fireAll();
    await fireAll();
    scheduler.stop();
    expect(errors).toEqual([]);
    expect(most).toBeLessThanOrEqual(2);
    const keys = await db.prisma.outbox.findMany({
      where: { workspaceId: { in: workspaces.map((w) => w.id) }, kind: "digest" },
      select: { dedupeKey: true },
    });
    expect(keys.map((k) => k.dedupeKey).sort()).toEqual(
      workspaces.map((w) => `digest:${w.id}:2026-11-18:channel`).sort(),
    );
  });
});
