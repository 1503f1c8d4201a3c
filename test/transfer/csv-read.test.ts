import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openCsv } from "../../src/transfer/csv-read.js";

const dir = mkdtempSync(join(tmpdir(), "closer-csv-read-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function readAll(name: string, bytes: Buffer | string) {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  const file = await openCsv(path);
  const records = [];
  for await (const record of file.records) records.push(record);
  return { ...file, records };
}

describe("openCsv", () => {
  it("GIVEN a spreadsheet's Windows-1252 CSV THEN its accents read right", async () => {
    const file = await readAll("latin.csv", Buffer.from("Nom;Société\r\nCafé;Crème & Fils\r\n", "latin1"));
    expect(file).toMatchObject({ encoding: "windows-1252", delimiter: ";", header: ["Nom", "Société"] });
    expect(file.records).toEqual([{ line: 2, cells: ["Café", "Crème & Fils"] }]);
  });

  it("GIVEN a row with line breaks in a quoted cell THEN each row is numbered by the line it starts on", async () => {
    const file = await readAll("multi.csv", '\uFEFFid,note\n1,"one\ntwo\nthree"\n2,plain\n\n3,last\n');
    expect(file.header).toEqual(["id", "note"]);
    expect(file.records.map((r) => [r.line, r.cells[0]])).toEqual([
      [2, "1"],
      [5, "2"],
      [7, "3"],
    ]);
  });

  it("GIVEN a header with a comma inside quotes THEN the delimiter is the one outside them", async () => {
    const file = await readAll("tab.tsv", '"Deal, name"\tAmount\n"A, B"\t12\n');
    expect(file.delimiter).toBe("\t");
    expect(file.records[0]?.cells).toEqual(["A, B", "12"]);
  });

  it.each([
    ["empty.csv", "", "import.file.no_header"],
    ["nul.csv", "id,name\n1,\u0000x\n", "import.file.binary"],
    [
      "bad-utf8-late.csv",
      Buffer.concat([Buffer.from(`id\n${"é\n".repeat(40_000)}`), Buffer.from([0xff, 0x0a])]),
      "import.file.encoding",
    ],
  ])("GIVEN %s THEN it is refused (%s)", async (name, bytes, key) => {
    await expect(readAll(name, bytes)).rejects.toMatchObject({
      key,
    });
  });
});
