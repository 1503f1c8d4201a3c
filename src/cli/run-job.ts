import type { Writable } from "node:stream";
import { DateTime } from "luxon";
import { systemClock } from "../clock.js";
import type { Config } from "../config.js";
import type { Platform } from "../generated/prisma/enums.js";
import type { Logger } from "../logger.js";
import type { App } from "../main.js";
import { createDispatcher } from "../notify/dispatcher.js";
import type { DeliveryPort } from "../notify/port.js";
import { createShellPort } from "../platforms/shell/shell-port.js";
import { configuredPlatforms } from "../platforms/table.js";
import type { Workspace } from "../sales/deps.js";
import { localDate } from "../sales/periods/period.js";
import { announceContests } from "../scheduler/contests.js";
import { runJob } from "../scheduler/jobs.js";
import { isDue, isJobName, JOBS, type JobName, workOn } from "../scheduler/slots.js";
import { namesWorkspace } from "./workspace-option.js";

export interface RunJobArgs {
  job: JobName;
  /** A workspace id, external id (`local`, a Slack team, a Discord guild) or name. */
  workspace?: string | undefined;
  /** An instant; without an offset, a local time in each workspace's zone. */
  at?: string | undefined;
}

/** Reads `<job> [--workspace W] [--at ISO]`; a string is the error to show. */
export function parseRunJobArgs(argv: string[]): RunJobArgs | string {
  const [job, ...rest] = argv;
  if (!job || !isJobName(job)) return `run-job takes one of ${JOBS.join(", ")}`;
  const args: RunJobArgs = { job };
  for (let i = 0; i < rest.length; i += 2) {
    const [flag, value] = [rest[i], rest[i + 1]];
    if (value === undefined || value.startsWith("--")) return `${flag} needs a value`;
    if (flag === "--workspace") args.workspace = value;
    else if (flag === "--at") {
      if (!DateTime.fromISO(value, { setZone: true }).isValid)
        return `--at ${value} is not an ISO-8601 date-time`;
      args.at = value;
    } else return `unknown option ${flag}`;
  }
  return args;
}

/** The instant `--at` names for a workspace: absolute with an offset, else local to the workspace. */
export function instantFor(at: string | undefined, ws: Workspace, now: Date): Date {
  if (!at) return now;
  const hasOffset = /(Z|[+-]\d{2}(:?\d{2})?)$/i.test(at) && at.includes("T");
  return (
    hasOffset ? DateTime.fromISO(at, { setZone: true }) : DateTime.fromISO(at, { zone: ws.timezone })
  ).toJSDate();
}

/**
 * `closer run-job`: runs one job for each workspace (or one) as if at `--at`, through the same
 * claim and outbox as the scheduler, then delivers what it queued: the shell's notifications are
 * printed on `stdout`, Slack's and Discord's posted when their credentials are set. What ran is
 * reported on `stderr`; a second run of the same day queues nothing.
 */
export async function runJobCommand(
  app: App,
  config: Config,
  log: Logger,
  args: RunJobArgs,
  io: { stdout: Writable; stderr: Writable },
): Promise<number> {
  const db = app.db.prisma;
  const ports: Partial<Record<Platform, DeliveryPort>> = {
    // The digest's chart is saved where the job runs, as the shell saves an export.
    shell: createShellPort((text) => io.stdout.write(`${text}\n`), {
      charts: { directory: process.cwd(), log },
    }),
  };
  for (const entry of configuredPlatforms(config)) ports[entry.name] = await entry.port({ config, db, log });
  const all = await db.workspace.findMany({ orderBy: { id: "asc" } });
  const chosen = args.workspace ? all.filter((ws) => namesWorkspace(ws, args.workspace as string)) : all;
  if (chosen.length === 0) {
    io.stderr.write(`closer run-job: no workspace ${args.workspace ? `"${args.workspace}"` : "yet"}\n`);
    return args.workspace ? 2 : 0;
  }
  const now = systemClock.now();
  for (const ws of chosen) {
    const label = `${ws.name} (${ws.platform} ${ws.externalId})`;
    if (!ports[ws.platform]) {
      io.stderr.write(`${label}: skipped, ${ws.platform} is not configured here\n`);
      continue;
    }
    const at = instantFor(args.at, ws, now);
    const day = localDate(at, ws.timezone);
    if (args.job === "recognition") {
      // Contests are recognition too: what is due of them at that instant, whatever the day.
      const count = await announceContests(db, ws, at, now);
      if (count > 0) io.stderr.write(`${label}: contests: ${count} announcement(s) queued\n`);
    }
    if (!isDue(args.job, workOn(ws, day))) {
      io.stderr.write(`${label}: no ${args.job} on ${day} (not one of its days, or switched off)\n`);
      continue;
    }
    const outcome = await runJob(db, args.job, ws, day, at, now);
    io.stderr.write(
      outcome.status === "queued"
        ? `${label}: ${args.job} of ${day}: ${outcome.count} notification(s) queued\n`
        : `${label}: ${args.job} of ${day} already ran; nothing new\n`,
    );
  }
  const dispatcher = createDispatcher({ db, ports, clock: systemClock, log });
  // Slack takes one message a second per channel: keep delivering until the queue is empty, up to a minute.
  const deadline = Date.now() + 60_000;
  for (;;) {
    await dispatcher.drain();
    const pending = await db.outbox.count({
      where: { status: "pending", workspaceId: { in: chosen.map((w) => w.id) } },
    });
    if (pending === 0) break;
    if (Date.now() > deadline) {
      io.stderr.write(`${pending} notification(s) still pending; closer start delivers them\n`);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return 0;
}
