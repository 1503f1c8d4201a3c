import { type ChildProcess, fork } from "node:child_process";
import type { PostingLimits } from "../../test/emulators/slack/slack-emulator.js";
import type { EmulatorMessage, EmulatorReport } from "./emulator-process.js";

const PROCESS = new URL("./emulator-process.ts", import.meta.url).pathname;

export interface EmulatorHandle {
  apiUrl: string;
  botToken: string;
  /** Everything the emulator stored and answered so far. */
  report(): Promise<EmulatorReport>;
  close(): Promise<void>;
}

function nextMessage<K extends EmulatorMessage["kind"]>(
  child: ChildProcess,
  kind: K,
): Promise<Extract<EmulatorMessage, { kind: K }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: EmulatorMessage) => {
      if (m.kind !== kind) return;
      child.off("exit", onExit);
      child.off("message", onMessage);
      resolve(m as Extract<EmulatorMessage, { kind: K }>);
    };
    const onExit = (code: number | null) => {
      child.off("message", onMessage);
      reject(new Error(`the Slack emulator exited (${code}) before its ${kind}`));
    };
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}

/** Starts the Slack emulator in a child process with Slack's posting limits. */
export async function startEmulatorProcess(limits: PostingLimits): Promise<EmulatorHandle> {
  const child = fork(PROCESS, [JSON.stringify(limits)], {
    execArgv: ["--import", "tsx"],
    serialization: "advanced",
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const ready = await nextMessage(child, "ready");
  let closed: Promise<void> | undefined;
  return {
    apiUrl: ready.apiUrl,
    botToken: ready.botToken,
    async report() {
      const answer = nextMessage(child, "report");
      child.send({ kind: "report" });
      return (await answer).report;
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        if (child.connected) child.send({ kind: "close" });
        else child.kill();
        // Never wait long on a stuck emulator.
        setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
      });
      return closed;
    },
  };
}
