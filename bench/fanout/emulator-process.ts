/**
 * The Slack emulator in a process of its own (forked by `emulator.ts`), so its work and memory are
 * not counted against the app's, as Slack's are not. Answers `report` and `close` over IPC.
 */
import { type PostingLimits, startSlackEmulator } from "../../test/emulators/slack/slack-emulator.js";

/** One stored chat.postMessage: channel, ts and the dedupe key from its metadata (null without one). */
export type DeliveredMessage = [channel: string, ts: string, key: string | null];

export interface EmulatorReport {
  messages: DeliveredMessage[];
  rateLimited: number;
  callsByMethod: Record<string, number>;
  maxRssBytes: number;
  /** CPU time the emulator process used so far (user + system). */
  cpuMs: number;
}

export type EmulatorMessage =
  | { kind: "ready"; apiUrl: string; botToken: string }
  | { kind: "report"; report: EmulatorReport };

function keyOf(metadata: Record<string, unknown> | undefined): string | null {
  const payload = metadata?.event_payload as Record<string, unknown> | undefined;
  return typeof payload?.dedupe_key === "string" ? payload.dedupe_key : null;
}

const limits = JSON.parse(process.argv[2] ?? "{}") as PostingLimits;
const emulator = await startSlackEmulator({ signingSecret: "bench-fanout-secret", postingLimits: limits });

function send(message: EmulatorMessage): void {
  process.send?.(message);
}

process.on("message", (request: { kind: "report" | "close" }) => {
  if (request.kind === "report") {
    const callsByMethod: Record<string, number> = {};
    for (const call of emulator.calls) callsByMethod[call.method] = (callsByMethod[call.method] ?? 0) + 1;
    send({
      kind: "report",
      report: {
        messages: emulator.messages.map((m) => [m.channel, m.ts, keyOf(m.metadata)]),
        rateLimited: emulator.rateLimited,
        callsByMethod,
        maxRssBytes: process.resourceUsage().maxRSS * 1024,
        cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
      },
    });
  } else {
    void emulator.close().finally(() => process.disconnect?.());
  }
});
// The bench went away: stop serving.
process.on("disconnect", () => {
  void emulator.close().finally(() => process.exit(0));
});
send({ kind: "ready", apiUrl: emulator.apiUrl, botToken: emulator.tokens.bot });
