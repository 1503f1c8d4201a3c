import type { Check } from "./load.js";

/** Request i's deal: a customer of its own (so each request creates a deal and a customer), amounts varying. */
export function dealRequest(i: number): { amount: string; customer: string } {
  return { amount: `${(i % 90) + 10}k`, customer: `Ack Customer ${String(i + 1).padStart(6, "0")}` };
}

const LOGGED = /Deal #(\d+) logged/;

/**
 * Checks Closer's answers to `/deal log`: each must say "Deal #n logged", and no n twice in one
 * workspace (two answers with one number would be one deal reported twice, or two deals numbered
 * alike; numbers are per workspace, named here by the team or guild id, `scope`). An
 * answer that comes late (Slack's response_url, Discord's edited deferral) is checked the same way
 * once it arrives, outside the timed request; `settle` waits for those.
 */
export function createDealCheck() {
  const seen = new Set<string>();
  const pending: Promise<void>[] = [];
  const late = { answered: 0, failures: new Map<string, number>() };
  const check = (scope: string, shown: string): Check => {
    const n = Number(LOGGED.exec(shown)?.[1] ?? Number.NaN);
    if (Number.isNaN(n)) {
      const first = shown.split("\n")[0]?.slice(0, 80) ?? "";
      return { ok: false, reason: `no "Deal #n logged" in the answer: ${first || "(empty)"}` };
    }
    const key = `${scope}#${n}`;
    if (seen.has(key)) return { ok: false, reason: "a deal number answered twice" };
    seen.add(key);
    return { ok: true };
  };
  const lateFailure = (reason: string): void => {
    late.failures.set(reason, (late.failures.get(reason) ?? 0) + 1);
  };
  return {
    check,
    /** Checks an answer still to come; its wait is not part of any latency. */
    later(scope: string, answer: Promise<string>): void {
      pending.push(
        answer.then(
          (shown) => {
            const result = check(scope, shown);
            if (result.ok) late.answered += 1;
            else lateFailure(result.reason);
          },
          (error: unknown) =>
            lateFailure(error instanceof Error ? (error.message.split(" (")[0] ?? "") : String(error)),
        ),
      );
    },
    /** Resolves once every late answer has arrived or timed out. */
    settle: () => Promise.all(pending).then(() => undefined),
    /** Answers that said a deal was logged (each a distinct number), in time or late. */
    logged: () => seen.size,
    late: () => ({ answered: late.answered, failed: [...late.failures] }),
  };
}
