import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import type { Member, Workspace } from "../../src/sales/deps.js";
import type { SalesService } from "../../src/sales/sales-service.js";
import { run, seedMember, seedWorkspace } from "../fixtures/sales.js";
import { openTestDatabase } from "../support/db.js";
import { createWebSales, openEvents, startWebServer, tokenIn, type WebServer } from "./support.js";

/*
 * The TV screen over HTTP, without a browser (test/web/tv-browser.test.ts drives Chromium): what the
 * page says, its headers, its 404s, its live stream, and that it shows one workspace only.
 */

describe("GIVEN the TV screen of a workspace", () => {
  let db: Database;
  let sales: SalesService;
  let server: WebServer;
  let ws: Workspace;
  let admin: Member;
  let token: string;
  let other: { ws: Workspace; token: string };

  beforeAll(async () => {
    db = await openTestDatabase();
    ({ sales } = createWebSales(db));
    server = await startWebServer(db, sales, { heartbeatMs: 200 });
    ws = await seedWorkspace(sales, { name: "Acme Sales", timezone: "Europe/Paris" });
    admin = await seedMember(sales, ws, "admin", "admin");
    const ann = await seedMember(sales, ws, "ann", "rep");
    const evil = await seedMember(sales, ws, "<script>alert(1)</script>", "rep");
    await run(sales, ws, admin, "/closer team add North @ann");
    await run(sales, ws, ann, '/deal log 12k Globex stage:won title:"Renewal <b>2027</b>"');
    await run(sales, ws, evil, '/deal log 3k "<img src=x onerror=alert(2)>" stage:won');
    await run(sales, ws, admin, "/deal log 20k Initech");
    await run(sales, ws, admin, "/deal won #3 closed:2026-10-05");
    await run(sales, ws, admin, "/goal set 50k company");
    await run(sales, ws, admin, "/goal set 30k team:North");
    token = tokenIn((await run(sales, ws, admin, "/closer tv")).lines[0] ?? "");
    const otherWs = await seedWorkspace(sales, { name: "Rival Corp" });
    const rivalAdmin = await seedMember(sales, otherWs, "admin", "admin");
    const zed = await seedMember(sales, otherWs, "zed-rival", "rep");
    await run(sales, otherWs, zed, "/deal log 99k Umbrella stage:won");
    other = {
      ws: otherWs,
      token: tokenIn((await run(sales, otherWs, rivalAdmin, "/closer tv")).lines[0] ?? ""),
    };
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  it("THEN the page ranks the month's and the quarter's reps with their figures, the goals with pace, and the latest wins", async () => {
    const res = await fetch(server.url(`/tv/${token}`));
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('<html lang="en">');
    expect(page).toContain("<h1>Acme Sales</h1>");
    expect(page).toContain("Leaderboard · November 2026");
    expect(page).toContain("Leaderboard · Q4 2026");
    const month = page.slice(page.indexOf('data-period="month"'), page.indexOf('data-period="quarter"'));
    expect(month.replace(/\s+/g, " ")).toMatch(
      />1<\/td><td>ann<\/td><td class="num">€12,000<\/td><td class="num">1</,
    );
    const quarter = page.slice(page.indexOf('data-period="quarter"'));
    expect(quarter).toMatch(/>1<\/td><td>admin<\/td><td class="num">€20,000</);
    expect(page).toContain("Company · revenue · November 2026");
    expect(page).toContain("€15,000 of €50,000");
    expect(page).toContain("Team North · revenue · November 2026");
    expect(page).toContain("€12,000 of €30,000");
    expect(page).toMatch(/pace \d+%/);
    expect(page).toContain("Latest wins");
  });

  it("WHEN another replica starts THEN it reads the boards of the workspaces with a working TV link, newest first, before any screen asks", async () => {
    const gone = await seedWorkspace(sales, { name: "Gone Inc" });
    const goneAdmin = await seedMember(sales, gone, "admin", "admin");
    await run(sales, gone, goneAdmin, "/closer tv");
    await run(sales, gone, goneAdmin, "/closer tv revoke");
    const replica = await startWebServer(db, sales);
    try {
      expect(await replica.warmed).toEqual([other.ws.id, ws.id]);
    } finally {
      await replica.close();
    }
  });

  it("THEN user text is escaped everywhere: a name, a customer or a title cannot add markup", async () => {
    const page = await (await fetch(server.url(`/tv/${token}`))).text();
    expect(page).not.toContain("<script>alert(1)</script>");
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(page).not.toContain("<img src=x");
    expect(page).toContain("&lt;img src=x onerror=alert(2)&gt;");
    expect(page).not.toContain("<b>2027</b>");
    // The only scripts are Closer's own, from /assets/.
    expect(page.match(/<script[^>]*>/g)).toEqual([
      expect.stringMatching(/^<script src="\/assets\/tv\.[0-9a-f]{12}\.js" defer>$/),
    ]);
  });

  it("THEN nothing of another workspace is on it, and each workspace's link shows its own", async () => {
    const page = await (await fetch(server.url(`/tv/${token}`))).text();
    expect(page).not.toContain("Rival Corp");
    expect(page).not.toContain("zed-rival");
    expect(page).not.toContain("Umbrella");
    expect(page).not.toContain("99,000");
    const theirs = await (await fetch(server.url(`/tv/${other.token}`))).text();
    expect(theirs).toContain("zed-rival");
    expect(theirs).not.toContain("Globex");
  });

  it("THEN the page and its assets carry the security headers; the page is never cached, the assets for a year", async () => {
    const res = await fetch(server.url(`/tv/${token}`));
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("unsafe-eval");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("cache-control")).toBe("no-store");
    const page = await res.text();
    const assets = [...page.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) => m[1] ?? "");
    expect(assets).toHaveLength(3);
    for (const path of assets) {
      const asset = await fetch(server.url(path));
      expect(asset.status).toBe(200);
      expect(asset.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      expect(asset.headers.get("content-security-policy")).toBe(csp);
      expect(asset.headers.get("x-content-type-options")).toBe("nosniff");
    }
    const css = await (await fetch(server.url(assets.find((a) => a.endsWith(".css")) ?? ""))).text();
    const font = /url\("(\/assets\/dejavu-sans\.[0-9a-f]{12}\.ttf)"\)/.exec(css)?.[1];
    const ttf = await fetch(server.url(font ?? "/assets/none"));
    expect(ttf.headers.get("content-type")).toBe("font/ttf");
    expect((await ttf.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
  });

  it("THEN a wrong, revoked or dashboard token, or a missing asset, gets the same 404 as a missing page", async () => {
    const missing = await fetch(server.url("/no/such/page"));
    const expected = { status: missing.status, body: await missing.text() };
    expect(expected).toEqual({ status: 404, body: "not found" });
    const dashboard = tokenIn((await run(sales, ws, admin, "/closer dashboard")).lines[0] ?? "");
    const { sales: later } = createWebSales(db);
    const revokedWs = await seedWorkspace(later);
    const revokedAdmin = await seedMember(later, revokedWs, "admin", "admin");
    const revoked = tokenIn((await run(later, revokedWs, revokedAdmin, "/closer tv")).lines[0] ?? "");
    await run(later, revokedWs, revokedAdmin, "/closer tv revoke");
    for (const path of [
      `/tv/${"A".repeat(43)}`,
      `/tv/${token.slice(0, -1)}`,
      `/tv/${revoked}`,
      `/tv/${revoked}/events`,
      `/tv/${dashboard}`,
      `/tv/${dashboard}/events`,
      `/dashboard/${token}`,
      "/assets/tv.000000000000.js",
    ]) {
      const res = await fetch(server.url(path));
      expect({ path, status: res.status, body: await res.text() }).toEqual({ path, ...expected });
    }
  });

  it("THEN the dashboard link opens its page, scoped to its team or everyone, with the period passed through", async () => {
    const dashboard = tokenIn((await run(sales, ws, admin, "/closer dashboard")).lines[0] ?? "");
    const res = await fetch(server.url(`/dashboard/${dashboard}?period=quarter`));
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    const page = await res.text();
    expect(page).toContain("<title>Sales dashboard · Whole company</title>");
    expect(page).toContain("Whole company · This quarter");
    // The period typed is kept in the selector, and the page's style sheet is Closer's own.
    expect(page).toContain('value="quarter"');
    expect(page).toMatch(/<link rel="stylesheet" href="\/assets\/dashboard\.[0-9a-f]{12}\.css">/);
  });

  it("WHEN a deal is won THEN an open screen's stream has it within 2 s, with the new board and the celebration", async () => {
    const screen = await openEvents(server.url(`/tv/${token}/events`));
    expect(screen.status).toBe(200);
    expect(screen.headers["content-type"]).toBe("text/event-stream; charset=utf-8");
    expect(screen.headers["cache-control"]).toBe("no-store");
    await screen.events.waitFor((e) => e.event === "board", 5000, "the board on connect");
    const ann = await seedMember(sales, ws, "ann", "rep");
    // The win has committed when the command answers: from then, the screen has 2 s.
    await run(sales, ws, ann, "/deal log 7k Hooli stage:won");
    const win = await screen.events.waitFor((e) => e.event === "win", 2000, "the win");
    const data = JSON.parse(win.data) as { board: string; celebration: { title: string; detail: string } };
    expect(data.celebration).toEqual({ title: "ann won €7,000!", detail: "Hooli" });
    expect(data.board).toContain("€19,000");
    expect(win.id).toMatch(/^\d+$/);
    screen.close();
  });

  it("WHEN another workspace wins THEN this workspace's screen hears nothing of it", async () => {
    const screen = await openEvents(server.url(`/tv/${token}/events`));
    const rival = await openEvents(server.url(`/tv/${other.token}/events`));
    await screen.events.waitFor((e) => e.event === "board", 5000, "the board");
    await rival.events.waitFor((e) => e.event === "board", 5000, "the rival's board");
    const zed = await seedMember(sales, other.ws, "zed-rival", "rep");
    await run(sales, other.ws, zed, "/deal log 1k Soylent stage:won");
    await rival.events.waitFor((e) => e.event === "win", 2000, "the rival's win");
    const ann = await seedMember(sales, ws, "ann", "rep");
    await run(sales, ws, ann, "/deal log 2k Pied Piper stage:won");
    await screen.events.waitFor((e) => e.event === "win", 2000, "our win");
    const wins = screen.events.items.filter((e) => e.event === "win");
    expect(wins).toHaveLength(1);
    expect(JSON.stringify(screen.events.items)).not.toContain("Soylent");
    screen.close();
    rival.close();
  });

  it("THEN an idle stream carries heartbeat comments, so proxies keep it open", async () => {
    const res = await fetch(server.url(`/tv/${token}/events`));
    const reader = res.body?.getReader();
    let text = "";
    while (reader && !text.includes(": keep-alive")) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    expect(text).toMatch(/^retry: 2000\n\n/);
    expect(text).toContain(": keep-alive\n\n");
    await reader?.cancel();
  });

  it("WHEN a screen reconnects with Last-Event-ID THEN it catches up with the board as it is now", async () => {
    const screen = await openEvents(server.url(`/tv/${token}/events`), { "last-event-id": "1" });
    const board = await screen.events.waitFor((e) => e.event === "board", 5000, "the board");
    expect(JSON.parse(board.data).board).toContain("Pied Piper");
    screen.close();
  });

  it("WHEN the links are revoked THEN open screens are ended at the next win, and cannot reconnect", async () => {
    const { sales: own } = createWebSales(db);
    const team = await seedWorkspace(own, { name: "Revoked Inc" });
    const boss = await seedMember(own, team, "admin", "admin");
    const link = tokenIn((await run(own, team, boss, "/closer tv")).lines[0] ?? "");
    const screen = await openEvents(server.url(`/tv/${link}/events`));
    await screen.events.waitFor((e) => e.event === "board", 5000, "the board");
    await run(own, team, boss, "/closer tv revoke");
    await run(own, team, boss, "/deal log 4k Vandelay stage:won");
    await screen.ended;
    expect(screen.events.items.some((e) => e.event === "win")).toBe(false);
    expect((await openEvents(server.url(`/tv/${link}/events`))).status).toBe(404);
  });
});

describe("GIVEN a French workspace's TV screen", () => {
  it("THEN the page is in French, with French money", async () => {
    const db = await openTestDatabase();
    const { sales } = createWebSales(db);
    const server = await startWebServer(db, sales);
    try {
      const ws = await seedWorkspace(sales, { locale: "fr", name: "Ventes Lyon" });
      const admin = await seedMember(sales, ws, "admin", "admin");
      await run(sales, ws, admin, "/deal log 12k Société Générale étape:gagnée");
      const token = tokenIn((await run(sales, ws, admin, "/closer tv")).lines[0] ?? "");
      const page = await (await fetch(server.url(`/tv/${token}`))).text();
      expect(page).toContain('<html lang="fr">');
      expect(page).toContain("Classement · novembre 2026");
      expect(page).toContain("12\u202f000\u00a0€");
      expect(page).toContain("Dernières ventes");
      expect(page).toContain("Pas encore d’objectif pour cette période\u202f: fixez-en un avec /goal set.");
    } finally {
      await server.close();
      await db.close();
    }
  });
});

describe("GIVEN screens connected WHEN the server closes", () => {
  it("THEN their streams end and the close does not hang", async () => {
    const db = await openTestDatabase();
    const { sales } = createWebSales(db);
    const server = await startWebServer(db, sales);
    const ws = await seedWorkspace(sales);
    const admin = await seedMember(sales, ws, "admin", "admin");
    const token = tokenIn((await run(sales, ws, admin, "/closer tv")).lines[0] ?? "");
    const screens = await Promise.all([1, 2, 3].map(() => openEvents(server.url(`/tv/${token}/events`))));
    await Promise.all(screens.map((s) => s.events.waitFor((e) => e.event === "board", 5000, "the board")));
    expect(server.screens()).toBe(3);
    await server.close();
    await Promise.all(screens.map((s) => s.ended));
    expect(server.screens()).toBe(0);
    await db.close();
  });
});
