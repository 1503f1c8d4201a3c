import { describe, expect, it } from "vitest";
import { slackTeamOfTwo } from "./support.js";

const { command, BOB } = slackTeamOfTwo();

describe("Slack: /log and /kpi activity", () => {
  it("GIVEN a deal THEN /log records a call on it, its history shows it, and /kpi activity counts it", async () => {
    expect(await command("/deal", "log 12k Acme")).toContain("#1");
    const logged = await command("/log", "call #1 <!channel> asked for the quote");
    expect(logged).toContain("📞 Call logged: #1 Acme");
    expect(logged).toContain("&lt;!channel&gt; asked for the quote");
    expect(logged).not.toContain("<!channel>");
    expect(await command("/log", "demo Acme at:yesterday", BOB)).toContain("🖥️ Demo logged: Acme");
    const shown = await command("/deal", "show #1");
    expect(shown).toContain("alice · call: &lt;!channel&gt; asked for the quote");
    const kpi = await command("/kpi", "activity month");
    expect(kpi).toContain("1 call · 0 meetings · 0 emails · 1 demo");
    const refused = await command("/log", "lunch #1");
    expect(refused).toContain("“lunch” is not an activity");
  });
});
