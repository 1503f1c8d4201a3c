import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KEY_SPELLINGS } from "../../src/commands/grammar/words.js";
import type { Database } from "../../src/db/client.js";
import { DEAL_COLUMNS } from "../../src/transfer/closer-format.js";
import { frenchTypographyFaults } from "../messages/french-typography.js";
import { openTestDatabase } from "../support/db.js";
import { shell } from "../support/shell.js";

/** A saved CSV's lines as records, its byte order mark checked and dropped. */
function records(path: string): Record<string, string>[] {
  const content = readFileSync(path);
  expect([...content.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(content.subarray(3).toString("utf8").split("\n")[0]).toBe(DEAL_COLUMNS.join(","));
  return parse(content, { bom: true, columns: true });
}

describe("shell: /closer export deals", () => {
  let db: Database;
  let dir: string;
  let out: string;

  beforeAll(async () => {
    db = await openTestDatabase();
    dir = mkdtempSync(join(tmpdir(), "closer-shell-export-"));
    // Someone's file of the same name is already there: it is never overwritten.
    writeFileSync(join(dir, "closer-deals-all.csv"), "someone else's\n");
    out = await shell(
      db,
      [
        "/closer team add North @marie @bob",
        "/closer role @marie manager",
        '/deal log 12500.50 Globex stage:proposal close:2026-12-15 source:referral title:"Pilot" for:@bob',
        "/deal log 3k =Evil Corp for:@carl",
        "/deal log 2k Initech",
        '/deal won #1 note:"-50% off did it"',
        "/deal log 1k Gone Co for:@bob",
        "/deal delete #4",
        "/closer export deals",
        "/closer export deals",
        "/as marie",
        "/closer export deals month",
        "/as carl",
        "/closer export deals",
      ],
      { directory: dir },
    );
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await db.close();
  });

  it("GIVEN an admin THEN every live deal is saved in the working directory, next to a file of the same name, and the path printed", () => {
    expect(out).toContain(
      [
        "Deals export · every deal",
        "  closer-deals-all.csv: 3 deals",
        "  Every member's deals.",
        `  File saved: ${join(dir, "closer-deals-all-1.csv")}`,
      ].join("\n"),
    );
    expect(out).toContain(`  File saved: ${join(dir, "closer-deals-all-2.csv")}`);
    expect(readFileSync(join(dir, "closer-deals-all.csv"), "utf8")).toBe("someone else's\n");
    expect(readFileSync(join(dir, "closer-deals-all-2.csv"))).toEqual(
      readFileSync(join(dir, "closer-deals-all-1.csv")),
    );
  });

  it("GIVEN the saved file THEN it is Closer's format: ISO dates, amounts in units with the currency, formulas neutralised, the deleted deal left out", () => {
    const deals = records(join(dir, "closer-deals-all-1.csv"));
    expect(deals.map((d) => d.number)).toEqual(["1", "2", "3"]);
    expect(deals[0]).toEqual({
      number: "1",
      title: "Pilot",
      customer: "Globex",
      owner: "bob",
      owner_email: "",
      amount: "12500.50",
      currency: "EUR",
      stage: "won",
      probability: "100",
      expected_close_date: "2026-12-15",
      created_at: "2026-11-18T10:00:00.000Z",
      closed_at: "2026-11-18T10:00:00.000Z",
      lost_reason: "",
      lost_note: "",
      win_note: "'-50% off did it",
      lead_source: "referral",
      external_source: "",
      external_id: "",
      products: "",
    });
    expect(deals[1]).toMatchObject({
      customer: "'=Evil Corp",
      owner: "carl",
      amount: "3000.00",
      stage: "lead",
    });
    expect(deals[2]).toMatchObject({ customer: "Initech", owner: "admin", closed_at: "" });
  });

  it("GIVEN a manager THEN their team's deals of the period, and a rep is refused with nothing saved", () => {
    expect(out).toContain(
      [
        "Deals export · This month",
        "  closer-deals-2026-11.csv: 1 deal",
        "  The deals of team North's members.",
        `  File saved: ${join(dir, "closer-deals-2026-11.csv")}`,
      ].join("\n"),
    );
    expect(records(join(dir, "closer-deals-2026-11.csv")).map((d) => [d.number, d.owner])).toEqual([
      ["1", "bob"],
    ]);
    expect(out).toContain(
      "(carl, rep)\n! Only managers and admins can export deals; a manager exports their team's.\n",
    );
    expect(readdirSync(dir).sort()).toEqual([
      "closer-deals-2026-11.csv",
      "closer-deals-all-1.csv",
      "closer-deals-all-2.csv",
      "closer-deals-all.csv",
    ]);
  });

  it("GIVEN a French workspace THEN the reply and the refusal are in French, with French punctuation", async () => {
    const french = await shell(
      db,
      [
        "/closer config set locale fr",
        "/closer export deals 2026-11-01..2026-11-30",
        "/closer export deals n'importe quand",
        "/as carl",
        "/closer export deals",
      ],
      { directory: dir },
    );
    expect(french).toContain(
      [
        "Export des affaires · du 1er au 30 novembre 2026",
        "  closer-deals-2026-11-01_2026-11-30.csv\u202f: 3 affaires",
        "  Les affaires de tous les membres.",
        `  Fichier enregistré\u202f: ${join(dir, "closer-deals-2026-11-01_2026-11-30.csv")}`,
      ].join("\n"),
    );
    expect(french).toContain(
      "! Seuls les managers et les admins peuvent exporter les affaires\u202f; un manager exporte celles de son équipe.",
    );
    // The shell marks a refusal with "! ", which is not French prose.
    const lines = french.split("\n").map((line) => line.replace(/^! /, ""));
    expect(lines.flatMap((line) => frenchTypographyFaults(line, KEY_SPELLINGS))).toEqual([]);
  });
});
