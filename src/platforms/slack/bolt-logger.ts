import { type Logger as BoltLogger, LogLevel } from "@slack/bolt";
import type { Logger } from "../../logger.js";

const TOKEN = /\b(xox[abposr]-|xapp-)[\w-]+/g;

/** Bolt's logger interface on our pino logger; anything shaped like a Slack token is masked. */
export function boltLogger(log: Logger): BoltLogger {
  const child = log.child({ platform: "slack" });
  const text = (parts: unknown[]) =>
    parts
      .map((p) =>
        p instanceof Error ? (p.stack ?? p.message) : typeof p === "string" ? p : JSON.stringify(p),
      )
      .join(" ")
      .replace(TOKEN, "$1[redacted]");
  let level: LogLevel = LogLevel.INFO;
  return {
    debug: (...m: unknown[]) => child.debug(text(m)),
    info: (...m: unknown[]) => child.info(text(m)),
    warn: (...m: unknown[]) => child.warn(text(m)),
    error: (...m: unknown[]) => child.error(text(m)),
    setLevel(l: LogLevel) {
      level = l;
    },
    getLevel: () => level,
    setName() {},
  };
}
