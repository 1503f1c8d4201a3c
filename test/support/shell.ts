import { PassThrough } from "node:stream";
import type { Database } from "../../src/db/client.js";
import { runShell } from "../../src/platforms/shell/shell.js";
import { createTestSales, silentLog } from "../fixtures/sales.js";

/**
 * Feeds lines to the shell platform and returns all it printed once input ends. `directory` is
 * where it saves the files replies carry (the working directory by default).
 */
export async function shell(
  db: Database,
  lines: string[],
  options: { directory?: string } = {},
): Promise<string> {
  const { sales } = createTestSales(db, "2026-11-18T10:00:00Z");
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = "";
  output.on("data", (chunk: Buffer) => {
    printed += chunk.toString("utf8");
  });
  const done = runShell({ sales, input, output, log: silentLog, ...options });
  input.end(`${lines.join("\n")}\n`);
  await done;
  return printed;
}
