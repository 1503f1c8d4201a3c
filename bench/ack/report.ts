import type { AckOptions, Part } from "./args.js";
import { failureCounts, type Summary, summarize } from "./load.js";
import type { PartResult } from "./part.js";
import type { TargetRun } from "./rounds.js";

/** The budget (docs/architecture.md §7): ack p99 under 100 ms, and at least half the bare app's throughput. */
export const P99_BUDGET_MS = 100;
export const THROUGHPUT_SHARE = 0.5;

export interface Invocation {
  command: string;
  code: string;
  machine: string;
  postgres: string;
  options: AckOptions;
  results: PartResult[];
}

export const SECTION_TITLE = "## `bench/ack`: acknowledging `/deal log`, Closer vs a bare app";
const partStart = (p: Part) => `<!-- ack:${p}:start -->`;
const partEnd = (p: Part) => `<!-- ack:${p}:end -->`;
export const ANALYSIS_START = "<!-- ack-analysis:start (kept when bench/ack rewrites its section) -->";
export const ANALYSIS_END = "<!-- ack-analysis:end -->";

const ms = (v: number) => (v < 10 ? `${v.toFixed(1)} ms` : `${v.toFixed(0)} ms`);
const int = (n: number) => Math.round(n).toLocaleString("en-US");
const rate = (v: number) => `${int(v)}/s`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const pct = (v: number) => `${(v * 100).toFixed(0)}%`;

function allFailures(run: TargetRun) {
  return failureCounts([run.warmup, ...run.phases]);
}

/** The database holds exactly the deals Closer said it logged, each once with a customer of its own. */
const sameDeals = (r: PartResult) =>
  r.deals.deals === r.loggedDeals && r.deals.numbers === r.deals.deals && r.deals.customers === r.deals.deals;

/** Correct when every answer of both apps passed its check and the database holds each deal once. */
export function passed(r: PartResult): boolean {
  return allFailures(r.closer).length === 0 && allFailures(r.reference).length === 0 && sameDeals(r);
}

function verdicts(r: PartResult, closer: Summary, reference: Summary) {
  const share = closer.throughput / reference.throughput;
  return {
    p99: closer.p99 < P99_BUDGET_MS,
    throughput: share >= THROUGHPUT_SHARE,
    share,
    budget: r.part === "slack" ? "the budget" : "the Slack budget, applied to Discord",
  };
}

function budgetLines(r: PartResult, closer: Summary, reference: Summary): string[] {
  const v = verdicts(r, closer, reference);
  const word = (ok: boolean) => (ok ? "**holds**" : "**misses**");
  return [
    `- p99 < ${P99_BUDGET_MS} ms (${v.budget}): ${word(v.p99)} (Closer p99 ${ms(closer.p99)}; the ${r.referenceName}'s ${ms(reference.p99)})`,
    `- throughput at least half of the ${r.referenceName}'s: ${word(v.throughput)} (Closer ${rate(closer.throughput)}, ${pct(v.share)} of ${rate(reference.throughput)})`,
  ];
}

function latencyTable(r: PartResult, closer: Summary, reference: Summary): string {
  const row = (name: string, s: Summary) =>
    `| ${name} | ${int(s.requests)} | ${int(s.failed)} | ${ms(s.p50)} | ${ms(s.p90)} | ${ms(s.p99)} | ${ms(s.max)} | **${rate(s.throughput)}** | ${s.phaseThroughputs.map(rate).join(", ")} |`;
  return [
    "| | measured requests | failed | p50 | p90 | p99 | max | throughput | per round |",
    "|---|--:|--:|--:|--:|--:|--:|--:|---|",
    row("Closer", closer),
    row(r.referenceName, reference),
  ].join("\n");
}

function cpuTable(r: PartResult): string {
  const wall = (run: TargetRun) => run.phases.reduce((s, p) => s + p.wallMs, 0);
  const n = (run: TargetRun) => run.phases.reduce((s, p) => s + p.latencies.length, 0);
  const perRequest = (run: TargetRun, v: number) => ms(v / n(run));
  const busy = (run: TargetRun) =>
    pct((run.cpu.target + run.cpu.postgres + run.cpu.bench) / wall(run) / r.cores);
  const rows: [string, (run: TargetRun) => string][] = [
    ["CPU per request: the app's process", (run) => perRequest(run, run.cpu.target)],
    [
      "CPU per request: PostgreSQL (the backends of the app's connections)",
      (run) => perRequest(run, run.cpu.postgres),
    ],
    ["CPU per request: this process (load generator, emulator)", (run) => perRequest(run, run.cpu.bench)],
    [`the three together, share of the ${r.cores} cores' time`, busy],
  ];
  return [
    `| measured blocks | Closer | ${r.referenceName} |`,
    "|---|--:|--:|",
    ...rows.map(([label, f]) => `| ${label} | ${f(r.closer)} | ${f(r.reference)} |`),
    `| peak RSS of the app's process | ${mb(r.peakRss.closer)} | ${mb(r.peakRss.reference)} |`,
  ].join("\n");
}

function profileLine(r: PartResult): string[] {
  if (!r.profile) return [];
  const n = r.closer.phases.reduce((s, p) => s + p.latencies.length, 0);
  const top = r.profile.shares
    .slice(0, 10)
    .map(([c, share]) => `${c} ${pct(share)}`)
    .join(", ");
  return [
    `- Closer's main thread in the measured blocks, from its V8 CPU profile (\`--cpu-prof\`): busy ${int(r.profile.busyMs)} ms, ${ms(r.profile.busyMs / n)} per request; ${top}.`,
  ];
}

function insideLines(r: PartResult): string[] {
  const t = r.inside.times;
  const outcomes = Object.entries(t.outcomes)
    .map(([k, v]) => `${k} ${int(v)}`)
    .join(", ");
  const lag = r.inside.eventLoop;
  const a = r.inside.activity;
  const states = Object.entries(a.means)
    .map(([k, v]) => `${k} ${v.toFixed(1)}`)
    .join(" · ");
  const locks = Object.entries(a.lockEvents)
    .sort((x, y) => y[1] - x[1])
    .map(([k, v]) => `${k} ${pct(v)}`)
    .join(", ");
  return [
    `- Closer's own timer, \`closer_command_duration_seconds{platform="${r.part}",command="deal log"}\` over the measured blocks (the edge: identify the member, parse, run the command, render; not the HTTP/gateway side nor the request-id claim): ${int(t.count)} commands, mean ${ms(t.meanMs)}, p50 ≤ ${ms(t.p50AtMostMs)}, p99 ≤ ${ms(t.p99AtMostMs)} (histogram bucket bounds); outcomes: ${outcomes || "none"}.`,
    `- Closer's event-loop delay in each measured block (prom-client's \`nodejs_eventloop_lag_*\`, reset at each scrape; its 10 ms sampling resolution is included, so an idle loop reads about 10 ms): mean ${lag.map((l) => ms(l.meanMs)).join(", ")}; p99 ${lag.map((l) => ms(l.p99Ms)).join(", ")}; max ${lag.map((l) => ms(l.maxMs)).join(", ")}.`,
    ...profileLine(r),
    `- Closer's PostgreSQL connections, mean count in each state over ${int(a.samples)} samples of \`pg_stat_activity\` (every 20 ms during Closer's blocks; its pool holds 10): ${states}${locks ? `; lock waits on: ${locks}` : ""}.`,
  ];
}

const warmupFailures = (run: TargetRun) => [...run.warmup.failures.values()].reduce((a, b) => a + b, 0);

function correctnessLines(r: PartResult): string[] {
  const d = r.deals;
  const failures = (run: TargetRun, name: string) => {
    const f = allFailures(run);
    return f.length === 0
      ? `${name}: every answer as expected (warm-up included)`
      : `${name}: **${int(f.reduce((s, [, n]) => s + n, 0))} failed**, ${int(warmupFailures(run))} of them in the warm-up (${f.map(([why, n]) => `${int(n)} × ${why}`).join("; ")})`;
  };
  const logs = (name: string, l: PartResult["logs"]["closer"]) =>
    `${name} ${l.warnings} warning(s), ${l.errors} error(s)${l.first ? ` (first: ${l.first})` : ""}`;
  return [
    `- Answers: ${failures(r.closer, 'Closer ("Deal #n logged", no number twice)')}; ${failures(r.reference, `${r.referenceName}`)}.`,
    `- Database after the run: ${int(d.deals)} deals with ${int(d.numbers)} distinct numbers (per workspace) and ${int(d.customers)} customers, ${int(d.reminders)} follow-up reminders, for ${int(r.loggedDeals)} answers "Deal #n logged" (in the ack or later) to ${int(r.sent)} \`/deal log\` requests: ${sameDeals(r) ? "**each answered deal once, nothing else**" : `**${int(d.deals - r.loggedDeals)} deal(s) saved whose user was never told so**`}.`,
    `- ${r.notes.join("; ")}.`,
    `- Logs (warn and above): ${logs("Closer", r.logs.closer)}; ${logs(r.referenceName, r.logs.reference)}. Exit codes on SIGTERM: Closer ${r.exitCodes.closer}, ${r.referenceName} ${r.exitCodes.reference}.`,
  ];
}

const who = (o: AckOptions, team: string) =>
  `${o.users} users ${o.teams === 1 ? `of one ${team}` : `in each of ${o.teams} ${team}s (Closer workspaces)`} take turns`;

const WHAT: Record<Part, (r: PartResult, o: AckOptions) => string> = {
  slack: (r, o) =>
    `- What: \`/deal log <amount> Ack Customer <n>\` as Slack sends it (form-encoded, signed with the signing secret, with a response_url and trigger_id from \`test/emulators/slack\`), POSTed over keep-alive HTTP connections to Closer's \`/slack/events\` (Bolt 5.1 mounted on Closer's Hono server) and to the ${r.referenceName} (\`new App({ token, signingSecret, clientOptions: { slackApiUrl } })\` on Bolt's own HTTPReceiver, one \`/deal\` listener that only calls \`ack()\`). Latency: request sent → HTTP response read; each body is signed as it is sent. Each request names a new customer, so each creates a deal and a customer; ${who(o, "Slack team")}. The Slack emulator runs in the bench process and answers \`auth.test\` and \`users.info\`; no rate limit is configured (acknowledging posts nothing).`,
  discord: (r, o) =>
    `- What: INTERACTION_CREATE for \`/deal log amount:<amount> customer:Ack Customer <n>\` dispatched over the gateway of \`test/emulators/discord\` (in the bench process; one emulator per app, as an emulator dispatches to its newest session), latency from the dispatch to the interaction callback (\`POST /interactions/:id/:token/callback\`) arriving at the emulator, with Discord's 3 s deadline. Closer replies in the callback when its answer is ready within 2 s, else defers. The ${r.referenceName} (discord.js 14, Guilds intent) replies with a fixed message. Each request names a new customer; ${who(o, "guild")}.`,
};

function renderPart(r: PartResult, inv: Invocation): string {
  const closer = summarize(r.closer.phases);
  const reference = summarize(r.reference.phases);
  const o = inv.options;
  const title =
    r.part === "slack"
      ? "### Slack: signed `/deal log` over HTTP to its ack"
      : "### Discord: `/deal log` interaction to its callback";
  return `${partStart(r.part)}
${title}

- Command: \`${inv.command}\`, on ${r.startedAt.toISOString()}; code ${inv.code}; Closer: \`node bin/closer.js start\` running ${r.closerBuild}${r.sourcesSteady ? "" : " (**src/ or prisma/ changed while Closer was loading: the code measured may mix versions**)"}, \`DATABASE_URL\` a PostgreSQL database made for the run and dropped after it, \`LOG_LEVEL=${o.logLevel}\`.
- Machine: ${inv.machine}; ${inv.postgres}; Closer, the ${r.referenceName}, PostgreSQL and the bench share the cores. Load average ${r.loadAverage.start.toFixed(2)} at the start, ${r.loadAverage.end.toFixed(2)} at the end.
${WHAT[r.part](r, o)}
- How: a closed loop keeping ${o.concurrency} requests in flight. ${int(o.warmup)} warm-up requests to each app, then ${int(o.requests)} measured requests to each in ${o.rounds} rounds, the apps taking turns (the order flips every round), the same requests in the same order for both. Throughput: measured requests over the measured blocks' wall time.

#### Budget

${budgetLines(r, closer, reference).join("\n")}

${latencyTable(r, closer, reference)}

#### Correctness

${correctnessLines(r).join("\n")}

#### Where the time goes

${cpuTable(r)}

${insideLines(r).join("\n")}
${partEnd(r.part)}`;
}

/** The console summary of one part. */
export function partSummary(r: PartResult): string {
  const closer = summarize(r.closer.phases);
  const reference = summarize(r.reference.phases);
  return [
    `${r.part}: ${latencyTable(r, closer, reference)}`,
    ...budgetLines(r, closer, reference),
    ...correctnessLines(r),
    cpuTable(r),
    ...insideLines(r),
  ].join("\n");
}

function between(text: string, start: string, end: string): string | undefined {
  const from = text.indexOf(start);
  const to = text.indexOf(end, from);
  return from < 0 || to < 0 ? undefined : text.slice(from, to + end.length);
}

/**
 * RESULTS.md with this section's parts that ran replaced (the others, and the hand-written
 * analysis, kept as they were); the section is added at the end the first time. Other sections
 * are left as they are.
 */
export function withAckSection(previous: string, inv: Invocation): string {
  const start = previous.indexOf(SECTION_TITLE);
  const next = start < 0 ? -1 : previous.indexOf("\n## ", start + SECTION_TITLE.length);
  const end = next < 0 ? previous.length : next + 1;
  const old = start < 0 ? "" : previous.slice(start, end);
  const parts = (["slack", "discord"] as const).map((p) => {
    const fresh = inv.results.find((r) => r.part === p);
    if (fresh) return renderPart(fresh, inv);
    return between(old, partStart(p), partEnd(p));
  });
  const analysis =
    between(old, ANALYSIS_START, ANALYSIS_END) ?? `${ANALYSIS_START}\n(analysis: none yet)\n${ANALYSIS_END}`;
  const section = `${SECTION_TITLE}

Generated by \`bench/ack/run.ts\`: each part (Slack, Discord) is rewritten when it runs again; the hand-written analysis at the end is kept.

${parts.filter(Boolean).join("\n\n")}

${analysis}
`;
  if (!previous.trim()) return `# Benchmark results\n\n${section}`;
  if (start < 0) return `${previous.replace(/\n*$/, "\n\n")}${section}`;
  return `${previous.slice(0, start)}${section}${next < 0 ? "" : "\n"}${previous.slice(end)}`;
}
