import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseExportArgs, runExport } from "../../src/cli/export.js";
import { importCommand, parseImportArgs } from "../../src/cli/import.js";
import type { Database } from "../../src/db/client.js";
import { renderText } from "../../src/platforms/shell/render-text.js";
import type { Member, Workspace } from "../../src/sales/deps.js";
import type { SalesService } from "../../src/sales/sales-service.js";
import { createTestSales, type FixedClock, run, seedMember, seedWorkspace } from "../fixtures/sales.js";
import { textCollector } from "../support/collector.js";
import { openTestDatabase } from "../support/db.js";

let db: Database;
let sales: SalesService;
let clock: FixedClock;
let dir: string;

beforeAll(async () => {
  db = await openTestDatabase();
  ({ sales, clock } = createTestSales(db));
  dir = mkdtempSync(join(tmpdir(), "closer-products-transfer-"));
});
afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

type Side = { ws: Workspace; admin: Member };
const say = async (side: Side, line: string) => renderText(await run(sales, side.ws, side.admin, line));

async function exported(side: Side): Promise<string> {
  const csv = textCollector();
  const app = { db, sales, close: async () => {} };
  expect(
    await runExport(app, parseExportArgs(["deals", "--workspace", String(side.ws.id)]), csv.stream),
  ).toBe(0);
  return csv.text();
}

async function imported(side: Side, text: string): Promise<string> {
  const file = join(dir, `deals-${side.ws.id}.csv`);
  writeFileSync(file, text);
  const args = parseImportArgs(["deals", file, "--preset", "closer", "--create-members", "--commit"]);
  if (typeof args === "string") throw new Error(args);
  const out = textCollector();
  expect(await importCommand(sales, side.ws, args, { stdout: out.stream, stderr: out.stream })).toBe(0);
  return out.text();
}

async function side(): Promise<Side> {
  const ws = await seedWorkspace(sales, { timezone: "Europe/Paris" });
  return { ws, admin: await seedMember(sales, ws, "admin", "admin") };
}

describe("products in export and import", () => {
  it("GIVEN deals with products exported, then imported where the catalogue lacks one THEN it is added, the lines come back, and /kpi products agrees", async () => {
    clock.set("2026-11-10T10:00:00Z");
    const source = await side();
    await say(source, '/closer product add "Pro plan" 1k');
    await say(source, "/closer product add Setup 200");
    await say(source, "/closer product add Extra");
    await say(source, '/deal log Acme products:"Pro plan, Setup" stage:won');
    await say(source, "/deal log 5k Globex product:Extra stage:won");
    await say(source, '/deal log Initech product:"Pro plan"');
    await say(source, "/deal lost #3 reason:price");
    await say(source, "/deal log 700 Hooli stage:won");
    const csv = await exported(source);
    const [header, first, second, , fourth] = csv.trim().split(/\r?\n/);
    expect(header?.split(",").at(-1)).toBe("products");
    expect(first).toMatch(/,"Pro plan, Setup"$/);
    expect(second).toMatch(/,Extra$/);
    expect(fourth).toMatch(/,$/);

    const copy = await side();
    await say(copy, '/closer product add "Pro plan" 1k');
    await say(copy, "/closer product add Setup 200");
    expect(await imported(copy, csv)).toContain("Deals: 4 created, 0 updated, 0 unchanged.");
    expect(await say(copy, "/closer product list")).toContain("Extra");
    expect(await say(copy, "/deal show #1")).toContain("Products: Pro plan · €1,000.00, Setup · €200.00");
    clock.set("2026-11-20T10:00:00Z");
    const figures = await say(copy, "/kpi month products");
    expect(figures).toContain("Pro plan");
    expect(figures.split("\n").slice(1)).toEqual(
      (await say(source, "/kpi month products")).split("\n").slice(1),
    );

    // Importing the same file again changes nothing, the lines included.
    const lines = () => db.prisma.dealProduct.count({ where: { workspaceId: copy.ws.id } });
    const before = await lines();
    expect(await imported(copy, csv)).toContain("0 created, 0 updated, 4 unchanged.");
    expect(await lines()).toBe(before);
    expect(before).toBe(4);
  });

  it("GIVEN a product name with a comma THEN it is refused: a deal could not name it", async () => {
    const s = await side();
    expect(await say(s, '/closer product add "Pro, plan" 5')).toBe(
      "! A product name cannot contain a comma: deals list their products separated by commas.",
    );
  });
});
