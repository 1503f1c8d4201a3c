import { Readable, Transform, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { stringify } from "csv-stringify";

/**
 * CSV out, streamed: a header line, then one line per record, written as fast as the destination
 * takes them (a slow reader pauses the reading of records).
 */

/**
 * What a spreadsheet would run as a formula: a cell starting with `=`, `+`, `-`, `@`, a tab or a
 * carriage return (OWASP's list), after any quotes already prefixed to it, so that neutralising is
 * undone exactly by {@link restoreFormula}.
 */
const FORMULA = /^'*[=+\-@\t\r]/;
/** A plain decimal number (`-12.50`, `+3`): a value a spreadsheet reads as one, never a formula. */
const NUMBER = /^[-+]?\d+(?:\.\d+)?$/;

/**
 * A cell a spreadsheet cannot run: one that would start a formula gets a `'` in front (`=1+1` ->
 * `'=1+1`), as OWASP advises; plain numbers such as `-12.50` are left as they are.
 */
export function neutraliseFormula(cell: string): string {
  return FORMULA.test(cell) && !NUMBER.test(cell) ? `'${cell}` : cell;
}

/** The cell {@link neutraliseFormula} was given: a file Closer wrote reads back as what it wrote. */
export function restoreFormula(cell: string): string {
  return cell.startsWith("'") && FORMULA.test(cell.slice(1)) ? cell.slice(1) : cell;
}

/** How much CSV is handed to the destination at once: a pipe's buffer. */
const BLOCK_BYTES = 64 * 1024;

/**
 * Joins the lines csv-stringify pushes one by one into blocks of about `size` bytes, so that the
 * destination gets one write per block: stdout to a file writes each chunk with a system call of its
 * own, a tenth of the export's time when each was one line.
 */
function inBlocks(size = BLOCK_BYTES): Transform {
  let chunks: Buffer[] = [];
  let length = 0;
  const take = () => {
    const block = Buffer.concat(chunks, length);
    chunks = [];
    length = 0;
    return block;
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= size) done(null, take());
      else done();
    },
    flush(done) {
      if (length) done(null, take());
      else done();
    },
  });
}

export interface CsvWriteOptions {
  /** Start with a UTF-8 byte order mark, so that Excel reads the file as UTF-8. */
  bom?: boolean;
}

/**
 * Writes `records` as CSV to `out`: the header (the column names), then one line per record, its
 * cells in `columns`' order and neutralised ({@link neutraliseFormula}); resolves once `out` has
 * taken everything, and ends it. Rejects with `out`'s error (EPIPE when its reader went away),
 * after which no more records are read.
 *
 * @returns how many records were written.
 */
export async function writeCsv<C extends string>(
  columns: readonly C[],
  records: AsyncIterable<Record<C, string>> | Iterable<Record<C, string>>,
  out: Writable,
  options: CsvWriteOptions = {},
): Promise<number> {
  let count = 0;
  async function* counted() {
    for await (const record of records) {
      count++;
      yield record;
    }
  }
  await pipeline(
    Readable.from(counted()),
    stringify({
      header: true,
      columns: [...columns],
      bom: options.bom ?? false,
      cast: { string: neutraliseFormula },
    }),
    inBlocks(),
    out,
  );
  return count;
}

/** A CSV would be larger than a chat message can carry. */
export class CsvTooLargeError extends Error {
  override readonly name = "CsvTooLargeError";
  constructor(readonly limit: number) {
    super(`CSV over ${limit} bytes`);
  }
}

/**
 * A destination that keeps what is written in memory, up to `limit` bytes: one more byte fails the
 * write with {@link CsvTooLargeError}, which stops the records being read.
 */
export function memorySink(limit: number): { sink: Writable; content(): Buffer } {
  const chunks: Buffer[] = [];
  let size = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > limit) return done(new CsvTooLargeError(limit));
      chunks.push(chunk);
      done();
    },
  });
  return { sink, content: () => Buffer.concat(chunks) };
}
