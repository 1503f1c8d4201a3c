import { warmedUp } from "../support/timing.js";
import type { Backend } from "./args.js";
import type { LoadResult } from "./dataset.js";
import { type CaseResult, DIGEST_COMMAND, type MeasureResult } from "./measure.js";

/**
 * The budget (docs/architecture.md §7): `/kpi month` and the digest on 1,000,000 deals and 1,000 reps,
 * and each command within `bestRatio` of the best plain SQL for its figures.
 */
export const BUDGET = {
  kpiMs: 500,
  ratio: 2,
  bestRatio: 1.2,
  rssBytes: 300 * 1024 * 1024,
  /** Issue 16: with the figure tables, every command and the digest on PostgreSQL. */
  keptMs: 10,
  /** Issue 16: what the triggers may add to one deal write. */
  writeMs: 0.5,
} as const;

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryBytes: number;
  node: string;
  os: string;
  postgres?: string;
  pglite: string;
  /** 1-minute load average when the run started and ended: other work on the machine skews timings. */
  loadAverage: { start: number; end: number };
}

export interface BackendRun {
  backend: Backend;
  label: string;
  load?: LoadResult & { maxRss: number };
  measured?: MeasureResult;
  sizeBytes?: number;
  error?: string;
}

export interface Report {
  startedAt: Date;
  command: string;
  size: { deals: number; reps: number; customers: number };
  iterations: number;
  warmup: number;
  vacuum: boolean;
  pgliteSharedBuffers: string | undefined;
  machine: Machine;
  runs: BackendRun[];
}

const WRITE_ROUNDS = "10 rounds of 20 deals each way, alternating which goes first";
const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
const secs = (v: number) => `${(v / 1000).toFixed(1)} s`;
export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const int = (n: number) => n.toLocaleString("en-US");
const verdict = (ok: boolean) => (ok ? "**holds**" : "**misses**");

/** The results table: one row per backend and command, against its own SQL and the best plain SQL. */
export function resultsTable(runs: BackendRun[], pick: (r: BackendRun) => MeasureResult | undefined): string {
  const lines = [
    "| backend | command | command median | command p95 | raw SQL (the command's own) | raw median | raw p95 | via Prisma median | best plain SQL | best median | best p95 | from the deals | deals median | command / raw | command / best |",
    "|---|---|--:|--:|---|--:|--:|--:|---|--:|--:|---|--:|--:|--:|",
  ];
  for (const run of runs) {
    const m = pick(run);
    if (!m) continue;
    for (const c of m.cases) {
      lines.push(
        `| ${run.label} | \`${c.command}\` | ${ms(c.commandMs.median)} ms | ${ms(c.commandMs.p95)} ms | \`${c.rawLabel}\` | ${ms(c.rawBaselineMs)} ms | ${ms(c.rawMs.p95)} ms | ${ms(c.prismaMs.median)} ms | \`${c.best.label}\` | ${ms(c.best.baselineMs)} ms | ${ms(c.best.ms.p95)} ms | ${c.deals ? `\`${c.deals.label}\`` : "–"} | ${c.deals ? `${ms(c.deals.baselineMs)} ms` : "–"} | ${c.ratio.toFixed(2)}× | ${c.ratioBest.toFixed(2)}× |`,
      );
    }
  }
  return lines.join("\n");
}

function rssTable(runs: BackendRun[]): string {
  const lines = [
    "| backend | measuring process: after open | sampled peak | maxRSS (getrusage) | loading process maxRSS | database on disk |",
    "|---|--:|--:|--:|--:|--:|",
  ];
  for (const run of runs) {
    const m = run.measured;
    if (!m) continue;
    lines.push(
      `| ${run.label} | ${mb(m.rss.afterOpen)} | ${mb(m.rss.peakSampled)} | ${mb(m.rss.maxRss)} | ${run.load ? mb(run.load.maxRss) : "–"} | ${run.sizeBytes ? mb(run.sizeBytes) : "–"} |`,
    );
  }
  return lines.join("\n");
}

function loadTable(runs: BackendRun[]): string {
  const lines = [
    "| backend | migrate | members + customers | deals | deal events | goals | figure tables | VACUUM ANALYZE + CHECKPOINT | total load | open (measuring process) |",
    "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
  ];
  for (const run of runs) {
    const l = run.load;
    if (!l) continue;
    lines.push(
      `| ${run.label} | ${secs(l.migrateMs)} | ${secs(l.membersMs + l.customersMs)} | ${secs(l.dealsMs)} | ${secs(l.eventsMs)} | ${secs(l.goalsMs)} | ${secs(l.figuresMs)} | ${secs(l.vacuumMs)} | **${secs(l.totalMs)}** | ${run.measured ? `${ms(run.measured.openMs)} ms` : "–"} |`,
    );
  }
  return lines.join("\n");
}

/** Per backend, each deal write with the figure tables' triggers and without. */
function writesTable(runs: BackendRun[]): string {
  const lines = [
    "| backend | statement (one row, its own transaction) | with the triggers, median | p95 | without, median | p95 | cost of the triggers (medians) |",
    "|---|---|--:|--:|--:|--:|--:|",
  ];
  for (const run of runs) {
    for (const w of run.measured?.writes ?? []) {
      lines.push(
        `| ${run.label} | ${w.statement} | ${ms(w.on.median)} ms | ${ms(w.on.p95)} ms | ${ms(w.off.median)} ms | ${ms(w.off.p95)} ms | ${(w.on.median - w.off.median).toFixed(2)} ms |`,
      );
    }
  }
  return lines.length > 2 ? lines.join("\n") : "";
}

/** Per backend, each of the digest's best statements alone on the bare driver. */
function digestBestTable(runs: BackendRun[]): string {
  const lines = [
    "| backend | best statement | median | p95 | share of the best baseline |",
    "|---|---|--:|--:|--:|",
  ];
  for (const run of runs) {
    const d = run.measured?.cases.find((c) => c.command === DIGEST_COMMAND);
    if (!d) continue;
    for (const p of d.best.parts) {
      lines.push(
        `| ${run.label} | \`${p.label}\` | ${ms(p.ms.median)} ms | ${ms(p.ms.p95)} ms | ${((100 * p.ms.median) / d.best.baselineMs).toFixed(0)}% |`,
      );
    }
    lines.push(
      `| ${run.label} | **sum of the medians** (sequential totals: median ${ms(d.best.ms.median)} ms, p95 ${ms(d.best.ms.p95)} ms) | **${ms(d.best.baselineMs)} ms** | | |`,
    );
  }
  return lines.length > 2 ? lines.join("\n") : "";
}

/** Per backend, each statement of the digest alone on the bare driver: where its time goes. */
function digestTable(runs: BackendRun[]): string {
  const lines = [
    "| backend | statement (issued by) | median | p95 | share of the raw baseline |",
    "|---|---|--:|--:|--:|",
  ];
  for (const run of runs) {
    const d = run.measured?.cases.find((c) => c.command === DIGEST_COMMAND);
    if (!d) continue;
    const parts = [...d.rawParts].sort((a, b) => b.ms.median - a.ms.median);
    for (const p of parts) {
      lines.push(
        `| ${run.label} | \`${p.label}\` | ${ms(p.ms.median)} ms | ${ms(p.ms.p95)} ms | ${((100 * p.ms.median) / d.rawBaselineMs).toFixed(0)}% |`,
      );
    }
    lines.push(
      `| ${run.label} | **sum of the medians** (sequential totals: median ${ms(d.rawMs.median)} ms, p95 ${ms(d.rawMs.p95)} ms) | **${ms(d.rawBaselineMs)} ms** | | |`,
    );
  }
  return lines.length > 2 ? lines.join("\n") : "";
}

const byCommand = (m: MeasureResult, command: string): CaseResult | undefined =>
  m.cases.find((c) => c.command === command);

/** One line per budget item and backend, saying whether it holds. */
export function budgetLines(runs: BackendRun[]): string[] {
  const out: string[] = [];
  for (const run of runs) {
    if (run.error) {
      out.push(`- ${run.label}: **did not complete**: ${run.error.split("\n")[0]}`);
      continue;
    }
    const m = run.measured;
    if (!m) continue;
    for (const command of ["/kpi month", DIGEST_COMMAND]) {
      const k = byCommand(m, command);
      if (!k) continue;
      out.push(
        `- ${run.label}, \`${command}\` < ${BUDGET.kpiMs} ms: ${verdict(k.commandMs.median < BUDGET.kpiMs)} (median ${ms(k.commandMs.median)} ms, p95 ${ms(k.commandMs.p95)} ms)`,
        `- ${run.label}, \`${command}\` ≤ ${BUDGET.ratio}× its raw SQL: ${verdict(k.ratio <= BUDGET.ratio)} (${k.ratio.toFixed(2)}×: ${ms(k.commandMs.median)} ms vs ${ms(k.rawBaselineMs)} ms)`,
      );
    }
    if (run.backend === "pg") {
      const slow = m.cases.filter((c) => c.commandMs.median >= BUDGET.keptMs);
      out.push(
        `- ${run.label}, each command and the digest under ${BUDGET.keptMs} ms (figures kept as deals change): ${verdict(slow.length === 0)} (${m.cases
          .map((c) => `\`${c.command}\` ${ms(c.commandMs.median)} ms`)
          .join(", ")})`,
      );
    }
    if (m.writes.length > 0) {
      const costs = m.writes.map((w) => w.on.median - w.off.median);
      const figures = m.writes
        .map(
          (w, i) =>
            `${w.statement.split(" (")[0]} ${(costs[i] ?? 0) >= 0 ? "+" : ""}${(costs[i] ?? 0).toFixed(2)} ms`,
        )
        .join(", ");
      // The budget is stated for PostgreSQL (docs/decisions.md, "Figures kept as deals change").
      out.push(
        run.backend === "pg"
          ? `- ${run.label}, the triggers cost at most +${BUDGET.writeMs} ms per deal write: ${verdict(Math.max(...costs) <= BUDGET.writeMs)} (${figures})`
          : `- ${run.label}, what the triggers cost a deal write (reported; the +${BUDGET.writeMs} ms budget is PostgreSQL's): ${figures}`,
      );
    }
    const over = m.cases.filter((c) => c.ratioBest > BUDGET.bestRatio);
    out.push(
      `- ${run.label}, each command within ${BUDGET.bestRatio}× of the best plain SQL: ${verdict(over.length === 0)} (${m.cases
        .map((c) => `\`${c.command}\` ${c.ratioBest.toFixed(2)}×`)
        .join(", ")})`,
    );
    out.push(
      `- ${run.label}, RSS < ${mb(BUDGET.rssBytes)}: ${verdict(m.rss.maxRss < BUDGET.rssBytes)} (maxRSS ${mb(m.rss.maxRss)} of the process running the commands and the digest${run.backend === "pg" ? "; the PostgreSQL server's own memory is not in it" : ", PGlite's WASM heap included"})`,
    );
  }
  return out;
}

function replies(runs: BackendRun[]): string {
  const run = runs.find((r) => r.measured);
  if (!run?.measured) return "";
  const blocks = run.measured.cases.map((c) => `${c.command}\n${c.reply}`);
  return `Replies (${run.label}), to show what the data looks like:\n\n\`\`\`text\n${blocks.join("\n\n")}\n\`\`\``;
}

function shape(runs: BackendRun[]): string {
  const s = runs.find((r) => r.measured)?.measured?.shape;
  if (!s) return "";
  return [
    `- deals: ${int(s.deals)}; open now: ${int(s.open)}`,
    `- \`/kpi month\` reads ${int(s.closedInMonth)} deals closed this month, ${int(s.createdInMonth)} created this month and all ${int(s.open)} open deals`,
    `- \`/leaderboard quarter\` and \`/forecast quarter\` read ${int(s.wonInQuarter)} deals won this quarter; the forecast also weighs ${int(s.openExpectedInQuarter)} open deals expected to close by the quarter's end`,
  ].join("\n");
}

function explain(runs: BackendRun[]): string {
  const parts: string[] = [];
  const add = (title: string, plans: Record<string, string> | undefined) => {
    for (const [label, plan] of Object.entries(plans ?? {})) {
      parts.push(
        `<details><summary>${title}: <code>${label}</code></summary>\n\n\`\`\`text\n${plan}\n\`\`\`\n</details>`,
      );
    }
  };
  for (const run of runs) add(run.label, run.measured?.explain);
  return parts.join("\n\n");
}

export const KPI_SECTION_TITLE = "## `bench/kpi`: KPI commands and the daily digest on 1,000,000 deals";

export const ANALYSIS_START = "<!-- analysis:start (kept when the benchmark rewrites this file) -->";
export const ANALYSIS_END = "<!-- analysis:end -->";

/** The whole RESULTS.md; `analysis` is the hand-written block kept from the previous file. */
export function renderReport(report: Report, analysis: string, others = ""): string {
  const { machine, runs } = report;
  return `# Benchmark results

${KPI_SECTION_TITLE}

Generated by \`bench/kpi/run.ts\` on ${report.startedAt.toISOString()}.

- Command: \`${report.command}\`
- Machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${mb(machine.memoryBytes)} RAM, ${machine.os}; Node ${machine.node}; load average ${machine.loadAverage.start.toFixed(2)} at the start, ${machine.loadAverage.end.toFixed(2)} at the end (other work on the machine widens the spread)
- Backends: ${machine.postgres ? `${machine.postgres}; ` : ""}PGlite ${machine.pglite} in a temporary directory${report.pgliteSharedBuffers ? ` with **shared_buffers ${report.pgliteSharedBuffers}** (\`--pglite-shared-buffers\`)` : " (shared_buffers 32MB, as src/db/client.ts opens it)"}
- Data: ${int(report.size.deals)} deals, ${int(report.size.reps)} reps, ${int(report.size.customers)} customers in one workspace (Europe/Paris; no teams, no managers, no digest channel), one \`created\` deal event per deal, a monthly goal per rep and company goals; "now" fixed at 2026-11-18T10:00Z; ${report.vacuum ? "VACUUM (ANALYZE) after the load, as autovacuum would have done" : "**no VACUUM or ANALYZE after the load** (`--no-vacuum`)"}
- Timing: ${warmedUp(report.warmup)}, then ${report.iterations} rounds; in each round the command, the same SQL through Prisma, the raw SQL and the best plain SQL each run once, in rotating order; before the first round, the best SQL's figures are checked equal to the command's (the run fails otherwise)

### Budget (docs/architecture.md §7)

${budgetLines(runs).join("\n")}

### Timings

${resultsTable(runs, (r) => r.measured)}

- **command**: \`executeText(ctx, "/kpi month", log)\` with a fresh \`commandContext\` each time: parsing, validation, the service and every query it makes through Prisma, and the reply.
- **raw SQL**: the SQL the command needs (\`kpiSql\`, \`memberFiguresSql\`, \`forecastSql\`), on the bare driver (\`pg\` pool or the PGlite instance), no Prisma. For the company and whole days or months, these read the figure tables the triggers keep (\`src/sales/figures/figure-sql.ts\`).
- **from the deals**: the same builders told to read the deals (\`source: "deals"\`), as the commands did before the figure tables and still do for a team or a period the tables cannot serve (one that ends mid-day); checked equal to the command's own figures before timing. The digest has no such row: its statements are recorded from a real call, which reads the tables.
- **via Prisma**: the same SQL through \`prisma.$queryRaw\` and the driver adapter.
- **best plain SQL**: the fastest SQL found for the same figures, written by hand (\`bench/kpi/best-sql.ts\`, where the alternatives measured and not kept are listed), on the bare driver; its sums and counts are index-only scans of the covering partial indexes, each range read once where the figures allow. Before timing, the bench runs the command's own SQL and the best SQL and compares their figures (for the digest: every figure \`computeDigest\` returns for the reply against those computed from the best SQL's rows, \`bench/kpi/check.ts\`); any difference fails the run. For several statements, **best median is the sum of the statements' medians**, as for the raw SQL.
- **daily digest (company)**: \`sales.digest.computeDigest(ws, null)\` then \`renderDigest(speakerFor(ws), digest)\` (and \`renderText\`, microseconds): the digest the digest channel gets. computeDigest sends its seven statements at once (\`readTogether\`): on PostgreSQL the pool runs them side by side, on PGlite (one connection) one after another. Its **raw SQL** is every statement one computeDigest sends, recorded from a real call (\`bench/kpi/digest.ts\`: each \`$queryRaw\` as is), run one after another on the bare driver; **raw median is the sum of the statements' medians** (the ratio's denominator), raw p95 the 95th percentile of each round's sequential total; via Prisma runs the same statements one after another through \`$queryRaw\`. The data set has no teams and no managers, so \`digestsOf\` for this workspace would build only this digest (sent to the admin by DM, as no digest channel is set); per-team digests are not timed.
${
  digestTable(runs)
    ? `
#### The digest's statements, each alone on the bare driver

${digestTable(runs)}
`
    : ""
}
${
  digestBestTable(runs)
    ? `#### The digest's best plain SQL, each statement alone on the bare driver

${digestBestTable(runs)}

The digest shows neither the open pipeline whole nor the sales cycle, and only the month's goals: its best SQL computes the figures it shows and no other, so it reads the open deals expected before the month ends, not every open deal.
`
    : ""
}
${
  writesTable(runs)
    ? `### What the figure tables cost a write

Each statement of a deal's life, one row in its own transaction on the bare driver, ${WRITE_ROUNDS}: with the \`deal_figures_*\` triggers, and with them disabled (\`bench/kpi/writes.ts\`). Budget (issue 16): at most +0.5 ms per deal write on PostgreSQL; PGlite's cost is reported beside it.

${writesTable(runs)}

`
    : ""
}### Memory

${rssTable(runs)}

Each step runs in its own Node process (\`bench/kpi/worker.ts\`), so the measuring process's peak is not the bulk load's.

### Load

${loadTable(runs)}

${shape(runs)}

${replies(runs)}

${ANALYSIS_START}
${analysis.trim() || "(analysis: none yet)"}
${ANALYSIS_END}

### Query plans (EXPLAIN ANALYZE, BUFFERS, after the timed runs)

${explain(runs)}
${others ? `\n${others}\n` : ""}`;
}

/**
 * The other benchmarks' sections of an earlier RESULTS.md (every \`## \` section but this one's),
 * kept at the end when this benchmark rewrites the file.
 */
export function otherSections(previous: string): string {
  return previous
    .split(/\n(?=## )/)
    .filter((part) => part.startsWith("## ") && !part.startsWith("## `bench/kpi`"))
    .map((part) => part.trimEnd())
    .join("\n\n");
}

/** The hand-written analysis block of an earlier RESULTS.md, or "". */
export function keptAnalysis(previous: string): string {
  const start = previous.indexOf(ANALYSIS_START);
  const end = previous.indexOf(ANALYSIS_END);
  if (start < 0 || end < start) return "";
  return previous.slice(start + ANALYSIS_START.length, end);
}
