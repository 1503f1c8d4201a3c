import { spawn, spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { createInterface } from "node:readline";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ExportArgs, parseExportArgs, runExport } from "../../src/cli/export.js";
import { UsageError } from "../../src/cli/usage-error.js";
import { resolveWorkspace } from "../../src/cli/workspace-option.js";
import { type Database, openDatabase } from "../../src/db/client.js";
import { migrate } from "../../src/db/migrate.js";
import type { Workspace } from "../../src/sales/deps.js";
import type { SalesService } from "../../src/sales/sales-service.js";
import { CUSTOMER_COLUMNS, DEAL_COLUMNS, EVENT_COLUMNS } from "../../src/transfer/closer-format.js";
import { createTestSales, seedDeal, seedMember, seedWorkspace } from "../fixtures/sales.js";
import { textCollector } from "../support/collector.js";
import { type EmptyDatabase, openMigratedDatabase } from "../support/db.js";
import { pgliteDir } from "../support/pglite-dir.js";

/*
 * `closer export` as an admin runs it on the server: in process for what it writes, and as a
 * process for its exit codes, its errors and a reader that goes away.
 */

const POSTGRES = process.env.TEST_DATABASE_URL !== undefined;

let empty: EmptyDatabase | undefined;
let dir: string | undefined;
let db: Database;
let dbClosed = false;
/** The database as the spawned `closer` opens it. */
let url: string;
let sales: SalesService;
/** New York: local days start at 05:00 UTC (04:00 in summer time). */
let acme: Workspace;
let other: Workspace;

/** What `closer export` writes for `args`, run in this process on the test database. */
async function exported(args: Omit<ExportArgs, "workspace"> & { workspace?: string }): Promise<string> {
  const out = textCollector();
  const app = { db, sales, close: async () => {} };
  expect(await runExport(app, { workspace: String(acme.id), ...args }, out.stream)).toBe(0);
  return out.text();
}

const rows = (csv: string): Record<string, string>[] => parse(csv, { columns: true });

beforeAll(async () => {
  if (POSTGRES) {
    empty = await openMigratedDatabase();
    db = empty.db;
    url = empty.url ?? "";
  } else {
    ({ dir, url } = pgliteDir());
    db = await openDatabase(url);
  }
  await migrate(db.sql);
  const test = createTestSales(db, "2026-02-27T12:00:00Z");
  sales = test.sales;
  const at = (instant: string) => test.clock.set(instant);
  acme = await seedWorkspace(sales, { name: "Acme Sales", timezone: "America/New_York" });
  const admin = await seedMember(sales, acme, "admin", "admin");
  const bob = await seedMember(sales, acme, "bob", "rep");
  // No command sets an email yet (Slack and imports will): written as they will write it.
  await db.prisma.member.update({ where: { id: bob.id }, data: { email: "bob@acme.test" } });
  const deal = (input: Parameters<typeof seedDeal>[3], owner = admin) => seedDeal(sales, acme, owner, input);

  await deal(
    {
      amount: 1_250_050n,
      customer: "Globex",
      stage: "proposal",
      closeDate: "2026-04-15",
      source: "referral",
      title: "Pilot",
    },
    bob,
  ); // #1, created 27 Feb
  at("2026-03-01T03:00:00Z"); // 28 Feb, 22:00 in New York
  await deal({ amount: 300_000n, customer: "=Evil Corp" }); // #2
  at("2026-03-05T15:00:00Z");
  await deal({ amount: 100_000n, customer: "Gone Co" }); // #3, deleted below
  await sales.deals.deleteDeal(acme, admin, 3);
  at("2026-03-12T15:00:00Z");
  await deal({ amount: 50_000n, customer: "Lost Co" }); // #4
  at("2026-03-15T15:00:00Z");
  await sales.deals.loseDeal(acme, admin, 4, "price", "-cheaper elsewhere");
  at("2026-03-20T15:00:00Z");
  await sales.deals.winDeal(acme, bob, 1, { note: "@CEO signed" });
  at("2026-04-01T02:00:00Z"); // 31 Mar, 22:00 in New York
  await deal({ amount: 200_000n, customer: "Initech" }); // #5
  at("2026-04-02T15:00:00Z");
  await deal({ amount: 70_000n, customer: "Later Ltd" }); // #6

  // Another tenant, with deals of the same numbers, named like the first but for the case.
  other = await seedWorkspace(sales, { name: "ACME SALES" });
  const stranger = await seedMember(sales, other, "admin", "admin");
  at("2026-03-10T15:00:00Z");
  await seedDeal(sales, other, stranger, { amount: 990_000n, customer: "Secret Corp" });
  // Enough to fill a pipe several times over: a reader that stops early meets a writer still writing.
  const title = "t".repeat(2000);
  for (let i = 0; i < 60; i++)
    await seedDeal(sales, other, stranger, { amount: 1000n, customer: "Bulk", title });
}, 120_000);

afterAll(async () => {
  if (empty) await empty.close();
  else {
    if (!dbClosed) await db.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
});

describe("closer export, what it writes", () => {
  it.each([
    [[], "what to export: deals, customers, events, contacts"],
    [["leads"], "what to export: deals, customers, events, contacts"],
    [["deals", "--from", "2026-02-30"], "--from 2026-02-30 is not a date (YYYY-MM-DD)"],
    [["deals", "--to", "31/03/2026"], "--to 31/03/2026 is not a date (YYYY-MM-DD)"],
    [["deals", "--from", "1999-12-31"], "--from 1999-12-31 is outside 2000-2099"],
    [["deals", "--from", "2026-04-01", "--to", "2026-03-01"], "--to 2026-03-01 is before --from 2026-04-01"],
    [["deals", "--since", "2026-01-01"], "unknown option --since"],
    [["deals", "--workspace"], "--workspace needs a value"],
    [["deals", "--to", "2026-03-01", "--to", "2026-03-02"], "--to is given twice"],
  ])("GIVEN the arguments %j THEN they are refused: %s", (args, error) => {
    expect(() => parseExportArgs(args)).toThrow(new UsageError("export", error));
  });

  it("GIVEN a workspace named by id, platform id or name in any case THEN it is that one; a name two share or none has is refused, listing them", async () => {
    const list = `${acme.id} "Acme Sales" (shell ${acme.externalId}), ${other.id} "ACME SALES" (shell ${other.externalId})`;
    expect((await resolveWorkspace(db.prisma, String(other.id), "export")).id).toBe(other.id);
    expect((await resolveWorkspace(db.prisma, acme.externalId, "export")).id).toBe(acme.id);
    await expect(resolveWorkspace(db.prisma, "acme sales", "export")).rejects.toThrow(
      `several workspaces are called "acme sales", give its id: ${list}`,
    );
    await expect(resolveWorkspace(db.prisma, "Nope\u001b[31m", "export")).rejects.toThrow(
      `no workspace "Nope?[31m"; there are: ${list}`,
    );
    await expect(resolveWorkspace(db.prisma, undefined, "export")).rejects.toThrow(
      `choose a workspace with --workspace <id or name>: ${list}`,
    );
  });

  it("GIVEN deals THEN one header line, the columns in Closer's order, ISO instants, amounts in units with the currency, formulas neutralised", async () => {
    const csv = await exported({ kind: "deals" });
    expect(csv.split("\n")[0]).toBe(DEAL_COLUMNS.join(","));
    const deals = rows(csv);
    expect(deals.map((d) => d.number)).toEqual(["1", "2", "4", "5", "6"]);
    expect(deals[0]).toEqual({
      number: "1",
      title: "Pilot",
      customer: "Globex",
      owner: "bob",
      owner_email: "bob@acme.test",
      amount: "12500.50",
      currency: "EUR",
      stage: "won",
      probability: "100",
      expected_close_date: "2026-04-15",
      created_at: "2026-02-27T12:00:00.000Z",
      closed_at: "2026-03-20T15:00:00.000Z",
      lost_reason: "",
      lost_note: "",
      win_note: "'@CEO signed",
      lead_source: "referral",
      external_source: "",
      external_id: "",
      products: "",
    });
    expect(deals[1]).toMatchObject({
      customer: "'=Evil Corp",
      amount: "3000.00",
      stage: "lead",
      closed_at: "",
    });
    expect(deals[2]).toMatchObject({
      customer: "Lost Co",
      amount: "500.00",
      stage: "lost",
      probability: "0",
      lost_reason: "price",
      lost_note: "'-cheaper elsewhere",
    });
  });

  it("GIVEN --from and --to THEN the deals created or closed on those local days, --to included, the deleted one left out", async () => {
    const march = rows(await exported({ kind: "deals", from: "2026-03-01", to: "2026-03-31" }));
    // #1 closed in March; #2 came on 28 Feb in New York (1 Mar in UTC); #5 on 31 Mar in New York.
    expect(march.map((d) => d.number)).toEqual(["1", "4", "5"]);
    const untilFeb = rows(await exported({ kind: "deals", to: "2026-02-28" }));
    expect(untilFeb.map((d) => d.number)).toEqual(["1", "2"]);
    const fromApril = rows(await exported({ kind: "deals", from: "2026-04-01" }));
    expect(fromApril.map((d) => d.number)).toEqual(["6"]);
  });

  it("GIVEN customers THEN each with its figures over its live deals, and with a range only those with a deal in it", async () => {
    const csv = await exported({ kind: "customers" });
    expect(csv.split("\n")[0]).toBe(CUSTOMER_COLUMNS.join(","));
    const all = rows(csv);
    expect(all.map((c) => [c.name, c.deals, c.open_deals, c.won_deals, c.won_amount])).toEqual([
      ["'=Evil Corp", "1", "1", "0", "0.00"],
      ["Globex", "1", "0", "1", "12500.50"],
      ["Gone Co", "0", "0", "0", "0.00"],
      ["Initech", "1", "1", "0", "0.00"],
      ["Later Ltd", "1", "1", "0", "0.00"],
      ["Lost Co", "1", "0", "0", "0.00"],
    ]);
    expect(all[1]).toMatchObject({
      owner: "bob",
      owner_email: "bob@acme.test",
      lead_source: "referral",
      currency: "EUR",
      created_at: "2026-02-27T12:00:00.000Z",
      last_won_at: "2026-03-20T15:00:00.000Z",
    });
    const march = rows(await exported({ kind: "customers", from: "2026-03-01", to: "2026-03-31" }));
    expect(march.map((c) => c.name)).toEqual(["Globex", "Initech", "Lost Co"]);
  });

  it("GIVEN events THEN the live deals' histories by deal, oldest first, and with a range those that happened in it", async () => {
    const csv = await exported({ kind: "events", from: "2026-03-01", to: "2026-03-31" });
    expect(csv.split("\n")[0]).toBe(EVENT_COLUMNS.join(","));
    const events = rows(csv);
    expect(events.map((e) => [e.deal_number, e.kind, e.stage, e.at])).toEqual([
      ["1", "stage", "won", "2026-03-20T15:00:00.000Z"],
      ["4", "created", "lead", "2026-03-12T15:00:00.000Z"],
      ["4", "stage", "lost", "2026-03-15T15:00:00.000Z"],
      ["5", "created", "lead", "2026-04-01T02:00:00.000Z"],
    ]);
    expect(events[1]).toMatchObject({ actor: "admin", amount: "500.00", currency: "EUR", owner: "admin" });
    expect(events[2]).toMatchObject({ lost_reason: "price", note: "'-cheaper elsewhere" });
    const all = rows(await exported({ kind: "events" }));
    expect(all.map((e) => e.deal_number)).toEqual(["1", "1", "2", "4", "4", "5", "6"]);
  });

  it("GIVEN another workspace THEN none of its deals, customers or events ever appear", async () => {
    for (const kind of ["deals", "customers", "events"] as const) {
      const csv = await exported({ kind });
      expect(csv).not.toContain("Secret Corp");
      expect(csv).not.toContain("Bulk");
      expect(csv).not.toContain("9900.00");
    }
    const theirs = rows(await exported({ kind: "deals", workspace: String(other.id), to: "2026-03-10" }));
    expect(theirs.map((d) => d.customer)).toEqual(["Secret Corp", ...Array(60).fill("Bulk")]);
  });

  it("GIVEN pages of two deals THEN the keyset reads the same deals as one page, in order", async () => {
    const collect = async <T>(pages: AsyncIterable<T[]>) => {
      const sizes: number[] = [];
      const all: T[] = [];
      for await (const page of pages) {
        sizes.push(page.length);
        all.push(...page);
      }
      return { sizes, all };
    };
    const small = await collect(sales.exports.deals(acme, {}, 2));
    const whole = await collect(sales.exports.deals(acme));
    expect(small.sizes).toEqual([2, 2, 1]);
    expect(small.all).toEqual(whole.all);
    const events = await collect(sales.exports.events(acme, {}, 1));
    expect(events.all.map((e) => e.dealNumber)).toEqual([1, 1, 2, 4, 4, 5, 6]);
  });
});

/** `node bin/closer.js <args>` on the test database, as an admin runs it. */
const closer = (args: string[]) =>
  spawnSync(process.execPath, ["bin/closer.js", ...args], {
    env: { PATH: process.env.PATH, DATABASE_URL: url, LOG_LEVEL: "warn" },
    encoding: "utf8",
    timeout: 60_000,
  });

describe("closer export, as a process", () => {
  beforeAll(async () => {
    // An embedded database has one process at a time: the spawned closer takes it from here.
    if (!POSTGRES) {
      await db.close();
      dbClosed = true;
    }
  });

  it("GIVEN a workspace by name and a range THEN the CSV on stdout, nothing on stderr, exit 0", () => {
    const result = closer([
      "export",
      "deals",
      "--workspace",
      String(acme.id),
      "--from",
      "2026-03-01",
      "--to",
      "2026-03-31",
    ]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout.split("\n")[0]).toBe(DEAL_COLUMNS.join(","));
    expect(rows(result.stdout).map((d) => [d.number, d.customer, d.amount])).toEqual([
      ["1", "Globex", "12500.50"],
      ["4", "Lost Co", "500.00"],
      ["5", "Initech", "2000.00"],
    ]);
  });

  it("GIVEN bad arguments THEN one line on stderr, nothing on stdout, exit 2, before the database is opened", () => {
    const result = closer(["export", "deals", "--from", "2026-02-30"]);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe("closer export: --from 2026-02-30 is not a date (YYYY-MM-DD)\n");
    expect(result.status).toBe(2);
  });

  it("GIVEN several workspaces and no --workspace THEN the error lists them, nothing on stdout, exit 2", () => {
    const result = closer(["export", "customers"]);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      `closer export: choose a workspace with --workspace <id or name>: ${acme.id} "Acme Sales" (shell ${acme.externalId}), ${other.id} "ACME SALES" (shell ${other.externalId})\n`,
    );
    expect(result.status).toBe(2);
  });

  it("GIVEN a reader that stops after the first line (| head -1) THEN closer ends quietly, exit 0", async () => {
    const child = spawn(
      process.execPath,
      ["bin/closer.js", "export", "deals", "--workspace", String(other.id)],
      {
        env: { PATH: process.env.PATH, DATABASE_URL: url, LOG_LEVEL: "warn" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    // The reader takes the header, then goes away while closer still has pages to write.
    const lines = createInterface({ input: child.stdout });
    const [first] = await new Promise<string[]>((resolve) => lines.once("line", (line) => resolve([line])));
    lines.close();
    child.stdout.destroy();
    expect(first).toBe(DEAL_COLUMNS.join(","));
    expect(await exited).toBe(0);
    expect(stderr).toBe("");
  });
});
