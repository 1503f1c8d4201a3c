import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const PRELOAD = pathToFileURL(fileURLToPath(new URL("./max-rss.mjs", import.meta.url))).href;

/** A Node process to measure: its arguments after `node`, where, and with which environment. */
export interface Launch {
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** One measured run: wall time from spawn to exit, and the peak RSS the process reported at its exit. */
export interface Measured {
  ms: number;
  /** Peak resident set size in MiB (getrusage's maxrss of the process itself). */
  peakRssMb: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node <args>` with a preload that records its peak RSS at exit, and resolves when it has
 * exited, whatever its exit code (the caller checks it). Killed after `timeoutMs`: a benchmark ends.
 */
export function runMeasured(launch: Launch, timeoutMs = 15 * 60_000): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), "closer-bench-rss-"));
  const rssFile = join(dir, "max-rss");
  return new Promise<Measured>((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ["--import", PRELOAD, ...launch.args], {
      cwd: launch.cwd,
      env: { ...launch.env, BENCH_MAX_RSS_FILE: rssFile },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    // Only the tail: a failing import may log a lot, and the end says why.
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-8000);
    });
    const guard = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (error) => {
      clearTimeout(guard);
      reject(error);
    });
    child.on("close", (code, signal) => {
      const ms = performance.now() - started;
      clearTimeout(guard);
      let peakRssMb = Number.NaN;
      try {
        peakRssMb = Number(readFileSync(rssFile, "utf8")) / 1024;
      } catch {
        // killed before its exit handler ran: no figure rather than a wrong one
      }
      rmSync(dir, { recursive: true, force: true });
      resolve({ ms, peakRssMb, code, signal, stdout, stderr });
    });
  });
}
