import { describe, expect, it } from "vitest";
import { chatInput, frenchGuildOfTwo } from "./support.js";

const { answer, BEN } = frenchGuildOfTwo(7);

describe("Discord: products, in French", () => {
  it("GIVEN a product added with typed options THEN a deal logged with it and no amount takes its price, and /kpi shows it per product", async () => {
    expect(await answer(chatInput("closer", "product-add", { name: "Pro plan", price: "1 200" }))).toMatch(
      /Produit Pro plan · 1\s200,00\s€ ajouté/u,
    );
    const logged = await answer(
      chatInput("deal", "log", { customer: "Dupont", products: "pro plan", stage: "won" }),
      BEN,
    );
    expect(logged).toContain("Produits\u202f: Pro plan");
    const kpi = await answer(chatInput("kpi", undefined, { view: "products" }), BEN);
    expect(kpi).toContain("Pro plan");
    expect(kpi).toMatch(/1\s200\s€/u);
    expect(await answer(chatInput("deal", "log", { customer: "Durand" }), BEN)).toContain(
      "Il manque le montant",
    );
    expect(await answer(chatInput("closer", "product-list"), BEN)).toMatch(/Pro plan · 1\s200,00\s€/u);
  });
});
