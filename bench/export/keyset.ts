/**
 * The reference without CSV: the keyset pages `closer export deals` reads (`dealPageSql`, the
 * statement the app sends), through Prisma on the same driver, each page dropped once read. Prints
 * one JSON line: rows read, time to open the database, time to read the pages, peak RSS.
 * `node --import tsx bench/export/keyset.ts <database url>`.
 */
import { openDatabase } from "../../src/db/client.js";
import type { Workspace } from "../../src/sales/deps.js";
import { EXPORT_PAGE_SIZE } from "../../src/sales/exports/export-service.js";
import { dealPageSql } from "../../src/sales/exports/export-sql.js";
import { BENCH_WORKSPACE } from "../kpi/dataset.js";

const [url] = process.argv.slice(2);
if (!url) throw new Error("usage: keyset.ts <database url>");
const t0 = performance.now();
const db = await openDatabase(url);
const ws = (await db.prisma.workspace.findFirstOrThrow({
  where: { externalId: BENCH_WORKSPACE.externalId },
})) as Workspace;
const opened = performance.now();
let rows = 0;
let after = 0;
for (;;) {
  const page = await db.prisma.$queryRaw<{ number: number }[]>(dealPageSql(ws, {}, after, EXPORT_PAGE_SIZE));
  rows += page.length;
  const last = page.at(-1);
  if (page.length < EXPORT_PAGE_SIZE || !last) break;
  after = last.number;
}
const read = performance.now();
await db.close();
process.stdout.write(
  `${JSON.stringify({ rows, openMs: opened - t0, readMs: read - opened, maxRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`,
);
