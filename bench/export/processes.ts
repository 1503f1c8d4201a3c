import { spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A command as the shell would run it: `command args… > /dev/null`. */
export interface Command {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export interface TimedRun {
  /** From spawn to exit. */
  wallMs: number;
  /** The process's peak resident memory, by GNU time (`%M`, getrusage's ru_maxrss). */
  maxRssBytes: number;
  /** What it printed on stdout when it was asked to (`--capture`), else empty. */
  stdout: string;
}

/**
 * Runs `command > /dev/null` under `/usr/bin/time`, timing it from spawn to exit. Rejects with its
 * stderr when it fails.
 */
export function timedRun(run: Command, capture = false): Promise<TimedRun> {
  const dir = mkdtempSync(join(tmpdir(), "closer-bench-time-"));
  const rusage = join(dir, "time.txt");
  const devNull = capture ? "pipe" : openSync("/dev/null", "w");
  return new Promise<TimedRun>((resolve, reject) => {
    const started = performance.now();
    const child = spawn("/usr/bin/time", ["-f", "%M", "-o", rusage, run.command, ...run.args], {
      cwd: run.cwd,
      env: run.env,
      stdio: ["ignore", devNull, "pipe"],
    });
    let stdout = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
    });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-4000);
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      const wallMs = performance.now() - started;
      const maxRssKb = Number(readFileSync(rusage, "utf8").trim().split("\n").at(-1));
      if (code !== 0) reject(new Error(`${run.command} ${run.args.join(" ")} exited ${code}: ${stderr}`));
      else resolve({ wallMs, maxRssBytes: maxRssKb * 1024, stdout });
    });
  }).finally(() => {
    if (typeof devNull === "number") closeSync(devNull);
    rmSync(dir, { recursive: true, force: true });
  });
}

/** The resident memory of a process now and at its peak, from /proc; undefined once it is gone. */
function memoryOf(pid: number): { rssBytes: number; hwmBytes: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
    return { rssBytes: kb("VmRSS") * 1024, hwmBytes: kb("VmHWM") * 1024 };
  } catch {
    return undefined;
  }
}

export interface Sample {
  /** Share of the expected rows received when the sample was taken (0 = the header line). */
  percent: number;
  rows: number;
  atMs: number;
  rssBytes: number | undefined;
}

export interface SampledRun {
  wallMs: number;
  rows: number;
  /** What it wrote, in bytes. */
  bytes: number;
  samples: Sample[];
  /** VmHWM at the last sample: the peak so far, with every row already written. */
  peakBytes: number | undefined;
}

/**
 * Runs the export with its stdout read here (and dropped), counting its lines; as each tenth of
 * `expectedRows` arrives, reads the process's resident memory from /proc: whether memory stays flat
 * as rows go by. Each sample is read in the handler of the chunk that crossed it, while the
 * exporting process is still running.
 */
export function sampledRun(run: Command, expectedRows: number): Promise<SampledRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(run.command, run.args, {
      cwd: run.cwd,
      env: run.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const pid = child.pid ?? 0;
    const samples: Sample[] = [];
    let peakBytes: number | undefined;
    let lines = 0;
    let bytes = 0;
    let next = 0;
    const sample = () => {
      const memory = memoryOf(pid);
      samples.push({
        percent: next * 10,
        rows: Math.max(0, lines - 1),
        atMs: performance.now() - started,
        rssBytes: memory?.rssBytes,
      });
      if (memory) peakBytes = memory.hwmBytes;
      next++;
    };
    child.stdout.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) lines++;
      // Line 1 is the header: the tenth number n is crossed at 1 + n * expectedRows / 10 lines.
      while (next <= 10 && lines >= 1 + Math.ceil((next * expectedRows) / 10)) sample();
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-4000);
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      const wallMs = performance.now() - started;
      if (code !== 0) reject(new Error(`${run.command} ${run.args.join(" ")} exited ${code}: ${stderr}`));
      else resolve({ wallMs, rows: Math.max(0, lines - 1), bytes, samples, peakBytes });
    });
  });
}
