import type { DeliveredMessage } from "./emulator-process.js";

/** An outbox row as the bench reads it back after the run. */
export interface OutboxRow {
  dedupe_key: string;
  kind: string;
  status: string;
  attempts: number;
  message_ref: string | null;
  /** Milliseconds after the due instant the row was recorded as sent (null if it was not). */
  sent_after_ms: number | null;
}

export interface Verdict {
  /** Outbox rows: the notifications that had to be delivered, by kind and by status. */
  expected: number;
  byKind: Record<string, number>;
  byStatus: Record<string, number>;
  /** Messages the emulator stored. */
  messages: number;
  /** Messages beyond the first for a key. */
  duplicates: number;
  /** Outbox keys with no message. */
  losses: number;
  /** Messages whose key is not in the outbox (or that carry none). */
  unexpected: number;
  /** Sent rows whose message reference is not the channel/ts of their message. */
  wrongRefs: number;
  /** Two messages in one channel less than a second apart (the emulator should make this impossible). */
  tooClose: number;
  /** Rows that needed more than one try, and the most tries a row needed. */
  retried: number;
  maxAttempts: number;
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
}

/** Exactly once, checked from both ends: every outbox key has one message, every message one key. */
export function verify(rows: readonly OutboxRow[], messages: readonly DeliveredMessage[]): Verdict {
  const byKey = new Map<string, DeliveredMessage[]>();
  let unexpected = 0;
  const keys = new Set(rows.map((r) => r.dedupe_key));
  for (const m of messages) {
    const key = m[2];
    if (key === null || !keys.has(key)) unexpected += 1;
    if (key !== null) byKey.set(key, [...(byKey.get(key) ?? []), m]);
  }
  let duplicates = 0;
  for (const found of byKey.values()) duplicates += Math.max(0, found.length - 1);
  let losses = 0;
  let wrongRefs = 0;
  for (const row of rows) {
    const found = byKey.get(row.dedupe_key);
    if (!found) losses += 1;
    else if (row.status === "sent" && !found.some(([channel, ts]) => row.message_ref === `${channel}/${ts}`))
      wrongRefs += 1;
  }
  const byChannel = new Map<string, number[]>();
  for (const [channel, ts] of messages)
    byChannel.set(channel, [...(byChannel.get(channel) ?? []), Number(ts)]);
  let tooClose = 0;
  for (const times of byChannel.values()) {
    times.sort((a, b) => a - b);
    for (let i = 1; i < times.length; i++) if ((times[i] ?? 0) - (times[i - 1] ?? 0) < 1) tooClose += 1;
  }
  return {
    expected: rows.length,
    byKind: countBy(rows, (r) => r.kind),
    byStatus: countBy(rows, (r) => r.status),
    messages: messages.length,
    duplicates,
    losses,
    unexpected,
    wrongRefs,
    tooClose,
    retried: rows.filter((r) => r.attempts > 1).length,
    maxAttempts: Math.max(0, ...rows.map((r) => r.attempts)),
  };
}

/** Whether the run delivered everything exactly once. */
export function passed(v: Verdict): boolean {
  return (
    v.expected > 0 &&
    v.duplicates === 0 &&
    v.losses === 0 &&
    v.unexpected === 0 &&
    v.wrongRefs === 0 &&
    v.tooClose === 0 &&
    v.byStatus.sent === v.expected
  );
}
