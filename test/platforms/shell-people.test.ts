import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { openTestDatabase } from "../support/db.js";
import { shell } from "../support/shell.js";

describe("shell: customers, members and teams", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db.close());

  it("GIVEN customers found by part of their name, renamed and merged THEN the shell says so, each choice a command to type", async () => {
    const out = await shell(db, [
      "/deal log 5k Wayne Enterprises",
      "/deal log 3k Wayne Foods",
      "/deal log 2k Acme",
      "/customer wayne",
      "/customer foods",
      '/customer rename Wayne Foods to:"Acme"',
      '/customer merge Wayne Foods into:"Acme"',
      "/customer nothing",
    ]);
    expect(out).toContain(
      [
        "2 customers match “wayne”; pick one",
        "  Wayne Enterprises: /customer Wayne Enterprises",
        "  Wayne Foods: /customer Wayne Foods",
        "Wayne Foods · prospect",
      ].join("\n"),
    );
    expect(out).toContain(
      '! There is already a customer called “Acme”; to make them one, merge them: /customer merge Wayne Foods into:"Acme".',
    );
    expect(out).toContain("Wayne Foods merged into Acme\n  1 deal moved, with its history");
    expect(out).toContain("! No customer's name contains “nothing”. See them all with /customer list.");
  });

  it("GIVEN a member removed THEN /as them is refused everything until they are brought back, and teams rename and delete", async () => {
    const out = await shell(db, [
      "/as bob",
      "/deal log 4k Initech",
      "/as admin",
      "/closer team add North @bob @marie",
      "/closer role @marie manager",
      "/closer team list",
      "/closer member remove @bob",
      "/as bob",
      "/kpi month",
      "/as admin",
      "/deal assign #4 @bob",
      "/closer member restore @bob",
      '/closer team rename North "North East"',
      "/closer team delete north east",
    ]);
    expect(out).toContain("North · managers: marie · members: bob");
    expect(out).toContain(
      [
        "bob no longer takes part in Closer",
        "  Their past deals stay in the history and in their team's and the company's figures; /closer member restore brings them back.",
        "  1 open deal to hand over with /deal assign #n @someone:",
        "  #4 Initech · €4,000 · lead",
      ].join("\n"),
    );
    expect(out).toContain(
      "! You no longer take part in Closer; a manager or an admin can bring you back with /closer member restore.",
    );
    expect(out).toContain("! bob no longer takes part in Closer; a manager or an admin can bring them back");
    expect(out).toContain("bob takes part in Closer again");
    expect(out).toContain("Team North is now called North East");
    expect(out).toContain(
      "Team North East deleted\n  2 members are now in no team\n  0 goals of the team deleted",
    );
  });

  it("GIVEN the French locale THEN the same operations answer in French", async () => {
    const out = await shell(db, [
      "/closer config set locale fr",
      "/customer a",
      "/closer member remove @admin",
      "/closer team delete Personne",
    ]);
    expect(out).toContain("2 clients correspondent à «\u202fa\u202f»\u202f; choisissez-en un");
    expect(out).toContain("  Acme\u202f: /customer Acme");
    expect(out).toContain("! Vous ne pouvez pas vous retirer vous-même\u202f;");
    expect(out).toContain("! Il n’y a pas d’équipe");
  });
});
