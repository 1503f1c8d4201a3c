import { mkdirSync } from "node:fs";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import type { Member, Workspace } from "../../src/sales/deps.js";
import type { SalesService } from "../../src/sales/sales-service.js";
import type { FixedClock } from "../fixtures/sales.js";
import { run, seedMember, seedWorkspace } from "../fixtures/sales.js";
import { openTestDatabase } from "../support/db.js";
import { createWebSales, startWebServer, tokenIn, type WebServer } from "./support.js";

/*
 * Contests on the TV screen, in a real browser (Debian's Chromium, headless), on the database the
 * run follows (PGlite, or PostgreSQL with TEST_DATABASE_URL), with the service's clock fixed: a
 * running contest's panel, its countdown and its standings following wins live, the winner screen of
 * a contest ended within the day and not of one ended before, in English and French.
 */

const SCREENSHOTS = "test-results";
/** Europe/Paris: 02:00 on Wednesday 18 November 2026. */
const NOW = "2026-11-18T01:00:00Z";

/** How long each panel stays on screen; the page's timers run on Playwright's clock, which the test moves. */
const ROTATE_MS = 1000;

describe("GIVEN a workspace's TV screen with contests running, ended 2 hours ago and ended 2 days ago", () => {
  let db: Database;
  let sales: SalesService;
  let clock: FixedClock;
  let server: WebServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  let ws: Workspace;
  let admin: Member;
  let ann: Member;
  let bob: Member;
  let url: string;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    db = await openTestDatabase();
    ({ sales, clock } = createWebSales(db, "2026-11-09T09:00:00Z"));
    server = await startWebServer(db, sales, { tv: { rotateMs: ROTATE_MS } });
    ws = await seedWorkspace(sales, { name: "Acme Sales", timezone: "Europe/Paris" });
    admin = await seedMember(sales, ws, "admin", "admin");
    ann = await seedMember(sales, ws, "ann", "rep");
    bob = await seedMember(sales, ws, "bob", "rep");
    const dana = await seedMember(sales, ws, "dana", "rep");
    await run(sales, ws, admin, "/closer team add North @ann @dana");
    await run(sales, ws, admin, "/closer team add South @bob");
    // Contests start today at the earliest: they are created on 9 November.
    for (const line of [
      '/contest create "Sprint <b>Nov</b>" metric:revenue from:2026-11-16 to:2026-11-20 prize:"<img src=x onerror=alert(1)> Lisbon trip"',
      '/contest create "Team cup" metric:revenue from:2026-11-16 to:2026-11-20 teams',
      '/contest create "Early bird" metric:deals from:2026-11-10 to:2026-11-17 prize:"A day off"',
      '/contest create "Long gone" metric:revenue from:2026-11-10 to:2026-11-15 prize:"Old prize"',
    ])
      expect((await run(sales, ws, admin, line)).title).toMatch(/created/);
    clock.set("2026-11-12T10:00:00Z");
    await run(sales, ws, dana, "/deal log 9k Hooli stage:won");
    clock.set(NOW);
    await run(sales, ws, ann, "/deal log 12k Globex stage:won");
    await run(sales, ws, bob, "/deal log 4k Initech stage:won");
    const token = tokenIn((await run(sales, ws, admin, "/closer tv")).lines[0] ?? "");
    url = server.url(`/tv/${token}`);
    // Another workspace's running contest, which no screen of this one may show.
    const rival = await seedWorkspace(sales, { name: "Rival Corp" });
    const rivalAdmin = await seedMember(sales, rival, "admin", "admin");
    await run(
      sales,
      rival,
      rivalAdmin,
      '/contest create "Rival race" metric:deals from:2026-11-18 to:2026-11-30',
    );
    await run(sales, rival, rivalAdmin, "/deal log 99k Umbrella stage:won");

    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true });
    page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    // The page's timers (the rotation, the countdown's ticks) move only when the test moves them:
    // paused, so a slow machine cannot rotate the screen between two readings.
    await page.clock.install({ time: NOW });
    await page.clock.pauseAt(new Date(Date.parse(NOW) + 1000));
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(String(e)));
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.close();
  });

  const live = () => page.locator('#tv[data-live="true"]').waitFor({ timeout: 10_000 });
  const panel = (name: string) => page.locator(".slide[data-contest]", { hasText: name });
  /** Each standing of a contest's panel as its cells read: place, name, score, gap to the leader. */
  const standingsOf = async (name: string) => {
    const rows = await panel(name).locator("tbody tr").all();
    return Promise.all(rows.map(async (r) => (await r.locator("td").allTextContents()).join(" | ")));
  };
  /** Lets the rotation run until `name`'s panel is the one on screen. */
  const turnTo = async (name: string) => {
    for (let turn = 0; turn < 8 && !(await panel(name).isVisible()); turn++)
      await page.clock.runFor(ROTATE_MS);
    expect(await panel(name).isVisible()).toBe(true);
  };

  it("THEN a running contest has its panel: name, metric, standings with the gap to the leader, prize, and a countdown that runs", async () => {
    const res = await page.goto(url);
    expect(res?.status()).toBe(200);
    await live();
    const sprint = panel("Sprint <b>Nov</b>");
    expect(await sprint.locator("h2").textContent()).toBe("Contest · Sprint <b>Nov</b>");
    expect(await sprint.locator(".contest-rules").textContent()).toBe("Ranked by revenue · Everyone");
    expect(await standingsOf("Sprint <b>Nov</b>")).toEqual([
      "1 | ann | €12,000 | ",
      "2 | bob | €4,000 | €8,000",
    ]);
    expect(await sprint.locator(".contest-prize").textContent()).toBe(
      "Prize: <img src=x onerror=alert(1)> Lisbon trip",
    );
    expect(await page.locator(".board img").count()).toBe(0);
    // The countdown runs from Closer's script under the page's policy: no inline script anywhere.
    expect(res?.headers()["content-security-policy"]).toContain("script-src 'self'");
    expect(res?.headers()["content-security-policy"]).not.toContain("unsafe-inline");
    expect(await page.locator("script:not([src])").count()).toBe(0);
    // It ends at midnight after 20 November in Paris, 23:00 UTC: 2 days 22 hours from 01:00 UTC.
    expect(await sprint.locator(".contest-time").textContent()).toBe("3 days left, ends Nov 20, 2026");
    expect(await sprint.locator(".countdown").textContent()).toBe("2days22hours00min00sec");
    await turnTo("Sprint <b>Nov</b>");
    // Seconds later by the screen's clock, as many less to go.
    await expect
      .poll(async () => {
        await page.clock.runFor(1000);
        return sprint.locator(".countdown").innerText();
      })
      .toMatch(/^2\s*days\s*21\s*hours\s*59\s*min\s*5\d\s*sec$/);
    await turnTo("Sprint <b>Nov</b>");
    await page.screenshot({ path: `${SCREENSHOTS}/tv-contest.png`, animations: "disabled" });
  });

  it("THEN a team contest ranks the teams by their members' average", async () => {
    const cup = panel("Team cup");
    expect(await cup.locator(".contest-rules").textContent()).toBe("Ranked by revenue · Team against team");
    expect(await cup.locator("thead th").nth(1).textContent()).toBe("Team");
    // North: ann's 12k and dana's nothing in the contest's days; South: bob's 4k.
    expect(await standingsOf("Team cup")).toEqual(["1 | North | €6,000 | ", "2 | South | €4,000 | €2,000"]);
  });

  it("THEN the contest ended 2 hours ago has its winner screen, the one ended 2 days ago none, and no other workspace's contest shows", async () => {
    const result = panel("Early bird");
    expect(await result.locator("h2").textContent()).toBe("Contest over · Early bird");
    expect(await result.locator(".winners-label").textContent()).toBe("Winner");
    expect(await result.locator(".winners").textContent()).toBe("dana");
    expect(await result.locator(".contest-prize").textContent()).toBe("dana wins the prize: A day off");
    expect(await standingsOf("Early bird")).toEqual(["1 | dana | 1 | "]);
    await turnTo("Early bird");
    await page.screenshot({ path: `${SCREENSHOTS}/tv-contest-result.png`, animations: "disabled" });
    const text = await page.locator("body").textContent();
    for (const absent of ["Long gone", "Old prize", "Rival race", "Umbrella"])
      expect(text).not.toContain(absent);
  });

  it("WHEN a deal is won through the service THEN the contest's standings update without a reload", async () => {
    await page.evaluate("window.unreloaded = true");
    await run(sales, ws, bob, "/deal log 10k Initrode stage:won");
    await expect
      .poll(() => standingsOf("Sprint <b>Nov</b>"), { timeout: 2000 })
      .toEqual(["1 | bob | €14,000 | ", "2 | ann | €12,000 | €2,000"]);
    expect(await standingsOf("Team cup")).toEqual(["1 | South | €14,000 | ", "2 | North | €6,000 | €8,000"]);
    expect(await page.evaluate("window.unreloaded")).toBe(true);
    // The board swapped in keeps counting down.
    await expect
      .poll(() => panel("Sprint <b>Nov</b>").locator('.cd-value[data-unit="day"]').textContent())
      .toBe("2");
  });

  it("WHEN the workspace speaks French THEN the contests are in French", async () => {
    await run(sales, ws, admin, "/closer config set locale fr");
    await page.goto(url);
    await live();
    const sprint = panel("Sprint <b>Nov</b>");
    expect(await sprint.locator("h2").textContent()).toBe("Challenge · Sprint <b>Nov</b>");
    expect(await sprint.locator(".contest-rules").textContent()).toBe(
      "Classement\u202f: chiffre d’affaires · Tout le monde",
    );
    expect(await sprint.locator(".countdown-label").textContent()).toBe("Fin dans");
    expect(await sprint.locator(".cd-unit").allTextContents()).toEqual(["jours", "heures", "min", "s"]);
    expect(await sprint.locator(".contest-time").textContent()).toBe("Encore 3 jours, fin le 20 nov. 2026");
    expect(await standingsOf("Sprint <b>Nov</b>")).toEqual([
      "1 | bob | 14\u202f000\u00a0€ | ",
      "2 | ann | 12\u202f000\u00a0€ | 2\u202f000\u00a0€",
    ]);
    const result = panel("Early bird");
    expect(await result.locator("h2").textContent()).toBe("Challenge terminé · Early bird");
    expect(await result.locator(".winners-label").textContent()).toBe("Victoire");
    expect(await result.locator(".contest-prize").textContent()).toBe(
      "dana remporte le lot\u202f: A day off",
    );
    const text = (await page.locator(".board").textContent()) ?? "";
    expect(text).not.toMatch(/Contest|Ends in|Winner|Final standings|Behind the leader/);
    await turnTo("Sprint <b>Nov</b>");
    await page.screenshot({ path: `${SCREENSHOTS}/tv-contest-fr.png`, animations: "disabled" });
  });

  it("WHEN a screen stays open as a result's day passes and a countdown ends THEN the rotation follows, without a reload", async () => {
    await page.evaluate("window.unreloaded = true");
    expect(await panel("Early bird").count()).toBe(1);
    // Early bird's result leaves 24 h after its end (23:00 UTC on the 18th): the screen asks again then.
    clock.set("2026-11-18T23:00:01Z");
    await page.clock.fastForward("22:00:05");
    await expect.poll(() => panel("Early bird").count()).toBe(0);
    expect(await panel("Sprint <b>Nov</b>").locator(".countdown").count()).toBe(1);
    // Sprint's countdown ends at 23:00 UTC on the 20th: its winner screen takes its turn.
    clock.set("2026-11-20T23:00:01Z");
    await page.clock.fastForward("48:00:05");
    await expect
      .poll(() => panel("Sprint <b>Nov</b>").locator("h2").textContent())
      .toBe("Challenge terminé · Sprint <b>Nov</b>");
    expect(await panel("Sprint <b>Nov</b>").locator(".winners").textContent()).toBe("bob");
    expect(await panel("Team cup").locator(".winners").textContent()).toBe("South");
    expect(await page.evaluate("window.unreloaded")).toBe(true);
  });

  it("THEN the browser console had no error", () => {
    expect(errors).toEqual([]);
  });
});
