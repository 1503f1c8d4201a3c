import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { type CsvError, parse } from "csv-parse";
import { AppError } from "../errors.js";

/** What a CSV file may be before Closer refuses it whole, rather than reading it for minutes. */
export interface CsvLimits {
  /** Bytes: a CRM export of 100,000 deals is about 40 MB. */
  maxBytes: number;
  maxColumns: number;
  /** Characters of one record: a cell bigger than this is not a deal's field. */
  maxRecordChars: number;
}

export const CSV_LIMITS: CsvLimits = { maxBytes: 256 * 2 ** 20, maxColumns: 1000, maxRecordChars: 2 ** 20 };

/** One record of the file: its cells and the line it starts on (the header is line 1). */
export interface CsvRecord {
  line: number;
  cells: string[];
}

export interface CsvFile {
  header: string[];
  delimiter: string;
  encoding: "utf-8" | "windows-1252";
  records: AsyncIterable<CsvRecord>;
}

const SNIFF_BYTES = 64 * 1024;
const DELIMITERS = [",", ";", "\t"] as const;

/**
 * Opens a CSV file for streaming: its size checked, its encoding and delimiter sniffed from the
 * first 64 KiB, its header read. The records are parsed as they are iterated, so memory holds one
 * chunk of the file at a time. Every refusal is an `AppError` naming what is wrong, raised before
 * anything is written: a binary or oversized file, no header, too many columns, broken quotes.
 */
export async function openCsv(path: string, limits: CsvLimits = CSV_LIMITS): Promise<CsvFile> {
  const info = await stat(path).catch(() => {
    throw new AppError("not_found", "import.file.missing", { path });
  });
  if (!info.isFile()) throw new AppError("invalid_input", "import.file.missing", { path });
  if (info.size > limits.maxBytes)
    throw new AppError("invalid_input", "import.file.too_big", {
      size: megabytes(info.size),
      max: megabytes(limits.maxBytes),
    });
  const head = await readHead(path);
  if (head.length === 0) throw new AppError("invalid_input", "import.file.no_header");
  if (looksBinary(head)) throw new AppError("invalid_input", "import.file.binary");
  const encoding = isUtf8(head) ? "utf-8" : "windows-1252";
  const delimiter = sniffDelimiter(new TextDecoder(encoding).decode(head));
  const records = parseRecords(path, encoding, delimiter, limits);
  const iterator = records[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) throw new AppError("invalid_input", "import.file.no_header");
  const header = first.value.cells.map((cell) => cell.trim());
  if (header.length > limits.maxColumns)
    throw new AppError("invalid_input", "import.file.too_many_columns", {
      count: header.length,
      max: limits.maxColumns,
    });
  return { header, delimiter, encoding, records: { [Symbol.asyncIterator]: () => iterator } };
}

async function readHead(path: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of createReadStream(path, { start: 0, end: SNIFF_BYTES - 1 })) {
    chunks.push(chunk as Buffer);
    length += (chunk as Buffer).length;
  }
  return Buffer.concat(chunks, length);
}

/** A NUL byte, or many control characters, is not text any spreadsheet wrote. */
function looksBinary(head: Buffer): boolean {
  let control = 0;
  for (const byte of head) {
    if (byte === 0) return true;
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) control++;
  }
  return control > head.length / 100;
}

/** Valid UTF-8, allowing for a character cut at the end of the sniffed bytes. */
function isUtf8(head: Buffer): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(head, { stream: head.length === SNIFF_BYTES });
    return true;
  } catch {
    return false;
  }
}

/** The delimiter of the header line: the one of `,` `;` tab it uses most outside quotes. */
function sniffDelimiter(text: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const char of text.replace(/^\uFEFF/, "")) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === "\n" || char === "\r")) break;
    else if (!quoted && counts.has(char)) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  return [...counts].reduce((best, entry) => (entry[1] > best[1] ? entry : best))[0];
}

async function* parseRecords(
  path: string,
  encoding: CsvFile["encoding"],
  delimiter: string,
  limits: CsvLimits,
): AsyncGenerator<CsvRecord> {
  const decoder = new TextDecoder(encoding, { fatal: true });
  const parser = parse({
    bom: true,
    delimiter,
    relax_column_count: true,
    skip_empty_lines: true,
    max_record_size: limits.maxRecordChars,
    info: true,
    raw: true,
  });
  const source = createReadStream(path);
  const feed = (async () => {
    try {
      for await (const chunk of source) {
        const text = decoder.decode(chunk as Buffer, { stream: true });
        if (!parser.write(text)) await new Promise((resolve) => parser.once("drain", resolve));
      }
      parser.end(decoder.decode());
    } catch (error) {
      parser.destroy(error instanceof TypeError ? encodingError(parser.info.lines) : (error as Error));
    }
  })();
  let lastLine = 0;
  try {
    for await (const { record, info, raw } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
      raw: string;
    }>) {
      // The record ends on `info.lines`; the breaks inside its quoted cells say where it started
      // (its raw text also holds the empty lines skipped before it, and its own line end).
      const breaks =
        raw
          .replace(/^(?:\r?\n)+/, "")
          .replace(/\r?\n$/, "")
          .split("\n").length - 1;
      lastLine = info.lines;
      yield { line: info.lines - breaks, cells: record };
    }
  } catch (error) {
    throw error instanceof AppError ? error : csvError(error as CsvError, lastLine + 1);
  } finally {
    source.destroy();
    await feed;
  }
}

function encodingError(line: number): AppError {
  return new AppError("invalid_input", "import.file.encoding", { line });
}

/**
 * csv-parse's errors as one sentence with the line where the file went wrong. A quote never
 * closed is found at the end of the file; the row it opened starts after the last row read.
 */
function csvError(error: CsvError, rowStart: number): AppError {
  const line = typeof error.lines === "number" ? error.lines : 0;
  switch (error.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return new AppError("invalid_input", "import.file.quotes", { line: rowStart });
    case "CSV_INVALID_CLOSING_QUOTE":
    case "INVALID_OPENING_QUOTE":
    case "CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE":
      return new AppError("invalid_input", "import.file.quotes", { line });
    case "CSV_MAX_RECORD_SIZE":
      return new AppError("invalid_input", "import.file.record_too_big", { line });
    default:
      return new AppError("invalid_input", "import.file.unreadable", { line, reason: error.message });
  }
}

function megabytes(bytes: number): string {
  return `${Math.round(bytes / 2 ** 20)} MB`;
}
