import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awardsOf } from "../../src/announcements/awards.js";
import type { Database } from "../../src/db/client.js";
import { renderText } from "../../src/platforms/shell/render-text.js";
import type { Member, Workspace } from "../../src/sales/deps.js";
import { KUDOS_MAX_TEXT, KUDOS_PER_DAY } from "../../src/sales/kudos/kudos-service.js";
import { periodOfDate } from "../../src/sales/periods/period.js";
import type { SalesService } from "../../src/sales/sales-service.js";
import { calendarOf } from "../../src/sales/workspaces/workspace-service.js";
import {
  createTestSales,
  type FixedClock,
  run,
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

/** A workspace in Paris with a wins channel, its admin and two reps. */
async function team(settings: { locale?: "en" | "fr" } = {}) {
  clock.set("2026-11-18T10:00:00Z");
  const fresh = await seedWorkspace(sales, { timezone: "Europe/Paris", ...settings });
  const admin = (await sales.members.findMember(fresh, "admin")) as Member;
  const ws = await sales.workspaces.setConfig(fresh, admin, "wins_channel", "#wins");
  const alice = await seedRep(sales, ws, "alice");
  const bob = await seedRep(sales, ws, "bob");
  return { ws, admin, alice, bob };
}

const kudosOf = (ws: Workspace) =>
  db.prisma.kudos.findMany({ where: { workspaceId: ws.id }, orderBy: { id: "asc" } });
const kudosPosts = (ws: Workspace) =>
  db.prisma.outbox.findMany({ where: { workspaceId: ws.id, kind: "kudos" }, orderBy: { id: "asc" } });

describe("kudos", () => {
  it(`GIVEN ${KUDOS_PER_DAY} kudos given in a local day THEN the next is refused, and the next local day (midnight in Paris, 23:00 UTC) allows one again`, async () => {
    const { ws, alice, bob } = await team();
    clock.set("2026-11-18T08:00:00Z");
    for (let i = 1; i <= KUDOS_PER_DAY; i++) {
      const reply = await runText(sales, ws, alice, `/kudos @bob thanks #${i}`);
      expect(reply).toContain("🙌 Kudos sent to bob");
    }
    clock.set("2026-11-18T22:59:00Z"); // 23:59 in Paris: the same local day
    const refused = await run(sales, ws, alice, "/kudos @bob one more");
    expect(refused.tone).toBe("error");
    expect(renderText(refused)).toContain("You have given your 3 kudos for today");
    // Another giver has their own allowance.
    expect((await run(sales, ws, bob, "/kudos @alice thanks back")).tone).toBeUndefined();
    clock.set("2026-11-18T23:00:00Z"); // midnight in Paris: a new local day
    const next = await runText(sales, ws, alice, "/kudos @bob a new day");
    expect(next).toContain("2 kudos left for today.");
    expect((await kudosOf(ws)).map((k) => k.text)).toEqual([
      "thanks #1",
      "thanks #2",
      "thanks #3",
      "thanks back",
      "a new day",
    ]);
  });

  it("GIVEN two kudos sent at once for the last one of the day THEN exactly one is kept and posted", async () => {
    const { ws, admin, alice, bob } = await team();
    await sales.kudos.giveKudos(ws, alice, bob, "one");
    await sales.kudos.giveKudos(ws, alice, admin, "two");
    const results = await Promise.allSettled([
      sales.kudos.giveKudos(ws, alice, bob, "three"),
      sales.kudos.giveKudos(ws, alice, admin, "three too"),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await kudosOf(ws)).toHaveLength(KUDOS_PER_DAY);
    expect(await kudosPosts(ws)).toHaveLength(KUDOS_PER_DAY);
  });

  it("GIVEN a kudos THEN it is one wins-channel post keyed by its id, carrying the text as typed, and the reply counts what is left", async () => {
    const { ws, alice } = await team();
    const reply = await runText(sales, ws, alice, "/kudos @bob <!channel> @everyone great demo");
    expect(reply).toContain("“<!channel> @everyone great demo”");
    expect(reply).toContain("Posted in the wins channel.");
    expect(reply).toContain("2 kudos left for today.");
    const [given] = await kudosOf(ws);
    const posts = await kudosPosts(ws);
    expect(posts.map((p) => [p.dedupeKey, p.destination])).toEqual([[`kudos:${given?.id}`, "#wins"]]);
    expect(posts[0]?.payload).toMatchObject({
      visibility: "public",
      title: "🙌 alice thanks bob",
      lines: ["“<!channel> @everyone great demo”"],
    });
  });

  it("GIVEN kudos to oneself, to an unknown member, without text or too long THEN each is refused by name and nothing is written", async () => {
    const { ws, alice } = await team();
    const cases: [string, string][] = [
      ["/kudos @alice I did great", "Kudos are for a colleague, not for yourself."],
      ["/kudos @nobody thanks", "There is no member nobody."],
      ["/kudos @bob", "Say what you thank them for"],
      [`/kudos @bob ${"x".repeat(KUDOS_MAX_TEXT + 1)}`, `at most ${KUDOS_MAX_TEXT} characters`],
      ["/kudos thanks a lot", "Name a member"],
    ];
    for (const [line, message] of cases) {
      const reply = await run(sales, ws, alice, line);
      expect(reply.tone, line).toBe("error");
      expect(renderText(reply), line).toContain(message);
    }
    expect(await kudosOf(ws)).toEqual([]);
    expect(await kudosPosts(ws)).toEqual([]);
  });

  it("GIVEN a removed member THEN they cannot be thanked", async () => {
    const { ws, admin, alice, bob } = await team();
    await sales.members.removeMember(ws, admin, bob);
    const reply = await run(sales, ws, alice, "/kudos @bob thanks");
    expect(reply.tone).toBe("error");
    expect(await kudosOf(ws)).toEqual([]);
  });

  it("GIVEN a workspace without a wins channel THEN the kudos is kept for the awards, not posted, and the reply says so", async () => {
    clock.set("2026-11-18T10:00:00Z");
    const ws = await seedWorkspace(sales);
    const alice = await seedRep(sales, ws, "alice");
    await seedRep(sales, ws, "bob");
    const reply = await runText(sales, ws, alice, "/kudos @bob thanks");
    expect(reply).toContain("No wins channel is set");
    expect(await kudosOf(ws)).toHaveLength(1);
    expect(await kudosPosts(ws)).toEqual([]);
  });

  it("GIVEN a French workspace THEN /kudos answers and posts in French", async () => {
    const { ws, alice } = await team({ locale: "fr" });
    const reply = await runText(sales, ws, alice, "/kudos @bob merci pour la démo");
    expect(reply).toContain("🙌 Kudos envoyés à bob");
    expect(reply).toContain("Encore 2 kudos possibles aujourd’hui.");
    expect(renderText(await run(sales, ws, alice, "/kudos @alice bravo moi"))).toContain(
      "Les kudos, c’est pour un collègue, pas pour soi-même.",
    );
    const [post] = await kudosPosts(ws);
    expect(post?.payload).toMatchObject({
      title: "🙌 alice remercie bob",
      lines: ["«\u202fmerci pour la démo\u202f»"],
    });
  });
});

describe("monthly awards: most thanked and what works", () => {
  it("GIVEN kudos and noted wins in November THEN the month's awards name the most thanked (a tie to whoever got there first) and quote the largest win's note", async () => {
    const { ws, admin, alice, bob } = await team();
    const carol = await seedRep(sales, ws, "carol");
    clock.set("2026-11-02T09:00:00Z");
    await sales.kudos.giveKudos(ws, alice, bob, "demo");
    await sales.kudos.giveKudos(ws, admin, carol, "help");
    clock.set("2026-11-03T09:00:00Z");
    await sales.kudos.giveKudos(ws, alice, carol, "again");
    clock.set("2026-11-04T09:00:00Z");
    // bob reaches 2 after carol did: carol is the most thanked.
    await sales.kudos.giveKudos(ws, carol, bob, "thanks");
    clock.set("2026-12-01T09:00:00Z"); // December: not November's
    await sales.kudos.giveKudos(ws, alice, bob, "later");
    await sales.kudos.giveKudos(ws, carol, bob, "later");

    clock.set("2026-11-10T10:00:00Z");
    const small = await seedDeal(sales, ws, alice, { amount: 500000n, customer: "Small Co" });
    await sales.deals.winDeal(ws, alice, small.number, { note: "a quick call" });
    const big = await seedDeal(sales, ws, bob, { amount: 2000000n, customer: "Big Co" });
    await sales.deals.winDeal(ws, bob, big.number, { note: "a pilot with their ops team" });
    const bigger = await seedDeal(sales, ws, carol, { amount: 3000000n, customer: "No Note Inc" });
    await sales.deals.winDeal(ws, carol, bigger.number);

    clock.set("2026-12-01T09:00:00Z");
    const november = periodOfDate("month", "2026-11-01", calendarOf(ws));
    const [post] = await awardsOf(sales, ws, "monthly", november);
    expect(post?.reply.lines).toContain("🙌 Most thanked: carol · 2 kudos");
    expect(post?.reply.lines).toContain(
      "💡 What works: “a pilot with their ops team” (bob · #2 Big Co · €20,000)",
    );
    // The weekly awards leave both to the month.
    const week = periodOfDate("week", "2026-11-09", calendarOf(ws));
    const [weekly] = await awardsOf(sales, ws, "weekly", week);
    expect(weekly?.reply.lines.join("\n")).not.toMatch(/Most thanked|What works/);
    // Another workspace's kudos count for nobody here.
    const other = await team();
    const [otherPost] = await awardsOf(sales, other.ws, "monthly", november);
    expect(otherPost).toBeUndefined();
  });
});
