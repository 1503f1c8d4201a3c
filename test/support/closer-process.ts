import { type ChildProcess, spawn } from "node:child_process";

export interface CloserProcess {
  child: ChildProcess;
  /** Everything it logged so far (pino JSON lines on stderr). */
  logs(): string;
  /** Resolves with the first log line matching `pattern`, as soon as it is written. */
  logLine(pattern: RegExp): Promise<string>;
  /** SIGTERM, then its exit code. */
  stop(): Promise<number | null>;
}

/** `node bin/closer.js <args>` as a deployment runs it, with only the given environment. */
export function startCloser(
  args: string[],
  env: Record<string, string>,
  stdin: "pipe" | "ignore" = "ignore",
): CloserProcess {
  const child = spawn(process.execPath, ["bin/closer.js", ...args], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: [stdin, "pipe", "pipe"],
  });
  let logs = "";
  const waiting: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  child.stderr?.on("data", (chunk: Buffer) => {
    logs += chunk.toString("utf8");
    for (const w of [...waiting]) {
      const line = logs.split("\n").find((l) => w.pattern.test(l));
      if (line) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  return {
    child,
    logs: () => logs,
    logLine(pattern) {
      const line = logs.split("\n").find((l) => pattern.test(l));
      if (line) return Promise.resolve(line);
      return new Promise((resolve, reject) => {
        waiting.push({ pattern, resolve });
        exited.then((code) => reject(new Error(`closer exited with ${code} before ${pattern}: ${logs}`)));
      });
    },
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}

/** The port the HTTP server logged it listens on. */
export async function listeningPort(closer: CloserProcess): Promise<number> {
  const line = await closer.logLine(/"msg":"http listening"/);
  return (JSON.parse(line) as { port: number }).port;
}
