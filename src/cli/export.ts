import type { Writable } from "node:stream";
import { DateTime } from "luxon";
import { DATE_RANGE, isInDateRange } from "../commands/when.js";
import type { App } from "../main.js";
import type { Workspace } from "../sales/deps.js";
import type { ExportFilter } from "../sales/exports/export-service.js";
import { dayRange } from "../sales/periods/period.js";
import { EXPORT_KINDS, type ExportKind, isExportKind, writeCloserCsv } from "../transfer/closer-export.js";
import { UsageError } from "./usage-error.js";
import { resolveWorkspace } from "./workspace-option.js";

export interface ExportArgs {
  kind: ExportKind;
  /** An id, a platform's id or a name: see `resolveWorkspace`. */
  workspace?: string | undefined;
  /** `YYYY-MM-DD`, local days of the workspace, both included. */
  from?: string | undefined;
  to?: string | undefined;
}

const usage = (message: string) => new UsageError("export", message);

/** A real `YYYY-MM-DD` day in the years dates may have. */
function isoDay(flag: string, value: string): string {
  const day = DateTime.fromFormat(value, "yyyy-MM-dd", { zone: "UTC" });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || !day.isValid)
    throw usage(`${flag} ${value.replace(/\p{Cc}/gu, "?")} is not a date (YYYY-MM-DD)`);
  if (!isInDateRange(value))
    throw usage(`${flag} ${value} is outside ${DATE_RANGE.firstYear}-${DATE_RANGE.lastYear}`);
  return value;
}

/**
 * Reads `<deals|customers|events> [--workspace W] [--from DATE] [--to DATE]`.
 *
 * @throws UsageError naming what is wrong.
 */
export function parseExportArgs(argv: string[]): ExportArgs {
  const [kind, ...rest] = argv;
  if (kind === undefined || !isExportKind(kind)) throw usage(`what to export: ${EXPORT_KINDS.join(", ")}`);
  const args: ExportArgs = { kind };
  const seen = new Set<string>();
  for (let i = 0; i < rest.length; i += 2) {
    const [flag = "", value] = [rest[i], rest[i + 1]];
    if (!["--workspace", "--from", "--to"].includes(flag)) throw usage(`unknown option ${flag}`);
    if (value === undefined || value.startsWith("--")) throw usage(`${flag} needs a value`);
    if (seen.has(flag)) throw usage(`${flag} is given twice`);
    seen.add(flag);
    if (flag === "--workspace") args.workspace = value;
    else if (flag === "--from") args.from = isoDay(flag, value);
    else args.to = isoDay(flag, value);
  }
  if (args.from && args.to && args.to < args.from)
    throw usage(`--to ${args.to} is before --from ${args.from}`);
  return args;
}

/** The instants of `--from` and `--to`: local midnights in the workspace's zone, `--to`'s day included. */
export function exportRange(args: Pick<ExportArgs, "from" | "to">, ws: Workspace): ExportFilter {
  return {
    from: args.from ? dayRange(args.from, args.from, ws.timezone).start : undefined,
    to: args.to ? dayRange(args.to, args.to, ws.timezone).end : undefined,
  };
}

const isClosedPipe = (error: unknown) => (error as NodeJS.ErrnoException | null)?.code === "EPIPE";

/**
 * `closer export`: the workspace's deals, customers or events as CSV in Closer's format on `out`.
 * A reader that goes away (`| head -1`) ends the export quietly, as `cat` would.
 *
 * @throws UsageError when the workspace cannot be told, before anything is written.
 */
export async function runExport(app: App, args: ExportArgs, out: Writable): Promise<number> {
  const ws = await resolveWorkspace(app.db.prisma, args.workspace, "export");
  // A write failing after the export gave up must not crash the process either.
  out.on("error", (error) => {
    if (!isClosedPipe(error)) throw error;
  });
  try {
    await writeCloserCsv(app.sales.exports, ws, args.kind, exportRange(args, ws), out);
  } catch (error) {
    if (!isClosedPipe(error)) throw error;
  }
  return 0;
}
