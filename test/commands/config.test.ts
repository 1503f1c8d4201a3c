import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { createTestSales, runText, seedMember, seedWorkspace } from "../fixtures/sales.js";
import { openTestDatabase } from "../support/db.js";

describe("/closer config for notifications", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db.close());

  it.each([
    ["wins_channel", "#wins", "wins"],
    ["wins_channel", "<#C0WINS|wins>", "C0WINS"],
    ["wins_channel", "<#910000000000000003>", "910000000000000003"],
    ["digest_channel", "sales-digest", "sales-digest"],
    ["digest_time", "08:30", "08:30"],
    ["digest_days", "mon,wed,fri", "mon,wed,fri"],
    ["digest_days", "lun-ven", "mon-fri"],
    ["digest_days", "working", "working"],
    ["working_days", "mon-thu", "mon-thu"],
    ["followup_days", "5", "5"],
    ["stalled_days", "21", "21"],
    ["dormant_days", "120", "120"],
    ["announce.win", "off", "off"],
    ["announce.milestone", "off", "off"],
    ["announce.weekly", "off", "off"],
    ["announce.monthly", "off", "off"],
    ["announce.digest", "off", "off"],
    ["announce.reminders", "off", "off"],
  ])("GIVEN %s set to %s THEN it is stored as %s and listed by config show", async (key, value, shown) => {
    const { sales } = createTestSales(db);
    const ws = await seedWorkspace(sales);
    const admin = await seedMember(sales, ws, "admin", "admin");
    expect(await runText(sales, ws, admin, `/closer config set ${key} ${value}`)).toBe(
      `${key} is now ${shown}`,
    );
    const listed = await runText(sales, ws, admin, "/closer config show");
    expect(listed).toMatch(new RegExp(`\\n  ${key.replace(".", "\\.")}\\s+${shown}(\\n|$)`));
  });

  it.each(["none", "off", "NONE"])(
    "GIVEN wins_channel set THEN %s unsets it and config show says it is not set",
    async (word) => {
      const { sales } = createTestSales(db);
      const ws = await seedWorkspace(sales);
      const admin = await seedMember(sales, ws, "admin", "admin");
      await runText(sales, ws, admin, "/closer config set wins_channel #wins");
      expect(await runText(sales, ws, admin, `/closer config set wins_channel ${word}`)).toBe(
        "wins_channel is now not set",
      );
      expect(await runText(sales, ws, admin, "/closer config show")).toMatch(
        /\n {2}wins_channel\s+not set\n/,
      );
      expect(await runText(sales, ws, admin, "/closer status")).toContain("not set");
    },
  );

  it.each(["aucun", "Aucune", "none"])(
    "GIVEN a French workspace with wins_channel set THEN %s unsets it and config show says « non défini »",
    async (word) => {
      const { sales } = createTestSales(db);
      const ws = await seedWorkspace(sales, { locale: "fr" });
      const admin = await seedMember(sales, ws, "admin", "admin");
      await runText(sales, ws, admin, "/closer config set wins_channel #victoires");
      expect(await runText(sales, ws, admin, "/closer config show")).toMatch(
        /\n {2}wins_channel\s+victoires\n/,
      );
      expect(await runText(sales, ws, admin, `/closer config set wins_channel ${word}`)).toBe(
        "wins_channel vaut maintenant non défini",
      );
      expect(await runText(sales, ws, admin, "/closer config show")).toMatch(
        /\n {2}wins_channel\s+non défini\n/,
      );
    },
  );

  it("GIVEN a channel unset THEN setting a channel again works, and one named - or #none is told from unset", async () => {
    const { sales } = createTestSales(db);
    const ws = await seedWorkspace(sales);
    const admin = await seedMember(sales, ws, "admin", "admin");
    expect(await runText(sales, ws, admin, "/closer config show")).toMatch(
      /\n {2}digest_channel\s+not set\n/,
    );
    await runText(sales, ws, admin, "/closer config set digest_channel off");
    expect(await runText(sales, ws, admin, "/closer config set digest_channel #sales")).toBe(
      "digest_channel is now sales",
    );
    expect(await runText(sales, ws, admin, "/closer config set wins_channel -")).toBe(
      "wins_channel is now -",
    );
    expect(await runText(sales, ws, admin, "/closer config set digest_channel #none")).toBe(
      "digest_channel is now none",
    );
    const listed = await runText(sales, ws, admin, "/closer config show");
    expect(listed).toMatch(/\n {2}wins_channel\s+-\n/);
    expect(listed).toMatch(/\n {2}digest_channel\s+none\n/);
    expect(listed).toMatch(/\n {2}manager_role\s+not set\n/);
  });

  it.each(["none", "off", "aucun", "-"])("GIVEN a manager role THEN %s unsets it", async (word) => {
    const { sales } = createTestSales(db);
    const ws = await seedWorkspace(sales);
    const admin = await seedMember(sales, ws, "admin", "admin");
    await runText(sales, ws, admin, "/closer config set manager_role <@&123456789>");
    expect(await runText(sales, ws, admin, `/closer config set manager_role ${word}`)).toBe(
      "manager_role is now not set",
    );
  });

  it("GIVEN the digest days unset THEN the digest follows the working days", async () => {
    const { sales } = createTestSales(db);
    const ws = await seedWorkspace(sales);
    const admin = await seedMember(sales, ws, "admin", "admin");
    expect(await runText(sales, ws, admin, "/closer config show")).toMatch(/\n {2}digest_days\s+working\n/);
    expect(await runText(sales, ws, admin, "/closer status")).toContain("Digest at 09:00 on mon-fri (UTC)");
    await runText(sales, ws, admin, "/closer config set working_days sun-thu");
    expect(await runText(sales, ws, admin, "/closer status")).toContain("Digest at 09:00 on sun-thu (UTC)");
  });

  it("GIVEN a manager THEN config is theirs to change but the notification queue is the admins'", async () => {
    const { sales } = createTestSales(db);
    const ws = await seedWorkspace(sales);
    const marie = await seedMember(sales, ws, "marie", "manager");
    expect(await runText(sales, ws, marie, "/closer config set wins_channel #wins")).toBe(
      "wins_channel is now wins",
    );
    expect(await runText(sales, ws, marie, "/closer status")).toBe("! Only an admin can do that.");
    expect(await runText(sales, ws, marie, "/closer retry")).toBe("! Only an admin can do that.");
  });
});
