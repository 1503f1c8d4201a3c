import { spawnSync } from "node:child_process";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KEY_SPELLINGS } from "../../src/commands/grammar/words.js";
import type { Database } from "../../src/db/client.js";
import { createDispatcher } from "../../src/notify/dispatcher.js";
import { runShell } from "../../src/platforms/shell/shell.js";
import { createShellPort } from "../../src/platforms/shell/shell-port.js";
import { createTestSales, silentLog } from "../fixtures/sales.js";
import { frenchTypographyFaults } from "../messages/french-typography.js";
import { openTestDatabase } from "../support/db.js";
import { pgliteDir } from "../support/pglite-dir.js";

/** Feeds lines to the shell platform and returns all it printed once input ends. */
async function shell(db: Database, lines: string[], now = "2026-11-18T10:00:00Z"): Promise<string> {
  const { sales, clock } = createTestSales(db, now);
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = "";
  output.on("data", (chunk: Buffer) => {
    printed += chunk.toString("utf8");
  });
  // As `closer start` runs it: what a command causes is delivered, and printed, right after its reply.
  const dispatcher = createDispatcher({
    db: db.prisma,
    ports: { shell: createShellPort((text) => output.write(`${text}\n`)) },
    clock,
    log: silentLog,
  });
  const done = runShell({ sales, input, output, log: silentLog, afterCommand: dispatcher.drain });
  input.end(`${lines.join("\n")}\n`);
  await done;
  return printed;
}

describe("shell platform", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db.close());

  it("GIVEN a deal logged, won and counted THEN the replies say so in English", async () => {
    const out = await shell(db, ["/deal log 12k Acme stage:proposal", "/deal won #1", "/kpi month"]);
    expect(out).toMatchInlineSnapshot(`
      "Deal #1 logged
        #1 Acme · €12,000 · proposal (50%) · admin
        [Won: /deal won #1] [Lost: /deal lost #1] [Move to negotiation: /deal stage #1 negotiation]
      🎉 Deal #1 won by admin
        #1 Acme · €12,000 · won (100%) · admin
      [#wins] 🎉 admin won Acme: €12,000
      [#wins] 🏅 Achievement unlocked
        admin · First win: Acme, €12,000
      KPIs · This month · company
        Won: €12,000 · deals: 1
        Average deal: €12,000
        Win rate: 100% (1 won, 0 lost)
        New pipeline: €12,000 · deals: 1
        Open pipeline: €0 · deals: 0
        Weighted pipeline: €0
        Sales cycle: 0 days
      "
    `);
  });

  it("GIVEN the French locale THEN French amounts are read and shown the French way", async () => {
    const out = await shell(db, [
      "/closer config set locale fr",
      "/deal log 12 000,50 Globex",
      "/deal show #2",
    ]);
    expect(out).toContain("locale vaut maintenant fr");
    expect(out).toContain("Affaire n° 2 enregistrée");
    expect(out).toContain("Montant\u202f: 12\u202f000,50\u00a0€");
  });

  it("GIVEN a French workspace THEN every line the shell prints, replies and posts, has French punctuation", async () => {
    // Its own database, so that the deal numbers the other tests expect stay theirs.
    const own = await openTestDatabase();
    const out = await shell(own, [
      "/closer config set locale fr",
      "/deal log 12k Acme étape:gagnée",
      "/deal list",
      "/kpi mois",
      "/customer Acme",
      "/closer status",
    ]);
    expect(out).toContain("[#wins]");
    expect(out).toContain("Gagné\u202f: ");
    await own.close();
    const faults = out.split("\n").flatMap((line) => frenchTypographyFaults(line, KEY_SPELLINGS));
    expect(faults).toEqual([]);
  });

  it("GIVEN /as and comments THEN members switch, are created as reps, and comments are ignored", async () => {
    const out = await shell(db, [
      "# a comment",
      "/closer config set locale en",
      "/as alice",
      "/deal log 5k Initech",
      "/closer config set currency USD",
      "/as admin",
      "/deal list @alice",
      "hello",
    ]);
    expect(out).toContain("(alice, rep)");
    expect(out).toContain("Deal #3 logged");
    expect(out).toContain("! Only a manager or an admin can do that.");
    expect(out).toContain("#3 Initech · €5,000 · lead (10%) · alice");
    expect(out).toContain("Commands start with /");
    expect(out).not.toContain("a comment");
  });

  it("GIVEN periods in every form THEN the shell reads them and names their days", async () => {
    const out = await shell(db, [
      "/closer config set locale en",
      "/kpi last month",
      "/leaderboard 2026-11-01..2026-11-15",
      "/goal set 60k @alice next month",
      "/goal set 200k company 2027-Q1",
      "/goal @alice next month",
      "/goal delete @alice next month",
      "/goal delete @alice next month",
      "/forecast next quarter",
      "/forecast last month",
    ]);
    for (const said of [
      "KPIs · October 2026 (1 Oct – 31 Oct) · company",
      "🏆 Leaderboard · 1 Nov – 15 Nov 2026 · revenue",
      "Goal set for alice\n  December 2026 (1 Dec – 31 Dec) · alice: target €60,000, not started yet",
      "Q1 2027 (1 Jan – 31 Mar) · company: target €200,000, not started yet",
      "Goals: alice · December 2026 (1 Dec – 31 Dec)",
      "Goals deleted: alice\n  December 2026 (1 Dec – 31 Dec) · revenue: €60,000",
      "No goal for alice in December 2026 (1 Dec – 31 Dec): nothing was deleted.",
      "Forecast · Q1 2027 (1 Jan – 31 Mar) · company",
      "! “last month” is over",
    ]) {
      expect(out).toContain(said);
    }
  });

  it("GIVEN a command that fails THEN the shell answers and carries on with the next line", async () => {
    const out = await shell(db, ["/deal won #999", "/nope", "/deal show #1"]);
    expect(out).toContain("! There is no deal #999.");
    expect(out).toContain("! Unknown command /nope. Try /closer help.");
    expect(out).toContain("Deal #1 · Acme");
  });

  it("GIVEN a deal won, reopened and won again THEN the wins channel hears of it once, after the reply", async () => {
    const n = (await db.prisma.deal.count()) + 1;
    const out = await shell(db, [
      "/as zoe",
      "/deal log 4k Wonka",
      `/deal won #${n} note:"tasting day"`,
      `/deal stage #${n} negotiation`,
      `/deal won #${n}`,
      "/as admin",
      "/closer status",
    ]);
    const celebrations = out.split("\n").filter((l) => l.startsWith("[#wins] 🎉"));
    expect(celebrations).toEqual(["[#wins] 🎉 zoe won Wonka: €4,000"]);
    expect(out).toContain(
      `🎉 Deal #${n} won by zoe\n  #${n} Wonka · €4,000 · won (100%) · zoe\n  How we won it: tasting day\n[#wins] 🎉`,
    );
    expect(out).toMatch(/Pending: 0 · failed: 0 · sent: \d+/);
  });

  it("GIVEN goals crossed by a win, the deal reopened and won again, then for more THEN each milestone names its goal and is announced once", async () => {
    const n = (await db.prisma.deal.count()) + 1;
    const out = await shell(db, [
      "/closer team add North @yves",
      "/goal set 20k @yves month",
      "/goal set 40k team:North month",
      "/as yves",
      "/deal log 15k Umbrella",
      `/deal won #${n}`,
      `/deal stage #${n} proposal`,
      `/deal won #${n}`,
      `/deal stage #${n} proposal`,
      `/deal won #${n} 20k`,
    ]);
    // Each milestone twice: in the reply to /deal won, then in the wins channel.
    const milestones = out
      .split("\n")
      .filter((l) => l.includes("🎯 "))
      .map((l) => l.trim());
    expect(milestones).toEqual([
      "🎯 yves reached 50% of their revenue goal for November 2026",
      "🎯 yves reached 75% of their revenue goal for November 2026",
      "🎯 yves reached 50% of their revenue goal for November 2026",
      "🎯 yves reached 75% of their revenue goal for November 2026",
      "🎯 yves reached 100% of their revenue goal for November 2026",
      "🎯 Team North reached 50% of its revenue goal for November 2026",
      "[#wins] 🎯 A goal milestone for yves",
      "🎯 yves reached 100% of their revenue goal for November 2026",
      "🎯 Team North reached 50% of its revenue goal for November 2026",
    ]);
  });
});

describe("shell platform: members named by commands", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db.close());

  it("GIVEN @newbie in acting commands that are refused THEN no member is added; the same command that succeeds adds them", async () => {
    const named = () => db.prisma.member.findMany({ where: { platformUserId: "newbie" } });
    const refused = await shell(db, [
      "/deal log 5k Acme",
      "/deal assign #999 @newbie",
      "/deal log 5k Acme for:@newbie stage:lost",
      "/as rita",
      "/goal set 50k @newbie month",
      "/deal log 5k Acme for:@newbie",
      "/kpi month @newbie",
    ]);
    expect(refused).toContain("There is no deal #999.");
    expect(refused).toContain("There is no member newbie");
    expect(await named()).toEqual([]);
    expect((await db.prisma.member.findMany()).map((m) => m.platformUserId).sort()).toEqual([
      "admin",
      "rita",
    ]);

    const done = await shell(db, ["/deal assign #1 @newbie", "/goal set 50k @newbie month"]);
    expect(done).toContain("Deal #1 now belongs to newbie");
    expect(done).toContain("Goal set for newbie");
    expect(await named()).toHaveLength(1);
  });
});

describe("closer start, as a user runs it", () => {
  // In memory, as a first try runs it: initdb and every migration in the process, which the process
  // is allowed 60 s for. The others here start from a copy of a migrated directory.
  it("GIVEN piped commands and no platform variables THEN it runs the shell on PGlite and exits 0", () => {
    const result = spawnSync(process.execPath, ["bin/closer.js", "start"], {
      input: "/deal log 12k Acme stage:proposal\n/deal won #1\n/kpi month\n",
      env: { PATH: process.env.PATH, DATABASE_URL: "pglite://memory", LOG_LEVEL: "warn" },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("Deal #1 logged");
    expect(result.stdout).toContain("🎉 Deal #1 won by admin");
    expect(result.stdout).toMatch(/Won: €12,000 · deals: 1/);
  }, 90_000);

  it("GIVEN its output closed early (| head -3) THEN it ends quietly, with no EPIPE", () => {
    const lines = "/closer help\n".repeat(20);
    const data = pgliteDir();
    const result = spawnSync(
      "bash",
      [
        "-c",
        `printf '${lines}' | node bin/closer.js start | head -3; echo "closer exit \${PIPESTATUS[1]}" >&2`,
      ],
      {
        env: { PATH: process.env.PATH, DATABASE_URL: data.url, LOG_LEVEL: "warn" },
        encoding: "utf8",
        timeout: 60_000,
      },
    );
    data.remove();
    expect(result.stdout.split("\n")).toHaveLength(4);
    expect(result.stderr).not.toContain("EPIPE");
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stderr).toMatch(/closer exit 0\s*$/);
  });

  it("GIVEN a bad environment value THEN it stops with one line naming the variable", () => {
    const result = spawnSync(process.execPath, ["bin/closer.js", "start"], {
      input: "",
      env: { PATH: process.env.PATH, DATABASE_URL: "mysql://nope" },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split("\n")).toEqual([
      "closer: DATABASE_URL: expected pglite://memory, pglite:///absolute/dir or postgres://user@host/db",
    ]);
  });
});
