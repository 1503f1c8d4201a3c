import { readFileSync } from "node:fs";

/** A line of the app's pino log (one JSON object a line), read after or during a run. */
interface LogEntry {
  level: number;
  msg?: string;
  err?: { message?: string };
  key?: string;
}

function readLog(file: string): LogEntry[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as LogEntry);
}

const describe = (e: LogEntry) => `${e.msg ?? ""}: ${e.err?.message ?? e.key ?? ""}`.replace(/\s+/g, " ");

/** Lines at warn level (retries) and at error level, and the first error. */
export function logCounts(file: string): { warnings: number; errors: number; firstError?: string } {
  const entries = readLog(file);
  const errors = entries.filter((e) => e.level >= 50);
  return {
    warnings: entries.filter((e) => e.level === 40).length,
    errors: errors.length,
    ...(errors[0] ? { firstError: describe(errors[0]) } : {}),
  };
}

/** The scheduler's "scheduled job failed" lines so far, and the first one's error. */
export function scheduledFailures(file: string): { failures: number; first?: string } {
  const failed = readLog(file).filter((e) => e.msg === "scheduled job failed");
  return failed[0] ? { failures: failed.length, first: describe(failed[0]) } : { failures: 0 };
}
