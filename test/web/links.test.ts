import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { tokenHash } from "../../src/sales/links/link-service.js";
import { createTestSales, run, seedMember, seedWorkspace } from "../fixtures/sales.js";
import { openTestDatabase } from "../support/db.js";

const TOKEN_IN = /\/(tv|dashboard)\/([A-Za-z0-9_-]{43})\b/;

function tokenOf(line: string | undefined): string {
  const token = TOKEN_IN.exec(line ?? "")?.[2];
  if (!token) throw new Error(`no link in ${line}`);
  return token;
}

describe("view links", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db.close());

  it("GIVEN an admin's /closer tv THEN the link is shown once to them, at PUBLIC_URL, and only its hash is stored", async () => {
    const { sales } = createTestSales(db);
    const ws = await seedWorkspace(sales);
    const admin = await seedMember(sales, ws, "admin", "admin");
    const reply = await run(sales, ws, admin, "/closer tv");
    expect(reply.visibility).toBe("ephemeral");
    expect(reply.title).toBe("Your TV screen link");
    expect(reply.lines[0]).toMatch(/^Open http:\/\/localhost:3000\/tv\/[A-Za-z0-9_-]{43} on the screen/);
    const token = tokenOf(reply.lines[0]);
    const rows = await db.prisma.viewLink.findMany({ where: { workspaceId: ws.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]?.tokenHash).toBe(tokenHash(token));
    expect(JSON.stringify(rows, (_, v) => (typeof v === "bigint" ? String(v) : v))).not.toContain(token);
    const link = await sales.links.resolve(token, sales.clock.now());
    expect(link?.kind).toBe("tv");
    expect(link?.workspace.id).toBe(ws.id);
    expect(link?.expiresAt).toBeNull();
  });

  it("GIVEN a rep or a manager THEN /closer tv and /closer tv revoke are refused and nothing is created", async () => {
    const { sales } = createTestSales(db);
    const ws = await seedWorkspace(sales);
    const rep = await seedMember(sales, ws, "rita", "rep");
    const manager = await seedMember(sales, ws, "mo", "manager");
    for (const who of [rep, manager]) {
      for (const line of ["/closer tv", "/closer tv revoke"]) {
        const reply = await run(sales, ws, who, line);
        expect(reply.tone).toBe("error");
        expect(reply.lines.join(" ")).toContain("Only an admin can do that.");
      }
    }
    expect(await db.prisma.viewLink.count({ where: { workspaceId: ws.id } })).toBe(0);
  });

  it("GIVEN two TV links THEN /closer tv revoke ends both: an ended token resolves like an unknown one", async () => {
    const { sales } = createTestSales(db);
    const ws = await seedWorkspace(sales, { locale: "fr" });
    const admin = await seedMember(sales, ws, "admin", "admin");
    const first = tokenOf((await run(sales, ws, admin, "/closer tv")).lines[0]);
    const second = tokenOf((await run(sales, ws, admin, "/closer tv")).lines[0]);
    const revoked = await run(sales, ws, admin, "/closer tv revoke");
    expect(revoked.title).toBe("2 liens d’écran TV révoqués");
    const now = sales.clock.now();
    expect(await sales.links.resolve(first, now)).toBeUndefined();
    expect(await sales.links.resolve(second, now)).toBeUndefined();
    expect((await run(sales, ws, admin, "/closer tv revoke")).title).toBe("Aucun lien d’écran TV à révoquer");
    const third = tokenOf((await run(sales, ws, admin, "/closer tv")).lines[0]);
    expect((await sales.links.resolve(third, now))?.workspace.id).toBe(ws.id);
  });

  it("GIVEN unknown or malformed tokens THEN nothing resolves", async () => {
    const { sales } = createTestSales(db);
    const now = sales.clock.now();
    for (const token of ["", "x", "A".repeat(43), "' OR 1=1 --", "A".repeat(44), "../../etc/passwd"]) {
      expect(await sales.links.resolve(token, now)).toBeUndefined();
    }
  });

  it("GIVEN /closer dashboard THEN a manager's link shows their team, an admin's everyone, for 30 days; a rep is refused", async () => {
    const { sales, clock } = createTestSales(db);
    const ws = await seedWorkspace(sales);
    const admin = await seedMember(sales, ws, "admin", "admin");
    const manager = await seedMember(sales, ws, "mona", "manager");
    const rep = await seedMember(sales, ws, "rex", "rep");
    await run(sales, ws, admin, "/closer team add North @mona @rex");
    const mine = await run(sales, ws, manager, "/closer dashboard");
    expect(mine.title).toBe("Your dashboard link for team North");
    expect(mine.lines[1]).toBe(
      "It works until Dec 18, 2026 and is shown only this once: keep it to yourself.",
    );
    const managerLink = await sales.links.resolve(tokenOf(mine.lines[0]), clock.now());
    expect(managerLink?.kind).toBe("dashboard");
    expect(managerLink?.team?.name).toBe("North");
    const all = await run(sales, ws, admin, "/closer dashboard");
    expect(all.title).toBe("Your dashboard link for everyone");
    const adminToken = tokenOf(all.lines[0]);
    expect((await sales.links.resolve(adminToken, clock.now()))?.team).toBeNull();
    const refused = await run(sales, ws, rep, "/closer dashboard");
    expect(refused.lines.join(" ")).toContain("Only a manager or an admin can do that.");
    // A dashboard link opens no TV screen: the page checks the kind it resolves.
    expect((await sales.links.resolve(adminToken, clock.now()))?.kind).not.toBe("tv");
    clock.advance(30 * 86_400_000 - 1);
    expect(await sales.links.resolve(adminToken, clock.now())).toBeDefined();
    clock.advance(1);
    expect(await sales.links.resolve(adminToken, clock.now())).toBeUndefined();
  });

  it("GIVEN a manager's team deleted THEN their dashboard link opens nothing, rather than everyone's figures", async () => {
    const { sales } = createTestSales(db);
    const ws = await seedWorkspace(sales);
    const admin = await seedMember(sales, ws, "admin", "admin");
    const manager = await seedMember(sales, ws, "max", "manager");
    await run(sales, ws, admin, "/closer team add South @max");
    const token = tokenOf((await run(sales, ws, manager, "/closer dashboard")).lines[0]);
    await run(sales, ws, admin, "/closer team delete South");
    expect(await sales.links.resolve(token, sales.clock.now())).toBeUndefined();
  });
});
