import { describe, expect, it } from "vitest";
import { slackTeamOfTwo } from "./support.js";

const { command, BOB } = slackTeamOfTwo();

describe("Slack: /contest", () => {
  it("GIVEN a contest created over Slack and a win THEN /contest show gives the standings, the time left and the prize", async () => {
    expect(
      await command(
        "/contest",
        'create “November push” metric:deals from:2026-11-18 to:2026-11-30 prize:"Lunch with the CEO"',
      ),
    ).toContain("Contest “November push” created");
    expect(await command("/deal", "log 2k Acme stage:won", BOB)).toContain("Acme");
    const shown = await command("/contest", "show november push", BOB);
    expect(shown).toContain("13 days left, ends Nov 30, 2026");
    expect(shown).toContain("1. bob · 1");
    expect(shown).toContain("Prize: Lunch with the CEO");
    expect(await command("/contest", "cancel November push", BOB)).toContain(
      "Only a manager or an admin can run a contest.",
    );
  });
});
