import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";

/** A pino-style JSON line: `msg` and whatever else the process logged with it. */
export type LogLine = Record<string, unknown> & { msg?: string; level?: number };

/** A process under test, its stdout and stderr copied to a log file as they come. */
export interface Child {
  name: string;
  pid: number;
  logFile: string;
  /** Resolves with the first JSON line (on either stream), past or future, with this `msg`. */
  line(msg: string, timeoutMs?: number): Promise<LogLine>;
  /** Like `line`, but only a line logged after this call counts. */
  nextLine(msg: string, timeoutMs?: number): Promise<LogLine>;
  /** Every JSON line so far at pino's warn level (40) or above. */
  problems(): LogLine[];
  /** Sends SIGTERM and resolves with the exit code once the process has exited. */
  stop(): Promise<number | null>;
}

export interface Launch {
  name: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
}

function parse(text: string): LogLine | undefined {
  if (!text.startsWith("{")) return undefined;
  try {
    return JSON.parse(text) as LogLine;
  } catch {
    return undefined;
  }
}

/** Spawns `node <args>`; a process that exits while something waits for its line rejects that wait. */
export function startChild(launch: Launch): Child {
  const child: ChildProcess = spawn(process.execPath, launch.args, {
    cwd: launch.cwd,
    env: launch.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const file = createWriteStream(launch.logFile);
  const lines: LogLine[] = [];
  const waiters = new Set<{ msg: string; resolve: (l: LogLine) => void; reject: (e: Error) => void }>();
  let exited: number | null | undefined;
  let tail = "";

  const onText = (stream: NodeJS.ReadableStream) => {
    let pending = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      file.write(chunk);
      tail = (tail + chunk).slice(-4000);
      const parts = (pending + chunk).split("\n");
      pending = parts.pop() ?? "";
      for (const text of parts) {
        const line = parse(text);
        if (!line) continue;
        lines.push(line);
        for (const w of waiters) {
          if (w.msg !== line.msg) continue;
          waiters.delete(w);
          w.resolve(line);
        }
      }
    });
  };
  if (child.stdout) onText(child.stdout);
  if (child.stderr) onText(child.stderr);
  const exit = new Promise<number | null>((resolve) => {
    child.once("exit", (code, signal) => {
      exited = code ?? (signal ? 128 : null);
      for (const w of waiters)
        w.reject(new Error(`${launch.name} exited (${signal ?? code}):\n${tail.trim()}`));
      waiters.clear();
      resolve(exited);
    });
  });
  const closed = exit.then(() => new Promise<void>((resolve) => file.end(resolve)));

  const wait = (msg: string, timeoutMs: number) => {
    if (exited !== undefined) return Promise.reject(new Error(`${launch.name} exited:\n${tail.trim()}`));
    return new Promise<LogLine>((resolve, reject) => {
      const waiter = {
        msg,
        resolve: (l: LogLine) => {
          clearTimeout(timer);
          resolve(l);
        },
        reject: (e: Error) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      // A process that never gets ready must not hang the benchmark.
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`${launch.name}: no "${msg}" line within ${timeoutMs} ms:\n${tail.trim()}`));
      }, timeoutMs);
      waiters.add(waiter);
    });
  };

  return {
    name: launch.name,
    pid: child.pid ?? -1,
    logFile: launch.logFile,
    line(msg, timeoutMs = 120_000) {
      const seen = lines.find((l) => l.msg === msg);
      return seen ? Promise.resolve(seen) : wait(msg, timeoutMs);
    },
    nextLine: (msg, timeoutMs = 10_000) => wait(msg, timeoutMs),
    problems: () => lines.filter((l) => (l.level ?? 0) >= 40),
    async stop() {
      if (exited === undefined) {
        child.kill("SIGTERM");
        // A process that does not stop within 15 s is killed: the benchmark must end.
        const guard = setTimeout(() => child.kill("SIGKILL"), 15_000);
        await exit;
        clearTimeout(guard);
      }
      await closed;
      return exited ?? null;
    },
  };
}
