import { describe, expect, it } from "vitest";
import { slackTeamOfTwo } from "./support.js";

const { command, BOB } = slackTeamOfTwo();

describe("Slack: products", () => {
  it("GIVEN an admin's catalogue THEN a rep logs a deal by its products, asks /kpi products, and cannot change the catalogue", async () => {
    expect(await command("/closer", 'product add "Pro plan" 1k')).toContain(
      "Product Pro plan · €1,000.00 added",
    );
    expect(await command("/closer", "product add Setup 250")).toContain("Product Setup · €250.00 added");
    const logged = await command("/deal", 'log Acme products:"Pro plan, Setup" stage:won', BOB);
    expect(logged).toContain("Products: Pro plan, Setup");
    expect(logged).toContain("€1,250");
    // The table is in the blocks; Slack's fallback text is the title.
    expect(await command("/kpi", "month products", BOB)).toContain("Products · This month");
    expect(await command("/closer", "product retire Setup", BOB)).toContain(
      "Only a manager or an admin can change the product catalogue.",
    );
    expect(await command("/deal", 'log 5k Globex product:"Gold"', BOB)).toContain(
      "There is no product “Gold”.",
    );
  });
});
