import { PassThrough } from "node:stream";
import type { Database } from "../../src/db/client.js";
import { createDispatcher } from "../../src/notify/dispatcher.js";
import { runShell } from "../../src/platforms/shell/shell.js";
import { createShellPort } from "../../src/platforms/shell/shell-port.js";
import { createTestSales, silentLog } from "../fixtures/sales.js";

/**
 * Feeds lines to the shell platform and returns all it printed once input ends. `directory` is
 * where it saves the files replies carry (the working directory by default); with `deliver`, what a
 * command causes is delivered and printed right after its reply, as `closer start` runs it.
 */
export async function shell(
  db: Database,
  lines: string[],
  options: { directory?: string; deliver?: boolean } = {},
): Promise<string> {
  const { sales, clock } = createTestSales(db, "2026-11-18T10:00:00Z");
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = "";
  output.on("data", (chunk: Buffer) => {
    printed += chunk.toString("utf8");
  });
  const { deliver, ...rest } = options;
  const dispatcher = createDispatcher({
    db: db.prisma,
    ports: { shell: createShellPort((text) => output.write(`${text}\n`)) },
    clock,
    log: silentLog,
  });
  const done = runShell({
    sales,
    input,
    output,
    log: silentLog,
    ...rest,
    ...(deliver ? { afterCommand: dispatcher.drain } : {}),
  });
  input.end(`${lines.join("\n")}\n`);
  await done;
  return printed;
}
