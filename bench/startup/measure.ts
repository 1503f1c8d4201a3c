import { spawn } from "node:child_process";

/** A whole process to time: what to run, in which environment, and what it reads on stdin. */
export interface Launch {
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Written to stdin at once, which is then closed (empty: the process sees end of input at once). */
  input?: string;
}

/** The event that ends the timing: the first matching line on a stream, or the process's exit. */
export type Until = { stream: "stdout" | "stderr"; match: (line: string) => boolean } | "exit";

export interface Timing {
  /** From spawn to the event, in milliseconds. */
  eventMs: number;
  /** From spawn to the process's exit. */
  exitMs: number;
  /** The line that matched (empty when timing to exit). */
  line: string;
}

/** Calls `onLine` with each complete line of a stream, as it arrives. */
function eachLine(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let pending = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    const lines = (pending + chunk).split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) onLine(line);
  });
}

/**
 * Spawns `launch` and times it from the spawn to `until`, then waits for its exit (so the next run
 * has the machine to itself). Rejects with the tail of its stderr when it exits without the event,
 * or when it is still running after `timeoutMs`.
 */
export function timeProcess(launch: Launch, until: Until, timeoutMs = 120_000): Promise<Timing> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(launch.command, launch.args, {
      cwd: launch.cwd,
      env: launch.env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let event: { ms: number; line: string } | undefined;
    let stderr = "";
    const onLine = (stream: "stdout" | "stderr") => (line: string) => {
      if (event || until === "exit" || until.stream !== stream || !until.match(line)) return;
      event = { ms: performance.now() - started, line };
    };
    eachLine(child.stdout, onLine("stdout"));
    eachLine(child.stderr, onLine("stderr"));
    child.stderr.on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    // A process that never produces its event is killed: a benchmark must end.
    const guard = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    let exitMs = 0;
    child.on("exit", () => {
      exitMs = performance.now() - started;
    });
    child.on("error", (error) => {
      clearTimeout(guard);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(guard);
      if (until === "exit" && code === 0) resolve({ eventMs: exitMs, exitMs, line: "" });
      else if (event) resolve({ eventMs: event.ms, exitMs, line: event.line });
      else
        reject(
          new Error(
            `${[launch.command, ...launch.args].join(" ")} exited with ${signal ?? code} before its event:\n${stderr.trim()}`,
          ),
        );
    });
    child.stdin.on("error", () => {}); // a process that exits first closes its stdin under us
    child.stdin.end(launch.input ?? "");
  });
}

/** True for pino's JSON line with this `msg`. */
export function isLogLine(msg: string) {
  return (line: string): boolean => {
    if (!line.startsWith("{")) return false;
    try {
      return (JSON.parse(line) as { msg?: unknown }).msg === msg;
    } catch {
      return false;
    }
  };
}
