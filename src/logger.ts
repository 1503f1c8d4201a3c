import { pino } from "pino";

/** Paths redacted from every log line: tokens and secrets never reach the logs. */
export const REDACT = [
  "token",
  "*.token",
  "botToken",
  "*.botToken",
  "appToken",
  "*.appToken",
  "signingSecret",
  "*.signingSecret",
  "clientSecret",
  "*.clientSecret",
  "stateSecret",
  "*.stateSecret",
  "metricsToken",
  "*.metricsToken",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "*.headers.authorization",
];

/** Structured logs on stderr, so the shell's stdout carries only replies. */
export function createLogger(level: string) {
  return pino({ level, redact: { paths: REDACT, censor: "[redacted]" } }, pino.destination(2));
}

export type { Logger } from "pino";
