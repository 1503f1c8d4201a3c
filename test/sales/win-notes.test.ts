import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import type { Member, Workspace } from "../../src/sales/deps.js";
import type { SalesService } from "../../src/sales/sales-service.js";
import { WIN_NOTES_SHOWN } from "../../src/sales/wins/win-note-service.js";
import {
  createTestSales,
  type FixedClock,
  runText,
  seedDeal,
  seedRep,
  seedWorkspace,
} from "../fixtures/sales.js";
import { openTestDatabase } from "../support/db.js";

let db: Database;
let sales: SalesService;
let clock: FixedClock;

beforeAll(async () => {
  db = await openTestDatabase();
  ({ sales, clock } = createTestSales(db));
});
afterAll(() => db.close());

/** Wins a deal at `at` with a note (or none), from a lead source. */
async function winAt(
  ws: Workspace,
  rep: Member,
  at: string,
  deal: { customer: string; euros: number; note?: string; source?: string; title?: string },
) {
  clock.set(at);
  const logged = await seedDeal(sales, ws, rep, {
    amount: BigInt(deal.euros * 100),
    customer: deal.customer,
    source: deal.source,
    title: deal.title,
  });
  await sales.deals.winDeal(ws, rep, logged.number, { note: deal.note });
  return logged;
}

/** A workspace whose two reps won deals in October and November 2026, most with a note. */
async function team(settings: { locale?: "en" | "fr" } = {}) {
  clock.set("2026-10-01T08:00:00Z");
  const ws = await seedWorkspace(sales, { timezone: "Europe/Paris", ...settings });
  const alice = await seedRep(sales, ws, "alice");
  const bob = await seedRep(sales, ws, "bob");
  await winAt(ws, alice, "2026-10-05T10:00:00Z", {
    customer: "Café Lumière",
    euros: 4000,
    note: "Démo personnalisée avec leur équipe",
    source: "Salon",
  });
  await winAt(ws, bob, "2026-10-20T10:00:00Z", {
    customer: "Acme",
    euros: 12000,
    note: "Referral from their CFO, closed in two calls",
    source: "referral",
  });
  await winAt(ws, alice, "2026-11-03T10:00:00Z", {
    customer: "Globex",
    euros: 8000,
    note: "A DEMO on their own data",
    source: "Referral",
  });
  await winAt(ws, bob, "2026-11-10T10:00:00Z", { customer: "Initech", euros: 3000 }); // no note
  // A lost deal's note and a deleted win's are not win notes.
  clock.set("2026-11-12T10:00:00Z");
  const lost = await seedDeal(sales, ws, bob, { amount: 100000n, customer: "Lost Demo Co" });
  await sales.deals.loseDeal(ws, bob, lost.number, "price", "demo went badly");
  const deleted = await winAt(ws, bob, "2026-11-13T10:00:00Z", {
    customer: "Gone",
    euros: 500,
    note: "demo",
  });
  const admin = (await sales.members.findMember(ws, "admin")) as Member;
  await sales.deals.deleteDeal(ws, admin, deleted.number);
  clock.set("2026-11-18T10:00:00Z");
  return { ws, alice, bob };
}

/** The customers of the notes a line of `/wins` lists, in order. */
async function customers(ws: Workspace, actor: Member, line: string): Promise<string[]> {
  const text = await runText(sales, ws, actor, line);
  return [...text.matchAll(/#\d+ ([^·]+?) ·/g)].map((m) => m[1] ?? "");
}

describe("/wins", () => {
  it("GIVEN noted wins THEN /wins lists every win note of the workspace, newest first, with date, deal, amount and rep", async () => {
    const { ws, alice } = await team();
    const text = await runText(sales, ws, alice, "/wins");
    expect(text).toContain("💡 What works: win notes");
    expect(text).toContain("Nov 3, 2026 · #3 Globex · €8,000 · alice: A DEMO on their own data");
    expect(await customers(ws, alice, "/wins")).toEqual(["Globex", "Acme", "Café Lumière"]);
  });

  it("GIVEN words to find THEN case and accents do not matter, in the note, the customer or the title", async () => {
    const { ws, bob } = await team();
    expect(await customers(ws, bob, "/wins demo")).toEqual(["Globex", "Café Lumière"]);
    expect(await customers(ws, bob, "/wins ÉQUIPE")).toEqual(["Café Lumière"]);
    expect(await customers(ws, bob, "/wins cafe lumiere")).toEqual(["Café Lumière"]);
    expect(await customers(ws, bob, "/wins 100%")).toEqual([]);
    expect(await runText(sales, ws, bob, "/wins nothing like this")).toContain("No win note matches.");
  });

  it("GIVEN a period, before or after the words THEN only the notes of deals won in it", async () => {
    const { ws, bob } = await team();
    expect(await customers(ws, bob, "/wins last month")).toEqual(["Acme", "Café Lumière"]);
    expect(await customers(ws, bob, "/wins demo last month")).toEqual(["Café Lumière"]);
    expect(await customers(ws, bob, "/wins 2026-11 demo")).toEqual(["Globex"]);
    expect(await runText(sales, ws, bob, "/wins demo month")).toContain(
      "💡 What works: win notes · “demo” · This month",
    );
  });

  it("GIVEN a lead source THEN only its deals' notes, its case and accents aside", async () => {
    const { ws, bob } = await team();
    expect(await customers(ws, bob, "/wins source:REFERRAL")).toEqual(["Globex", "Acme"]);
    expect(await customers(ws, bob, "/wins source:salon")).toEqual(["Café Lumière"]);
    expect(await customers(ws, bob, "/wins demo last month source:referral")).toEqual([]);
  });

  it(`GIVEN more than ${WIN_NOTES_SHOWN} notes THEN the newest ${WIN_NOTES_SHOWN} are listed and the rest counted`, async () => {
    const { ws, alice } = await team();
    for (let i = 1; i <= 10; i++) {
      const day = String(i + 10).padStart(2, "0");
      await winAt(ws, alice, `2026-11-${day}T15:00:00Z`, {
        customer: `Client ${i}`,
        euros: 100 * i,
        note: `note ${i}`,
      });
    }
    const text = await runText(sales, ws, alice, "/wins");
    expect(await customers(ws, alice, "/wins")).toEqual([
      ...Array.from({ length: 10 }, (_, i) => `Client ${10 - i}`),
    ]);
    expect(text).toContain("…and 3 more");
  });

  it("GIVEN another workspace's notes THEN /wins never shows them", async () => {
    const { ws, alice } = await team();
    const other = await seedWorkspace(sales);
    const rep = await seedRep(sales, other, "zoe");
    await winAt(other, rep, "2026-11-15T10:00:00Z", { customer: "Secret Co", euros: 900, note: "demo" });
    clock.set("2026-11-18T10:00:00Z");
    expect(await customers(ws, alice, "/wins demo")).toEqual(["Globex", "Café Lumière"]);
  });

  it("GIVEN a French workspace THEN /wins reads French periods and keys and answers in French", async () => {
    const { ws, alice } = await team({ locale: "fr" });
    const text = await runText(sales, ws, alice, "/wins démo mois dernier origine:Salon");
    expect(text).toContain("💡 Ce qui marche\u202f: les notes de victoire · «\u202fdémo\u202f» · ");
    expect(text).toContain(
      "#1 Café Lumière · 4\u202f000\u00a0€ · alice\u202f: Démo personnalisée avec leur équipe",
    );
    expect(await runText(sales, ws, alice, "/wins introuvable")).toContain(
      "Aucune note de victoire ne correspond.",
    );
  });
});
