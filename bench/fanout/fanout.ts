import { pino } from "pino";
import { openDatabase } from "../../src/db/client.js";
import { REDACT } from "../../src/logger.js";
import { createDispatcher, type Dispatcher } from "../../src/notify/dispatcher.js";
import { createSlackPort } from "../../src/platforms/slack/slack-port.js";
import { logCounts, scheduledFailures } from "./app-log.js";
import type { FanoutOptions } from "./args.js";
import { DUE_AT, loadWorkspaces } from "./dataset.js";
import { type EmulatorHandle, startEmulatorProcess } from "./emulator.js";
import { type CronTick, createBenchClock, queueByCron, queueBySweep } from "./queue.js";
import { type OutboxRow, type Verdict, verify } from "./verify.js";

export interface RunResult {
  workspaces: number;
  via: FanoutOptions["via"];
  loadMs: number;
  /** From the due instant until every notification was queued (the sweep; or the cron tick and the catch-up sweep). */
  queueMs: number;
  queued: number;
  /** With `--via cron`: what the tick did and what was left to the catch-up sweep. */
  cron?: CronTick;
  /** From the end of the queueing to the last message recorded as sent. */
  deliveryMs: number;
  /** From the due instant to the last message recorded as sent. */
  totalMs: number;
  /** When messages went out, in ms after the due instant. */
  sentAfterMs: { first: number; p50: number; p95: number; last: number };
  rateLimited: number;
  callsByMethod: Record<string, number>;
  verdict: Verdict;
  /** Peak RSS of the app (scheduler + dispatcher + Slack port) while queueing and delivering, sampled. */
  appRssBytes: number;
  /** The emulator's own process, for scale. */
  emulatorRssBytes: number;
  /** CPU time (user + system) the app used queueing and delivering, and the emulator in all. */
  cpuMs: { queue: number; delivery: number; emulator: number };
  /** Log lines the app wrote at warn (retries) and error level. */
  warnings: number;
  errors: number;
  firstError?: string;
}

const cpuBetween = (a: NodeJS.CpuUsage, b: NodeJS.CpuUsage) => (b.user - a.user + b.system - a.system) / 1000;

function rssSampler(intervalMs = 20) {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss());
    },
  };
}

const at = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;

async function waitForEmptyOutbox(
  count: () => Promise<number>,
  progress: (pending: number) => void,
  timeoutMs: number,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let lastReport = performance.now();
  for (;;) {
    const pending = await count();
    if (pending === 0) return;
    if (performance.now() > deadline)
      throw new Error(`${pending} notifications still pending after ${timeoutMs} ms`);
    if (performance.now() - lastReport > 5_000) {
      progress(pending);
      lastReport = performance.now();
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * One run on an empty database: bulk-load the workspaces, start the Slack emulator, queue the due
 * jobs as of the due instant (`--via`), then deliver with the dispatcher until nothing is pending,
 * and check every message against the outbox.
 */
export async function runFanout(
  opts: FanoutOptions,
  databaseUrl: string,
  logFile: string,
  step: (what: string) => void,
): Promise<RunResult> {
  const db = await openDatabase(databaseUrl);
  const log = pino(
    { level: "info", redact: { paths: REDACT, censor: "[redacted]" } },
    pino.destination({ dest: logFile, sync: true }),
  );
  const count = async (where: string) =>
    (await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox ${where}`))[0]?.n ?? 0;
  let emulator: EmulatorHandle | undefined;
  let dispatcher: Dispatcher | undefined;
  try {
    step(`loading ${opts.workspaces.toLocaleString("en-US")} workspaces`);
    const loadMs = await loadWorkspaces(db, opts.workspaces, { reminders: !opts.digestOnly });
    emulator = await startEmulatorProcess({
      perChannelPerSecond: 1,
      randomRateLimit: { probability: opts.randomRateLimit, seed: 1 },
    });
    const port = createSlackPort({
      slack: {
        botToken: emulator.botToken,
        signingSecret: "bench-fanout-secret",
        appToken: undefined,
        apiUrl: emulator.apiUrl,
        oauth: undefined,
      },
      db: db.prisma,
      log,
    });
    step(`loaded in ${(loadMs / 1000).toFixed(1)} s; queueing via ${opts.via} as of ${DUE_AT.toISOString()}`);
    const clock = createBenchClock(DUE_AT);
    const sampler = rssSampler();
    const cpu0 = process.cpuUsage();
    const ctx = {
      db: db.prisma,
      clock,
      log,
      concurrency: opts.sweepConcurrency,
      dueAt: DUE_AT,
      countOutbox: () => count(""),
      countFailures: () => scheduledFailures(logFile),
    };
    const cron = opts.via === "cron" ? await queueByCron(ctx) : undefined;
    if (opts.via === "sweep") await queueBySweep(ctx);
    const queueMs = clock.elapsedMs();
    const queued = await count("");
    const cpu1 = process.cpuUsage();
    step(`queued ${queued} notifications in ${(queueMs / 1000).toFixed(1)} s; delivering`);
    dispatcher = createDispatcher({
      db: db.prisma,
      ports: { slack: port },
      clock,
      log,
      batchSize: opts.batchSize,
      concurrency: opts.concurrency,
    });
    dispatcher.start();
    await waitForEmptyOutbox(
      () => count("WHERE status = 'pending'"),
      (pending) => step(`${pending} pending`),
      10 * 60_000,
    );
    await dispatcher.stop();
    const appRssBytes = sampler.stop();
    const cpu2 = process.cpuUsage();

    const rows = await db.sql.query<OutboxRow>(
      `SELECT dedupe_key, kind, status::text AS status, attempts, message_ref,
              (extract(epoch FROM sent_at - $1::timestamptz) * 1000)::float8 AS sent_after_ms
       FROM outbox ORDER BY id`,
      [DUE_AT.toISOString()],
    );
    const report = await emulator.report();
    const sent = rows
      .map((r) => r.sent_after_ms)
      .filter((ms): ms is number => ms !== null)
      .sort((a, b) => a - b);
    const last = sent.at(-1) ?? Number.NaN;
    return {
      workspaces: opts.workspaces,
      via: opts.via,
      loadMs,
      queueMs,
      queued,
      ...(cron ? { cron } : {}),
      deliveryMs: last - queueMs,
      totalMs: last,
      sentAfterMs: { first: sent[0] ?? Number.NaN, p50: at(sent, 0.5), p95: at(sent, 0.95), last },
      rateLimited: report.rateLimited,
      callsByMethod: report.callsByMethod,
      verdict: verify(rows, report.messages),
      appRssBytes,
      emulatorRssBytes: report.maxRssBytes,
      cpuMs: { queue: cpuBetween(cpu0, cpu1), delivery: cpuBetween(cpu1, cpu2), emulator: report.cpuMs },
      ...logCounts(logFile),
    };
  } finally {
    await dispatcher?.stop();
    await emulator?.close();
    await db.close();
  }
}
