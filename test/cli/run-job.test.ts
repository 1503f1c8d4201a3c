import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseRunJobArgs } from "../../src/cli/run-job.js";
import { seedDemo } from "../../src/cli/seed-demo.js";
import { openDatabase } from "../../src/db/client.js";
import { migrate } from "../../src/db/migrate.js";
import { SHELL_WORKSPACE } from "../../src/platforms/shell/shell.js";
import { createTestSales, runText } from "../fixtures/sales.js";
import { type PgliteDir, pgliteDir } from "../support/pglite-dir.js";

/** A Monday, 09:00 in the shell workspace's zone (UTC): a working day's digest slot. */
const AT = "2026-11-23T09:00";

const closer = (dir: string, data: PgliteDir, args: string[]) =>
  spawnSync(process.execPath, [fileURLToPath(new URL("../../bin/closer.js", import.meta.url)), ...args], {
    // The digest's chart is saved in the working directory: the test's own.
    cwd: dir,
    env: { PATH: process.env.PATH, DATABASE_URL: data.url, LOG_LEVEL: "warn" },
    encoding: "utf8",
    timeout: 60_000,
  });

describe("closer run-job, as an admin runs it", () => {
  let dir: string;
  let data: PgliteDir;
  let kpi: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "closer-run-job-"));
    data = pgliteDir();
    const db = await openDatabase(data.url);
    try {
      await migrate(db.sql);
      await seedDemo(db.prisma, new Date("2026-11-20T17:00:00Z"));
      // What /kpi says at the digest's instant.
      const { sales } = createTestSales(db, `${AT}:00Z`);
      const ws = await sales.workspaces.ensureWorkspace(SHELL_WORKSPACE);
      const admin = await sales.members.findMember(ws, "admin");
      if (!admin) throw new Error("no admin");
      kpi = await runText(sales, ws, admin, "/kpi month");
    } finally {
      await db.close();
    }
  }, 120_000);
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    data.remove();
  });

  // Two runs of the process, each allowed 60 s.
  it("GIVEN the demo team THEN the digest prints to the channel and the managers, with /kpi's figures, once", () => {
    const first = closer(dir, data, ["run-job", "digest", "--at", AT]);
    expect(first.status).toBe(0);
    expect(first.stderr).toContain("Local (shell local): digest of 2026-11-23: 3 notification(s) queued");
    const won = /Won: (\S+) · deals: (\d+)/.exec(kpi);
    expect(won).not.toBeNull();
    // Each destination is delivered on its own, concurrently: the order of the three is not fixed.
    const blocks = first.stdout.split(/\n(?=\[)/);
    expect(blocks).toHaveLength(3);
    const to = (destination: string) => blocks.find((b) => b.startsWith(`[${destination}] `)) ?? "";
    const [channel, marie, tom] = [to("#digest"), to("dm @marie"), to("dm @tom")];
    expect(channel).toMatch(/^\[#digest\] 📊 Daily digest · Nov 23, 2026\n/);
    expect(channel).toContain(`Month to date: ${won?.[1]} won · deals: ${won?.[2]}`);
    expect(marie).toMatch(/^\[dm @marie\] 📊 Daily digest for North · Nov 23, 2026/);
    expect(tom).toMatch(/^\[dm @tom\] 📊 Daily digest for South · Nov 23, 2026/);

    const again = closer(dir, data, ["run-job", "digest", "--at", AT]);
    expect(again.status).toBe(0);
    expect(again.stdout).toBe("");
    expect(again.stderr).toContain("digest of 2026-11-23 already ran; nothing new");
  }, 120_000);

  it("GIVEN a Saturday THEN no digest is due and nothing is printed", () => {
    const result = closer(dir, data, [
      "run-job",
      "digest",
      "--workspace",
      "local",
      "--at",
      "2026-11-21T09:00",
    ]);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("no digest on 2026-11-21");
  });

  it("GIVEN bad arguments THEN it says what is wrong and exits 2", () => {
    expect(parseRunJobArgs(["digestt"])).toBe("run-job takes one of digest, recognition, reminders");
    expect(parseRunJobArgs(["digest", "--at", "monday"])).toBe("--at monday is not an ISO-8601 date-time");
    expect(parseRunJobArgs(["digest", "--at"])).toBe("--at needs a value");
    expect(parseRunJobArgs(["reminders", "--workspace", "7", "--at", "2026-11-23T09:00+01:00"])).toEqual({
      job: "reminders",
      workspace: "7",
      at: "2026-11-23T09:00+01:00",
    });
    const result = closer(dir, data, ["run-job", "payroll"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe("closer run-job: run-job takes one of digest, recognition, reminders\n");
  });
});
