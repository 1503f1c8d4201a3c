import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { createTestSales, run, seedDeal, seedMember, seedWorkspace } from "../fixtures/sales.js";
import { openTestDatabase } from "../support/db.js";

/*
 * A member named by a command that acts on them is added in that command's transaction: a refusal
 * rolls them back, and commands naming the same new member at once add them once.
 */
describe("members named by acting commands", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db.close());

  it("GIVEN refused and succeeding commands naming one new member at once THEN they are added once, by the one that succeeds", async () => {
    const { sales } = createTestSales(db);
    const ws = await seedWorkspace(sales);
    const admin = await seedMember(sales, ws, "admin", "admin");
    for (const customer of ["Acme", "Globex"])
      await seedDeal(sales, ws, admin, { amount: 500_000n, customer });
    const replies = await Promise.all([
      run(sales, ws, admin, "/deal assign #999 @zed"),
      run(sales, ws, admin, "/deal assign #1 @zed"),
      run(sales, ws, admin, "/deal log 5k Initech for:@zed stage:lost"),
      run(sales, ws, admin, "/deal assign #2 @zed"),
    ]);
    expect(replies.map((r) => r.tone ?? "normal")).toEqual(["error", "normal", "error", "normal"]);
    const zed = await db.prisma.member.findMany({ where: { workspaceId: ws.id, platformUserId: "zed" } });
    expect(zed).toHaveLength(1);
    const owners = await db.prisma.deal.findMany({
      where: { workspaceId: ws.id },
      select: { ownerId: true },
    });
    expect(owners).toEqual([{ ownerId: zed[0]?.id }, { ownerId: zed[0]?.id }]);
  });
});
