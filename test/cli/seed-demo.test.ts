import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../../src/cli/seed-demo.js";
import type { Database } from "../../src/db/client.js";
import { SHELL_WORKSPACE } from "../../src/platforms/shell/shell.js";
import type { Member, Workspace } from "../../src/sales/deps.js";
import type { SalesService } from "../../src/sales/sales-service.js";
import { createTestSales, run } from "../fixtures/sales.js";
import { openTestDatabase } from "../support/db.js";

const NOW = "2026-11-18T10:00:00Z";

describe("closer seed-demo", () => {
  let db: Database;
  let sales: SalesService;
  let ws: Workspace;
  let admin: Member;
  let summary: string;

  beforeAll(async () => {
    db = await openTestDatabase();
    summary = await seedDemo(db.prisma, new Date(NOW));
    ({ sales } = createTestSales(db, NOW));
    ws = await sales.workspaces.ensureWorkspace(SHELL_WORKSPACE);
    const found = await sales.members.findMember(ws, "admin");
    if (!found) throw new Error("seed-demo made no admin");
    admin = found;
  }, 120_000);
  afterAll(() => db.close());

  it("GIVEN six months of demo history THEN none of it is announced as news", async () => {
    expect(await db.prisma.outbox.count({ where: { workspaceId: ws.id } })).toBe(0);
    expect(ws).toMatchObject({ winsChannel: "wins", digestChannel: "digest", announceWin: true });
  });

  it("GIVEN an empty database THEN it builds a team with six months of deals", async () => {
    expect(summary).toMatch(/^Demo team ready: 8 reps in 2 teams, 40 customers, \d+ deals over 6 months/);
    const deals = await db.prisma.deal.groupBy({
      by: ["stage"],
      where: { workspaceId: ws.id },
      _count: true,
    });
    const count = (stage: string) => deals.find((d) => d.stage === stage)?._count ?? 0;
    expect(count("won")).toBeGreaterThan(50);
    expect(count("lost")).toBeGreaterThan(30);
    expect(count("lead") + count("qualified") + count("proposal") + count("negotiation")).toBeGreaterThan(10);
    expect(await db.prisma.team.count({ where: { workspaceId: ws.id } })).toBe(2);
  });

  it("GIVEN the demo THEN /kpi, /leaderboard and /forecast show real figures at once", async () => {
    const kpi = await run(sales, ws, admin, "/kpi month");
    expect(kpi.fields?.find((f) => f.label === "Won")?.value).not.toMatch(/^€0 /);
    const board = await run(sales, ws, admin, "/leaderboard quarter");
    expect(board.table?.rows.length).toBe(8);
    const forecast = await run(sales, ws, admin, "/forecast quarter");
    expect(forecast.fields?.find((f) => f.label === "Weighted forecast")?.value).toMatch(/of goal/);
  });

  it("GIVEN a workspace that has deals THEN seeding again changes nothing", async () => {
    const before = await db.prisma.deal.count();
    expect(await seedDemo(db.prisma, new Date(NOW))).toMatch(/already has deals/);
    expect(await db.prisma.deal.count()).toBe(before);
  });
});
