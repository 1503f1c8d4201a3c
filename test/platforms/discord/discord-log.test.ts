import { describe, expect, it } from "vitest";
import { chatInput, frenchGuildOfTwo } from "./support.js";

const { answer, BEN } = frenchGuildOfTwo(6);

describe("Discord: /log, in French", () => {
  it("GIVEN typed options THEN /log records the activity and answers in French; a future date is refused", async () => {
    expect(await answer(chatInput("deal", "log", { amount: "5k", customer: "Dupont" }), BEN)).toContain(
      "Dupont",
    );
    const logged = await answer(
      chatInput("log", undefined, {
        activity: "meeting",
        customer: "dupont",
        note: "devis envoyé",
        at: "hier",
      }),
      BEN,
    );
    expect(logged).toContain("🤝 Réunion enregistrée\u202f: Dupont");
    expect(logged).toContain("Note\u202f: devis envoyé");
    const onDeal = await answer(chatInput("log", undefined, { activity: "call", deal: "#1" }), BEN);
    expect(onDeal).toContain("📞 Appel enregistré\u202f: #1 Dupont");
    const future = await answer(
      chatInput("log", undefined, { activity: "demo", deal: "1", at: "demain" }),
      BEN,
    );
    expect(future).toContain("ne peuvent pas être dans le futur");
    const kpi = await answer(chatInput("kpi", undefined, { view: "activity" }));
    expect(kpi).toContain("1 appel · 1 réunion · 0 e-mail · 0 démo");
  });
});
