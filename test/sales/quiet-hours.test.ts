import { describe, expect, it } from "vitest";
import { parseQuietHours, quietHoursEnd } from "../../src/sales/workspaces/quiet-hours.js";

describe("quiet hours", () => {
  it.each([
    ["20:00-08:00", "20:00-08:00"],
    ["20:00 - 08:00", "20:00-08:00"],
    ["12:30-14:00", "12:30-14:00"],
    ["00:00-23:59", "00:00-23:59"],
  ])("GIVEN %s THEN it is read as %s", (typed, stored) => {
    expect(parseQuietHours(typed)).toBe(stored);
  });

  it.each(["20:00", "8:00-20:00", "20:00-24:00", "20h-8h", "20:00-20:00", "20:00-08:00-09:00", ""])(
    "GIVEN %j THEN it is refused",
    (typed) => {
      expect(parseQuietHours(typed)).toBeUndefined();
    },
  );

  it.each([
    // [quiet hours, zone, now, end or null]
    ["20:00-08:00", "Europe/Paris", "2026-11-18T18:59:59Z", null], // 19:59 local: not yet
    ["20:00-08:00", "Europe/Paris", "2026-11-18T19:00:00Z", "2026-11-19T07:00:00.000Z"], // 20:00 local
    ["20:00-08:00", "Europe/Paris", "2026-11-18T23:30:00Z", "2026-11-19T07:00:00.000Z"], // after midnight
    ["20:00-08:00", "Europe/Paris", "2026-11-19T06:59:59Z", "2026-11-19T07:00:00.000Z"], // 07:59 local
    ["20:00-08:00", "Europe/Paris", "2026-11-19T07:00:00Z", null], // 08:00 local: over
    ["12:30-14:00", "Europe/Paris", "2026-11-18T11:45:00Z", "2026-11-18T13:00:00.000Z"], // within a day
    ["12:30-14:00", "Europe/Paris", "2026-11-18T13:00:00Z", null],
    ["20:00-08:00", "America/New_York", "2026-11-19T02:00:00Z", "2026-11-19T13:00:00.000Z"], // 21:00 local
    // Spring forward in Paris (28 March 2027, 02:00 -> 03:00): the night is an hour shorter, and
    // 08:00 is 06:00 UTC, not the evening's 07:00.
    ["20:00-08:00", "Europe/Paris", "2027-03-27T19:00:00Z", "2027-03-28T06:00:00.000Z"],
    ["20:00-08:00", "Europe/Paris", "2027-03-28T05:59:00Z", "2027-03-28T06:00:00.000Z"],
    ["20:00-08:00", "Europe/Paris", "2027-03-28T06:00:00Z", null],
    // Fall back (25 October 2026, 03:00 -> 02:00): an hour longer; 08:00 is 07:00 UTC.
    ["20:00-08:00", "Europe/Paris", "2026-10-24T18:00:00Z", "2026-10-25T07:00:00.000Z"],
    ["20:00-08:00", "Europe/Paris", "2026-10-25T06:30:00Z", "2026-10-25T07:00:00.000Z"],
    // An end the spring-forward skips is taken just after the gap, as the digest time is.
    ["23:00-02:30", "Europe/Paris", "2027-03-28T00:45:00Z", "2027-03-28T01:30:00.000Z"],
    [null, "Europe/Paris", "2026-11-18T23:00:00Z", null],
  ])("GIVEN %s in %s at %s THEN they end at %s", (spec, zone, now, end) => {
    expect(quietHoursEnd(spec, zone, new Date(now))?.toISOString() ?? null).toBe(end);
  });
});
