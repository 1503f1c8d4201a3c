import { awardsOf } from "../announcements/awards.js";
import { announceWin } from "../announcements/celebration.js";
import { digestsOf } from "../announcements/digest.js";
import { announceKudos } from "../announcements/kudos.js";
import { remindersOf } from "../announcements/reminders.js";
import { createFixedClock } from "../clock.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import { enqueue, type Notification } from "../notify/outbox.js";
import type { Workspace } from "../sales/deps.js";
import { periodContaining, previousPeriod } from "../sales/periods/period.js";
import { createSalesService } from "../sales/sales-service.js";
import { calendarOf } from "../sales/workspaces/workspace-service.js";
import { type JobName, workOn } from "./slots.js";

export type JobOutcome =
  | { status: "queued"; count: number }
  /** The slot was claimed before (by this process, a replica, or an earlier `run-job`). */
  | { status: "done_before" };

/** The notifications of a job for a workspace's local day, computed as of `at`. */
export async function notificationsOf(
  db: PrismaClient,
  job: JobName,
  ws: Workspace,
  day: string,
  at: Date,
): Promise<Notification[]> {
  const sales = createSalesService({
    db,
    clock: createFixedClock(at),
    onWin: announceWin,
    onKudos: announceKudos,
  });
  const work = workOn(ws, day);
  switch (job) {
    case "digest":
      return work.digest ? digestsOf(sales, ws, day) : [];
    case "reminders":
      return work.reminders ? remindersOf(sales, ws, day) : [];
    case "recognition": {
      const cal = calendarOf(ws);
      return [
        ...(work.weeklyAwards ? await awardsOf(sales, ws, "weekly", periodContaining("week", at, cal)) : []),
        ...(work.monthlyAwards
          ? await awardsOf(sales, ws, "monthly", previousPeriod(periodContaining("month", at, cal), cal))
          : []),
      ];
    }
  }
}

/**
 * Runs a job for a workspace's local day as of `at`: computes its notifications, then in one
 * transaction claims the slot in `job_run` and queues them. A slot claimed before (a replica, a
 * restart, a second `run-job`) queues nothing; the outbox keys make the notifications unique too.
 */
export async function runJob(
  db: PrismaClient,
  job: JobName,
  ws: Workspace,
  day: string,
  at: Date,
  /** When the notifications are queued (due to be sent); `run-job --at` in the future queues now. */
  queuedAt: Date = at,
): Promise<JobOutcome> {
  const slot = new Date(`${day}T00:00:00Z`);
  const key = { workspaceId_job_slot: { workspaceId: ws.id, job, slot } };
  if (await db.jobRun.findUnique({ where: key })) return { status: "done_before" };
  const notifications = await notificationsOf(db, job, ws, day, at);
  return db.$transaction(async (tx) => {
    const claimed = await tx.jobRun.createMany({
      data: [{ workspaceId: ws.id, job, slot, ranAt: at, queued: notifications.length }],
      skipDuplicates: true,
    });
    if (claimed.count === 0) return { status: "done_before" } as const;
    const count = await enqueue(tx, ws, notifications, queuedAt);
    if (count !== notifications.length) await tx.jobRun.update({ where: key, data: { queued: count } });
    return { status: "queued", count } as const;
  });
}
