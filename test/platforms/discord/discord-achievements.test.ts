import { describe, expect, it } from "vitest";
import { chatInput, frenchGuildOfTwo } from "./support.js";

const guild = frenchGuildOfTwo(3);
const { answer, CHANNEL, BEN } = guild;

describe("Discord: /closer me, in French", () => {
  it("GIVEN a first win THEN /closer me lists it with the streak, in French, and the win's post is queued for #wins", async () => {
    expect(
      await answer(chatInput("closer", "config-set", { key: "wins_channel", value: CHANNEL })),
    ).toContain("wins_channel");
    const won = await answer(
      chatInput("deal", "log", { amount: "5k", customer: "Dupont", stage: "won" }),
      BEN,
    );
    expect(won).toContain("Dupont");
    const me = await answer(chatInput("closer", "me"), BEN);
    expect(me).toContain("Trophées de ben");
    expect(me).toContain("🔥 Série en cours\u202f: 1 jour ouvré");
    expect(me).toMatch(/18 nov\. 2026 · Première victoire\u202f: Dupont, 5\s000\s€/u);
    const post = await guild.db().prisma.outbox.findFirst({
      where: { kind: "achievement", destination: `#${CHANNEL}` },
    });
    expect(post?.payload).toMatchObject({ title: "🏅 Trophée débloqué" });
    const none = await answer(chatInput("closer", "me"));
    expect(none).toContain("Aucun trophée pour l’instant");
  });
});
