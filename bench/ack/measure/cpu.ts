import { readFileSync } from "node:fs";

/** The kernel's USER_HZ: 100 on every Linux Node runs on. */
const CLOCK_TICKS = 100;

/** utime + stime of /proc/<pid>/stat in ms, and the command name; undefined if it is gone. */
function readStat(pid: number | string): { comm: string; cpuMs: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const close = stat.lastIndexOf(")");
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(close + 2).split(" ");
    return {
      comm: stat.slice(stat.indexOf("(") + 1, close),
      cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS,
    };
  } catch {
    return undefined;
  }
}

/** CPU time a process has used so far (user + system), in ms; 0 if it is gone or /proc is not there. */
export function cpuMsOf(pid: number): number {
  return readStat(pid)?.cpuMs ?? 0;
}

/** CPU time each of `pids` has used so far, in ms (a pid that is gone is left out). */
export function cpuOf(pids: readonly number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    const stat = readStat(pid);
    if (stat) out.set(pid, stat.cpuMs);
  }
  return out;
}

/** CPU used between two snapshots; a process started in between counts from zero. */
export function cpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}

/** The process's peak resident set size (VmHWM) in bytes, or 0. */
export function peakRssOf(pid: number): number {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}
