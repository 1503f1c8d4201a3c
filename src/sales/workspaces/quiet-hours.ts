import { DateTime } from "luxon";

/** Quiet hours as set: `HH:MM-HH:MM`, start and end in the workspace's time zone. */
const QUIET_HOURS = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes since local midnight of each end; undefined when `spec` is not quiet hours. */
function bounds(spec: string): { from: number; to: number } | undefined {
  const m = QUIET_HOURS.exec(spec);
  if (!m) return undefined;
  const [, fh, fm, th, tm] = m.map(Number);
  const from = (fh ?? 0) * 60 + (fm ?? 0);
  const to = (th ?? 0) * 60 + (tm ?? 0);
  return from === to ? undefined : { from, to };
}

/**
 * Quiet hours as typed (`20:00-08:00`, `20:00 - 08:00`, `12:30-14:00`), in the one form stored;
 * undefined when invalid. They may cross midnight; an empty range (start = end) is refused, since
 * it could mean nothing or the whole day.
 */
export function parseQuietHours(value: string): string | undefined {
  const spec = value.replace(/\s+/g, "");
  return bounds(spec) ? spec : undefined;
}

/**
 * When the quiet hours `spec` around `now` end, in `timezone`; null when `now` is not inside them
 * (or there are none). Times are wall-clock times: on a DST change day the night is an hour shorter
 * or longer, and an end the spring-forward skips is taken just after the gap, like `digest_time`.
 */
export function quietHoursEnd(spec: string | null, timezone: string, now: Date): Date | null {
  const range = spec ? bounds(spec) : undefined;
  if (!range) return null;
  const local = DateTime.fromJSDate(now, { zone: timezone });
  const minute = local.hour * 60 + local.minute;
  const { from, to } = range;
  const inside = from < to ? minute >= from && minute < to : minute >= from || minute < to;
  if (!inside) return null;
  // The end is today's, unless the quiet hours began this evening and end tomorrow morning.
  const day = from > to && minute >= from ? local.plus({ days: 1 }) : local;
  const end = DateTime.fromObject(
    { year: day.year, month: day.month, day: day.day, hour: Math.floor(to / 60), minute: to % 60 },
    { zone: timezone },
  ).toJSDate();
  return end > now ? end : null;
}
