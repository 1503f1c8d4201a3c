import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { openTestDatabase } from "../support/db.js";
import { shell } from "../support/shell.js";

describe("shell: /kudos and /wins", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db.close());

  it("GIVEN a wins channel THEN /kudos prints its post to #wins, and /wins lists the win notes", async () => {
    const out = await shell(
      db,
      [
        "/closer config set wins_channel wins",
        "/as bob",
        "/deal log 2k Acme stage:proposal source:referral",
        '/deal won #1 note:"Démo sur leurs données"',
        "/as carol",
        "/kudos @bob <!channel> merci for the intro",
        "/kudos @carol me",
        "/wins demo source:referral",
      ],
      { deliver: true },
    );
    expect(out).toContain("🙌 Kudos sent to bob");
    expect(out).toContain("[#wins] 🙌 carol thanks bob");
    expect(out).toContain("[#wins] 🙌 carol thanks bob\n  “<!channel> merci for the intro”");
    expect(out).toContain("Kudos are for a colleague, not for yourself.");
    expect(out).toContain("💡 What works: win notes · “demo” · source referral");
    expect(out).toContain("#1 Acme · €2,000 · bob: Démo sur leurs données");
  });

  it("GIVEN the workspace in French THEN the same commands answer in French", async () => {
    const out = await shell(db, [
      "/closer config set locale fr",
      "/as bob",
      "/kudos @admin merci pour le coup de main",
      "/wins mois dernier",
    ]);
    expect(out).toContain("🙌 Kudos envoyés à admin");
    expect(out).toContain("Aucune note de victoire ne correspond.");
  });
});
