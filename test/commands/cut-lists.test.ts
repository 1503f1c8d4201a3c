import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderDigest } from "../../src/announcements/digest.js";
import { remindersOf } from "../../src/announcements/reminders.js";
import type { Database } from "../../src/db/client.js";
import { speakerFor } from "../../src/messages/speaker.js";
import { renderText } from "../../src/platforms/shell/render-text.js";
import { createTestSales, run, runText, seedMember, seedRep, seedWorkspace } from "../fixtures/sales.js";
import { openTestDatabase } from "../support/db.js";

/*
 * A list cut at N says exactly how many more there are: "…and 2 more", « … et 2 autres ».
 */
describe("GIVEN lists longer than what an answer shows THEN it says how many more there are", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db.close());

  it("GIVEN 22 deals THEN /deal list all shows 20 and says 2 more; 20 deals say nothing more", async () => {
    const { sales } = createTestSales(db);
    const ws = await seedWorkspace(sales);
    const admin = await seedMember(sales, ws, "admin", "admin");
    for (let i = 1; i <= 20; i++)
      await sales.deals.logDeal(ws, admin, { amount: 100_000n, customer: `C${i}` });
    const whole = (await run(sales, ws, admin, "/deal list all")).lines;
    expect(whole).toHaveLength(20);
    expect(whole.at(-1)).toMatch(/^#1 C1 /);
    for (let i = 21; i <= 22; i++)
      await sales.deals.logDeal(ws, admin, { amount: 100_000n, customer: `C${i}` });
    const cut = (await run(sales, ws, admin, "/deal list all")).lines;
    expect(cut).toHaveLength(21);
    expect(cut.at(-2)).toMatch(/^#3 C3 /);
    expect(cut.at(-1)).toBe("…and 2 more");
    await run(sales, ws, admin, "/closer config set locale fr");
    expect((await run(sales, ws, admin, "/deal list all")).lines.at(-1)).toBe("… et 2 autres");
    await sales.deals.logDeal(ws, admin, { amount: 100_000n, customer: "C23", stage: "proposal" });
    // Only the proposals: one, so the list is whole.
    expect((await run(sales, ws, admin, "/deal list all stage:proposal")).lines).toHaveLength(1);
  });

  it("GIVEN a customer whose deals have more events than /customer shows THEN it shows the latest 15 and says exactly how many more", async () => {
    const { sales } = createTestSales(db);
    const ws = await seedWorkspace(sales);
    const admin = await seedMember(sales, ws, "admin", "admin");
    for (let i = 1; i <= 10; i++)
      await sales.deals.logDeal(ws, admin, { amount: 100_000n, customer: "Acme" });
    const events = () => db.prisma.dealEvent.count({ where: { workspaceId: ws.id } });
    expect(await events()).toBeLessThanOrEqual(15);
    expect((await run(sales, ws, admin, "/customer Acme")).lines.at(-1)).not.toMatch(/more/);
    for (let i = 11; i <= 20; i++)
      await sales.deals.logDeal(ws, admin, { amount: 100_000n, customer: "Acme" });
    const lines = (await run(sales, ws, admin, "/customer Acme")).lines;
    expect(lines).toHaveLength(1 + 15 + 1);
    expect(lines.at(-1)).toBe(`…and ${(await events()) - 15} more`);
  });

  it("GIVEN 12 reps with wins THEN /leaderboard shows 10 and says 2 more", async () => {
    const { sales } = createTestSales(db);
    const ws = await seedWorkspace(sales);
    const admin = await seedMember(sales, ws, "admin", "admin");
    for (let i = 1; i <= 12; i++) {
      const rep = await seedRep(sales, ws, `rep${String(i).padStart(2, "0")}`);
      await sales.deals.logDeal(ws, rep, { amount: BigInt(i) * 100_000n, customer: `C${i}`, stage: "won" });
    }
    const text = await runText(sales, ws, admin, "/leaderboard month");
    expect(text.split("\n").filter((l) => /rep\d\d/.test(l))).toHaveLength(10);
    expect(text).toContain("…and 2 more");
    expect(text).not.toContain("rep02");
  });

  it("GIVEN 7 stalled deals and 6 wins yesterday THEN the digest lists 5 of each and says how many more", async () => {
    const { sales, clock } = createTestSales(db);
    const ws = await seedWorkspace(sales);
    const admin = await seedMember(sales, ws, "admin", "admin");
    clock.set("2026-10-20T10:00:00Z");
    for (let i = 1; i <= 7; i++)
      await sales.deals.logDeal(ws, admin, { amount: 100_000n, customer: `Old ${i}` });
    clock.set("2026-11-17T10:00:00Z");
    for (let i = 1; i <= 6; i++)
      await sales.deals.logDeal(ws, admin, { amount: 100_000n, customer: `Won ${i}`, stage: "won" });
    clock.set("2026-11-18T08:00:00Z");
    const digest = await sales.digest.computeDigest(ws, null);
    expect(digest.stalled.total).toBe(7);
    const text = renderText(renderDigest(speakerFor(ws), digest));
    expect(text).toContain(
      [
        "  Yesterday: 6 won · €6,000",
        ...[8, 9, 10, 11, 12].map((n) => `    #${n} Won ${n - 7} · €1,000 · admin`),
        "    …and 1 more",
      ].join("\n"),
    );
    expect(text).toContain(
      ["    #5 Old 5 · €1,000 · last activity Oct 20, 2026", "    …and 2 more", "  Lost reasons: none"].join(
        "\n",
      ),
    );
  });

  it("GIVEN a rep with 12 stalled deals THEN the morning DM is their focus list: the ten most valuable, each with its button", async () => {
    const { sales, clock } = createTestSales(db);
    const ws = await seedWorkspace(sales);
    const alice = await seedRep(sales, ws, "alice");
    const bob = await seedRep(sales, ws, "bob");
    clock.set("2026-10-20T10:00:00Z");
    for (let i = 1; i <= 12; i++)
      await sales.deals.logDeal(ws, alice, { amount: BigInt(i * 100_000), customer: `A${i}` });
    for (let i = 1; i <= 2; i++) await sales.deals.logDeal(ws, bob, { amount: 100_000n, customer: `B${i}` });
    await db.prisma.reminder.updateMany({ where: { workspaceId: ws.id }, data: { done: true } });
    clock.set("2026-11-18T08:00:00Z");
    const notes = await remindersOf(sales, ws, "2026-11-18");
    const dmOf = (name: string) => notes.find((n) => n.destination === `@${name}`)?.reply;
    const lines = dmOf("alice")?.lines ?? [];
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe("1. #12 A12 has been quiet since Oct 20, 2026 · €1,200 weighted");
    expect(lines[9]).toMatch(/^10\. #3 A3 /);
    expect(dmOf("alice")?.actions?.map((a) => `${a.label} /${a.command} ${a.value}`)[0]).toBe(
      "1. Plan a call /remind #12 tomorrow Call back",
    );
    expect(dmOf("bob")?.lines).toHaveLength(2);
    expect(notes.map((n) => n.destination).sort()).toEqual(["@alice", "@bob"]);
  });
});
