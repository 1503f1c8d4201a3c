import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { renderText } from "../../src/platforms/shell/render-text.js";
import type { Member, Workspace } from "../../src/sales/deps.js";
import type { SalesService } from "../../src/sales/sales-service.js";
import {
  createTestSales,
  run,
  runText,
  seedDeal,
  seedMember,
  seedRep,
  seedWorkspace,
} from "../fixtures/sales.js";
import { openTestDatabase } from "../support/db.js";

describe("customers: search, rename and merge", () => {
  let db: Database;
  let sales: SalesService;
  beforeAll(async () => {
    db = await openTestDatabase();
    sales = createTestSales(db).sales;
  });
  afterAll(() => db.close());

  async function team(
    locale: "en" | "fr" = "en",
  ): Promise<{ ws: Workspace; admin: Member; alice: Member; marie: Member }> {
    const ws = await seedWorkspace(sales, { locale });
    return {
      ws,
      admin: await seedMember(sales, ws, "admin", "admin"),
      alice: await seedRep(sales, ws, "alice"),
      marie: await seedMember(sales, ws, "marie", "manager"),
    };
  }

  const customers = (ws: Workspace) =>
    db.prisma.customer.findMany({ where: { workspaceId: ws.id }, orderBy: { name: "asc" } });

  describe("search", () => {
    it("GIVEN part of one customer's name THEN that customer is shown, whatever the case and accents", async () => {
      const { ws, alice } = await team();
      await seedDeal(sales, ws, alice, { amount: 100_000n, customer: "Wayne Enterprises" });
      await seedDeal(sales, ws, alice, { amount: 100_000n, customer: "Crème Brûlée SA" });
      expect(await runText(sales, ws, alice, "/customer Wayne")).toContain("Wayne Enterprises · prospect");
      expect(await runText(sales, ws, alice, "/customer BRULEE")).toContain("Crème Brûlée SA · prospect");
      expect(await runText(sales, ws, alice, "/customer enterprises.")).toContain(
        "Wayne Enterprises · prospect",
      );
    });

    it("GIVEN an exact folded name that is also part of others THEN that customer, not a list", async () => {
      const { ws, alice } = await team();
      for (const name of ["Acme", "Acme Europe", "Acme Asia"]) {
        await seedDeal(sales, ws, alice, { amount: 100_000n, customer: name });
      }
      expect(await runText(sales, ws, alice, "/customer acme")).toContain("Acme · prospect");
    });

    it("GIVEN several matches THEN a short list, those starting with the words first, each naming its command, and how many more", async () => {
      const { ws, alice } = await team();
      for (const name of [
        "Globex East",
        "Big Globex",
        "Globex West",
        "Globex North",
        "Globex South",
        "Globex Labs",
        "Globex Air",
        "Initech",
      ]) {
        await seedDeal(sales, ws, alice, { amount: 100_000n, customer: name });
      }
      const reply = await run(sales, ws, alice, "/customer globex");
      expect(reply.actions?.map((a) => `/${a.command} ${a.value}`)).toEqual([
        "/customer Globex Air",
        "/customer Globex East",
        "/customer Globex Labs",
        "/customer Globex North",
        "/customer Globex South",
      ]);
      expect(renderText(reply)).toMatchInlineSnapshot(`
        "7 customers match “globex”; pick one
          …and 2 more: type more of the name.
          Globex Air: /customer Globex Air
          Globex East: /customer Globex East
          Globex Labs: /customer Globex Labs
          Globex North: /customer Globex North
          Globex South: /customer Globex South"
      `);
      expect(await runText(sales, ws, alice, "/customer Globex Labs")).toContain("Globex Labs · prospect");
    });

    it("GIVEN a choice whose name starts like a /customer command THEN its command still shows it", async () => {
      const { ws, alice } = await team();
      for (const name of ["Merge Capital", "List Capital", "Capital One"]) {
        await seedDeal(sales, ws, alice, { amount: 100_000n, customer: name });
      }
      const reply = await run(sales, ws, alice, "/customer capital");
      const lines = reply.actions?.map((a) => `/${a.command} ${a.value}`) ?? [];
      expect(lines).toEqual([
        "/customer Capital One",
        '/customer name:"List Capital"',
        '/customer name:"Merge Capital"',
      ]);
      for (const [i, line] of lines.entries()) {
        expect(await runText(sales, ws, alice, line)).toContain(
          `${["Capital One", "List Capital", "Merge Capital"][i]} · prospect`,
        );
      }
    });

    it("GIVEN no match THEN it says so with a hint, in English and French", async () => {
      const { ws, alice } = await team();
      expect(await runText(sales, ws, alice, "/customer Nobody")).toBe(
        "! No customer's name contains “Nobody”. See them all with /customer list.",
      );
      const fr = await team("fr");
      expect(await runText(sales, fr.ws, fr.alice, "/customer Personne")).toBe(
        "! Aucun client n’a «\u202fPersonne\u202f» dans son nom. Voyez-les tous avec /customer list.",
      );
    });

    it("GIVEN another workspace's customer THEN it is not found", async () => {
      const a = await team();
      const b = await team();
      await seedDeal(sales, a.ws, a.alice, { amount: 100_000n, customer: "Secret Corp" });
      expect(await runText(sales, b.ws, b.alice, "/customer Secret")).toContain(
        "No customer's name contains",
      );
    });

    it("GIVEN several matches in French THEN the list speaks French", async () => {
      const { ws, alice } = await team("fr");
      for (const name of ["Boulangerie Dupont", "Boulangerie Martin"]) {
        await seedDeal(sales, ws, alice, { amount: 100_000n, customer: name });
      }
      expect(await runText(sales, ws, alice, "/customer boulangerie")).toBe(
        [
          "2 clients correspondent à «\u202fboulangerie\u202f»\u202f; choisissez-en un",
          "  Boulangerie Dupont\u202f: /customer Boulangerie Dupont",
          "  Boulangerie Martin\u202f: /customer Boulangerie Martin",
        ].join("\n"),
      );
    });
  });

  describe("rename", () => {
    it("GIVEN a manager renaming a customer THEN its deals and history follow the new name", async () => {
      const { ws, alice, marie } = await team();
      const deal = await seedDeal(sales, ws, alice, { amount: 100_000n, customer: "Wayne Ent" });
      expect(await runText(sales, ws, marie, '/customer rename wayne ent to:"Wayne Enterprises"')).toBe(
        "Wayne Ent is now called Wayne Enterprises",
      );
      expect((await customers(ws)).map((c) => [c.name, c.nameKey])).toEqual([
        ["Wayne Enterprises", "wayne enterprises"],
      ]);
      const shown = await runText(sales, ws, alice, "/customer Wayne Enterprises");
      expect(shown).toContain(`#${deal.number}`);
    });

    it("GIVEN only the case or accents changed THEN the same customer is renamed", async () => {
      const { ws, admin, alice } = await team();
      await seedDeal(sales, ws, alice, { amount: 100_000n, customer: "acme corp" });
      expect(await runText(sales, ws, admin, '/customer rename acme corp to:"ACME Corp."')).toBe(
        "acme corp is now called ACME Corp.",
      );
      expect((await customers(ws)).map((c) => c.name)).toEqual(["ACME Corp."]);
    });

    it("GIVEN a new name another customer folds to THEN it is refused with the merge to use, and nothing changes", async () => {
      const { ws, admin, alice } = await team();
      await seedDeal(sales, ws, alice, { amount: 100_000n, customer: "Acme Inc" });
      await seedDeal(sales, ws, alice, { amount: 100_000n, customer: "Acme" });
      expect(await runText(sales, ws, admin, '/customer rename Acme Inc to:"ACME"')).toBe(
        '! There is already a customer called “Acme”; to make them one, merge them: /customer merge Acme Inc into:"Acme".',
      );
      expect((await customers(ws)).map((c) => c.name)).toEqual(["Acme", "Acme Inc"]);
    });

    it("GIVEN a rep THEN renaming is refused; GIVEN bad input THEN it says what is missing", async () => {
      const { ws, alice, admin } = await team();
      await seedDeal(sales, ws, alice, { amount: 100_000n, customer: "Acme" });
      expect(await runText(sales, ws, alice, '/customer rename Acme to:"Acme 2"')).toBe(
        "! Only a manager or an admin can do that.",
      );
      expect(await runText(sales, ws, admin, "/customer rename Acme")).toContain("The new name is missing");
      expect(await runText(sales, ws, admin, '/customer rename Nope to:"X"')).toBe(
        "! There is no customer called “Nope”.",
      );
      expect(await runText(sales, ws, admin, '/customer rename Acme to:"!!"')).toBe(
        "! A customer name needs at least one letter or digit.",
      );
      expect(await runText(sales, ws, admin, `/customer rename Acme to:"${"x".repeat(121)}"`)).toContain(
        "New owner or name is too long (at most 120 characters).",
      );
      expect((await customers(ws)).map((c) => c.name)).toEqual(["Acme"]);
    });

    it("GIVEN a French workspace THEN the answer and the refusal are French", async () => {
      const { ws, admin, alice } = await team("fr");
      await seedDeal(sales, ws, alice, { amount: 100_000n, customer: "Dupont" });
      await seedDeal(sales, ws, alice, { amount: 100_000n, customer: "Martin" });
      expect(await runText(sales, ws, admin, '/customer rename Dupont to:"Dupont & Fils"')).toBe(
        "Dupont s’appelle désormais Dupont & Fils",
      );
      expect(await runText(sales, ws, admin, '/customer rename Martin to:"dupont fils"')).toBe(
        '! Il existe déjà un client «\u202fDupont & Fils\u202f»\u202f; pour n’en faire qu’un, fusionnez-les\u202f: /customer merge Martin dans:"Dupont & Fils".',
      );
    });
  });

  describe("merge", () => {
    it("GIVEN a merge THEN deals, events and reminders follow to the target, the source disappears, and the answer counts the deals", async () => {
      const { ws, admin, alice } = await team();
      const a = await seedDeal(sales, ws, alice, {
        amount: 100_000n,
        customer: "ACME Inc",
        source: "referral",
      });
      const b = await seedDeal(sales, ws, alice, { amount: 200_000n, customer: "ACME Inc" });
      const c = await seedDeal(sales, ws, alice, { amount: 300_000n, customer: "Acme" });
      await sales.deals.winDeal(ws, alice, a.number, {});
      await run(sales, ws, alice, "/remind ACME Inc tomorrow call back");
      expect(await runText(sales, ws, admin, '/customer merge acme inc into:"Acme"')).toBe(
        ["ACME Inc merged into Acme", "  2 deals moved, with their history", "  1 reminder moved"].join("\n"),
      );
      const [target, ...rest] = await customers(ws);
      expect(rest).toEqual([]);
      expect(target).toMatchObject({ name: "Acme", leadSource: "referral", ownerId: alice.id });
      const deals = await db.prisma.deal.findMany({
        where: { workspaceId: ws.id },
        orderBy: { number: "asc" },
      });
      expect(deals.map((d) => [d.number, d.customerId])).toEqual([
        [a.number, target?.id],
        [b.number, target?.id],
        [c.number, target?.id],
      ]);
      const reminders = await db.prisma.reminder.findMany({
        where: { workspaceId: ws.id, customerId: { not: null } },
      });
      expect(reminders.map((r) => r.customerId)).toEqual([target?.id]);
      const moved = await db.prisma.dealEvent.findMany({
        where: { workspaceId: ws.id, kind: "customer" },
        include: { deal: { select: { number: true } } },
        orderBy: { dealId: "asc" },
      });
      expect(moved.map((e) => [e.deal.number, e.oldValue, e.newValue, e.actorId])).toEqual([
        [a.number, "ACME Inc", "Acme", admin.id],
        [b.number, "ACME Inc", "Acme", admin.id],
      ]);
      expect(await runText(sales, ws, alice, `/deal show #${b.number}`)).toContain("ACME Inc → Acme");
      const shown = await runText(sales, ws, alice, "/customer Acme");
      expect(shown).toContain("Acme · customer");
      expect(shown).toContain("Revenue: €1,000 · deals: 1");
      expect(shown).toContain(`#${a.number}`);
    });

    it("GIVEN a merge into itself, a missing customer or a rep THEN refused and nothing changes", async () => {
      const { ws, admin, alice } = await team();
      await seedDeal(sales, ws, alice, { amount: 100_000n, customer: "Acme" });
      await seedDeal(sales, ws, alice, { amount: 100_000n, customer: "Globex" });
      expect(await runText(sales, ws, admin, '/customer merge ACME into:"acme."')).toBe(
        "! “ACME” and the customer to merge into are the same customer.",
      );
      expect(await runText(sales, ws, admin, '/customer merge Acme into:"Nobody"')).toBe(
        "! There is no customer called “Nobody”.",
      );
      expect(await runText(sales, ws, alice, '/customer merge Acme into:"Globex"')).toBe(
        "! Only a manager or an admin can do that.",
      );
      expect(await runText(sales, ws, admin, "/customer merge Acme")).toContain(
        "Which customer to merge into?",
      );
      expect((await customers(ws)).map((c) => c.name)).toEqual(["Acme", "Globex"]);
    });

    it("GIVEN a French workspace THEN the merge answers in French", async () => {
      const { ws, admin, alice } = await team("fr");
      await seedDeal(sales, ws, alice, { amount: 100_000n, customer: "Dupont SA" });
      await seedDeal(sales, ws, alice, { amount: 100_000n, customer: "Dupont" });
      expect(await runText(sales, ws, admin, '/customer merge Dupont SA into:"Dupont"')).toBe(
        "Dupont SA fusionné dans Dupont\n  1 affaire déplacée, avec son historique",
      );
    });

    it("GIVEN another workspace's customer of the same name THEN it is untouched", async () => {
      const a = await team();
      const b = await team();
      await seedDeal(sales, a.ws, a.alice, { amount: 100_000n, customer: "Acme Inc" });
      await seedDeal(sales, a.ws, a.alice, { amount: 100_000n, customer: "Acme" });
      await seedDeal(sales, b.ws, b.alice, { amount: 100_000n, customer: "Acme Inc" });
      await run(sales, a.ws, a.admin, '/customer merge Acme Inc into:"Acme"');
      expect((await customers(b.ws)).map((c) => c.name)).toEqual(["Acme Inc"]);
    });
  });

  describe("at the same moment", () => {
    it("GIVEN two crossed merges at once THEN one happens, the other is told, and every deal has one customer", async () => {
      for (let round = 0; round < 5; round++) {
        const { ws, admin, marie, alice } = await team();
        await seedDeal(sales, ws, alice, { amount: 100_000n, customer: "Acme" });
        await seedDeal(sales, ws, alice, { amount: 100_000n, customer: "Acme Inc" });
        const replies = await Promise.all([
          run(sales, ws, admin, '/customer merge Acme into:"Acme Inc"'),
          run(sales, ws, marie, '/customer merge Acme Inc into:"Acme"'),
        ]);
        expect(replies.filter((r) => r.tone === "error")).toHaveLength(1);
        const left = await customers(ws);
        expect(left).toHaveLength(1);
        const deals = await db.prisma.deal.findMany({ where: { workspaceId: ws.id } });
        expect(deals.map((d) => d.customerId)).toEqual([left[0]?.id, left[0]?.id]);
      }
    });

    it("GIVEN deals logged for a customer while it is merged away THEN every deal is logged, each with a customer that exists", async () => {
      const { ws, admin, alice } = await team();
      await seedDeal(sales, ws, alice, { amount: 100_000n, customer: "Acme Inc" });
      await seedDeal(sales, ws, alice, { amount: 100_000n, customer: "Acme" });
      const replies = await Promise.all([
        ...Array.from({ length: 8 }, (_, i) => run(sales, ws, alice, `/deal log ${i + 1}k Acme Inc`)),
        run(sales, ws, admin, '/customer merge Acme Inc into:"Acme"'),
      ]);
      expect(replies.filter((r) => r.tone === "error")).toEqual([]);
      const deals = await db.prisma.deal.findMany({
        where: { workspaceId: ws.id },
        include: { customer: true },
      });
      expect(deals).toHaveLength(10);
      const names = new Set(deals.map((d) => d.customer.name));
      expect([...names].every((n) => n === "Acme" || n === "Acme Inc")).toBe(true);
    });

    it("GIVEN two customers renamed to one name at once THEN one is renamed, the other told to merge", async () => {
      for (let round = 0; round < 5; round++) {
        const { ws, admin, marie, alice } = await team();
        await seedDeal(sales, ws, alice, { amount: 100_000n, customer: "Acme" });
        await seedDeal(sales, ws, alice, { amount: 100_000n, customer: "Globex" });
        const replies = await Promise.all([
          run(sales, ws, admin, '/customer rename Acme to:"Umbrella"'),
          run(sales, ws, marie, '/customer rename Globex to:"umbrella"'),
        ]);
        const refused = replies.filter((r) => r.tone === "error");
        expect(refused).toHaveLength(1);
        expect(refused[0]?.lines.join(" ")).toContain("There is already a customer called");
        expect((await customers(ws)).map((c) => c.nameKey).sort()).toEqual(
          expect.arrayContaining(["umbrella"]),
        );
        expect(await customers(ws)).toHaveLength(2);
      }
    });

    it("GIVEN a merge and a rename of its source at once THEN one outcome, consistent", async () => {
      for (let round = 0; round < 5; round++) {
        const { ws, admin, marie, alice } = await team();
        await seedDeal(sales, ws, alice, { amount: 100_000n, customer: "Acme" });
        await seedDeal(sales, ws, alice, { amount: 100_000n, customer: "Globex" });
        await Promise.all([
          run(sales, ws, admin, '/customer merge Acme into:"Globex"'),
          run(sales, ws, marie, '/customer rename Acme to:"Acme Two"'),
        ]);
        const left = await customers(ws);
        const deals = await db.prisma.deal.findMany({ where: { workspaceId: ws.id } });
        const ids = new Set(left.map((c) => c.id));
        expect(deals.every((d) => ids.has(d.customerId))).toBe(true);
        expect(left.map((c) => c.name)).toEqual(left.length === 1 ? ["Globex"] : ["Acme Two", "Globex"]);
      }
    });
  });
});
