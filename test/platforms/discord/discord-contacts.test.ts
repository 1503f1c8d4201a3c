import { describe, expect, it } from "vitest";
import { chatInput, frenchGuildOfTwo } from "./support.js";

const guild = frenchGuildOfTwo(5);

describe("Discord: /contact", () => {
  it("GIVEN /contact add with typed options in a French guild THEN the contact is kept, shown by /customer, and a bad email is refused in French", async () => {
    await guild.answer(chatInput("deal", "log", { amount: "12k", customer: "Boulangerie Dupont" }));
    const added = await guild.answer(
      chatInput("contact", "add", {
        customer: "Boulangerie Dupont",
        name: "Jeanne Martin",
        role: "Gérante",
        email: "Jeanne@Dupont.fr",
        phone: "01 23 45 67 89",
      }),
    );
    expect(added).toBe(
      "👤 Jeanne Martin ajouté aux contacts de Boulangerie Dupont\nJeanne Martin · Gérante · jeanne@dupont.fr · +33 1 23 45 67 89",
    );
    const refused = await guild.answer(
      chatInput("contact", "add", { customer: "Boulangerie Dupont", name: "Paul", email: "paul@" }),
      guild.BEN,
    );
    expect(refused).toContain("L’e-mail «\u202fpaul@\u202f» n’est pas une adresse valable");
    const shown = await guild.answer(chatInput("customer", "show", { name: "Dupont" }));
    expect(shown).toContain(
      "Contacts\u202f:\nJeanne Martin · Gérante · jeanne@dupont.fr · +33 1 23 45 67 89",
    );
    const rows = await guild.db().prisma.contact.findMany({ select: { name: true, phone: true } });
    expect(rows).toEqual([{ name: "Jeanne Martin", phone: "+33123456789" }]);
  });
});
