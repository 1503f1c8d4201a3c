/**
 * `npm run bench:products`: `/kpi products` on 1,000,000 deals (docs/architecture.md §7: < 300 ms,
 * at most 2× the raw SQL it needs). For each backend, bulk-loads the KPI bench's data set
 * (`bench/kpi/dataset.ts`), adds a catalogue of 50 products (one in ten without a price) and gives
 * about 60% of the deals 1 to 3 lines, then times, interleaved, `/kpi products`'s figures
 * (`sales.products.productKpis`, through Prisma) and its one statement (`productKpiSql`, a single
 * pass over the closed deals and their lines: the best SQL found for these figures) on the bare
 * driver, for the bench's month and quarter, and checks that both give the same figures. Writes its section of bench/RESULTS.md (the others are kept).
 * `--reuse` keeps the loaded database (`closer_bench_products`, or a PGlite directory).
 */
import type { Database } from "../../src/db/client.js";
import { periodContaining } from "../../src/sales/periods/period.js";
import {
  type ProductKpiSqlRow,
  productFigures,
  productKpiSql,
} from "../../src/sales/products/product-kpis.js";
import type { ProductKpiRow } from "../../src/sales/products/product-service.js";
import { calendarOf } from "../../src/sales/workspaces/workspace-service.js";
import { BENCH_NOW, openSession } from "../kpi/dataset.js";
import {
  type BackendRun,
  ensureKpiDataset,
  interleaved,
  onBackend,
  onEachBackend,
  parseDatasetBenchOptions,
  recordCase,
  SALES_DATA_SET,
  type TimedCase,
  timedCasesTable,
  writeResultsSection,
} from "../support/bench-options.js";
import { codeVersion, describeMachine } from "../support/run-info.js";

const ROOT = new URL("../..", import.meta.url).pathname;
const TITLE = "## Products";
const PRODUCTS = 50;
const opts = parseDatasetBenchOptions("products", process.argv.slice(2), process.env, SALES_DATA_SET);

/** The data set, then the catalogue and the lines: deal `d` has `1 + d % 3` lines when `d % 10 < 6`. */
async function ensureData(db: Database): Promise<void> {
  await ensureKpiDataset(db, opts);
  const { workspace: ws } = await openSession(db);
  await db.sql.exec(`
    INSERT INTO product (workspace_id, name, name_key, price)
    SELECT ${ws.id}, 'Product ' || n, 'product ' || n, CASE WHEN n % 10 = 0 THEN NULL ELSE n * 10000 END
    FROM generate_series(1, ${PRODUCTS}) n ON CONFLICT DO NOTHING;
    INSERT INTO deal_product (workspace_id, deal_id, product_id, position, amount)
    SELECT d.workspace_id, d.id, p.id, k, p.price
    FROM deal d CROSS JOIN generate_series(0, 2) k
    JOIN product p ON p.workspace_id = d.workspace_id AND p.name_key = 'product ' || (1 + (d.id + k * 17) % ${PRODUCTS})
    WHERE d.workspace_id = ${ws.id} AND d.id % 10 < 6 AND k < 1 + d.id % 3
    ON CONFLICT DO NOTHING;
    ANALYZE deal_product;
    ANALYZE product;`);
}

/** The figures of each product as one comparable line. */
function figuresText(rows: ProductKpiRow[]): string[] {
  return rows
    .map(
      (r) =>
        `${r.product?.name ?? "(no product)"}: ${r.wonCount} won ${r.lostCount} lost ${r.wonRevenue} | ${r.lostReasons
          .map((l) => `${l.reason} ${l.count}`)
          .sort()
          .join(", ")}`,
    )
    .sort();
}

/** Loads the data on `backend` and times `/kpi products` for the month and the quarter. */
function benchBackend(backend: "pg" | "pglite"): Promise<BackendRun<TimedCase>> {
  return onBackend<TimedCase>(backend, opts, async (db, label, cases) => {
    await ensureData(db);
    const { sales, workspace: ws } = await openSession(db);
    for (const kind of ["month", "quarter"] as const) {
      const period = periodContaining(kind, new Date(BENCH_NOW), calendarOf(ws));
      const sql = productKpiSql(ws, period, { scope: "company" });
      let service: ProductKpiRow[] = [];
      let best: ProductKpiSqlRow[] = [];
      const times = await interleaved(
        opts,
        async () => {
          service = await sales.products.productKpis(ws, period, { scope: "company" });
        },
        async () => {
          best = await db.sql.query<ProductKpiSqlRow>(sql.text, sql.values);
        },
      );
      const [a, b] = [figuresText(service), figuresText(productFigures(best))];
      if (JSON.stringify(a) !== JSON.stringify(b)) {
        throw new Error(
          `/kpi products ${kind} and the raw SQL differ:\n${a.join("\n")}\n---\n${b.join("\n")}`,
        );
      }
      const run = { name: `/kpi products ${kind}`, ...times, rows: service.length };
      recordCase(cases, label, run);
    }
  });
}

const { runs, load } = await onEachBackend(opts, benchBackend);
const section = [
  TITLE,
  "",
  `\`npx tsx bench/products/run.ts\` (${opts.deals.toLocaleString("en")} deals, ${opts.reps} reps, ${PRODUCTS} products on about 60% of the deals, 1 to 3 lines each, ${opts.iterations} rounds after ${opts.warmup} warm-up, now ${BENCH_NOW}), ${new Date().toISOString()}; ${describeMachine()}; load ${load}; code ${codeVersion(ROOT)}.`,
  "Budget: < 300 ms, at most 2× the raw SQL (`productKpiSql` on the bare driver, in the same rounds; the figures checked equal).",
  "",
  ...runs.flatMap((run) => timedCasesTable(run, "command (company)", "rows")),
].join("\n");
writeResultsSection(opts.out, TITLE, section);
if (runs.some((r) => r.error)) process.exitCode = 1;
