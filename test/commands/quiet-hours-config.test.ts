import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { CONFIG_KEYS } from "../../src/sales/workspaces/workspace-service.js";
import { createTestSales, runText, seedMember, seedWorkspace } from "../fixtures/sales.js";
import { openTestDatabase } from "../support/db.js";

describe("/closer config quiet_hours", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db.close());

  async function setup(locale: "en" | "fr" = "en") {
    const { sales } = createTestSales(db);
    const ws = await seedWorkspace(sales, { locale });
    const admin = await seedMember(sales, ws, "admin", "admin");
    const text = (line: string) => runText(sales, ws, admin, line);
    return { sales, ws, admin, text };
  }

  it("GIVEN a new workspace THEN config show lists every key, contest_channel and quiet_hours with their defaults", async () => {
    const { text } = await setup();
    const listed = await text("/closer config show");
    for (const key of CONFIG_KEYS) expect(listed).toMatch(new RegExp(`\\n {2}${key.replace(".", "\\.")}\\s`));
    expect(listed).toMatch(/\n {2}contest_channel\s+the wins channel\n/);
    expect(listed).toMatch(/\n {2}quiet_hours\s+off\n/);
  });

  it.each([
    ["20:00-08:00", "20:00-08:00"],
    ["22:30 - 07:00", "22:30-07:00"],
    ["12:00-14:00", "12:00-14:00"],
  ])("GIVEN quiet_hours set to %s THEN it is stored as %s AND listed", async (value, shown) => {
    const { text } = await setup();
    expect(await text(`/closer config set quiet_hours ${value}`)).toBe(`quiet_hours is now ${shown}`);
    expect(await text("/closer config show")).toMatch(new RegExp(`\\n {2}quiet_hours\\s+${shown}\\n`));
  });

  it.each(["off", "none"])("GIVEN quiet hours set THEN %s clears them", async (word) => {
    const { sales, ws, text } = await setup();
    await text("/closer config set quiet_hours 20:00-08:00");
    expect(await text(`/closer config set quiet_hours ${word}`)).toBe("quiet_hours is now off");
    expect((await sales.workspaces.getWorkspace(ws.id)).quietHours).toBeNull();
  });

  it.each(["20h-8h", "20:00", "25:00-08:00", "20:00-20:00", "soon"])(
    "GIVEN quiet_hours %s THEN it is refused with an example AND nothing changes",
    async (value) => {
      const { sales, ws, text } = await setup();
      await text("/closer config set quiet_hours 21:00-07:00");
      expect(await text(`/closer config set quiet_hours ${value}`)).toBe(
        `! “${value}” is not quiet hours; use HH:MM-HH:MM such as 20:00-08:00 (it may cross midnight), or off.`,
      );
      expect((await sales.workspaces.getWorkspace(ws.id)).quietHours).toBe("21:00-07:00");
    },
  );

  it("GIVEN a French workspace THEN quiet hours are set, shown, refused and cleared in French", async () => {
    const { sales, ws, text } = await setup("fr");
    expect(await text("/closer config show")).toMatch(/\n {2}quiet_hours\s+aucune\n/);
    expect(await text("/closer config set quiet_hours 20:00-08:00")).toBe(
      "quiet_hours vaut maintenant 20:00-08:00",
    );
    expect(await text("/closer config set quiet_hours 20h-8h")).toBe(
      "! «\u202f20h-8h\u202f» n’est pas une plage d’heures calmes\u202f; écrivez HH:MM-HH:MM, par exemple 20:00-08:00 (elle peut passer minuit), ou aucune.",
    );
    expect((await sales.workspaces.getWorkspace(ws.id)).quietHours).toBe("20:00-08:00");
    expect(await text("/closer config set quiet_hours aucune")).toBe("quiet_hours vaut maintenant aucune");
    expect((await sales.workspaces.getWorkspace(ws.id)).quietHours).toBeNull();
  });

  it("GIVEN a rep THEN setting quiet hours is refused AND nothing changes", async () => {
    const { sales, ws } = await setup();
    const rep = await seedMember(sales, ws, "rob", "rep");
    expect(await runText(sales, ws, rep, "/closer config set quiet_hours 20:00-08:00")).toBe(
      "! Only a manager or an admin can do that.",
    );
    expect((await sales.workspaces.getWorkspace(ws.id)).quietHours).toBeNull();
  });
});
