import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { createDispatcher } from "../../src/notify/dispatcher.js";
import { runShell } from "../../src/platforms/shell/shell.js";
import { createShellPort } from "../../src/platforms/shell/shell-port.js";
import { createTestSales, silentLog } from "../fixtures/sales.js";
import { openTestDatabase } from "../support/db.js";

/** Feeds lines to the shell as `closer start` runs it: what a command causes is printed after its reply. */
async function shell(db: Database, lines: string[]): Promise<string> {
  const { sales, clock } = createTestSales(db, "2026-11-18T10:00:00Z");
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = "";
  output.on("data", (chunk: Buffer) => {
    printed += chunk.toString("utf8");
  });
  const dispatcher = createDispatcher({
    db: db.prisma,
    ports: { shell: createShellPort((text) => output.write(`${text}\n`)) },
    clock,
    log: silentLog,
  });
  const done = runShell({ sales, input, output, log: silentLog, afterCommand: dispatcher.drain });
  input.end(`${lines.join("\n")}\n`);
  await done;
  return printed;
}

describe("shell: achievements", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db.close());

  it("GIVEN a rep's first win THEN #wins hears of it and /closer me lists it with the streak", async () => {
    const out = await shell(db, ["/as bob", "/deal log 2k Acme stage:won", "/closer me"]);
    expect(out).toContain("[#wins] 🏅 Achievement unlocked\n  bob · First win: Acme, €2,000");
    expect(out).toContain(
      [
        "bob: achievements",
        "  🔥 Current streak: 1 working day",
        "  Nov 18, 2026 · First win: Acme, €2,000",
      ].join("\n"),
    );
  });

  it("GIVEN nothing earned THEN /closer me says so; with words after it, the usage", async () => {
    const out = await shell(db, ["/as carol", "/closer me", "/closer me extra"]);
    expect(out).toContain(
      [
        "carol: achievements",
        "  No streak going: log or move a deal on a working day to start one.",
        "  No achievements yet: a first win will be one.",
      ].join("\n"),
    );
    expect(out).toContain("! “extra” is not understood here. Try /closer help.\n  Usage: /closer me");
  });

  it("GIVEN a French workspace THEN /closer me and the post speak French", async () => {
    const out = await shell(db, [
      "/closer config set locale fr",
      "/as dora",
      "/deal log 3k Dupont étape:gagnée",
      "/closer me",
      "/closer me en trop",
    ]);
    expect(out).toContain(
      "[#wins] 🏅 Trophée débloqué\n  dora · Première victoire\u202f: Dupont, 3\u202f000\u00a0€",
    );
    expect(out).toContain(
      "Trophées de dora\n  🔥 Série en cours\u202f: 1 jour ouvré\n  18 nov. 2026 · Première victoire",
    );
    expect(out).toContain("Syntaxe\u202f: /closer me");
  });
});
