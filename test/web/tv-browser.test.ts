import { mkdirSync } from "node:fs";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DiscordEmulator, startDiscordEmulator } from "../emulators/discord/discord-emulator.js";
import { chatInput, shown } from "../platforms/discord/support.js";
import { type CloserProcess, listeningPort, startCloser } from "../support/closer-process.js";
import { pgliteDirs } from "../support/pglite-dir.js";
import { tokenIn } from "./support.js";

/*
 * The TV screen in a real browser (Debian's Chromium, headless), served by `closer start` itself:
 * with the shell and PORT set, and with Discord. One browser for the file, one page per Closer.
 */

const SCREENSHOTS = "test-results";
const WIN_WITHIN_MS = 2000;

let browser: Browser;
/** Each `closer` here runs on its own copy of the migrated PGlite directory (a user's `pglite:///dir`). */
const databases = pgliteDirs();
afterAll(() => databases.remove());

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

/** A 1920×1080 page that records every console error and uncaught exception. */
async function screenPage(): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  return { page, errors };
}

/** Waits until the screen's event stream is open (the script marks it). */
async function live(page: Page) {
  await page.locator('#tv[data-live="true"]').waitFor({ timeout: 10_000 });
}

/** The shell on a child's stdin/stdout: writes a line, resolves with the output once `until` appears. */
function shellOf(closer: CloserProcess) {
  let out = "";
  const waiting: { pattern: RegExp; from: number; resolve: (text: string) => void }[] = [];
  closer.child.stdout?.on("data", (chunk: Buffer) => {
    out += chunk.toString("utf8");
    for (const w of [...waiting]) {
      const text = out.slice(w.from);
      if (w.pattern.test(text)) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve(text);
      }
    }
  });
  return (line: string, until: RegExp) =>
    new Promise<string>((resolve) => {
      waiting.push({ pattern: until, from: out.length, resolve });
      closer.child.stdin?.write(`${line}\n`);
    });
}

describe("GIVEN closer start with the shell and PORT set", () => {
  let closer: CloserProcess;
  let say: (line: string, until: RegExp) => Promise<string>;
  let base: string;
  let token: string;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    closer = startCloser(["start"], { DATABASE_URL: databases.url(), PORT: "0", LOG_LEVEL: "info" }, "pipe");
    say = shellOf(closer);
    base = `http://127.0.0.1:${await listeningPort(closer)}`;
    await say("/as ann", /ann/);
    await say("/deal log 12k Globex stage:won", /won/);
    await say("/as bob", /bob/);
    await say('/deal log 4k "<script>alert(1)</script>" stage:won', /won/);
    await say("/as admin", /admin/);
    await say("/goal set 50k company", /Goal set/);
    token = tokenIn(await say("/closer tv", /share it like a password/));
    ({ page, errors } = await screenPage());
  }, 90_000);

  afterAll(async () => {
    await page?.close();
    closer?.child.stdin?.end();
    await closer?.stop();
  });

  it("THEN the TV page shows the leaders, their figures, the goal and the latest wins, escaped", async () => {
    const res = await page.goto(`${base}/tv/${token}`);
    expect(res?.status()).toBe(200);
    await live(page);
    const month = page.locator('.leaderboard[data-period="month"]');
    await expect.poll(() => month.isVisible()).toBe(true);
    expect(await month.locator("tbody tr").allInnerTexts()).toEqual([
      "1\tann\t€12,000\t1",
      "2\tbob\t€4,000\t1",
    ]);
    expect(await page.locator(".goal-name").first().innerText()).toMatch(/^Company · revenue · \w+ \d{4}$/);
    expect(await page.locator(".goal-meta").first().innerText()).toContain("€16,000 of €50,000");
    expect(await page.locator(".latest-wins").innerText()).toContain("<script>alert(1)</script>");
    // The font is Closer's own, loaded from /assets/.
    expect(await page.evaluate(`document.fonts.check('16px "DejaVu Sans"')`)).toBe(true);
    await page.screenshot({ path: `${SCREENSHOTS}/tv-en.png` });
  });

  it("WHEN a deal is won through the shell THEN the screen celebrates it and updates within 2 s, without a reload", async () => {
    await page.evaluate("window.unreloaded = true");
    await say("/as carla", /carla/);
    const started = Date.now();
    const winning = say("/deal log 30k Initech stage:won", /won/);
    await page.locator("#celebration:not([hidden])").waitFor({ timeout: WIN_WITHIN_MS + 1000 });
    expect(Date.now() - started).toBeLessThan(WIN_WITHIN_MS);
    await winning;
    expect(await page.locator(".celebration-title").innerText()).toBe("carla won €30,000!");
    expect(await page.locator(".celebration-detail").innerText()).toBe("Initech");
    expect(await page.locator('.leaderboard[data-period="month"] tbody tr').first().innerText()).toBe(
      "1\tcarla\t€30,000\t1",
    );
    await page.screenshot({ path: `${SCREENSHOTS}/tv-celebration.png`, animations: "disabled" });
    expect(await page.evaluate("window.unreloaded")).toBe(true);
    await say("/as admin", /admin/);
  });

  it("WHEN the workspace speaks French THEN the page is in French", async () => {
    await say("/closer config set locale fr", /locale/);
    await page.goto(`${base}/tv/${token}`);
    await live(page);
    expect(await page.locator("html").getAttribute("lang")).toBe("fr");
    const text = await page.locator("body").innerText();
    expect(text).toMatch(/Classement · \p{Ll}+ \d{4}/u);
    expect(text).toContain("Objectifs");
    expect(text).toContain("Dernières ventes");
    expect(text).toContain("Entreprise · chiffre d’affaires");
    expect(text).toContain("30\u202f000\u00a0€");
    expect(text).not.toMatch(/Leaderboard|Latest wins|Goals/);
    await page.screenshot({ path: `${SCREENSHOTS}/tv-fr.png` });
  });

  it("THEN /closer dashboard's link opens the dashboard page, in the workspace's language", async () => {
    const dashboard = tokenIn(await say("/closer dashboard", /gardez-le pour vous/));
    expect((await page.goto(`${base}/dashboard/${dashboard}?period=quarter`))?.status()).toBe(200);
    expect(await page.locator("h1").innerText()).toBe("Tableau de bord commercial");
    expect(await page.locator(".dash-subtitle").innerText()).toMatch(/^Toute l’entreprise · /);
    // Every section draws its chart (an SVG with its text) over the table of its exact figures, or
    // says it has nothing to show (no deal lost yet).
    const sections = page.locator(".dash-section");
    expect(await sections.count()).toBe(6);
    const drawn: string[] = [];
    for (const section of await sections.all()) {
      const charts = await section.locator(".dash-chart svg text").count();
      const rows = await section.locator(".dash-table tbody tr").count();
      if (charts > 0 && rows > 0) drawn.push((await section.getAttribute("id")) ?? "");
      else expect(await section.locator(".dash-empty").count()).toBeGreaterThan(0);
    }
    expect(drawn).toEqual(expect.arrayContaining(["won", "forecast", "pipeline", "sources", "reps"]));
    expect(await page.locator("#won").innerText()).toContain(
      "Chiffre d’affaires gagné par mois face à l’objectif",
    );
    // The quarter's wins: ann's 12k, bob's 4k and carla's 30k.
    expect(await page.locator("#won .dash-table").innerText()).toContain("46\u202f000\u00a0€");
    await page.screenshot({ path: `${SCREENSHOTS}/dashboard.png`, fullPage: true });
    const refused = await page.goto(
      `${base}/dashboard/${dashboard}?period=${encodeURIComponent("<b>never</b>")}`,
    );
    expect(refused?.status()).toBe(200);
    expect(await page.locator(".dash-error").innerText()).toContain("Voici le mois en cours à la place.");
    expect(await page.locator(".dash-error b").count()).toBe(0);
  });

  it("THEN the browser console had no error on the pages", () => {
    expect(errors).toEqual([]);
  });

  it("THEN a wrong token gets 404, and a revoked link 404 too", async () => {
    expect((await page.goto(`${base}/tv/${"x".repeat(43)}`))?.status()).toBe(404);
    expect(await page.locator("body").innerText()).toBe("not found");
    await say("/closer tv revoke", /révoqué/);
    expect((await page.goto(`${base}/tv/${token}`))?.status()).toBe(404);
    // Chromium logs each 404 it loads (the pages, and the icon a plain-text page has none of).
    expect(errors.every((e) => e.includes("404"))).toBe(true);
  });
});

const GUILD = "900000000000000701";
const RIVAL = "900000000000000702";
const CHANNEL = "910000000000000701";
const RIVAL_CHANNEL = "910000000000000702";
const DANA = "920000000000000701";
const RITA = "920000000000000702";

describe("GIVEN closer start with Discord, and two guilds", () => {
  let emu: DiscordEmulator;
  let closer: CloserProcess;
  let base: string;
  let page: Page;
  let errors: string[];

  const command = async (
    guildId: string,
    channelId: string,
    userId: string,
    data: ReturnType<typeof chatInput>,
  ) => {
    const { callback } = await emu.interact({ type: 2, guildId, channelId, userId, data });
    return shown(callback.data).replaceAll("\\", "");
  };

  beforeAll(async () => {
    emu = await startDiscordEmulator({ heartbeatIntervalMs: 200, interactionDeadlineMs: 15_000 });
    emu.addGuild({ id: GUILD, name: "Dana's", channels: [{ id: CHANNEL, name: "sales" }] });
    emu.addGuild({ id: RIVAL, name: "Rival", channels: [{ id: RIVAL_CHANNEL, name: "sales" }] });
    emu.addMember(GUILD, { id: DANA, username: "dana", permissions: "0" });
    emu.addMember(RIVAL, { id: RITA, username: "rita-rival", permissions: "0" });
    closer = startCloser(["start"], {
      DATABASE_URL: databases.url(),
      DISCORD_TOKEN: emu.token,
      DISCORD_APPLICATION_ID: emu.applicationId,
      DISCORD_API_URL: emu.apiUrl,
      PORT: "0",
      LOG_LEVEL: "info",
    });
    base = `http://127.0.0.1:${await listeningPort(closer)}`;
    await closer.logLine(/"msg":"closer ready"/);
    await emu.connected();
    ({ page, errors } = await screenPage());
  }, 90_000);

  afterAll(async () => {
    await page?.close();
    expect(await closer?.stop()).toBe(0);
    await emu?.close();
  });

  it("WHEN a deal is won on Discord THEN the guild's screen has it within 2 s, and nothing of the other guild is on it", async () => {
    await command(
      RIVAL,
      RIVAL_CHANNEL,
      RITA,
      chatInput("deal", "log", { amount: "99k", customer: "Umbrella", stage: "won" }),
    );
    await command(
      GUILD,
      CHANNEL,
      DANA,
      chatInput("deal", "log", { amount: "5k", customer: "Stark", stage: "won" }),
    );
    const token = tokenIn(await command(GUILD, CHANNEL, DANA, chatInput("closer", "tv")));
    expect((await page.goto(`${base}/tv/${token}`))?.status()).toBe(200);
    await live(page);
    const before = await page.locator("body").innerText();
    expect(before).toContain("dana");
    expect(before).toContain("Stark");
    for (const theirs of ["Umbrella", "rita-rival", "99,000", "Rival"]) expect(before).not.toContain(theirs);
    const started = Date.now();
    const winning = command(
      GUILD,
      CHANNEL,
      DANA,
      chatInput("deal", "log", { amount: "7k", customer: "Wayne", stage: "won" }),
    );
    await page.locator("#celebration:not([hidden])").waitFor({ timeout: WIN_WITHIN_MS + 1000 });
    expect(Date.now() - started).toBeLessThan(WIN_WITHIN_MS);
    await winning;
    expect(await page.locator(".celebration-title").innerText()).toBe("dana won €7,000!");
    expect(await page.locator(".latest-wins").innerText()).toContain("Wayne");
    expect(await page.locator("body").innerText()).not.toContain("Umbrella");
    await page.screenshot({ path: `${SCREENSHOTS}/tv-discord.png` });
    expect(errors).toEqual([]);
  });
});
