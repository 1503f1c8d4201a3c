import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { Platform } from "./generated/prisma/enums.js";
import { within } from "./within.js";

/*
 * Label values come from fixed sets only: platforms, command names from the command registry,
 * notification kinds, job names and the outcomes below. A user id, a customer or any free text
 * must never become a label: it would leak into every scrape and make the series count unbounded.
 */

/** `refused`: an input or service error the user was told about; `error`: unexpected. */
export type CommandOutcome = "ok" | "refused" | "error";
/** `retry`: the send failed and the row waits for another try; `failed`: it will not be retried. */
export type NotificationOutcome = "sent" | "retry" | "failed";
/** `done_before`: the slot was already claimed (another replica or an earlier run). */
export type JobOutcome = "queued" | "done_before" | "failed";

export interface CommandLabels {
  platform: Platform;
  /** The command's name in the registry (`deal`, `kpi`, …), never the text the user typed. */
  command: string;
}

/** The subset of prom-client's API callers use, with label values typed. */
export interface Metrics {
  /** Where every metric lives, default process metrics included; `/metrics` reads it. */
  registry: Registry;
  commands: { inc(labels: CommandLabels & { outcome: CommandOutcome }, value?: number): void };
  commandDuration: {
    observe(labels: CommandLabels, seconds: number): void;
    /** Starts timing; the returned function records the elapsed seconds and returns them. */
    startTimer(labels: CommandLabels): () => number;
  };
  notifications: {
    inc(labels: { platform: Platform; kind: string; outcome: NotificationOutcome }, value?: number): void;
  };
  jobRuns: { inc(labels: { job: string; outcome: JobOutcome }, value?: number): void };
}

export interface MetricsOptions {
  /** Outbox rows waiting per platform, read at each scrape; a platform left out has no series. */
  outboxPending?: () => Promise<Partial<Record<Platform, number>>>;
}

// A scrape must not hang on a database that does not answer; Prometheus would time the scrape out.
const OUTBOX_READ_TIMEOUT_MS = 2000;

/**
 * Closer's Prometheus metrics in a registry of their own (several apps may run in one test
 * process), with Node's default process metrics. `closer_outbox_pending` is read at scrape time
 * through `outboxPending`; a failing or slow read leaves the gauge empty for that scrape rather than
 * failing it or showing stale counts.
 */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const commands = new Counter({
    name: "closer_commands_total",
    help: "Commands run, by platform, command and outcome (ok, refused, error)",
    labelNames: ["platform", "command", "outcome"] as const,
    registers,
  });
  const commandDuration = new Histogram({
    name: "closer_command_duration_seconds",
    help: "Time from a command's arrival to its reply, by platform and command",
    labelNames: ["platform", "command"] as const,
    registers,
  });
  const { outboxPending } = options;
  new Gauge({
    name: "closer_outbox_pending",
    help: "Notifications queued in the outbox and not yet delivered, by platform",
    labelNames: ["platform"] as const,
    registers,
    async collect() {
      this.reset();
      if (!outboxPending) return;
      const counts = await within(
        outboxPending().catch(() => undefined),
        OUTBOX_READ_TIMEOUT_MS,
      );
      for (const [platform, count] of Object.entries(counts ?? {})) {
        if (typeof count === "number") this.set({ platform }, count);
      }
    },
  });
  const notifications = new Counter({
    name: "closer_notifications_total",
    help: "Notification sends, by platform, kind and outcome (sent, retry, failed)",
    labelNames: ["platform", "kind", "outcome"] as const,
    registers,
  });
  const jobRuns = new Counter({
    name: "closer_job_runs_total",
    help: "Scheduled job runs per workspace slot, by job and outcome (queued, done_before, failed)",
    labelNames: ["job", "outcome"] as const,
    registers,
  });

  return {
    registry,
    commands,
    commandDuration,
    notifications,
    jobRuns,
  };
}
