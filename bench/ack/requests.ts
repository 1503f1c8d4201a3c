import { en } from "../../src/messages/catalog/en.js";
import { nearestRank } from "../support/percentiles.js";
import type { Check } from "./load.js";
import { type CommandName, type Scenario, THREE_SECONDS_MS } from "./scenario.js";

/** Request i's deal: a customer of its own (so each request creates a deal and a customer), amounts varying. */
export function dealRequest(i: number): { amount: string; customer: string } {
  return { amount: `${(i % 90) + 10}k`, customer: `Ack Customer ${String(i + 1).padStart(6, "0")}` };
}

/**
 * What request i asks: the scenario's command, except that in a `/kpi month` warm-up every other
 * request logs a deal, so that the KPIs the measured requests compute have deals to count.
 */
export function requestKind(s: Scenario, i: number, warmup: number): CommandName {
  return s.command === "kpi-month" && i < warmup && i % 2 === 0 ? "deal-log" : s.command;
}

/** Request i as a Slack slash command: the command and the text after it. */
export function slashCommand(kind: CommandName, i: number): { command: string; text: string } {
  if (kind === "kpi-month") return { command: "/kpi", text: "month" };
  const { amount, customer } = dealRequest(i);
  return { command: "/deal", text: `log ${amount} ${customer}` };
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** "Deal #n logged", from the catalog, so a change of wording there does not break the check. */
const LOGGED = new RegExp(en["deal.logged"].split("{number}").map(escapeRegExp).join("(\\d+)"));
/** A KPI answer: its title for this month ("KPIs · This month · …") and its win-rate field. */
const KPI_TITLE = new RegExp(
  `^${escapeRegExp(en["kpi.title"].split("{who}")[0]?.replace("{period}", en["period.month"]) ?? "")}`,
  "m",
);
const KPI_FIELD = `${en["kpi.win_rate"]}:`;

/** Arrived answers are checked with the text Slack shows (the message's `text`), or Discord's embeds. */
export interface Arrival {
  shown: string;
  /** From sending the request to the answer's arrival. */
  ms: number;
}

/** One line, short, for counting failures by kind. */
const firstLine = (s: string) => s.split("\n")[0]?.slice(0, 80) || "(empty)";

/**
 * Closer's answers, in the ack or later (Slack's response_url, Discord's edited deferral): each
 * `/deal log` must say "Deal #n logged", no n twice in one workspace (numbers are per workspace,
 * named here by the team or guild id, `scope`); each `/kpi month` must be a KPI answer. Requests
 * from `measuredFrom` on are measured: their delivery times are kept.
 */
export function createAnswerBook(measuredFrom: number) {
  const seen = new Set<string>();
  const pending: Promise<void>[] = [];
  const delivered: number[] = [];
  const failures = { warmup: new Map<string, number>(), measured: new Map<string, number>() };
  let inAck = 0;
  let late = 0;

  const fail = (i: number, reason: string) => {
    const map = i < measuredFrom ? failures.warmup : failures.measured;
    map.set(reason, (map.get(reason) ?? 0) + 1);
  };
  const check = (kind: CommandName, scope: string, shown: string): Check => {
    if (kind === "kpi-month")
      return KPI_TITLE.test(shown) && shown.includes(KPI_FIELD)
        ? { ok: true }
        : { ok: false, reason: `not a KPI answer: ${firstLine(shown)}` };
    const n = LOGGED.exec(shown)?.[1];
    if (n === undefined)
      return { ok: false, reason: `no "Deal #n logged" in the answer: ${firstLine(shown)}` };
    const key = `${scope}#${n}`;
    if (seen.has(key)) return { ok: false, reason: "a deal number answered twice" };
    seen.add(key);
    return { ok: true };
  };
  const record = (i: number, kind: CommandName, scope: string, arrival: Arrival, how: "ack" | "late") => {
    const result = check(kind, scope, arrival.shown);
    if (!result.ok) return fail(i, result.reason);
    if (i < measuredFrom) return;
    delivered.push(arrival.ms);
    if (how === "ack") inAck += 1;
    else late += 1;
  };

  return {
    /** The answer came in the acknowledgement itself. */
    inAck(i: number, kind: CommandName, scope: string, arrival: Arrival): void {
      record(i, kind, scope, arrival, "ack");
    },
    /** The answer is still to come; its wait is not part of the ack's latency. */
    later(i: number, kind: CommandName, scope: string, arrival: Promise<Arrival>): void {
      pending.push(
        arrival.then(
          (a) => record(i, kind, scope, a, "late"),
          (error: unknown) => fail(i, error instanceof Error ? error.message : String(error)),
        ),
      );
    },
    /** No answer will come (the ack failed and nothing followed). */
    lost(i: number, reason: string): void {
      fail(i, reason);
    },
    /** Resolves once every late answer so far has arrived or timed out. */
    async settle(): Promise<void> {
      while (pending.length) await Promise.all(pending.splice(0));
    },
    /** Answers that said a deal was logged (each a distinct number), in time or late, warm-up included. */
    logged: () => seen.size,
    summary(): AnswerSummary {
      const sorted = [...delivered].sort((a, b) => a - b);
      const count = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
      return {
        answered: sorted.length,
        inAck,
        late,
        p50: nearestRank(sorted, 0.5),
        p99: nearestRank(sorted, 0.99),
        max: sorted.at(-1) ?? Number.NaN,
        over3s: sorted.filter((ms) => ms > THREE_SECONDS_MS).length,
        failures: { measured: count(failures.measured), warmup: count(failures.warmup) },
        logged: seen.size,
      };
    },
  };
}

export type AnswerBook = ReturnType<typeof createAnswerBook>;

/** The measured requests' answers: how they came, how long until they were there, what went wrong. */
export interface AnswerSummary {
  /** Measured requests answered as expected. */
  answered: number;
  /** Of those, answered in the ack / later. */
  inAck: number;
  late: number;
  /** Request sent → answer there, over the measured requests answered as expected (nearest rank). */
  p50: number;
  p99: number;
  max: number;
  /** Answers there later than 3 s after the request. */
  over3s: number;
  /** Requests without the expected answer, by kind, most frequent first. */
  failures: { measured: [string, number][]; warmup: [string, number][] };
  /** Answers "Deal #n logged" (distinct numbers), warm-up included. */
  logged: number;
}
