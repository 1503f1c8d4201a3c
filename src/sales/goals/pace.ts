import type { Workspace } from "../deps.js";
import { addWorkingDays, elapsedFraction, localDate, type Period } from "../periods/period.js";
import { workingDaysOf } from "../workspaces/workspace-service.js";

/**
 * The elapsed fraction of `period` to measure pace and run-rate against, or null while it is too
 * early: until the period's first working day (in the workspace's zone and working days) is over,
 * a few hours of a month would make one win read as 2,000%. Once the period has ended it is 1.
 */
export function paceElapsed(ws: Workspace, period: Period, at: Date): number | null {
  const elapsed = elapsedFraction(period, at);
  if (elapsed >= 1) return 1;
  const firstWorkingDay = addWorkingDays(localDate(period.start, ws.timezone), 0, workingDaysOf(ws));
  // ISO dates compare as strings: today must be later than the first working day.
  return localDate(at, ws.timezone) > firstWorkingDay ? elapsed : null;
}

/**
 * Attainment over the elapsed fraction (1 is on pace), or null while it is too early to tell
 * (see {@link paceElapsed}); nobody is behind pace then.
 */
export function paceOf(ws: Workspace, period: Period, attainment: number, at: Date): number | null {
  const elapsed = paceElapsed(ws, period, at);
  return elapsed === null ? null : attainment / elapsed;
}
