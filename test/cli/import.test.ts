import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awardsOf } from "../../src/announcements/awards.js";
import { importCommand, parseImportArgs } from "../../src/cli/import.js";
import { type Database, openDatabase } from "../../src/db/client.js";
import { migrate } from "../../src/db/migrate.js";
import { renderText } from "../../src/platforms/shell/render-text.js";
import { SHELL_WORKSPACE } from "../../src/platforms/shell/shell.js";
import type { Workspace } from "../../src/sales/deps.js";
import { periodOfDate } from "../../src/sales/periods/period.js";
import type { SalesService } from "../../src/sales/sales-service.js";
import { calendarOf } from "../../src/sales/workspaces/workspace-service.js";
import { openCsv } from "../../src/transfer/csv-read.js";
import { readDeals } from "../../src/transfer/read-deals.js";
import { writeHugeCsv, writeWideCsv } from "../fixtures/import/generate.js";
import { createTestSales, type FixedClock, run, seedWorkspace } from "../fixtures/sales.js";
import { textCollector } from "../support/collector.js";
import { openMigratedDatabase, openTestDatabase } from "../support/db.js";
import { pgliteDir } from "../support/pglite-dir.js";

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/import/${name}`, import.meta.url));

/** The owners of the fixtures' deals, as members with their emails (test/fixtures/import/README.md). */
const OWNERS = [
  ["Camille Martin", "camille.martin@example.com"],
  ["Théo Dubois", "theo.dubois@example.com"],
  ["Inès Moreau", "ines.moreau@example.com"],
  ["Lucas Bernard", "lucas.bernard@example.com"],
] as const;

let db: Database;
let sales: SalesService;
let clock: FixedClock;
let dir: string;

beforeAll(async () => {
  db = await openTestDatabase();
  ({ sales, clock } = createTestSales(db, "2026-12-01T12:00:00Z"));
  dir = mkdtempSync(join(tmpdir(), "closer-import-"));
});
afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

async function teamWorkspace(locale: "en" | "fr" = "en"): Promise<Workspace> {
  const ws = await seedWorkspace(sales, { locale, timezone: "UTC" });
  for (const [name, email] of OWNERS) {
    const m = await sales.members.ensureMember(ws, { platformUserId: email, displayName: name });
    await db.prisma.member.update({ where: { id: m.id }, data: { email } });
  }
  return ws;
}

async function importInto(ws: Workspace, file: string, ...flags: string[]) {
  const args = parseImportArgs(["deals", file, ...flags]);
  if (typeof args === "string") throw new Error(args);
  const [stdout, stderr] = [textCollector(), textCollector()];
  const code = await importCommand(sales, await sales.workspaces.getWorkspace(ws.id), args, {
    stdout: stdout.stream,
    stderr: stderr.stream,
  });
  return { code, out: stdout.text(), err: stderr.text() };
}

/** Every row a workspace holds, by table: what "writes nothing" is checked against. */
async function footprint(ws: Workspace) {
  const where = { workspaceId: ws.id };
  return {
    deals: await db.prisma.deal.count({ where }),
    customers: await db.prisma.customer.count({ where }),
    members: await db.prisma.member.count({ where }),
    events: await db.prisma.dealEvent.count({ where }),
    outbox: await db.prisma.outbox.count({ where }),
    reminders: await db.prisma.reminder.count({ where }),
  };
}

async function outcomes(ws: Workspace) {
  const deals = await db.prisma.deal.findMany({ where: { workspaceId: ws.id } });
  const won = deals.filter((d) => d.stage === "won");
  return {
    won: won.length,
    wonAmount: won.reduce((sum, d) => sum + d.amount, 0n),
    lost: deals.filter((d) => d.stage === "lost").length,
    open: deals.filter((d) => d.stage !== "won" && d.stage !== "lost").length,
  };
}

const rejectedLines = (out: string) =>
  [...out.matchAll(/^ {2}(?:line|ligne) (\d+),/gm)].map((m) => Number(m[1]));

describe("closer import deals, each CRM's export", () => {
  it.each([
    // file, locale, created, customers, rejected lines, won, won amount, lost, open
    ["hubspot.csv", "en", 16, 12, [17, 18, 19, 20, 21, 22], 7, 8290000n, 4, 5],
    ["hubspot-fr.csv", "fr", 12, 10, [14, 15, 16, 17, 18, 19], 5, 5660050n, 2, 5],
    ["pipedrive.csv", "en", 14, 10, [15, 16, 17, 18, 19, 20], 5, 12955000n, 4, 5],
    ["pipedrive-tab.tsv", "en", 6, 5, [8, 9, 10, 11, 12, 13], 3, 3580000n, 1, 2],
    ["salesforce.csv", "en", 14, 11, [17, 18, 19, 20, 21, 22], 4, 16655000n, 3, 7],
  ] as const)(
    "GIVEN %s (%s workspace) THEN the dry run counts what the commit does, and a second commit changes nothing",
    async (file, locale, created, customers, lines, won, wonAmount, lost, open) => {
      const ws = await teamWorkspace(locale);
      const before = await footprint(ws);

      const dry = await importInto(ws, fixture(file));
      expect(dry.code).toBe(1);
      expect(rejectedLines(dry.out)).toEqual(lines);
      expect(await footprint(ws)).toEqual(before);

      const done = await importInto(ws, fixture(file), "--commit");
      expect(dry.out).toContain(locale === "fr" ? `${created} à créer` : `${created} to create`);
      expect(done.out).toContain(locale === "fr" ? `${created} créées` : `${created} created`);
      expect(rejectedLines(done.out)).toEqual(lines);
      const after = await footprint(ws);
      expect(after.deals - before.deals).toBe(created);
      expect(after.customers - before.customers).toBe(customers);
      expect(after.members).toBe(before.members);
      expect(after.outbox).toBe(0);
      expect(after.reminders).toBe(0);
      expect(await outcomes(ws)).toEqual({ won, wonAmount, lost, open });

      const again = await importInto(ws, fixture(file), "--commit");
      expect(again.out).toMatch(
        locale === "fr" ? /0 créées, 0 mises à jour, \d+ inchangées/ : /0 created, 0 updated, \d+ unchanged/,
      );
      expect(await footprint(ws)).toEqual(after);
    },
  );
});

describe("closer import deals, history as it happened", () => {
  let ws: Workspace;
  beforeAll(async () => {
    ws = await teamWorkspace();
    await importInto(ws, fixture("hubspot.csv"), "--commit");
  });

  const deal = (externalId: string) =>
    db.prisma.deal.findFirstOrThrow({
      where: { workspaceId: ws.id, externalSource: "hubspot", externalId },
      include: { owner: true, customer: true, events: { orderBy: [{ at: "asc" }, { id: "asc" }] } },
    });

  it("GIVEN a won deal THEN it keeps its dates, owner matched by email, and a history of created, won and imported", async () => {
    const d = await deal("21504318304");
    expect(d.owner.displayName).toBe("Lucas Bernard");
    expect(d.customer.name).toBe("Dupont, Fils & Associés");
    expect(d.createdAt.toISOString()).toBe("2025-04-01T10:15:00.000Z");
    expect(d.closedAt?.toISOString()).toBe("2025-06-30T17:20:00.000Z");
    expect(d.amount).toBe(2400000n);
    expect(d.events.map((e) => [e.kind, e.at.toISOString(), e.actorId])).toEqual([
      ["created", "2025-04-01T10:15:00.000Z", d.ownerId],
      ["stage", "2025-06-30T17:20:00.000Z", d.ownerId],
      ["imported", "2026-12-01T12:00:00.000Z", null],
    ]);
  });

  it("GIVEN lost reasons THEN ours map to ours and any other text is `other` with the text as its note", async () => {
    expect(await deal("21504318303")).toMatchObject({ stage: "lost", lostReason: "price", lostNote: null });
    expect(await deal("21504318313")).toMatchObject({ lostReason: "no_decision", lostNote: null });
    expect(await deal("21504318322")).toMatchObject({ lostReason: "timing", lostNote: null });
    expect(await deal("21504318310")).toMatchObject({
      lostReason: "other",
      lostNote: "Went with a competitor (Shopify agency)",
    });
  });

  it("GIVEN open deals THEN the close date is their expected close and the stage the preset's", async () => {
    const d = await deal("21504318305");
    expect(d).toMatchObject({ stage: "negotiation", probability: 75, closedAt: null });
    expect(d.expectedCloseDate?.toISOString().slice(0, 10)).toBe("2026-12-19");
  });

  it("GIVEN two spellings of one customer THEN one customer, named as first seen and as old as its first deal; numbers follow the file", async () => {
    const customers = await db.prisma.customer.findMany({
      where: { workspaceId: ws.id, nameKey: "cafe lumiere" },
    });
    expect(customers.map((c) => [c.name, c.createdAt.toISOString()])).toEqual([
      ["Café Lumière", "2025-02-03T08:45:00.000Z"],
    ]);
    const numbered = await db.prisma.deal.findMany({
      where: { workspaceId: ws.id },
      orderBy: { number: "asc" },
    });
    expect(numbered.map((d) => d.number)).toEqual(numbered.map((_, i) => i + 1));
    expect(numbered.map((d) => d.externalId).slice(0, 3)).toEqual([
      "21504318301",
      "21504318302",
      "21504318303",
    ]);
  });

  it("GIVEN a past quarter THEN /kpi and /leaderboard count its imported wins", async () => {
    const admin = await sales.members.findMember(ws, "admin");
    if (!admin) throw new Error("no admin");
    const kpi = renderText(await run(sales, ws, admin, "/kpi 2025-Q2"));
    // Won in 2025-Q2: Boulangerie Lemoine 7,200 and Dupont 24,000; lost: Café Lumière.
    expect(kpi).toContain("Won: €31,200 · deals: 2");
    expect(kpi).toContain("Win rate: 67% (2 won, 1 lost)");
    const board = renderText(await run(sales, ws, admin, "/leaderboard 2025-Q2"));
    expect(board).toMatch(/Lucas Bernard\s+€24,000/);
    expect(board).toMatch(/Théo Dubois\s+€7,200/);
  });

  it("GIVEN a month whose wins were all imported THEN its awards are not posted; a win logged in Closer makes them", async () => {
    const admin = await sales.members.findMember(ws, "admin");
    if (!admin) throw new Error("no admin");
    const withChannel = await sales.workspaces.setConfig(ws, admin, "wins_channel", "#wins");
    const march = periodOfDate("month", "2025-03-01", calendarOf(withChannel));
    expect(await awardsOf(sales, withChannel, "monthly", march)).toEqual([]);

    clock.set("2025-03-20T10:00:00Z");
    try {
      const rep = await sales.members.findMember(ws, "theo.dubois@example.com");
      if (!rep) throw new Error("no rep");
      const live = await sales.deals.logDeal(withChannel, rep, {
        amount: 100000n,
        customer: "Live Co",
        stage: "won",
      });
      expect(live.deal.stage).toBe("won");
    } finally {
      clock.set("2026-12-01T12:00:00Z");
    }
    const posted = await awardsOf(sales, withChannel, "monthly", march);
    expect(posted).toHaveLength(1);
    expect(JSON.stringify(posted[0])).toContain("Camille Martin");
  });
});

describe("closer import deals, a file imported again", () => {
  it("GIVEN an updated export THEN only what changed is updated, each change a deal event", async () => {
    const ws = await teamWorkspace();
    await importInto(ws, fixture("hubspot.csv"), "--commit");
    const updated = join(dir, "hubspot-updated.csv");
    writeFileSync(
      updated,
      readFileSync(fixture("hubspot.csv"), "utf8")
        // Hôtel des Quais: a new amount; Garage Petit's fleet tracking: won.
        .replace(
          "Contract Sent,2026-12-19 12:00,Camille Martin,31250.50",
          "Contract Sent,2026-12-19 12:00,Camille Martin,33000",
        )
        .replace(
          "21504318306,Garage Petit – fleet tracking,Appointment Scheduled,2027-01-29 09:00",
          "21504318306,Garage Petit – fleet tracking,Closed Won,2026-11-30 09:00",
        ),
    );
    const before = await footprint(ws);
    const result = await importInto(ws, updated, "--commit");
    expect(result.out).toContain("0 created, 2 updated, 14 unchanged");
    const quais = await db.prisma.deal.findFirstOrThrow({
      where: { workspaceId: ws.id, externalId: "21504318305" },
      include: { events: { orderBy: { id: "asc" } } },
    });
    expect(quais.amount).toBe(3300000n);
    expect(quais.events.slice(-2).map((e) => [e.kind, e.previousAmount, e.amount])).toEqual([
      ["amount", 3125050n, 3300000n],
      ["imported", null, null],
    ]);
    const garage = await db.prisma.deal.findFirstOrThrow({
      where: { workspaceId: ws.id, externalId: "21504318306" },
      include: { events: { orderBy: { id: "asc" } } },
    });
    expect(garage).toMatchObject({ stage: "won", expectedCloseDate: null });
    expect(garage.closedAt?.toISOString()).toBe("2026-11-30T09:00:00.000Z");
    expect(garage.events.slice(-3).map((e) => [e.kind, e.stage ?? e.oldValue])).toEqual([
      ["stage", "won"],
      ["close", "2027-01-29"],
      ["imported", null],
    ]);
    const after = await footprint(ws);
    expect(after.deals).toBe(before.deals);
    expect(after.outbox).toBe(0);
  });

  it("GIVEN a deal deleted in Closer THEN a new import leaves it deleted", async () => {
    const ws = await teamWorkspace();
    await importInto(ws, fixture("hubspot.csv"), "--commit");
    const admin = await sales.members.findMember(ws, "admin");
    if (!admin) throw new Error("no admin");
    const target = await db.prisma.deal.findFirstOrThrow({
      where: { workspaceId: ws.id, externalId: "21504318302" },
    });
    await sales.deals.deleteDeal(ws, admin, target.number);
    const result = await importInto(ws, fixture("hubspot.csv"), "--commit");
    expect(result.out).toContain("1 deal was deleted in Closer and left as they are.");
    expect((await db.prisma.deal.findUniqueOrThrow({ where: { id: target.id } })).deletedAt).not.toBeNull();
  });
});

describe("closer import deals, a team's own columns and stages", () => {
  it("GIVEN --map for Salesforce's custom Loss Reason THEN lost deals get their reasons", async () => {
    const ws = await teamWorkspace();
    await importInto(ws, fixture("salesforce.csv"), "--commit", "--map", "Loss Reason=lost_reason");
    const lost = await db.prisma.deal.findMany({
      where: { workspaceId: ws.id, stage: "lost" },
      orderBy: { number: "asc" },
      select: { externalId: true, lostReason: true, lostNote: true },
    });
    expect(lost).toEqual([
      { externalId: "0068d00000QbR1bAAF", lostReason: "price", lostNote: null },
      { externalId: "0068d00000QbR1fAAF", lostReason: "no_decision", lostNote: null },
      { externalId: "0068d00000QbR1gAAF", lostReason: "competitor", lostNote: null },
    ]);
  });

  it("GIVEN --stages for a custom stage THEN its row is imported at our stage", async () => {
    const ws = await teamWorkspace();
    const result = await importInto(
      ws,
      fixture("hubspot.csv"),
      "--commit",
      "--stages",
      "Legal Review=négociation",
    );
    expect(rejectedLines(result.out)).toEqual([17, 18, 19, 20, 21]);
    const review = await db.prisma.deal.findFirstOrThrow({
      where: { workspaceId: ws.id, externalId: "21504318320" },
    });
    expect(review).toMatchObject({ stage: "negotiation", probability: 75 });
  });

  it("GIVEN a bad value in one of several columns for a field THEN the rejection names that column", async () => {
    const ws = await teamWorkspace();
    const result = await importInto(ws, fixture("pipedrive-tab.tsv"));
    expect(result.out).toContain("line 10, Deal - Lost time: “2025-00-15 10:00:00” is not a date");
  });

  it("GIVEN --map naming a column the file lacks THEN one clear error and nothing written", async () => {
    const ws = await teamWorkspace();
    const before = await footprint(ws);
    const result = await importInto(
      ws,
      fixture("hubspot.csv"),
      "--commit",
      "--map",
      "Loss Reason=lost_reason",
    );
    expect(result.err).toBe("closer import: --map names a column the file does not have: Loss Reason\n");
    expect(await footprint(ws)).toEqual(before);
  });
});

describe("closer import deals, owners", () => {
  it("GIVEN an unknown owner and --create-members THEN a member is created for them and their row imported", async () => {
    const ws = await teamWorkspace();
    const result = await importInto(ws, fixture("hubspot.csv"), "--commit", "--create-members");
    expect(result.out).toContain("Members: 1 created.");
    expect(rejectedLines(result.out)).toEqual([17, 18, 19, 20, 22]);
    const jordan = await db.prisma.member.findFirstOrThrow({
      where: { workspaceId: ws.id, displayName: "Jordan Blake" },
    });
    expect(jordan).toMatchObject({ platformUserId: "import:jordan blake", role: "rep", email: null });
    expect(await db.prisma.deal.count({ where: { ownerId: jordan.id } })).toBe(1);
  });

  it("GIVEN members of another workspace THEN they are not this one's owners, and that workspace is untouched", async () => {
    const other = await teamWorkspace();
    const otherBefore = await footprint(other);
    const bare = await seedWorkspace(sales, { timezone: "UTC" });
    const result = await importInto(bare, fixture("hubspot.csv"), "--commit");
    expect(rejectedLines(result.out)).toHaveLength(22);
    expect(result.out).toContain("Deals: 0 created");
    expect(await footprint(other)).toEqual(otherBefore);
  });

  it("GIVEN --errors THEN every rejected row is written with its line, column and reason before its own cells", async () => {
    const ws = await teamWorkspace();
    const errors = join(dir, "errors.csv");
    await importInto(ws, fixture("hubspot.csv"), "--errors", errors);
    const lines = readFileSync(errors, "utf8").trim().split("\n");
    expect(lines[0]).toMatch(/^line,column,reason,Record ID,Deal Name,Deal Stage,/);
    expect(lines).toHaveLength(7);
    expect(lines[1]).toMatch(
      /^17,Currency,"in USD, not the workspace’s EUR \(amounts are never converted\)",21504318315,/,
    );
    expect(lines[5]).toMatch(/^21,Deal owner,Jordan Blake is not a member .*,21504318319,/);
  });
});

describe("closer import deals, a transaction that idles", () => {
  it("GIVEN a file read more slowly than a command's transaction may idle THEN the commit completes", async () => {
    const empty = await openMigratedDatabase();
    await migrate(empty.db.sql);
    // On PostgreSQL, the same database through connections that let a transaction idle 600 ms
    // (a command's may idle 10 s): an import planning unchanged rows sends nothing for longer. The
    // workspace is seeded through the ordinary connections, whose transactions a loaded machine
    // may leave idle that long between two statements.
    const short = empty.url ? await openDatabase(empty.url, { transactionMs: 600 }) : empty.db;
    try {
      const ws = await seedWorkspace(createTestSales(empty.db, "2026-12-01T12:00:00Z").sales, {
        timezone: "UTC",
      });
      const { sales: local } = createTestSales(short, "2026-12-01T12:00:00Z");
      const reading = readDeals(await openCsv(fixture("hubspot.csv")), {
        map: new Map(),
        stages: new Map(),
        values: { locale: "en", currency: ws.currency, timezone: ws.timezone },
        now: new Date("2026-12-01T12:00:00Z"),
      });
      async function* readSlowly() {
        for await (const batch of reading.batches) yield batch;
        await new Promise((resolve) => setTimeout(resolve, 1800));
      }
      const summary = await local.imports.importDeals(ws, readSlowly(), {
        createMembers: true,
        commit: true,
      });
      // The fixture's 16 deals and, its owner created as a member, the one whose owner is unknown.
      expect(summary.counts.created).toBe(17);
      expect(await short.prisma.deal.count({ where: { workspaceId: ws.id } })).toBe(17);
    } finally {
      if (short !== empty.db) await short.close();
      await empty.close();
    }
  });
});

describe("closer import deals, files refused whole", () => {
  it.each([
    ["binary.csv", "this is not a CSV file: it holds binary data"],
    ["broken-quotes.csv", "line 6: a quote is opened and never closed; nothing was imported"],
    ["no-header.csv", "no recognisable header: the first line must name the columns, at least Record ID"],
  ])("GIVEN %s THEN one clear error and nothing written", async (file, message) => {
    const ws = await teamWorkspace();
    const before = await footprint(ws);
    const result = await importInto(ws, fixture(file), "--commit");
    expect(result.code).toBe(1);
    expect(result.out).toBe("");
    expect(result.err).toMatch(new RegExp(`^closer import: ${message.replace(/[()]/g, "\\$&")}`));
    expect(await footprint(ws)).toEqual(before);
  });

  it("GIVEN a 1 GB file THEN it is refused by its size before it is read", async () => {
    const ws = await teamWorkspace();
    const result = await importInto(ws, await writeHugeCsv(dir), "--commit");
    expect(result.err).toBe(
      "closer import: the file is 1024 MB; an import takes at most 256 MB (split it, or export fewer columns)\n",
    );
  });

  it("GIVEN 10,000 columns THEN it is refused for its width", async () => {
    const ws = await teamWorkspace("fr");
    const result = await importInto(ws, await writeWideCsv(dir), "--commit");
    expect(result.err).toBe(
      "closer import: l’en-tête compte 10\u202f000 colonnes\u202f; un import en lit au plus 1\u202f000\n",
    );
  });
});

describe("closer import, the command line", () => {
  it.each([
    [["deals"], "import deals needs a file"],
    [["customers", "x.csv"], "import takes `deals <file>` or `contacts <file>`"],
    [["deals", "x.csv", "--preset", "zoho"], "--preset takes one of hubspot, pipedrive, salesforce, closer"],
    [
      ["deals", "x.csv", "--map", "Deal Name=name"],
      '--map: "name" is not a field; the fields are id, title,',
    ],
    [["deals", "x.csv", "--stages", "Legal Review=later"], '--stages: "later" is not a stage'],
    [["deals", "x.csv", "--frobnicate"], "unknown option --frobnicate"],
  ])("GIVEN %j THEN %s", (argv, message) => {
    const parsed = parseImportArgs(argv);
    expect(typeof parsed === "string" && parsed.startsWith(message)).toBe(true);
  });

  it("GIVEN the real CLI on a PGlite directory THEN it runs the dry run and exits 1 for the rejected rows, then commits and vacuums", async () => {
    const data = pgliteDir();
    try {
      const local = await openDatabase(data.url);
      try {
        await migrate(local.sql);
        await createTestSales(local).sales.workspaces.ensureWorkspace(SHELL_WORKSPACE);
      } finally {
        await local.close();
      }
      const env = { PATH: process.env.PATH, DATABASE_URL: data.url, LOG_LEVEL: "warn" };
      const dryArgs = () => [
        "bin/closer.js",
        "import",
        "deals",
        fixture("hubspot.csv"),
        "--workspace",
        "local",
        "--create-members",
      ];
      const dry = spawnSync(process.execPath, dryArgs(), { env, encoding: "utf8", timeout: 60_000 });
      expect(dry.status).toBe(1);
      expect(dry.stdout).toContain("Dry run for Local: nothing was written.");
      expect(dry.stdout).toContain("Deals: 17 to create, 0 to update, 0 unchanged.");

      const commit = spawnSync(process.execPath, [...dryArgs(), "--commit"], {
        env,
        encoding: "utf8",
        timeout: 60_000,
      });
      expect(commit.stdout).toContain("Deals: 17 created");
      // PGlite has no autovacuum: the import vacuums the deals it wrote, so that the figures' index-only
      // scans need not read their rows (a page is all-visible only once vacuumed).
      const after = await openDatabase(data.url);
      try {
        const [deal] = await after.sql.query<{ pages: number; visible: number }>(
          `SELECT relpages AS pages, relallvisible AS visible FROM pg_class WHERE relname = 'deal'`,
        );
        expect(deal?.pages).toBeGreaterThan(0);
        expect(deal?.visible).toBe(deal?.pages);
      } finally {
        await after.close();
      }
    } finally {
      data.remove();
    }
  }, 120_000);
});
