import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../src/db/client.js";
import { Prisma } from "../../src/generated/prisma/client.js";
import { periodContaining } from "../../src/sales/periods/period.js";
import type { SalesService } from "../../src/sales/sales-service.js";
import { calendarOf } from "../../src/sales/workspaces/workspace-service.js";
import { createTestSales, seedRep, seedWorkspace } from "../fixtures/sales.js";
import { type EmptyDatabase, openMigratedDatabase } from "../support/db.js";

/**
 * A PostgreSQL server whose time zone is not UTC (a self-hosted Debian server in Paris runs in
 * Europe/Paris). Prisma's adapter sends instants without an offset, so Closer's connections must
 * read them as UTC whatever the server's zone: otherwise a deal won at 00:30 UTC on 1 December is
 * stored at 23:30 UTC on 30 November and counted in the wrong month.
 */
describe.runIf(process.env.TEST_DATABASE_URL)(
  "GIVEN a PostgreSQL database whose time zone is Europe/Paris",
  () => {
    let base: EmptyDatabase;
    let db: Database;
    let sales: SalesService;

    beforeAll(async () => {
      base = await openMigratedDatabase();
      const name = new URL(base.url ?? "").pathname.slice(1);
      await base.db.sql.exec(`ALTER DATABASE ${name} SET TimeZone = 'Europe/Paris'`);
      // A handle opened after the change: its connections start in the database's zone.
      db = await openDatabase(base.url);
      sales = createTestSales(db).sales;
    });
    afterAll(async () => {
      await db?.close();
      await base?.close();
    });

    it("THEN an instant sent by Closer is the instant itself", async () => {
      const at = new Date("2026-12-01T00:30:00Z");
      const [row] = await db.prisma.$queryRaw<{ same: boolean }[]>(
        Prisma.sql`SELECT ${at}::timestamptz = '2026-12-01T00:30:00Z'::timestamptz AS same`,
      );
      expect(row?.same).toBe(true);
    });

    it("THEN a deal won at 00:30 UTC on 1 December counts in a UTC workspace's December, not November", async () => {
      const { sales: atMidnight, clock } = createTestSales(db, "2026-12-01T00:30:00Z");
      const ws = await seedWorkspace(atMidnight, { timezone: "UTC" });
      const rep = await seedRep(atMidnight, ws, "ann");
      await atMidnight.deals.logDeal(ws, rep, { amount: 100_000n, customer: "Acme", stage: "won" });
      clock.set("2026-12-02T10:00:00Z");
      const month = (iso: string) => periodContaining("month", new Date(iso), calendarOf(ws));
      const december = await sales.kpis.computeKpis(ws, month("2026-12-02T10:00:00Z"), { scope: "company" });
      const november = await sales.kpis.computeKpis(ws, month("2026-11-15T10:00:00Z"), { scope: "company" });
      expect([december.wonCount, november.wonCount]).toEqual([1, 0]);
    });
  },
);
