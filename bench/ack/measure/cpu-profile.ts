import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** The parts of a V8 `.cpuprofile` (what `node --cpu-prof` writes) this summary reads. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string } }[];
  /** Microseconds on the monotonic clock, as `process.hrtime` reads it on Linux. */
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** A span of the monotonic clock, in microseconds: `process.hrtime.bigint() / 1000n`. */
export type Window = [from: number, to: number];

export const monotonicMicros = () => Number(process.hrtime.bigint() / 1000n);

/** Where a sampled frame's time goes: its npm package, Closer's own code, GC, or a native call. */
function categoryOf(frame: { functionName: string; url: string }): string | undefined {
  const { functionName: name, url } = frame;
  if (name === "(idle)") return undefined;
  if (name === "(garbage collector)") return "garbage collection";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  if (url.includes("/src/")) return "Closer's code (src/)";
  if (url.startsWith("node:")) return "Node's own JavaScript";
  if (url.startsWith("wasm")) return "WebAssembly";
  return `native: ${name}`;
}

/**
 * The main thread's busy time within `windows`, by category, largest first, from the profile
 * `node --cpu-prof` wrote for `pid` in `dir` (`CPU.<date>.<time>.<pid>.0.<seq>.cpuprofile`).
 */
export function busyTimeByCategory(
  dir: string,
  pid: number,
  windows: readonly Window[],
): { busyMs: number; shares: [string, number][] } {
  const file = readdirSync(dir).find((f) => f.includes(`.${pid}.0.`) && f.endsWith(".cpuprofile"));
  if (!file) throw new Error(`no CPU profile of process ${pid} in ${dir}`);
  const profile = JSON.parse(readFileSync(join(dir, file), "utf8")) as CpuProfile;
  const category = new Map(profile.nodes.map((n) => [n.id, categoryOf(n.callFrame)]));
  const totals = new Map<string, number>();
  let at = profile.startTime;
  let busy = 0;
  for (const [i, id] of profile.samples.entries()) {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    const c = category.get(id);
    if (c === undefined || !windows.some(([from, to]) => at >= from && at <= to)) continue;
    totals.set(c, (totals.get(c) ?? 0) + delta);
    busy += delta;
  }
  const shares = [...totals]
    .sort((a, b) => b[1] - a[1])
    .map(([c, us]): [string, number] => [c, busy ? us / busy : 0]);
  return { busyMs: busy / 1000, shares };
}
