/**
 * `npm run bench:products`: `/kpi products` on 1,000,000 deals (docs/architecture.md §7: < 300 ms,
 * at most 2× the raw SQL it needs). For each backend, bulk-loads the KPI bench's data set
 * (`bench/kpi/dataset.ts`), adds a catalogue of 50 products (one in ten without a price) and gives
 * about 60% of the deals 1 to 3 lines (the triggers count them in `figure_product`), then times,
 * interleaved, `/kpi products`'s figures (`sales.products.productKpis`, through Prisma), its one
 * statement (`productKpiSql`, which reads the kept sums for the company's whole days) on the bare
 * driver, and the same figures read from the deals (`productKpiSql` with `source: "deals"`, one pass
 * over the closed deals and their lines, as before the kept sums), for the bench's month and
 * quarter, and the digest's and dashboard's products of the month (`productsSold`); it checks that
 * the three give the same figures. Writes its section of bench/RESULTS.md (the others are kept).
 * `--reuse` keeps the loaded database (`closer_bench_sales`, or a PGlite directory).
 */
import type { Database } from "../../src/db/client.js";
import { periodContaining } from "../../src/sales/periods/period.js";
import {
  type ProductKpiOptions,
  type ProductKpiSqlRow,
  productFigures,
  productKpiSql,
  productsSold,
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
import { warmedUp } from "../support/timing.js";

const ROOT = new URL("../..", import.meta.url).pathname;
const TITLE = "## Products";
const PRODUCTS = 50;
const opts = parseDatasetBenchOptions("products", process.argv.slice(2), process.env, SALES_DATA_SET);

/** The data set, then the catalogue and the lines: deal `d` has `1 + d % 3` lines when `d % 10 < 6`. */
async function ensureData(db: Database, label: string): Promise<void> {
  await ensureKpiDataset(db, opts, label);
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
    ANALYZE product;
    ANALYZE figure_product;
    ANALYZE figure_product_deal;`);
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

/** The cases: `/kpi products` for the month and the quarter, and the month's products sold (digest, dashboard). */
const CASES = [
  { name: "/kpi products month", kind: "month", productsOnly: false },
  { name: "/kpi products quarter", kind: "quarter", productsOnly: false },
  { name: "products sold month (digest, dashboard)", kind: "month", productsOnly: true },
] as const;

/** Loads the data on `backend` and times each case against its statement and the deals. */
function benchBackend(backend: "pg" | "pglite"): Promise<BackendRun<TimedCase>> {
  return onBackend<TimedCase>(backend, opts, async (db, label, cases) => {
    await ensureData(db, label);
    const { sales, workspace: ws } = await openSession(db);
    const company = { scope: "company" } as const;
    for (const { name, kind, productsOnly } of CASES) {
      const period = periodContaining(kind, new Date(BENCH_NOW), calendarOf(ws));
      const statement = (options: ProductKpiOptions) => {
        const sql = productKpiSql(ws, period, company, { productsOnly, ...options });
        return () => db.sql.query<ProductKpiSqlRow>(sql.text, sql.values);
      };
      const [kept, deals] = [statement({}), statement({ source: "deals" })];
      const figures: { command: ProductKpiRow[]; raw: ProductKpiSqlRow[]; deals: ProductKpiSqlRow[] } = {
        command: [],
        raw: [],
        deals: [],
      };
      const times = await interleaved(
        opts,
        async () => {
          figures.command = productsOnly
            ? await productsSold(db.prisma, ws, period, company)
            : await sales.products.productKpis(ws, period, company);
        },
        async () => {
          figures.raw = await kept();
        },
        async () => {
          figures.deals = await deals();
        },
      );
      const [a, b, c] = [
        figuresText(figures.command),
        figuresText(productFigures(figures.raw)),
        figuresText(productFigures(figures.deals)),
      ];
      if (JSON.stringify(a) !== JSON.stringify(b) || JSON.stringify(a) !== JSON.stringify(c)) {
        throw new Error(
          `${name}: the command, its statement and the deals differ:\n${a.join("\n")}\n---\n${b.join("\n")}\n---\n${c.join("\n")}`,
        );
      }
      recordCase(cases, label, { name, ...times, rows: a.length });
    }
  });
}

const { runs, load } = await onEachBackend(opts, benchBackend);
const section = [
  TITLE,
  "",
  `\`npx tsx bench/products/run.ts\` (${opts.deals.toLocaleString("en")} deals, ${opts.reps} reps, ${PRODUCTS} products on about 60% of the deals, 1 to 3 lines each, ${opts.iterations} rounds after ${warmedUp(opts.warmup)}, now ${BENCH_NOW}), ${new Date().toISOString()}; ${describeMachine()}; load ${load}; code ${codeVersion(ROOT)}.`,
  "Budget: < 300 ms, at most 2× the raw SQL (`productKpiSql` on the bare driver, in the same rounds), which reads the kept sums (`figure_product`) for the company's whole days; the month's products sold are one of the statements of the digest (under 10 ms in all on PostgreSQL) and of the dashboard. From the deals: the same figures read from the closed deals and their lines (`source: \"deals\"`, in the same rounds), as before the kept sums and still for a team, a member or a period that ends mid-day. The command, its SQL and the deals' are checked equal.",
  "",
  ...runs.flatMap((run) => timedCasesTable(run, "command (company)", "rows")),
].join("\n");
writeResultsSection(opts.out, TITLE, section);
if (runs.some((r) => r.error)) process.exitCode = 1;
