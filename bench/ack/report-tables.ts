import { failureCounts, type Summary, summarize } from "./load.js";
import type { ScenarioResult } from "./part.js";
import type { TargetRun } from "./rounds.js";
import { BUDGETS, type Budget, P99_BUDGET_MS, scenarioName, THROUGHPUT_SHARE } from "./scenario.js";

/* The report's tables and lines, each over the scenarios given: one row or line per scenario. */

const ms = (v: number) =>
  Number.isNaN(v)
    ? "–"
    : v < 10
      ? `${v.toFixed(1)} ms`
      : v < 10_000
        ? `${v.toFixed(0)} ms`
        : `${(v / 1000).toFixed(1)} s`;
export const int = (n: number) => Math.round(n).toLocaleString("en-US");
const rate = (v: number) => `${int(v)}/s`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const pct = (v: number) => `${(v * 100).toFixed(0)}%`;
export const mark = (ok: boolean) => (ok ? "✅" : "❌");
const name = (r: ScenarioResult) => `\`${scenarioName(r.scenario)}\``;
const sum = (pairs: [string, number][]) => pairs.reduce((s, [, n]) => s + n, 0);
const kinds = (pairs: [string, number][]) => pairs.map(([why, n]) => `${int(n)} × ${why}`).join("; ");

const allFailures = (run: TargetRun) => failureCounts([run.warmup, ...run.phases]);
const measuredFailures = (run: TargetRun) => failureCounts(run.phases);

/** The database holds exactly the deals Closer said it logged, each once with a customer of its own. */
const sameDeals = (r: ScenarioResult) =>
  r.deals.deals === r.answers.logged &&
  r.deals.numbers === r.deals.deals &&
  r.deals.customers === r.deals.deals;

/** Correct when every ack and answer of both apps passed its check and the database holds each deal once. */
export function passed(r: ScenarioResult): boolean {
  const f = r.answers.failures;
  return (
    allFailures(r.closer).length === 0 &&
    allFailures(r.reference).length === 0 &&
    f.measured.length === 0 &&
    f.warmup.length === 0 &&
    sameDeals(r)
  );
}

interface Figures {
  closer: Summary;
  reference: Summary;
  share: number;
  /** Measured requests without the expected answer. */
  unanswered: number;
}

export function figures(r: ScenarioResult): Figures {
  const closer = summarize(r.closer.phases);
  const reference = summarize(r.reference.phases);
  return {
    closer,
    reference,
    share: closer.throughput / reference.throughput,
    unanswered: sum(r.answers.failures.measured),
  };
}

/** Each budget the issue sets, in the scenarios it applies to: holds or not, and the figure that says so. */
export function verdicts(r: ScenarioResult, f: Figures): [Budget, boolean, string][] {
  const s = r.scenario;
  const out: [Budget, boolean, string][] = [];
  if (BUDGETS.ackP99.applies(s))
    out.push([BUDGETS.ackP99, f.closer.p99 < P99_BUDGET_MS, `p99 ${ms(f.closer.p99)}`]);
  if (BUDGETS.throughput.applies(s))
    out.push([BUDGETS.throughput, f.share >= THROUGHPUT_SHARE, `${f.share.toFixed(2)}×`]);
  if (BUDGETS.answers.applies(s)) {
    const late = r.answers.over3s + f.unanswered;
    out.push([
      BUDGETS.answers,
      late === 0,
      late === 0
        ? `max ${ms(r.answers.max)}`
        : `${int(r.answers.over3s)} later, ${int(f.unanswered)} not as expected`,
    ]);
  }
  if (BUDGETS.acks200.applies(s)) {
    const slow = f.closer.over3s + f.closer.failed;
    out.push([
      BUDGETS.acks200,
      slow === 0,
      slow === 0
        ? `max ${ms(f.closer.max)}`
        : `${int(f.closer.over3s)} later, ${int(f.closer.failed)} failed`,
    ]);
  }
  return out;
}

export function budgetTable(results: readonly ScenarioResult[]): string {
  const budgets = Object.values(BUDGETS) as Budget[];
  const judged = results.map((r) => [r, verdicts(r, figures(r))] as const);
  const rows = judged
    .filter(([, v]) => v.length > 0)
    .map(([r, v]) => {
      const cells = budgets.map((b) => {
        const hit = v.find(([x]) => x === b);
        return hit ? `${mark(hit[1])} ${hit[2]}` : "";
      });
      return `| ${name(r)} | ${cells.join(" | ")} |`;
    });
  const none = judged.filter(([, v]) => v.length === 0).map(([r]) => name(r));
  return [
    `| scenario | ${budgets.map((b) => b.text).join(" | ")} |`,
    `|---|${budgets.map(() => "---").join("|")}|`,
    ...rows,
    ...(none.length ? ["", `No budget applies to ${none.join(", ")}.`] : []),
  ].join("\n");
}

export function ackTable(results: readonly ScenarioResult[]): string {
  const rows = results.map((r) => {
    const f = figures(r);
    const failures = measuredFailures(r.closer);
    const is404 = failures.filter(([why]) => why.startsWith("HTTP 404"));
    return `| ${name(r)} | ${int(f.closer.requests)} | ${ms(f.closer.p50)} | ${ms(f.closer.p99)} | ${ms(f.closer.max)} | ${ms(f.reference.p50)} | ${ms(f.reference.p99)} | **${rate(f.closer.throughput)}** | ${rate(f.reference.throughput)} | **${f.share.toFixed(2)}×** | ${int(f.closer.over3s)} | ${int(sum(is404))} | ${int(f.closer.failed)} |`;
  });
  return [
    "| scenario | measured | Closer p50 | Closer p99 | Closer max | bare p50 | bare p99 | Closer acks/s | bare acks/s | ratio | Closer acks > 3 s | HTTP 404 | failed acks |",
    "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ...rows,
  ].join("\n");
}

export function answerTable(results: readonly ScenarioResult[]): string {
  const rows = results.map((r) => {
    const a = r.answers;
    const f = figures(r);
    return `| ${name(r)} | ${int(a.answered)} of ${int(f.closer.requests)} | ${int(a.inAck)} | ${int(a.late)} | ${ms(a.p50)} | ${ms(a.p99)} | ${ms(a.max)} | ${a.over3s ? `**${int(a.over3s)}**` : "0"} | ${f.unanswered ? `**${int(f.unanswered)}**` : "0"} |`;
  });
  return [
    "| scenario | answered as expected | in the ack | later | p50 | p99 | max | later than 3 s | not answered as expected |",
    "|---|--:|--:|--:|--:|--:|--:|--:|--:|",
    ...rows,
  ].join("\n");
}

export function correctnessLines(r: ScenarioResult): string[] {
  const d = r.deals;
  const a = r.answers.failures;
  const acks = (run: TargetRun) => allFailures(run);
  const answerLine =
    a.measured.length + a.warmup.length === 0
      ? "every answer as expected, warm-up included"
      : `**${int(sum(a.measured))} measured and ${int(sum(a.warmup))} warm-up requests without the expected answer** (${kinds([...a.measured, ...a.warmup])})`;
  const ackLine = (run: TargetRun, who: string) =>
    acks(run).length === 0 ? `${who}: every ack as expected` : `${who}: **${kinds(acks(run))}**`;
  const logs = (who: string, l: ScenarioResult["logs"]["closer"]) =>
    `${who} ${l.warnings} warning(s), ${l.errors} error(s)${l.first ? ` (first: ${l.first})` : ""}`;
  const database =
    r.dealRequests === 0
      ? `no \`/deal log\` sent; ${int(d.workspaces)} workspace(s), ${int(d.members)} member(s)`
      : `${int(d.deals)} deals with ${int(d.numbers)} distinct numbers (per workspace), ${int(d.customers)} customers, ${int(d.reminders)} follow-up reminders, ${int(d.workspaces)} workspace(s), ${int(d.members)} member(s), for ${int(r.answers.logged)} answers "Deal #n logged" to ${int(r.dealRequests)} \`/deal log\` requests: ${sameDeals(r) ? "**each answered deal once, nothing else**" : `**${int(d.deals - r.answers.logged)} deal(s) saved whose user was never told so**`}`;
  return [
    `- ${name(r)}: answers: ${answerLine}. Acks: ${ackLine(r.closer, "Closer")}; ${ackLine(r.reference, r.referenceName)}. Database: ${database}. ${r.notes.join("; ")}. Logs (warn and above): ${logs("Closer", r.logs.closer)}; ${logs(r.referenceName, r.logs.reference)}; exit codes on SIGTERM ${r.exitCodes.closer}, ${r.exitCodes.reference}.`,
  ];
}

const measuredCount = (run: TargetRun) => run.phases.reduce((s, p) => s + p.latencies.length, 0);

export function timeTable(results: readonly ScenarioResult[]): string {
  const rows = results.map((r) => {
    const per = (run: TargetRun, v: number) => ms(v / measuredCount(run));
    const c = r.closer.cpu;
    const st = r.inside.statements;
    const statements = st
      ? `${(st.measured / measuredCount(r.closer)).toFixed(1)}${st.idleMs > 0 ? ` (idle ${((st.idle / st.idleMs) * 1000).toFixed(1)}/s)` : ""}`
      : "–";
    const t = r.inside.times;
    const lag = r.inside.eventLoop.map((l) => ms(l.p99Ms)).join(", ");
    const postgres = r.scenario.backend === "postgres" ? per(r.closer, c.postgres) : "(in Closer)";
    return `| ${name(r)} | ${per(r.closer, c.target)} | ${postgres} | ${per(r.closer, c.bench)} | ${pct((c.target + c.postgres + c.bench) / r.closer.blockMs / r.cores)} | ${per(r.reference, r.reference.cpu.target)} | ${statements} | ${ms(t.meanMs)}, ≤ ${ms(t.p50AtMostMs)}, ≤ ${ms(t.p99AtMostMs)} | ${lag} | ${mb(r.peakRss.closer)} / ${mb(r.peakRss.reference)} |`;
  });
  return [
    "| scenario | CPU per request: Closer | PostgreSQL | bench | share of the cores (the three) | bare app's CPU per request | SQL statements per request | Closer's timer: mean, p50, p99 | event-loop p99 per block | peak RSS Closer / bare |",
    "|---|--:|--:|--:|--:|--:|--:|---|---|---|",
    ...rows,
  ].join("\n");
}

export function activityLines(results: readonly ScenarioResult[]): string[] {
  return results.flatMap((r) => {
    const a = r.inside.activity;
    if (!a) return [];
    const states = Object.entries(a.means)
      .map(([k, v]) => `${k} ${v.toFixed(1)}`)
      .join(" · ");
    const locks = Object.entries(a.lockEvents)
      .sort((x, y) => y[1] - x[1])
      .map(([k, v]) => `${k} ${pct(v)}`)
      .join(", ");
    return [
      `- ${name(r)} (${int(a.samples)} samples): ${states}${locks ? `; lock waits on: ${locks}` : ""}.`,
    ];
  });
}

export function outcomeLines(results: readonly ScenarioResult[]): string[] {
  return results.map((r) => {
    const outcomes = Object.entries(r.inside.times.outcomes)
      .map(([k, v]) => `${k} ${int(v)}`)
      .join(", ");
    return `${name(r)} ${int(r.inside.times.count)} (${outcomes || "none"})`;
  });
}

export function profileLines(results: readonly ScenarioResult[]): string[] {
  return results.flatMap((r) => {
    if (!r.profile) return [];
    const top = r.profile.shares
      .slice(0, 10)
      .map(([c, share]) => `${c} ${pct(share)}`)
      .join(", ");
    return [
      `- ${name(r)}: Closer's main thread in the measured blocks, from its V8 CPU profile (\`--cpu-prof\`): busy ${int(r.profile.busyMs)} ms, ${ms(r.profile.busyMs / measuredCount(r.closer))} per request; ${top}.`,
    ];
  });
}
