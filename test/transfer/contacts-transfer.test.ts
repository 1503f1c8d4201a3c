import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseExportArgs, runExport } from "../../src/cli/export.js";
import { importCommand, parseImportArgs } from "../../src/cli/import.js";
import { importContactsCommand } from "../../src/cli/import-contacts.js";
import type { Database } from "../../src/db/client.js";
import type { Workspace } from "../../src/sales/deps.js";
import type { SalesService } from "../../src/sales/sales-service.js";
import { createTestSales, runText, seedDeal, seedMember, seedWorkspace } from "../fixtures/sales.js";
import { textCollector } from "../support/collector.js";
import { openTestDatabase } from "../support/db.js";

let db: Database;
let sales: SalesService;
let dir: string;

beforeAll(async () => {
  db = await openTestDatabase();
  ({ sales } = createTestSales(db));
  dir = mkdtempSync(join(tmpdir(), "closer-contacts-"));
});
afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

async function exportContacts(ws: Workspace): Promise<string> {
  const csv = textCollector();
  const app = { db, sales, close: async () => {} };
  expect(await runExport(app, parseExportArgs(["contacts", "--workspace", String(ws.id)]), csv.stream)).toBe(
    0,
  );
  return csv.text();
}

async function importContacts(ws: Workspace, content: string, ...flags: string[]) {
  const file = join(dir, `${ws.id}-${flags.join("")}.csv`);
  writeFileSync(file, content);
  const args = parseImportArgs(["contacts", file, ...flags]);
  if (typeof args === "string") throw new Error(args);
  const out = textCollector();
  const code = await importContactsCommand(sales, ws, args, { stdout: out.stream, stderr: out.stream });
  return { code, report: out.text() };
}

const contactsOf = (ws: Workspace) =>
  db.prisma.contact.findMany({
    where: { workspaceId: ws.id },
    orderBy: [{ customer: { nameKey: "asc" } }, { nameKey: "asc" }],
    select: {
      customer: { select: { name: true } },
      name: true,
      role: true,
      email: true,
      phone: true,
      createdAt: true,
    },
  });

describe("contacts: export and import", () => {
  it("GIVEN a workspace's contacts exported and imported into an empty one THEN the same people are at the same customers", async () => {
    const ws = await seedWorkspace(sales, { timezone: "Europe/Paris" });
    const alice = await seedMember(sales, ws, "alice", "rep");
    await seedDeal(sales, ws, alice, { amount: 100n, customer: "Acme Corp" });
    await seedDeal(sales, ws, alice, { amount: 100n, customer: "Globex" });
    await runText(
      sales,
      ws,
      alice,
      '/contact add Acme name:"Jane Doe" role:CFO email:jane@acme.com phone:+33612345678',
    );
    await runText(sales, ws, alice, '/contact add Acme name:"=cmd" role:"+1"');
    await runText(sales, ws, alice, "/contact add Globex name:Hank phone:+12125550123");
    const csv = await exportContacts(ws);
    expect(csv.split("\n")[0]).toBe("customer,name,role,email,phone,created_at");
    expect(csv).toContain("Acme Corp,Jane Doe,CFO,jane@acme.com,+33612345678,2026-11-18T10:00:00.000Z");
    // A spreadsheet would run these as formulas: the export neutralises them, the import reads them back.
    expect(csv).toContain("Acme Corp,'=cmd,+1,");

    const empty = await seedWorkspace(sales, { timezone: "Europe/Paris" });
    const dry = await importContacts(empty, csv);
    expect(dry.report).toContain(
      "Contacts: 3 to add, 0 already there (blanks filled from the file). Customers: 2 to create.",
    );
    expect(await contactsOf(empty)).toEqual([]);
    const done = await importContacts(empty, csv, "--commit");
    expect(done.code).toBe(0);
    expect(done.report).toContain(
      "Contacts: 3 added, 0 already there (blanks filled from the file). Customers: 2 created.",
    );
    expect(await contactsOf(empty)).toEqual(await contactsOf(ws));
    // Imported again, nothing new: the contacts are there already.
    expect((await importContacts(empty, csv, "--commit")).report).toContain(
      "Contacts: 0 added, 3 already there",
    );
    expect(await contactsOf(empty)).toHaveLength(3);
  });

  it("GIVEN a CRM's contacts with a malformed email and phone THEN those rows are reported by line and column and nothing of them is written", async () => {
    const ws = await seedWorkspace(sales, { locale: "fr", timezone: "Europe/Paris" });
    const csv = [
      "Company,Full Name,Job Title,Email,Phone",
      "Dupont SA,Jeanne Martin,Gérante,Jeanne@Dupont.fr,01 23 45 67 89",
      "Dupont SA,Paul,,paul@,",
      "Dupont SA,Luc,,,12",
      "Dupont SA,jeanne martin,,,06 12 34 56 78",
    ].join("\n");
    const { code, report } = await importContacts(ws, csv, "--commit");
    expect(code).toBe(1);
    expect(report).toContain("2 lignes rejetées");
    expect(report).toContain("ligne 3, Email\u202f: «\u202fpaul@\u202f» n’est pas une adresse e-mail");
    expect(report).toContain("ligne 4, Phone\u202f: «\u202f12\u202f» n’est pas un numéro de téléphone");
    expect(await contactsOf(ws)).toEqual([
      {
        customer: { name: "Dupont SA" },
        name: "Jeanne Martin",
        role: "Gérante",
        email: "jeanne@dupont.fr",
        phone: "+33123456789",
        createdAt: new Date("2026-11-18T10:00:00Z"),
      },
    ]);
  });
});

describe("contacts from a CRM's deals", () => {
  it("GIVEN Pipedrive deals with their contact person, one with a malformed email THEN the people are added to their customers and that row is rejected whole", async () => {
    const ws = await seedWorkspace(sales, { timezone: "UTC" });
    const owner = await sales.members.ensureMember(ws, {
      platformUserId: "camille",
      displayName: "Camille Martin",
    });
    const csv = [
      "Deal - ID,Deal - Title,Deal - Owner,Deal - Value,Deal - Organization,Deal - Contact person,Person - Email,Person - Phone,Deal - Status",
      "1,Lambert deal,Camille Martin,14500,Brasserie Lambert,Hugo Lambert,hugo@lambert.fr,+33 6 12 34 56 78,Open",
      "2,Lambert again,Camille Martin,500,Brasserie Lambert,hugo lambert,,,Open",
      "3,Kessler deal,Camille Martin,6800,Studio Kessler,Anna Kessler,anna@,,Open",
    ].join("\n");
    const file = join(dir, "pipedrive-contacts.csv");
    writeFileSync(file, csv);
    const args = parseImportArgs(["deals", file, "--commit"]);
    if (typeof args === "string") throw new Error(args);
    const out = textCollector();
    const code = await importCommand(sales, ws, args, { stdout: out.stream, stderr: out.stream });
    expect(code).toBe(1);
    expect(out.text()).toContain("line 4, Person - Email: “anna@” is not an email address");
    expect(out.text()).toContain(
      "Contacts: 1 person named by the deals, added to their customers (or filled in).",
    );
    expect(await db.prisma.deal.count({ where: { workspaceId: ws.id, ownerId: owner.id } })).toBe(2);
    expect(await contactsOf(ws)).toEqual([
      {
        customer: { name: "Brasserie Lambert" },
        name: "Hugo Lambert",
        role: null,
        email: "hugo@lambert.fr",
        phone: "+33612345678",
        createdAt: new Date("2026-11-18T10:00:00Z"),
      },
    ]);
  });
});
