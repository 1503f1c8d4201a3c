import type { FanoutOptions } from "./args.js";
import type { RunResult } from "./fanout.js";
import { passed } from "./verify.js";

export const SECTION_TITLE = "## Fan-out: 2,000 digests due the same minute";
const ROWS_START = "<!-- fanout:runs -->";
const ROWS_END = "<!-- /fanout:runs -->";
/** Rows kept in the runs table: the newest ones. */
const KEEP_ROWS = 12;

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryBytes: number;
  node: string;
  os: string;
  postgres: string;
}

export interface Invocation {
  startedAt: Date;
  command: string;
  options: FanoutOptions;
  machine: Machine;
  /** The commit the run used, with `+` when src/ had uncommitted changes. */
  code: string;
  /** 1-minute load average at the start of each run. */
  loadAverages: number[];
  runs: (RunResult | { error: string })[];
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const int = (n: number) => n.toLocaleString("en-US");
const kinds = (r: RunResult) =>
  Object.entries(r.verdict.byKind)
    .map(([k, n]) => `${int(n)} ${k}`)
    .join(" + ");

function cronLines(run: RunResult): [string, string][] {
  const c = run.cron;
  if (!c) return [];
  return [
    ["node-cron tasks set / firing at the due minute", `${int(c.tasks)} / ${int(c.dueTasks)}`],
    ["cron tick: all due tasks at once", `${secs(c.tickMs)}, queued ${int(c.tickQueued)}`],
    [
      "workspaces whose run failed in the tick",
      `${int(c.failures)}${c.firstFailure ? ` (${c.firstFailure.slice(0, 120)})` : ""}`,
    ],
    ["catch-up sweep (closer start: next */5)", `${secs(c.catchUpMs)}, queued ${int(c.catchUpQueued)}`],
  ];
}

/** The queue cell: the sweep's time, or the tick's and the catch-up's with what the tick left. */
function queueCell(run: RunResult): string {
  const c = run.cron;
  if (!c) return secs(run.queueMs);
  return `tick ${secs(c.tickMs)} (queued ${int(c.tickQueued)}, ${int(c.failures)} workspaces failed) + catch-up sweep ${secs(c.catchUpMs)}`;
}

/** The console summary of one run: one figure a line. */
export function summaryTable(run: RunResult): string {
  const v = run.verdict;
  const rows: [string, string][] = [
    ["workspaces", int(run.workspaces)],
    ["bulk load (migrate + SQL)", secs(run.loadMs)],
    ["notifications queued", `${int(run.queued)} (${kinds(run)})`],
    ...cronLines(run),
    [run.cron ? "queue time (tick + catch-up sweep)" : "queue time (scheduler.sweep)", secs(run.queueMs)],
    ["delivery time (queued → last sent)", secs(run.deliveryMs)],
    ["total (due → last sent)", secs(run.totalMs)],
    [
      "sent after due: first / p50 / p95 / last",
      [run.sentAfterMs.first, run.sentAfterMs.p50, run.sentAfterMs.p95, run.sentAfterMs.last]
        .map(secs)
        .join(" / "),
    ],
    ["delivery rate", `${((v.messages / run.deliveryMs) * 1000).toFixed(0)} messages/s`],
    ["messages stored by the emulator", int(v.messages)],
    ["HTTP 429 answered", int(run.rateLimited)],
    ["rows with attempts > 1 / most attempts", `${int(v.retried)} / ${v.maxAttempts}`],
    [
      "Web API calls",
      Object.entries(run.callsByMethod)
        .map(([m, n]) => `${m} ${int(n)}`)
        .join(", "),
    ],
    ["duplicates (must be 0)", int(v.duplicates)],
    ["losses (must be 0)", int(v.losses)],
    ["unexpected messages / wrong refs / <1 s apart", `${v.unexpected} / ${v.wrongRefs} / ${v.tooClose}`],
    [
      "outbox status",
      Object.entries(v.byStatus)
        .map(([s, n]) => `${s} ${int(n)}`)
        .join(", "),
    ],
    ["app peak RSS (queueing + delivery)", mb(run.appRssBytes)],
    ["emulator process peak RSS", mb(run.emulatorRssBytes)],
    [
      "CPU: app queueing / app delivering / emulator",
      `${secs(run.cpuMs.queue)} / ${secs(run.cpuMs.delivery)} / ${secs(run.cpuMs.emulator)}`,
    ],
    [
      "app log: warnings / errors",
      `${run.warnings} / ${run.errors}${run.firstError ? ` (${run.firstError})` : ""}`,
    ],
    ["verdict", passed(v) ? "all delivered, none twice" : "FAILED"],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, value]) => `${k.padEnd(width)}  ${value}`).join("\n");
}

function runRow(inv: Invocation, run: RunResult | { error: string }, i: number): string {
  const when = inv.startedAt.toISOString().slice(0, 16).replace("T", " ");
  const load = (inv.loadAverages[i] ?? 0).toFixed(2);
  const command = `\`${inv.command}\`${inv.runs.length > 1 ? ` (run ${i + 1})` : ""}`;
  if ("error" in run) return `| ${when} | ${command} | failed: ${run.error.replaceAll("|", "\\|")} |`;
  const v = run.verdict;
  const unsent = v.expected - (v.byStatus.sent ?? 0);
  return [
    when,
    command,
    int(run.workspaces),
    `${int(v.expected)} (${kinds(run)})`,
    queueCell(run),
    secs(run.deliveryMs),
    `**${secs(run.totalMs)}**`,
    `${secs(run.sentAfterMs.p50)} / ${secs(run.sentAfterMs.p95)}`,
    int(run.rateLimited),
    `**${v.duplicates}**`,
    `**${v.losses}**`,
    String(unsent),
    mb(run.appRssBytes),
    load,
    inv.code,
  ]
    .join(" | ")
    .replace(/^/, "| ")
    .concat(" |");
}

function header(inv: Invocation): string {
  const m = inv.machine;
  const o = inv.options;
  return `Generated by \`bench/fanout/run.ts\`; each run adds a row to the table below (the newest ${KEEP_ROWS} are kept), text after the table is kept.

- What: a fresh PostgreSQL database (\`closer_bench_fanout_*\`, dropped after the run) with N Slack workspaces bulk-loaded by SQL, spread over Europe/Paris 09:00, America/New_York 03:00, UTC 08:00 and Asia/Kolkata 13:30, so every digest is due at **${"2026-11-23T08:00Z"}** (a Monday). Each workspace has its own digest channel \`C<i>\`, a manager \`U<i>\` and a rep \`UR<i>\`, 3 customers, 7 deals (2 won on Friday, 1 won and 1 lost earlier in the month, 3 open of which the rep's and the manager's oldest are stalled) and monthly goals. The sweep queues per workspace the channel digest and the manager's DM digest, and (unless \`--digest-only\`) the morning reminders: the rep's and the manager's, the latter in the **same DM channel** as the manager's digest, so 2,000 channels need two messages a second apart.
- How: a clock that reads 08:00:00 when the queueing starts and then runs with real time; the app (scheduler, dispatcher, Slack port) in one Node process. By default (\`--via sweep\`) \`createScheduler(…).sweep()\` once, ${o.sweepConcurrency} workspaces at a time (\`--sweep-concurrency\`): the scheduler's catch-up path. With \`--via cron\`, what \`closer start\` does at the due minute: a sweep a minute early sets one node-cron task per workspace (a recording \`Cron\` seam stands in for node-cron), then every task that fires at 08:00 is run at once, as node-cron does, and a catch-up sweep queues what that tick did not (in \`closer start\` the next \`*/5\` sweep, up to 5 minutes later; here at once). Then \`createDispatcher({ batchSize: ${o.batchSize}, concurrency: ${o.concurrency} })\` with the real \`createSlackPort\` (one bot token, \`@slack/web-api\`) until the outbox has nothing pending. Times come from the outbox's \`sent_at\` on that clock: **queue** = 08:00 until everything is queued, **delivery** = from then to the last \`sent_at\`, **total** = 08:00 to the last \`sent_at\`; p50 / p95 = when half / 95% of the messages had gone, after 08:00. App peak RSS is sampled while queueing and delivering.
- Slack: \`test/emulators/slack\` in its own process, enforcing **1 message per second per channel** and answering **${(o.randomRateLimit * 100).toFixed(0)}% of chat.postMessage calls with a random 429** (seed 1, Retry-After 1 s); those messages are not stored. Duplicates = messages beyond the first per dedupe key (from the message metadata); losses = outbox keys with no message; "unsent" = outbox rows not \`sent\`; code = the commit, \`+\` when src/ had uncommitted changes.
- Machine: ${m.cpus} CPUs (${m.cpuModel}), ${mb(m.memoryBytes)} RAM, ${m.os}; Node ${m.node}; ${m.postgres}; the app, the emulator and PostgreSQL share the ${m.cpus} cores.
- Budget (docs/architecture.md §7): digests for 2,000 workspaces due at the same minute, emulator enforcing Slack limits: **all delivered, none twice**.`;
}

const TABLE_HEAD = `| when (UTC) | command | workspaces | notifications | queue | delivery | total | sent p50 / p95 | 429s | duplicates | losses | unsent | app peak RSS | load avg | code |
|---|---|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|`;

/** RESULTS.md with this invocation's rows added to the fan-out section (made at the end if missing). */
export function withFanoutSection(previous: string, inv: Invocation): string {
  const start = previous.indexOf(SECTION_TITLE);
  const nextSection = start < 0 ? -1 : previous.indexOf("\n## ", start + SECTION_TITLE.length);
  const end = nextSection < 0 ? previous.length : nextSection + 1;
  const section = start < 0 ? "" : previous.slice(start, end);
  const rowsFrom = section.indexOf(ROWS_START);
  const rowsTo = section.indexOf(ROWS_END);
  const kept =
    rowsFrom >= 0 && rowsTo > rowsFrom
      ? section
          .slice(rowsFrom + ROWS_START.length, rowsTo)
          .split("\n")
          .filter((l) => l.startsWith("| ") && !l.startsWith("| when"))
      : [];
  const after = rowsTo >= 0 ? section.slice(rowsTo + ROWS_END.length) : "\n";
  const rows = [...kept, ...inv.runs.map((r, i) => runRow(inv, r, i))].slice(-KEEP_ROWS);
  const rendered = `${SECTION_TITLE}\n\n${header(inv)}\n\n${ROWS_START}\n${TABLE_HEAD}\n${rows.join("\n")}\n${ROWS_END}${after}`;
  if (start >= 0) return previous.slice(0, start) + rendered + previous.slice(end);
  return `${previous.replace(/\n*$/, "\n\n")}${rendered}`;
}
