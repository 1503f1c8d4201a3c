import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { openTestDatabase } from "../support/db.js";
import { shell } from "../support/shell.js";

describe("shell: correcting deals", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db.close());

  it("GIVEN edit, delete and restore typed THEN each runs at once, with no form button and no question", async () => {
    const out = await shell(db, [
      "/deal log 12k Acme stage:proposal",
      '/deal edit #1 15k title:"Pilot"',
      "/deal delete #1",
      "/deal list open all",
      "/deal restore #1",
      "/deal list open all",
    ]);
    expect(out).toMatchInlineSnapshot(`
      "Deal #1 logged
        #1 Acme · €12,000 · proposal (50%) · admin
        [Won: /deal won #1] [Lost: /deal lost #1] [Move to negotiation: /deal stage #1 negotiation]
      Deal #1 edited
        #1 Acme · €15,000 · proposal (50%) · admin
        Amount: €12,000.00 → €15,000.00
        Title: none → Pilot
        [Won: /deal won #1] [Lost: /deal lost #1] [Move to negotiation: /deal stage #1 negotiation]
      Deal #1 deleted: it no longer counts anywhere. /deal restore #1 brings it back.
        #1 Acme · €15,000 · proposal (50%) · admin
      Open pipeline: everyone
        No open deals.
      Deal #1 restored
        #1 Acme · €15,000 · proposal (50%) · admin
        [Won: /deal won #1] [Lost: /deal lost #1] [Move to negotiation: /deal stage #1 negotiation]
      Open pipeline: everyone
        no date · #1 Acme · proposal (50%) · €15,000 · weighted €7,500 · admin
      "
    `);
  });
});
