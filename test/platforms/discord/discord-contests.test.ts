import { describe, expect, it } from "vitest";
import { chatInput, frenchGuildOfTwo } from "./support.js";

const { answer, BEN } = frenchGuildOfTwo(2);

describe("Discord: /contest, in French", () => {
  it("GIVEN a contest created with typed options and a win THEN /contest show gives the standings in French", async () => {
    const created = await answer(
      chatInput("contest", "create", {
        name: "Sprint de novembre",
        metric: "revenue",
        from: "2026-11-18",
        to: "2026-11-30",
        prize: "Un resto",
      }),
    );
    expect(created).toContain("Challenge «\u202fSprint de novembre\u202f» créé");
    const won = await answer(
      chatInput("deal", "log", { amount: "5k", customer: "Dupont", stage: "won" }),
      BEN,
    );
    expect(won).toContain("Dupont");
    const text = await answer(chatInput("contest", "show", { name: "sprint de novembre" }), BEN);
    expect(text).toContain("🏆 Sprint de novembre");
    expect(text).toMatch(/1\. ben · 5\s000\s€/u);
    expect(text).toContain("Lot\u202f: Un resto");
    const list = await answer(chatInput("contest", "list"), BEN);
    expect(list).toContain("Sprint de novembre · chiffre d’affaires");
  });
});
