import { describe, expect, it } from "vitest";
import { slackTeamOfTwo } from "./support.js";

const team = slackTeamOfTwo();

describe("Slack: /contact", () => {
  it("GIVEN /contact add typed in Slack THEN the contact is kept, escaped when shown, and only the owner's side may remove it", async () => {
    expect(await team.command("/deal", "log 12k Acme")).toContain("Acme");
    expect(
      await team.command(
        "/contact",
        'add Acme name:"<!channel> Jane" email:jane@acme.com phone:+12125550123',
        team.BOB,
      ),
    ).toContain("👤 &lt;!channel&gt; Jane added to Acme's contacts");
    expect(await team.command("/contact", 'remove Acme name:"<!channel> Jane"', team.BOB)).toContain(
      "Only alice (the customer's owner), their manager or an admin can change this customer's contacts.",
    );
    const customer = await team.command("/customer", "Acme");
    expect(customer).toContain("&lt;!channel&gt; Jane · jane@acme.com · +1 212 555 0123");
    expect(customer).not.toContain("<!channel>");
    expect(await team.command("/contact", 'remove Acme name:"<!channel> jane"')).toContain(
      "removed from Acme's contacts",
    );
    expect(await team.db().prisma.contact.count()).toBe(0);
  });
});
