import { PassThrough } from "node:stream";
import type { Database } from "../../src/db/client.js";
import { runShell } from "../../src/platforms/shell/shell.js";
import { createTestSales, silentLog } from "../fixtures/sales.js";

/** Feeds lines to the shell platform and returns all it printed once input ends. */
export async function shell(db: Database, lines: string[]): Promise<string> {
  const { sales } = createTestSales(db, "2026-11-18T10:00:00Z");
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = "";
  output.on("data", (chunk: Buffer) => {
    printed += chunk.toString("utf8");
  });
  const done = runShell({ sales, input, output, log: silentLog });
  input.end(`${lines.join("\n")}\n`);
  await done;
  return printed;
}
