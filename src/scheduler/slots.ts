import { DateTime } from "luxon";
import type { Workspace } from "../sales/deps.js";
import { isWorkingDay, localDate, type Weekday } from "../sales/periods/period.js";
import { digestDaysOf, workingDaysOf } from "../sales/workspaces/workspace-service.js";

export const JOBS = ["digest", "recognition", "reminders"] as const;
export type JobName = (typeof JOBS)[number];

export function isJobName(name: string): name is JobName {
  return (JOBS as readonly string[]).includes(name);
}

/**
 * The instant of a workspace's daily slot on a local date: its digest time there. A time that a DST
 * change skips is moved forward by the gap (02:30 becomes 03:30); a time it repeats is taken at its
 * first occurrence. Either way each local date has exactly one slot.
 */
export function slotInstant(ws: Pick<Workspace, "digestTime" | "timezone">, day: string): Date {
  const local = DateTime.fromISO(`${day}T${ws.digestTime}`, { zone: ws.timezone });
  if (!local.isValid) throw new RangeError(`No slot on ${day} at ${ws.digestTime} in ${ws.timezone}`);
  // Luxon takes the later occurrence of a repeated time: go back by the offset change of the last
  // hours, and keep that instant when it shows the same local time (the first occurrence).
  const earlier = local.minus({ minutes: local.minus({ hours: 3 }).offset - local.offset });
  const wall = "yyyy-MM-dd HH:mm";
  const repeated = earlier.toMillis() < local.toMillis() && earlier.toFormat(wall) === local.toFormat(wall);
  return (repeated ? earlier : local).toJSDate();
}

function shift(day: string, days: number): { iso: string; weekday: Weekday; month: number } {
  const d = DateTime.fromISO(day, { zone: "UTC" }).plus({ days });
  return { iso: d.toISODate() ?? day, weekday: d.weekday as Weekday, month: d.month };
}

/** Whether `day` is the last working day of its week (the workspace's week start decides the week). */
export function isLastWorkingDayOfWeek(ws: Workspace, day: string): boolean {
  const working = workingDaysOf(ws);
  if (!isWorkingDay(day, working)) return false;
  const weekStart: Weekday = ws.weekStart === "sunday" ? 7 : 1;
  for (let n = 1; n < 7; n++) {
    const next = shift(day, n);
    if (next.weekday === weekStart) return true;
    if (working.has(next.weekday)) return false;
  }
  return true;
}

/** Whether `day` is the first working day of its month. */
export function isFirstWorkingDayOfMonth(ws: Workspace, day: string): boolean {
  const working = workingDaysOf(ws);
  if (!isWorkingDay(day, working)) return false;
  const month = shift(day, 0).month;
  for (let n = 1; n <= 31; n++) {
    const before = shift(day, -n);
    if (before.month !== month) return true;
    if (working.has(before.weekday)) return false;
  }
  return true;
}

/** What each job has to do on a local day, switches included; empty when nothing. */
export interface DueWork {
  digest: boolean;
  reminders: boolean;
  weeklyAwards: boolean;
  monthlyAwards: boolean;
}

/** The work due on a local day: the digest on digest days, reminders on working days, awards on their days. */
export function workOn(ws: Workspace, day: string): DueWork {
  const working = isWorkingDay(day, workingDaysOf(ws));
  return {
    digest: ws.announceDigest && isWorkingDay(day, digestDaysOf(ws)),
    reminders: ws.announceReminders && working,
    weeklyAwards: ws.announceWeekly && isLastWorkingDayOfWeek(ws, day),
    monthlyAwards: ws.announceMonthly && isFirstWorkingDayOfMonth(ws, day),
  };
}

/** Whether a job has anything to do on a day. */
export function isDue(job: JobName, work: DueWork): boolean {
  if (job === "digest") return work.digest;
  if (job === "reminders") return work.reminders;
  return work.weeklyAwards || work.monthlyAwards;
}

/** The local day whose slot `at` is at or past, or null before today's slot. */
export function slotDayAt(ws: Workspace, at: Date): string | null {
  const today = localDate(at, ws.timezone);
  return at.getTime() >= slotInstant(ws, today).getTime() ? today : null;
}
