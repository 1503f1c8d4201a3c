import { Writable } from "node:stream";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import {
  CsvTooLargeError,
  memorySink,
  neutraliseFormula,
  restoreFormula,
  writeCsv,
} from "../../src/transfer/csv-write.js";
import { textCollector } from "../support/collector.js";

describe("formula neutralisation", () => {
  it.each([
    ["=1+1", "'=1+1"],
    ['=HYPERLINK("http://evil.example","click")', `'=HYPERLINK("http://evil.example","click")`],
    ["+33 1 23 45 67 89", "'+33 1 23 45 67 89"],
    ["-cheaper elsewhere", "'-cheaper elsewhere"],
    ["@SUM(A1:A9)", "'@SUM(A1:A9)"],
    ["\tindented", "'\tindented"],
    ["\rreturn", "'\rreturn"],
    ["-1+2", "'-1+2"],
    ["-", "'-"],
    ["'=already quoted", "''=already quoted"],
    ["-12.50", "-12.50"],
    ["+3", "+3"],
    ["-7", "-7"],
    ["12500.00", "12500.00"],
    ["Acme = best", "Acme = best"],
    ["l'=x", "l'=x"],
    ["'quoted", "'quoted"],
    ["", ""],
  ])("GIVEN the cell %j THEN it is written %j, and reads back as itself", (cell, written) => {
    expect(neutraliseFormula(cell)).toBe(written);
    expect(restoreFormula(written)).toBe(cell);
  });
});

describe("writeCsv", () => {
  const COLUMNS = ["name", "amount", "note"] as const;

  it("GIVEN records THEN a header line, then each record in the columns' order, quoted where needed and neutralised", async () => {
    const { stream: out, text } = textCollector();
    const count = await writeCsv(
      COLUMNS,
      [
        { note: 'said "yes", then\nsigned', amount: "-12.50", name: "Acme, Inc." },
        { name: "=cmd|' /C calc'!A0", amount: "3", note: "" },
      ],
      out,
    );
    expect(count).toBe(2);
    expect(text()).toBe(
      'name,amount,note\n"Acme, Inc.",-12.50,"said ""yes"", then\nsigned"\n\'=cmd|\' /C calc\'!A0,3,\n',
    );
    expect(parse(text(), { columns: true })).toEqual([
      { name: "Acme, Inc.", amount: "-12.50", note: 'said "yes", then\nsigned' },
      { name: "'=cmd|' /C calc'!A0", amount: "3", note: "" },
    ]);
  });

  it("GIVEN no records THEN the header alone; with bom THEN a UTF-8 byte order mark first", async () => {
    const { sink, content } = memorySink(1000);
    expect(await writeCsv(COLUMNS, [], sink, { bom: true })).toBe(0);
    expect([...content().subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(content().subarray(3).toString("utf8")).toBe("name,amount,note\n");
  });

  it("GIVEN a slow destination THEN records are read only as it takes them: the lag stays bounded", async () => {
    let read = 0;
    let written = 0;
    let lag = 0;
    async function* records() {
      for (let i = 0; i < 50_000; i++) {
        lag = Math.max(lag, read - written);
        read++;
        yield { name: `customer ${i}`, amount: `${i}.00`, note: "x".repeat(40) };
      }
    }
    // Takes each chunk on a later turn of the event loop, as a pipe to a slow reader would.
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, done) {
        written += chunk.toString("utf8").split("\n").length - 1;
        setImmediate(done);
      },
    });
    expect(await writeCsv(COLUMNS, records(), slow)).toBe(50_000);
    // Resolved once the destination took every line, and ended it.
    expect(written).toBe(50_001);
    expect(slow.writableFinished).toBe(true);
    expect(lag).toBeGreaterThan(0);
    // Blocks of 64 KiB and the streams' buffers hold a few thousand lines; without backpressure the
    // reading would run ahead by tens of thousands.
    expect(lag).toBeLessThan(5_000);
  });

  it("GIVEN a destination that fails (EPIPE: its reader went away) THEN writeCsv rejects with its error and reads no more", async () => {
    let read = 0;
    function* records() {
      for (let i = 0; i < 200_000; i++) {
        read++;
        yield { name: `c${i}`, amount: "1", note: "" };
      }
    }
    const closed = new Writable({
      write(_chunk, _encoding, done) {
        done(Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
      },
    });
    await expect(writeCsv(COLUMNS, records(), closed)).rejects.toMatchObject({ code: "EPIPE" });
    // The first block (64 KiB) fails: what was read past it is what the streams' buffers hold.
    expect(read).toBeLessThan(40_000);
  });

  it("GIVEN a memory sink with a limit THEN a CSV past it fails with CsvTooLargeError and reading stops", async () => {
    let read = 0;
    function* records() {
      for (let i = 0; i < 200_000; i++) {
        read++;
        yield { name: `customer ${i}`, amount: "1", note: "" };
      }
    }
    const { sink } = memorySink(4096);
    await expect(writeCsv(COLUMNS, records(), sink)).rejects.toBeInstanceOf(CsvTooLargeError);
    expect(read).toBeLessThan(40_000);
  });
});
