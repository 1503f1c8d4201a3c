import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tokenize } from "../../src/commands/grammar/tokenize.js";
import type { Database } from "../../src/db/client.js";
import type { Member } from "../../src/sales/deps.js";
import type { SalesService } from "../../src/sales/sales-service.js";
import { createTestSales, runText, seedDeal, seedMember, seedWorkspace } from "../fixtures/sales.js";
import { openTestDatabase } from "../support/db.js";

let db: Database;
let sales: SalesService;

beforeAll(async () => {
  db = await openTestDatabase();
  ({ sales } = createTestSales(db));
});
afterAll(() => db.close());

/** A workspace where alice owns Acme Corp; bob is another rep, admin its admin. */
async function given(settings: { locale?: "en" | "fr"; currency?: string } = {}) {
  const ws = await seedWorkspace(sales, { timezone: "Europe/Paris", ...settings });
  const admin = await seedMember(sales, ws, "admin", "admin");
  const alice = await seedMember(sales, ws, "alice", "rep");
  const bob = await seedMember(sales, ws, "bob", "rep");
  await seedDeal(sales, ws, alice, { amount: 1_200_000n, customer: "Acme Corp" });
  const contacts = () =>
    db.prisma.contact.findMany({
      where: { workspaceId: ws.id },
      orderBy: { nameKey: "asc" },
      select: { name: true, role: true, email: true, phone: true },
    });
  const as = (who: Member, line: string) => runText(sales, ws, who, line);
  return { ws, admin, alice, bob, contacts, as };
}

describe("/contact add", () => {
  it("GIVEN every field THEN the contact is kept with the email in lower case and the phone in E.164", async () => {
    const { bob, contacts, as } = await given();
    const reply = await as(
      bob,
      '/contact add acme name:"Jane Doe" role:"Head of IT" email:Jane.Doe@Acme.COM phone:"+33 6 12 34 56 78"',
    );
    expect(reply).toBe(
      "👤 Jane Doe added to Acme Corp's contacts\n  Jane Doe · Head of IT · jane.doe@acme.com · +33 6 12 34 56 78",
    );
    expect(await contacts()).toEqual([
      { name: "Jane Doe", role: "Head of IT", email: "jane.doe@acme.com", phone: "+33612345678" },
    ]);
  });

  it("GIVEN a French workspace THEN the French keys are read and a national number is French", async () => {
    const { alice, contacts, as } = await given({ locale: "fr" });
    const reply = await as(
      alice,
      '/contact add Acme nom:"Jeanne Dupont" rôle:DAF e-mail:jeanne@acme.fr téléphone:"01 23 45 67 89"',
    );
    expect(reply).toBe(
      "👤 Jeanne Dupont ajouté aux contacts de Acme Corp\n  Jeanne Dupont · DAF · jeanne@acme.fr · +33 1 23 45 67 89",
    );
    await as(alice, "/contact add Acme nom:Paul tel:0612345678 courriel:paul@acme.fr");
    expect((await contacts()).map((c) => c.phone)).toEqual(["+33123456789", "+33612345678"]);
  });

  it.each([
    [
      "email:jane@",
      "The email “jane@” is not an email address; write it like jane@acme.com. Nothing was saved.",
    ],
    [
      "email:@acme.com",
      "The email “@acme.com” is not an email address; write it like jane@acme.com. Nothing was saved.",
    ],
    [
      "phone:12",
      "The phone number “12” is not a valid international number; start it with + and the country code, like +1 212 555 0123. Nothing was saved.",
    ],
    [
      'phone:"01 23 45 67 89"',
      "The phone number “01 23 45 67 89” is not a valid international number; start it with + and the country code, like +1 212 555 0123. Nothing was saved.",
    ],
    [
      "phone:+33-call-me",
      "The phone number “+33-call-me” is not a valid international number; start it with + and the country code, like +1 212 555 0123. Nothing was saved.",
    ],
  ])(
    "GIVEN %s in an English euro workspace THEN it is refused by name and nothing is written",
    async (field, message) => {
      const { bob, contacts, as } = await given();
      const reply = await as(bob, `/contact add Acme name:Jane ${field}`);
      expect(reply.split("\n")[0]).toBe(`! ${message}`);
      expect(await contacts()).toEqual([]);
    },
  );

  it("GIVEN a dollar workspace THEN a national number is American", async () => {
    const { bob, contacts, as } = await given({ currency: "USD" });
    await as(bob, '/contact add Acme name:Jane phone:"(212) 555-0123"');
    expect((await contacts())[0]?.phone).toBe("+12125550123");
    expect((await as(bob, "/contact add Acme name:Joe phone:0612")).split("\n")[0]).toBe(
      "! The phone number “0612” is not a valid number; write it like +33 1 23 45 67 89. Nothing was saved.",
    );
  });

  it("GIVEN a name the customer already has, folded THEN it is refused", async () => {
    const { bob, contacts, as } = await given();
    await as(bob, '/contact add Acme name:"Jane Doe"');
    expect(await as(bob, '/contact add Acme name:"JANE  doe."')).toBe(
      "! Acme Corp already has a contact called “JANE  doe.”.",
    );
    expect(await contacts()).toHaveLength(1);
  });

  it("GIVEN an unknown customer, or another workspace's THEN the customer search's message", async () => {
    const { bob, as } = await given();
    const other = await given();
    await seedDeal(sales, other.ws, other.alice, { amount: 100n, customer: "Globex" });
    expect(await as(bob, "/contact add Globex name:Jane")).toBe(
      "! No customer's name contains “Globex”. See them all with /customer list.",
    );
    expect(await other.contacts()).toEqual([]);
  });

  it("GIVEN several customers match THEN their names are offered", async () => {
    const { alice, as, ws } = await given();
    await seedDeal(sales, ws, alice, { amount: 100n, customer: "Acme Labs" });
    expect(await as(alice, "/contact add Acm name:Jane")).toBe(
      "! 2 customers match “Acm”: Acme Corp, Acme Labs. Type more of the name.",
    );
  });

  it("GIVEN no name THEN the usage is given", async () => {
    const { bob, as } = await given();
    expect(await as(bob, "/contact add Acme")).toBe(
      '! The contact\'s name is missing, for example: /contact add Acme name:"Jane Doe".\n  Usage: /contact add <customer…> name:"…" [role:"…"] [email:<email>] [phone:<phone>]',
    );
  });
});

describe("/contact edit and remove", () => {
  it("GIVEN a rename, a role cleared and a new email THEN the contact changes, and a name taken is refused", async () => {
    const { alice, contacts, as } = await given();
    await as(alice, '/contact add Acme name:"Jane Doe" role:CTO email:jane@acme.com');
    await as(alice, "/contact add Acme name:Paul");
    expect(
      await as(alice, '/contact edit Acme name:"jane doe" rename:"Jane Smith" role:- phone:+33612345678'),
    ).toBe("👤 Jane Doe at Acme Corp updated\n  Jane Smith · jane@acme.com · +33 6 12 34 56 78");
    expect(await as(alice, '/contact edit Acme name:Paul rename:"Jane Smith"')).toBe(
      "! Acme Corp already has a contact called “Jane Smith”.",
    );
    expect(await as(alice, "/contact edit Acme name:Paul email:nope")).toMatch(/^! The email “nope” is not/);
    expect(await as(alice, "/contact edit Acme name:Paul")).toBe(
      '! Nothing to change: give rename:"…", role:, email: or phone: (- clears a field).',
    );
    expect(await contacts()).toEqual([
      { name: "Jane Smith", role: null, email: "jane@acme.com", phone: "+33612345678" },
      { name: "Paul", role: null, email: null, phone: null },
    ]);
  });

  it("GIVEN a rep who does not own the customer THEN edit and remove are refused; the owner and an admin may", async () => {
    const { admin, alice, bob, contacts, as } = await given();
    await as(bob, "/contact add Acme name:Jane");
    const refused =
      "! Only alice (the customer's owner), their manager or an admin can change this customer's contacts.";
    expect(await as(bob, "/contact edit Acme name:Jane role:CFO")).toBe(refused);
    expect(await as(bob, "/contact remove Acme name:Jane")).toBe(refused);
    expect(await as(alice, "/contact edit Acme name:Jane role:CFO")).toMatch(/^👤 Jane at Acme Corp updated/);
    expect(await as(admin, "/contact remove Acme name:jane")).toBe(
      "👤 Jane removed from Acme Corp's contacts",
    );
    expect(await as(admin, "/contact remove Acme name:jane")).toBe(
      "! Acme Corp has no contact called “jane”. See them with /contact list Acme Corp.",
    );
    expect(await contacts()).toEqual([]);
  });

  it("GIVEN a customer without an owner THEN only managers and admins change its contacts", async () => {
    const { ws, admin, bob, as } = await given();
    const manager = await seedMember(sales, ws, "maria", "manager");
    await db.prisma.customer.updateMany({ where: { workspaceId: ws.id }, data: { ownerId: null } });
    await as(bob, "/contact add Acme name:Jane");
    expect(await as(bob, "/contact edit Acme name:Jane role:CFO")).toBe(
      "! Only a manager or an admin can change the contacts of a customer without an owner.",
    );
    expect(await as(manager, "/contact edit Acme name:Jane role:CFO")).toMatch(/updated/);
    expect(await as(admin, "/contact remove Acme name:Jane")).toMatch(/removed/);
  });
});

describe("/customer and /contact list", () => {
  async function withActivities() {
    const g = await given();
    await g.as(g.bob, "/contact add Acme name:Zoe role:CEO");
    await g.as(g.bob, "/contact add Acme name:Jane email:jane@acme.com");
    await g.as(g.bob, "/contact add Acme name:Paul");
    const customer = await db.prisma.customer.findFirstOrThrow({ where: { workspaceId: g.ws.id } });
    const contact = (name: string) =>
      db.prisma.contact.findFirstOrThrow({ where: { customerId: customer.id, name } });
    const [jane, zoe] = [await contact("Jane"), await contact("Zoe")];
    const activity = (contactId: number, kind: "call" | "meeting" | "demo", at: string) => ({
      workspaceId: g.ws.id,
      kind,
      memberId: g.bob.id,
      customerId: customer.id,
      contactId,
      at: new Date(at),
    });
    // The last one is the latest in time, not the latest written.
    await db.prisma.activity.createMany({
      data: [
        activity(jane.id, "meeting", "2026-11-10T09:00:00Z"),
        activity(jane.id, "call", "2026-11-02T09:00:00Z"),
        activity(zoe.id, "demo", "2026-10-20T15:00:00Z"),
      ],
    });
    return g;
  }

  it("GIVEN contacts with activities THEN /customer lists them by name with their last activity, before the history", async () => {
    const { bob, as } = await withActivities();
    const reply = (await as(bob, "/customer acme")).split("\n");
    const at = reply.indexOf("  Contacts:");
    expect(reply.slice(at, at + 4)).toEqual([
      "  Contacts:",
      "  Jane · jane@acme.com · last activity: meeting, Nov 10, 2026",
      "  Paul",
      "  Zoe · CEO · last activity: demo, Oct 20, 2026",
    ]);
    expect(reply[at + 4]).toBe("  History:");
  });

  it("GIVEN a French workspace THEN /contact list says it in French", async () => {
    const { bob, ws, as } = await given({ locale: "fr" });
    expect(await as(bob, "/contact list Acme")).toBe(
      '👤 Contacts chez Acme Corp\n  Aucun contact chez Acme Corp pour l’instant. Ajoutez-en un\u202f: /contact add Acme Corp nom:"…".',
    );
    await as(bob, "/contact add Acme nom:Jeanne");
    const customer = await db.prisma.customer.findFirstOrThrow({ where: { workspaceId: ws.id } });
    const jeanne = await db.prisma.contact.findFirstOrThrow({ where: { customerId: customer.id } });
    await db.prisma.activity.create({
      data: {
        workspaceId: ws.id,
        kind: "call",
        memberId: bob.id,
        customerId: customer.id,
        contactId: jeanne.id,
        at: new Date("2026-11-03T09:00:00Z"),
      },
    });
    expect(await as(bob, "/contact list Acme")).toBe(
      "👤 Contacts chez Acme Corp\n  Jeanne · dernière activité\u202f: appel, 3 nov. 2026",
    );
  });

  it("GIVEN more contacts than a reply shows THEN the rest is counted", async () => {
    const { alice, ws, as } = await given();
    const customer = await db.prisma.customer.findFirstOrThrow({ where: { workspaceId: ws.id } });
    await db.prisma.contact.createMany({
      data: Array.from({ length: 12 }, (_, i) => ({
        workspaceId: ws.id,
        customerId: customer.id,
        name: `Person ${String(i).padStart(2, "0")}`,
        nameKey: `person ${String(i).padStart(2, "0")}`,
      })),
    });
    const lines = (await as(alice, "/contact list Acme")).split("\n");
    expect(lines).toHaveLength(12);
    expect(lines.at(-1)).toBe("  …and 2 more");
  });
});

describe("/customer merge", () => {
  it("GIVEN both customers know Jane THEN the merge keeps one Jane with both's details and her activities, and moves the rest", async () => {
    const { ws, admin, alice, bob, contacts, as } = await given();
    await seedDeal(sales, ws, alice, { amount: 100n, customer: "ACME Inc" });
    await as(bob, "/contact add Acme Corp name:Jane email:jane@acme.com");
    await as(bob, '/contact add ACME Inc name:"jane" phone:+33612345678 role:CFO');
    await as(bob, "/contact add ACME Inc name:Paul");
    const source = await db.prisma.customer.findFirstOrThrow({
      where: { workspaceId: ws.id, name: "ACME Inc" },
    });
    const janeThere = await db.prisma.contact.findFirstOrThrow({
      where: { customerId: source.id, nameKey: "jane" },
    });
    await db.prisma.activity.create({
      data: {
        workspaceId: ws.id,
        kind: "call",
        memberId: bob.id,
        customerId: source.id,
        contactId: janeThere.id,
        at: new Date("2026-11-05T09:00:00Z"),
      },
    });
    await as(admin, '/customer merge ACME Inc into:"Acme Corp"');
    expect(await contacts()).toEqual([
      { name: "Jane", role: "CFO", email: "jane@acme.com", phone: "+33612345678" },
      { name: "Paul", role: null, email: null, phone: null },
    ]);
    expect(await as(bob, "/contact list Acme Corp")).toBe(
      "👤 Contacts at Acme Corp\n  Jane · CFO · jane@acme.com · +33 6 12 34 56 78 · last activity: call, Nov 5, 2026\n  Paul",
    );
  });
});

describe("keys with a hyphen", () => {
  it("GIVEN e-mail:… THEN it is an option, while a hyphen at a key's edge or a word without a colon stays text", () => {
    expect(tokenize("e-mail:jane@acme.fr Saint-Malo -x:1 x-:1")).toEqual([
      { kind: "option", key: "e-mail", value: "jane@acme.fr" },
      { kind: "word", text: "Saint-Malo" },
      { kind: "word", text: "-x:1" },
      { kind: "word", text: "x-:1" },
    ]);
  });
});
