import { createWriteStream } from "node:fs";
import type { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import { stringify } from "csv-stringify";
import { isAppError } from "../errors.js";
import { type Translate, translator } from "../messages/i18n.js";
import { sourceSystemName } from "../messages/source-system.js";
import { STAGE_WORDS } from "../messages/vocabulary.js";
import { nameKey } from "../sales/customers/name-key.js";
import type { Stage, Workspace } from "../sales/deps.js";
import type { ImportSummary } from "../sales/imports/import-service.js";
import type { SalesService } from "../sales/sales-service.js";
import { localeOf } from "../sales/workspaces/workspace-service.js";
import { openCsv } from "../transfer/csv-read.js";
import {
  IMPORT_FIELDS,
  type ImportField,
  PRESET_NAMES,
  type PresetName,
} from "../transfer/import-presets.js";
import { type DealReading, type RowRejection, readDeals } from "../transfer/read-deals.js";
import { withGarbageAllowance } from "./garbage-allowance.js";

export interface ImportArgs {
  /** What the file holds: deals (with their customers) or contacts. */
  what: "deals" | "contacts";
  file: string;
  preset?: PresetName | undefined;
  map: Map<string, ImportField>;
  stages: Map<string, Stage>;
  workspace?: string | undefined;
  createMembers: boolean;
  commit: boolean;
  errors?: string | undefined;
}

/**
 * How much garbage the import lets pile up between batches before it collects it: about what a
 * few batches leave behind, so a collection comes every few batches and frees most of the heap.
 */
const GARBAGE_MB = 24;

const VALUE_FLAGS = new Set(["--preset", "--map", "--stages", "--workspace", "--errors"]);

/** Reads `deals <file> [--preset P] [--map "Header=field,…"] [--stages "Theirs=ours,…"] …`; a string is the error. */
export function parseImportArgs(argv: string[]): ImportArgs | string {
  const [what, ...rest] = argv;
  if (what !== "deals" && what !== "contacts") return "import takes `deals <file>` or `contacts <file>`";
  const args: ImportArgs = {
    what,
    file: "",
    map: new Map(),
    stages: new Map(),
    createMembers: false,
    commit: false,
  };
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i] ?? "";
    if (flag === "--commit") args.commit = true;
    else if (flag === "--create-members") args.createMembers = true;
    else if (VALUE_FLAGS.has(flag)) {
      const value = rest[++i];
      if (value === undefined || value.startsWith("--")) return `${flag} needs a value`;
      const problem = setValue(args, flag, value);
      if (problem) return problem;
    } else if (flag.startsWith("--")) return `unknown option ${flag}`;
    else if (args.file) return `one file at a time (${args.file}, ${flag})`;
    else args.file = flag;
  }
  return args.file ? args : `import ${what} needs a file`;
}

function setValue(args: ImportArgs, flag: string, value: string): string | undefined {
  if (flag === "--preset") {
    if (!(PRESET_NAMES as readonly string[]).includes(value.toLowerCase()))
      return `--preset takes one of ${PRESET_NAMES.join(", ")}`;
    args.preset = value.toLowerCase() as PresetName;
  } else if (flag === "--workspace") args.workspace = value;
  else if (flag === "--errors") args.errors = value;
  else {
    for (const pair of value.split(",")) {
      const at = pair.lastIndexOf("=");
      const [left, right] = [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
      if (at < 1 || !right) return `${flag} takes "Their name=our name, …" (got "${pair.trim()}")`;
      if (flag === "--map") {
        if (!(IMPORT_FIELDS as readonly string[]).includes(right))
          return `--map: "${right}" is not a field; the fields are ${IMPORT_FIELDS.join(", ")}`;
        args.map.set(left, right as ImportField);
      } else {
        const stage = STAGE_WORDS.read(right);
        if (!stage)
          return `--stages: "${right}" is not a stage; the stages are ${STAGE_WORDS.values.join(", ")}`;
        args.stages.set(nameKey(left), stage);
      }
    }
  }
  return undefined;
}

/**
 * `closer import deals`: reads the file, then reports what the import would do (a dry run) or,
 * with `--commit`, does it in one transaction. The report is in the workspace's language. Exit
 * code 0 when every row was read, 1 when some were rejected (or the file was refused), 2 for bad
 * arguments.
 */
export async function importCommand(
  sales: SalesService,
  ws: Workspace,
  args: ImportArgs,
  io: { stdout: Writable; stderr: Writable },
): Promise<number> {
  const locale = localeOf(ws);
  const t = translator(locale);
  try {
    const file = await openCsv(args.file);
    const reading = readDeals(file, {
      preset: args.preset,
      map: args.map,
      stages: args.stages,
      values: { locale, currency: ws.currency, timezone: ws.timezone },
      now: sales.clock.now(),
    });
    const summary = await sales.imports.importDeals(ws, withGarbageAllowance(reading.batches, GARBAGE_MB), {
      createMembers: args.createMembers,
      commit: args.commit,
    });
    const rejections = allRejections(reading, summary);
    io.stdout.write(`${report(t, ws, reading, file.delimiter, summary, rejections).join("\n")}\n`);
    if (args.errors) {
      await fillCells(args.file, rejections);
      await writeErrors(args.errors, reading.header, rejections, t);
    }
    return rejections.length > 0 ? 1 : 0;
  } catch (error) {
    if (!isAppError(error)) throw error;
    io.stderr.write(`closer import: ${t(error.key, error.params)}\n`);
    return 1;
  }
}

/** The file's rejections and the service's (unknown owners, repeated ids), in line order. */
function allRejections(reading: DealReading, summary: ImportSummary): RowRejection[] {
  const fromService = summary.rejections.map((r) => ({
    line: r.line,
    column: reading.columns[r.field as ImportField] ?? r.field,
    key: r.key,
    params: r.params,
    cells: [] as string[],
  }));
  return [...reading.rejections, ...fromService].sort((a, b) => a.line - b.line);
}

/** The cells of rows the service rejected, read again from the file: the deals it was given do not keep theirs. */
async function fillCells(path: string, rejections: RowRejection[]): Promise<void> {
  const missing = new Map(rejections.filter((r) => r.cells.length === 0).map((r) => [r.line, r]));
  if (missing.size === 0) return;
  for await (const record of (await openCsv(path)).records) {
    const rejection = missing.get(record.line);
    if (rejection) rejection.cells = record.cells;
  }
}

function report(
  t: Translate,
  ws: Workspace,
  reading: DealReading,
  delimiter: string,
  summary: ImportSummary,
  rejections: RowRejection[],
): string[] {
  const d = summary.counts;
  const lines = [
    t(summary.committed ? "import.report.committed" : "import.report.dry_run", { workspace: ws.name }),
    t("import.report.read_as", {
      preset: sourceSystemName(reading.preset),
      delimiter: delimiter === "\t" ? "tab" : delimiter,
      rows: reading.rows(),
    }),
    t(summary.committed ? "import.report.deals_done" : "import.report.deals", {
      created: d.created,
      updated: d.updated,
      unchanged: d.unchanged + d.deletedSkipped,
    }),
    t(summary.committed ? "import.report.others_done" : "import.report.others", {
      customers: d.customers,
      members: d.members,
    }),
  ];
  if (summary.contacts > 0)
    lines.push(
      t(summary.committed ? "contact.import_deals_done" : "contact.import_deals", { n: summary.contacts }),
    );
  if (d.deletedSkipped > 0) lines.push(t("import.report.deleted", { n: d.deletedSkipped }));
  if (rejections.length > 0) {
    lines.push(t("import.report.rejected", { n: rejections.length }));
    for (const r of rejections)
      lines.push(
        `  ${t("import.report.rejection", { line: r.line, column: r.column, reason: t(r.key, r.params) })}`,
      );
  }
  if (!summary.committed) lines.push(t("import.report.commit_hint"));
  return lines;
}

/** `--errors`: the rejected rows as CSV, their line, column and reason before the original columns. */
export async function writeErrors(
  path: string,
  header: string[],
  rejections: RowRejection[],
  t: Translate,
): Promise<void> {
  const out = createWriteStream(path);
  const csv = stringify();
  csv.pipe(out);
  csv.write([t("import.errors.line"), t("import.errors.column"), t("import.errors.reason"), ...header]);
  for (const r of rejections) csv.write([String(r.line), r.column, t(r.key, r.params), ...r.cells]);
  csv.end();
  await finished(out);
}
