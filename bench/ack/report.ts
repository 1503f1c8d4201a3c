import type { AckOptions, Part } from "./args.js";
import type { ScenarioResult } from "./part.js";
import {
  ackTable,
  activityLines,
  answerTable,
  budgetTable,
  correctnessLines,
  figures,
  int,
  mark,
  outcomeLines,
  profileLines,
  timeTable,
  verdicts,
} from "./report-tables.js";
import { COMMAND_TEXT, scenarioName, TEAM_SIZE } from "./scenario.js";

export { passed } from "./report-tables.js";

export interface Invocation {
  command: string;
  code: string;
  machine: string;
  postgres: string;
  options: AckOptions;
  results: ScenarioResult[];
}

/** Found by this prefix, so that a change of title keeps the hand-written analysis. */
const SECTION_PREFIX = "## `bench/ack`";
export const SECTION_TITLE = `${SECTION_PREFIX}: acknowledging slash commands, Closer vs a bare app`;
const partStart = (p: Part) => `<!-- ack:${p}:start -->`;
const partEnd = (p: Part) => `<!-- ack:${p}:end -->`;
export const ANALYSIS_START = "<!-- ack-analysis:start (kept when bench/ack rewrites its section) -->";
export const ANALYSIS_END = "<!-- ack-analysis:end -->";

const WHAT: Record<Part, (r: ScenarioResult, o: AckOptions) => string> = {
  slack: (r, o) =>
    `- What: each scenario's slash command (\`/deal log <amount> Ack Customer <n>\`, a new customer each, so each creates a deal and a customer; or \`/kpi month\`) as Slack sends it (form-encoded, signed with the signing secret, with a response_url and trigger_id from \`test/emulators/slack\`), POSTed over keep-alive HTTP connections to Closer's \`/slack/events\` (Bolt mounted on Closer's Hono server) and to the ${r.referenceName} (\`new App({ token, signingSecret, clientOptions: { slackApiUrl } })\` on Bolt's own HTTPReceiver, one listener for every command that answers in its ack with a fixed message). The Slack emulator runs in the bench process, answers \`auth.test\` and \`users.info\`, takes response_url posts (its \`onResponseUrlPost\` times each as it arrives) and has no rate limit. Users: **known**: ${o.userPool} users ${o.teams === 1 ? "of one team" : `in ${o.teams} teams`} take turns, all of whom sent commands in the warm-up; **new**: every measured request from a user Closer has never seen, of the known team(s); **new-team**: every measured request from a user never seen, ${TEAM_SIZE} to a team never seen, sent back to back. In a \`/kpi month\` scenario every other warm-up request logs a deal, so the KPIs count deals.`,
  discord: (r, o) =>
    `- What: INTERACTION_CREATE for \`/deal log amount:<amount> customer:Ack Customer <n>\` dispatched over the gateway of \`test/emulators/discord\` (in the bench process; one emulator per app, as an emulator dispatches to its newest session), ack latency from the dispatch to the interaction callback (\`POST /interactions/:id/:token/callback\`) arriving at the emulator, with Discord's 3 s deadline. A deferral (type 5) is an ack; its answer is the edit of @original. The ${r.referenceName} (discord.js 14, Guilds intent) replies with a fixed message. Each request names a new customer; ${o.userPool} users ${o.teams === 1 ? "of one guild" : `in ${o.teams} guilds`} take turns (known users only).`,
};

function renderPart(part: Part, results: readonly ScenarioResult[], inv: Invocation): string {
  const first = results[0];
  const last = results.at(-1);
  if (!first || !last) return "";
  const o = inv.options;
  const title =
    part === "slack"
      ? "### Slack: signed slash commands over HTTP, to the ack and to the answer"
      : "### Discord: `/deal log` interaction to its callback and to the answer";
  const plans = [
    ...new Set(
      results.map(
        (r) =>
          `${r.plan.concurrency} in flight: ${int(r.plan.warmup)} warm-up and ${int(r.plan.requests)} measured requests to each app in ${r.plan.rounds} round(s)`,
      ),
    ),
  ].join("; ");
  const steady = results.every((r) => r.sourcesSteady)
    ? ""
    : " (**src/ or prisma/ changed while Closer was loading in some scenarios: the code measured may mix versions**)";
  const load = results
    .map((r) => `${r.loadAverage.start.toFixed(1)}→${r.loadAverage.end.toFixed(1)}`)
    .join(", ");
  return `${partStart(part)}
${title}

- Command: \`${inv.command}\`, from ${first.startedAt.toISOString()}; code ${inv.code}; Closer: \`node bin/closer.js start\` running ${first.closerBuild}${steady}, \`LOG_LEVEL=${o.logLevel}\`, on a fresh database in each scenario: \`postgres\`, a database created on the server for the scenario and dropped after it; \`pglite\`, \`DATABASE_URL=pglite:///<a new temporary directory>\` (PGlite in Closer's process, migrated at its start), removed after it.
- Machine: ${inv.machine}; ${inv.postgres}; Closer, the ${first.referenceName}, PostgreSQL and the bench share the cores. Load average at the start → end of each scenario: ${load}.
${WHAT[part](first, o)}
- Scenarios: \`command/concurrency/database/users\`. How: a closed loop keeping the scenario's count of requests in flight (${plans}); the apps take turns (the order flips every round), the same requests in the same order to both; after each of Closer's blocks the bench waits for its late answers before the next block. **Ack**: ${part === "slack" ? "request sent → HTTP response read" : "INTERACTION_CREATE dispatched → the interaction callback at the emulator"}. **Throughput**: measured acks over the measured blocks' wall time (to the last ack); ratio = Closer ÷ bare app. **Answer delivered**: request sent → the ack when it carries the answer, else the answer's response_url post arriving at the emulator (Discord: the edit); each checked (\`/deal log\`: "Deal #n logged", no number twice in a workspace; \`/kpi month\`: the KPI title for this month and its win-rate field, both from src/messages/catalog/en.ts). Late answers are waited for ${int(o.answerWaitMs / 1000)} s at most.

#### Budget

${part === "slack" ? "The issue's budgets, each in the scenarios it applies to (blank: it does not apply)." : "The issue's budgets are Slack's; here they are applied to Discord's callback as they would be to Slack's ack."}

${budgetTable(results)}

#### Acknowledgement

${ackTable(results)}

#### Answer delivered

${answerTable(results)}

#### Correctness

${results.flatMap(correctnessLines).join("\n")}

#### Where the time goes

CPU time over the measured blocks (Closer's blocks include waiting for their late answers), per measured request: Closer's process (with PGlite, the database runs in it), the PostgreSQL backends of its connections, this process (load generator and emulator), and the three together as a share of the cores' time over Closer's blocks; the bare app's process in its blocks. SQL statements per request: every statement Closer's driver sent in its measured blocks (\`BEGIN\`/\`COMMIT\` included; counted in Closer's process by \`measure/statements-preload.js\`, loaded with \`node --import\`: pg's \`Client#query\`, PGlite's \`_runExclusiveQuery\`), over the measured requests; in brackets, the statements per second Closer sent in a second without requests after its blocks (its outbox poll and scheduler), which the figure includes. Closer's timer: \`closer_command_duration_seconds{platform="${part}"}\` over the measured blocks (the edge: identify the member, parse, run the command, render; not the HTTP side nor the request-id claim), p50 and p99 as histogram bucket bounds. Event-loop p99: prom-client's \`nodejs_eventloop_lag_p99_seconds\`, reset at each scrape (its 10 ms sampling resolution included).

${timeTable(results)}

${timeNotes(part, results).join("\n")}
${partEnd(part)}`;
}

/** The lines under the time table: outcomes, PostgreSQL connections, CPU profiles. */
function timeNotes(part: Part, results: readonly ScenarioResult[]): string[] {
  const activity = activityLines(results);
  return [
    `- Commands \`closer_commands_total{platform="${part}"}\` counted in the measured blocks, by outcome: ${outcomeLines(results).join("; ")}.`,
    ...(activity.length
      ? [
          "- Closer's PostgreSQL connections, mean count in each state over samples of `pg_stat_activity` every 20 ms during Closer's blocks (its pool holds 10):",
          ...activity.map((l) => `  ${l}`),
        ]
      : []),
    ...profileLines(results),
  ];
}

/** The console summary of one scenario. */
export function scenarioSummary(r: ScenarioResult): string {
  const f = figures(r);
  const v = verdicts(r, f);
  return [
    `${r.part} ${scenarioName(r.scenario)} (${COMMAND_TEXT[r.scenario.command].label}):`,
    ackTable([r]),
    answerTable([r]),
    ...v.map(([b, ok, why]) => `${mark(ok)} ${b.text}: ${why}`),
    ...correctnessLines(r),
    timeTable([r]),
    ...activityLines([r]),
    ...profileLines([r]),
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
  const start = previous.indexOf(SECTION_PREFIX);
  const next = start < 0 ? -1 : previous.indexOf("\n## ", start + SECTION_PREFIX.length);
  const end = next < 0 ? previous.length : next + 1;
  const old = start < 0 ? "" : previous.slice(start, end);
  const parts = (["slack", "discord"] as const).map((p) => {
    const fresh = inv.results.filter((r) => r.part === p);
    if (fresh.length) return renderPart(p, fresh, inv);
    return between(old, partStart(p), partEnd(p));
  });
  const analysis =
    between(old, ANALYSIS_START, ANALYSIS_END) ?? `${ANALYSIS_START}\n(analysis: none yet)\n${ANALYSIS_END}`;
  const section = `${SECTION_TITLE}

Generated by \`bench/ack/run.ts\` (issue 10's matrix): each part (Slack, Discord) is rewritten when it runs again, with the scenarios that ran; the hand-written analysis at the end is kept.

${parts.filter(Boolean).join("\n\n")}

${analysis}
`;
  if (!previous.trim()) return `# Benchmark results\n\n${section}`;
  if (start < 0) return `${previous.replace(/\n*$/, "\n\n")}${section}`;
  return `${previous.slice(0, start)}${section}${next < 0 ? "" : "\n"}${previous.slice(end)}`;
}
