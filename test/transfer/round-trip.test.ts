import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseExportArgs, runExport } from "../../src/cli/export.js";
import { importCommand, parseImportArgs } from "../../src/cli/import.js";
import { seedDemo } from "../../src/cli/seed-demo.js";
import type { Database } from "../../src/db/client.js";
import { renderText } from "../../src/platforms/shell/render-text.js";
import { SHELL_WORKSPACE } from "../../src/platforms/shell/shell.js";
import type { Member, Workspace } from "../../src/sales/deps.js";
import type { SalesService } from "../../src/sales/sales-service.js";
import { createTestSales, run, seedWorkspace } from "../fixtures/sales.js";
import { textCollector } from "../support/collector.js";
import { openTestDatabase } from "../support/db.js";

/** The demo's six months of history end here; the comparison is made the next morning. */
const SEEDED = new Date("2026-11-20T17:00:00Z");

let db: Database;
let sales: SalesService;
let dir: string;
let source: { ws: Workspace; admin: Member };
let copy: { ws: Workspace; admin: Member };
let report: string;

beforeAll(async () => {
  db = await openTestDatabase();
  dir = mkdtempSync(join(tmpdir(), "closer-round-trip-"));
  await seedDemo(db.prisma, SEEDED);
  ({ sales } = createTestSales(db, "2026-11-21T08:00:00Z"));
  const ws = await sales.workspaces.ensureWorkspace(SHELL_WORKSPACE);
  const admin = await sales.members.findMember(ws, "admin");
  if (!admin) throw new Error("the demo has no admin");
  source = { ws, admin };

  const csv = textCollector();
  const app = { db, sales, close: async () => {} };
  expect(await runExport(app, parseExportArgs(["deals", "--workspace", String(ws.id)]), csv.stream)).toBe(0);
  const file = join(dir, "deals.csv");
  writeFileSync(file, csv.text());

  const empty = await seedWorkspace(sales, { timezone: ws.timezone, locale: "en", currency: ws.currency });
  const args = parseImportArgs(["deals", file, "--preset", "closer", "--create-members", "--commit"]);
  if (typeof args === "string") throw new Error(args);
  const out = textCollector();
  expect(await importCommand(sales, empty, args, { stdout: out.stream, stderr: out.stream })).toBe(0);
  report = out.text();
  const copyAdmin = await sales.members.findMember(empty, "admin");
  if (!copyAdmin) throw new Error("no admin");
  copy = { ws: await sales.workspaces.getWorkspace(empty.id), admin: copyAdmin };
}, 120_000);

afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const answer = async (side: { ws: Workspace; admin: Member }, line: string) =>
  renderText(await run(sales, side.ws, side.admin, line));

/** Every period the demo's history spans, by month, quarter and year, and today's running ones. */
const PERIODS = [
  ...["2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"],
  ...["2026-Q2", "2026-Q3", "2026-Q4", "FY2026", "year", "month", "quarter", "week", "today"],
];

describe("a workspace exported, then imported into an empty one", () => {
  it("GIVEN Closer's own export THEN every deal is imported, none rejected", async () => {
    const deals = await db.prisma.deal.count({ where: { workspaceId: source.ws.id, deletedAt: null } });
    expect(report).toContain(`Deals: ${deals} created, 0 updated, 0 unchanged.`);
    expect(report).not.toMatch(/rejected/);
  });

  it.each(PERIODS)(
    "GIVEN %s THEN /kpi (with its sources and lost views) and /leaderboard give the same figures",
    async (period) => {
      const commands = [`/kpi ${period}`, `/kpi ${period} sources`, `/kpi ${period} lost`];
      for (const command of [...commands, `/leaderboard ${period}`, `/leaderboard ${period} metric:deals`]) {
        const [original, imported] = [await answer(source, command), await answer(copy, command)];
        expect(original, command).toMatch(/^(KPIs|Lead sources|Lost reasons|🏆 Leaderboard) · /);
        expect(imported, command).toBe(original);
      }
      if (/^2026-(0[6-9]|1[01]|Q[34])$|^FY2026$/.test(period))
        expect(await answer(copy, `/kpi ${period}`)).toMatch(/Won: €[1-9][\d,]* · deals: [1-9]/);
    },
  );

  it("GIVEN every customer THEN /customer gives the same figures", async () => {
    const customers = await db.prisma.customer.findMany({
      where: { workspaceId: source.ws.id },
      orderBy: { id: "asc" },
    });
    expect(customers.length).toBeGreaterThan(20);
    // Above the history: the status, revenue, deal count, last order, owner and lead source.
    const figures = (text: string) => text.split("\n  History:")[0] ?? "";
    for (const c of customers) {
      const [original, imported] = [
        await answer(source, `/customer ${c.name}`),
        await answer(copy, `/customer ${c.name}`),
      ];
      expect(figures(imported), c.name).toBe(figures(original));
      expect(figures(original), c.name).toMatch(/Revenue: €[\d,]+ · deals: \d+/);
    }
  });
});
