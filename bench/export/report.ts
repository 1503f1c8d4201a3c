import type { SampledRun, TimedRun } from "./processes.js";

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryBytes: number;
  node: string;
  os: string;
  postgres: string | undefined;
  pglite: string;
  loadAverage: { start: number; end: number };
}

export interface KeysetRun extends TimedRun {
  rows: number;
  openMs: number;
  readMs: number;
}

export interface BackendResult {
  label: string;
  loadMs?: number;
  deals?: number;
  /** `closer export deals` with a range that holds nothing: start, open, migrate check, close. */
  empty?: TimedRun;
  closer?: TimedRun[];
  sampled?: SampledRun;
  keyset?: KeysetRun[];
  copy?: TimedRun[];
  error?: string;
}

export interface ExportReport {
  startedAt: Date;
  command: string;
  size: { deals: number; reps: number; customers: number };
  runs: number;
  machine: Machine;
  results: BackendResult[];
}

export const EXPORT_SECTION_TITLE = "## `bench/export`: `closer export deals`, time and memory";

const mb = (bytes: number | undefined) =>
  bytes === undefined ? "–" : `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const s = (ms: number | undefined) => (ms === undefined ? "–" : `${(ms / 1000).toFixed(1)} s`);

function median(values: number[]): number | undefined {
  const sorted = [...values].sort((a, b) => a - b);
  if (!sorted.length) return undefined;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** `12.3 s (11.9–12.8)`: the median of the runs and their spread. */
function spread(runs: { wallMs: number }[] | undefined): string {
  if (!runs?.length) return "–";
  const walls = runs.map((r) => r.wallMs);
  return `**${s(median(walls))}** (${s(Math.min(...walls))}–${s(Math.max(...walls))})`;
}

const peak = (runs: { maxRssBytes: number }[] | undefined) =>
  runs?.length ? mb(Math.max(...runs.map((r) => r.maxRssBytes))) : "–";

/** The median of the runs' times less the start and stop a run of no rows takes: the export itself. */
function exportMs(r: BackendResult): number | undefined {
  const whole = median(r.closer?.map((c) => c.wallMs) ?? []);
  return whole === undefined || r.empty === undefined ? undefined : whole - r.empty.wallMs;
}

const times = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined || b <= 0 ? "–" : `${(a / b).toFixed(1)}×`;

function timings(results: BackendResult[]): string {
  const rows = results.map((r) => {
    const exporting = exportMs(r);
    const reading = median(r.keyset?.map((k) => k.readMs) ?? []);
    const copying = median(r.copy?.map((c) => c.wallMs) ?? []);
    return [
      r.label,
      r.deals?.toLocaleString("en-US") ?? "–",
      spread(r.closer),
      peak(r.closer),
      s(r.empty?.wallMs),
      `**${s(exporting)}**`,
      `**${s(reading)}**`,
      peak(r.keyset),
      times(exporting, reading),
      r.copy ? spread(r.copy) : "–",
      r.copy ? times(exporting, copying) : "–",
    ].join(" | ");
  });
  return [
    "| backend | deals | `closer export deals > /dev/null` | its peak RSS | same, 0 rows (start, open, close) | export itself (the difference) | keyset reference: reading the pages | its peak RSS | export / keyset | `COPY (SELECT …) TO STDOUT` through psql | export / COPY |",
    "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ...rows.map((row) => `| ${row} |`),
  ].join("\n");
}

function memory(results: BackendResult[]): string {
  const percents = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
  const rows = results
    .filter((r) => r.sampled)
    .map((r) => {
      const at = (p: number) => mb(r.sampled?.samples.find((x) => x.percent === p)?.rssBytes);
      return `| ${r.label} | ${percents.map(at).join(" | ")} | ${mb(r.sampled?.peakBytes)} | ${s(r.sampled?.wallMs)} | ${mb(r.sampled?.bytes)} |`;
    });
  return [
    `| backend | ${percents.map((p) => (p === 0 ? "header" : `${p} %`)).join(" | ")} | peak (VmHWM) | run | CSV written |`,
    `|---|${percents.map(() => "--:").join("|")}|--:|--:|--:|`,
    ...rows,
  ].join("\n");
}

/**
 * Whether memory stayed flat: over the second half of the rows, RSS grew by less than a tenth of the
 * CSV written meanwhile (an export that kept its rows would grow by more than all of it). The first
 * tenth also holds the start of the work (the query compiler's caches, V8's heap growing).
 */
function flatness(results: BackendResult[]): string[] {
  return results.flatMap((r) => {
    const samples = r.sampled?.samples ?? [];
    const at = (p: number) => samples.find((x) => x.percent === p)?.rssBytes;
    const [first, half, last] = [at(10), at(50), at(100)];
    const bytes = r.sampled?.bytes;
    if (first === undefined || half === undefined || last === undefined || bytes === undefined) return [];
    const growth = last - half;
    const flat = growth < bytes / 2 / 10;
    const signed = (n: number) => `${n >= 0 ? "+" : "−"}${mb(Math.abs(n))}`;
    return [
      `- ${r.label}: RSS ${mb(first)} after 10 % of the rows, ${mb(half)} after half, ${mb(last)} after all (${signed(last - half)} over the second half, while ${mb(bytes / 2)} of CSV went out): ${flat ? "flat" : "**growing**"}.`,
    ];
  });
}

/** The section this benchmark writes in bench/RESULTS.md. */
export function renderSection(report: ExportReport): string {
  const m = report.machine;
  const errors = report.results.filter((r) => r.error).map((r) => `- **${r.label} failed**: ${r.error}`);
  return [
    EXPORT_SECTION_TITLE,
    "",
    `- Command: \`${report.command}\` (${report.startedAt.toISOString()})`,
    `- Machine: ${m.cpus} CPUs (${m.cpuModel}), ${(m.memoryBytes / 1024 / 1024).toFixed(0)} MB RAM, ${m.os}; Node ${m.node}; ${m.postgres ?? "no PostgreSQL"}; PGlite ${m.pglite}; load average ${m.loadAverage.start.toFixed(2)} at the start, ${m.loadAverage.end.toFixed(2)} at the end (other work on the machine widens the spread)`,
    `- Data: ${report.size.deals.toLocaleString("en-US")} deals, ${report.size.reps.toLocaleString("en-US")} reps, ${report.size.customers.toLocaleString("en-US")} customers in one workspace, bulk-loaded by \`bench/kpi/dataset.ts\` into a database made for the run and removed after it`,
    `- Each command is a process of its own, as an admin runs it (\`bin/closer.js\` from \`dist/\`, built at the start of the run); ${report.runs} timed runs each, interleaved, median (min–max); peak RSS by GNU time (\`%M\`)`,
    "- Keyset reference: `bench/export/keyset.ts`, the same statement `closer export` sends (`dealPageSql`, pages of 2,000 by number) through Prisma on the same driver, rows dropped, no CSV, timed in its process from the first page to the last. The export itself is Closer's median time less its run of no rows (start, opening the database, closing it). COPY reference (PostgreSQL): the same columns in one `COPY (SELECT … ORDER BY number) TO STDOUT WITH (FORMAT csv, HEADER)` through `psql`, the server writing the CSV",
    "",
    "### Time and peak memory",
    "",
    timings(report.results),
    "",
    "### Memory while exporting",
    "",
    "One more run with its stdout read by the benchmark (and dropped), which counts the lines and reads the exporting process's resident memory (`/proc/<pid>/status` VmRSS) as each tenth of the rows arrives.",
    "",
    memory(report.results),
    "",
    ...flatness(report.results),
    ...errors,
  ].join("\n");
}

const ANALYSIS_START = "<!-- export-analysis:start (kept when the benchmark rewrites this section) -->";
const ANALYSIS_END = "<!-- export-analysis:end -->";

/**
 * `previous` with this benchmark's section replaced by `section`, or added at the end; the other
 * sections are kept, and so is the hand-written analysis between the markers of the old one.
 */
export function withSection(previous: string, section: string): string {
  const parts = previous.split(/\n(?=## )/);
  const at = parts.findIndex((p) => p.startsWith("## `bench/export`"));
  const old = at >= 0 ? (parts[at] ?? "") : "";
  const start = old.indexOf(ANALYSIS_START);
  const end = old.indexOf(ANALYSIS_END);
  const analysis = start >= 0 && end > start ? `\n\n${old.slice(start, end + ANALYSIS_END.length)}` : "";
  if (at >= 0) parts[at] = `${section}${analysis}\n`;
  else parts.push(section);
  return `${parts.map((p) => p.trimEnd()).join("\n\n")}\n`;
}
