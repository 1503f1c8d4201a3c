import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { openTestDatabase } from "../support/db.js";
import { shell } from "../support/shell.js";

describe("shell: contests", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db.close());

  it("GIVEN a contest and wins by two reps THEN /contest show prints the standings with the gap to the leader", async () => {
    const out = await shell(db, [
      '/contest create "November push" metric:revenue from:2026-11-18 to:2026-11-30 prize:"A day off"',
      "/as bob",
      "/deal log 2k Acme stage:won",
      "/as carol",
      "/deal log 5k Globex stage:won",
      "/contest show November push",
      "/contest",
    ]);
    expect(out).toContain(
      [
        "🏆 November push",
        "  13 days left, ends Nov 30, 2026",
        "  Ranked by revenue won: deals won between these dates, in the workspace's time zone.",
        "  Everyone takes part.",
        "  From Nov 18, 2026 to Nov 30, 2026, both included.",
        "  Prize: A day off",
        "  Ties: whoever reached the score first ranks ahead; reached at the same moment, the place is shared.",
        "  1. carol · €5,000",
        "  2. bob · €2,000 · €3,000 behind the leader",
      ].join("\n"),
    );
    expect(out).toContain(
      "Contests\n  November push · revenue · Nov 18, 2026 – Nov 30, 2026 · 13 days left, ends Nov 30, 2026",
    );
  });
});
