import { describe, expect, it } from "vitest";
import { slackTeamOfTwo } from "./support.js";

const team = slackTeamOfTwo();
const { command, BOB } = team;

describe("Slack: /closer me", () => {
  it("GIVEN a first win THEN /closer me lists it with the streak, in English and then in French", async () => {
    expect(await command("/closer", "config set wins_channel C0WINS")).toContain("wins_channel");
    expect(await command("/deal", "log 2k Acme stage:won", BOB)).toContain("Acme");
    const me = await command("/closer", "me", BOB);
    expect(me).toContain("bob: achievements");
    expect(me).toContain("🔥 Current streak: 1 working day");
    expect(me).toContain("Nov 18, 2026 · First win: Acme, €2,000");
    const post = await team
      .db()
      .prisma.outbox.findFirst({ where: { kind: "achievement", destination: "#C0WINS" } });
    expect(post?.payload).toMatchObject({ lines: ["bob · First win: Acme, €2,000"] });

    expect(await command("/closer", "config set locale fr")).toContain("locale");
    const moi = await command("/closer", "me", BOB);
    expect(moi).toContain("Trophées de bob");
    expect(moi).toContain("18 nov. 2026 · Première victoire\u202f: Acme, 2\u202f000\u00a0€");
  });

  it("GIVEN words after /closer me THEN the usage, and nothing else", async () => {
    const refused = await command("/closer", "me everything", BOB);
    expect(refused).toContain("/closer me");
    expect(refused).not.toContain("Trophées de bob");
  });
});
