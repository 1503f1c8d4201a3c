import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../src/db/client.js";
import { migrate } from "../../src/db/migrate.js";
import { run, seedMember, seedWorkspace } from "../fixtures/sales.js";
import { type EmptyDatabase, openMigratedDatabase, openTestDatabase } from "../support/db.js";
import { createWebSales, openEvents, startWebServer, tokenIn, type WebServer } from "./support.js";

describe.runIf(process.env.TEST_DATABASE_URL)("GIVEN two replicas on one PostgreSQL database", () => {
  let empty: EmptyDatabase;
  let second: Database;
  let server: WebServer;

  beforeAll(async () => {
    empty = await openMigratedDatabase();
    await migrate(empty.db.sql);
    second = await openDatabase(empty.url);
  }, 30_000);

  afterAll(async () => {
    await server?.close();
    await second?.close();
    await empty?.close();
  });

  it("WHEN a win commits through one replica THEN a screen connected to the other has it within 2 s", async () => {
    // Replica A takes the command; replica B serves the screen. They share nothing but the database.
    const { sales: a } = createWebSales(empty.db);
    const { sales: b } = createWebSales(second);
    server = await startWebServer(second, b);
    const ws = await seedWorkspace(a, { name: "Two Replicas" });
    const admin = await seedMember(a, ws, "admin", "admin");
    const token = tokenIn((await run(a, ws, admin, "/closer tv")).lines[0] ?? "");
    const screen = await openEvents(server.url(`/tv/${token}/events`));
    await screen.events.waitFor((e) => e.event === "board", 5000, "the board");
    // The win has committed when the command answers: from then, the other replica has 2 s.
    await run(a, ws, admin, "/deal log 8k Replicated Ltd stage:won");
    const win = await screen.events.waitFor((e) => e.event === "win", 2000, "the win from the other replica");
    expect(JSON.parse(win.data).celebration).toEqual({
      title: "admin won €8,000!",
      detail: "Replicated Ltd",
    });
    screen.close();
  });
});

describe("GIVEN a screen WHEN a win's transaction rolls back", () => {
  let db: Database;
  let server: WebServer;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  it("THEN the screen is told nothing: only committed wins are celebrated", async () => {
    const { sales } = createWebSales(db);
    server = await startWebServer(db, sales);
    const ws = await seedWorkspace(sales);
    const admin = await seedMember(sales, ws, "admin", "admin");
    const token = tokenIn((await run(sales, ws, admin, "/closer tv")).lines[0] ?? "");
    await run(sales, ws, admin, "/deal log 5k Never Won");
    await run(sales, ws, admin, "/deal log 6k Really Won");
    const screen = await openEvents(server.url(`/tv/${token}/events`));
    await screen.events.waitFor((e) => e.event === "board", 5000, "the board");
    await expect(
      sales.transaction(async (tx) => {
        await tx.deals.winDeal(ws, admin, 1);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    await sales.deals.winDeal(ws, admin, 2);
    const win = await screen.events.waitFor((e) => e.event === "win", 2000, "the committed win");
    expect(JSON.parse(win.data).celebration.detail).toBe("Really Won");
    expect(screen.events.items.filter((e) => e.event === "win")).toHaveLength(1);
    screen.close();
  });
});
