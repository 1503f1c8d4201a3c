import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { adminQuery } from "../support/postgres.js";
import { type Child, startChild } from "./measure/child.js";
import { monotonicMicros, type Window } from "./measure/cpu-profile.js";
import { type CommandTimes, commandTimes, eventLoopLag, type Scrape, scrape } from "./measure/metrics.js";
import type { ActivityProfile, ActivitySampler } from "./measure/pg-activity.js";
import { countStatements, statementsSoFar } from "./measure/statements.js";
import type { Backend } from "./scenario.js";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface CloserProcess {
  child: Child;
  /** `http://127.0.0.1:<port>`: Closer's one HTTP server (Slack's receiver, /metrics). */
  baseUrl: string;
  /** False when src/ or prisma/ changed while Closer was loading them (others edit the tree). */
  sourcesSteady: boolean;
}

/** A fingerprint of src/ and prisma/ (paths, sizes, modification times): equal means unchanged. */
export function sourceState(): string {
  const hash = createHash("sha1");
  for (const dir of ["src", "prisma"]) {
    const files = readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name))
      .sort();
    for (const file of files) {
      const { size, mtimeMs } = statSync(file);
      hash.update(`${file}\0${size}\0${mtimeMs}\n`);
    }
  }
  return hash.digest("hex").slice(0, 12);
}

/**
 * `node bin/closer.js start` as a deployment runs it, on `databaseUrl`, with the platform's
 * variables in `env`; resolves once it logged `closer ready`. PORT=0: the server picks a free port,
 * read back from its `http listening` line.
 */
export async function startCloser(options: {
  databaseUrl: string;
  env: Record<string, string>;
  logLevel: string;
  logFile: string;
  /** A directory for a V8 CPU profile of the whole process (written when it exits), or "". */
  cpuProf: string;
  /** The database's driver, whose statements `measure/statements-preload.js` counts. */
  backend: Backend;
}): Promise<CloserProcess> {
  const before = sourceState();
  const counter = countStatements(options.backend);
  const child = startChild({
    name: "closer",
    args: [
      ...(options.cpuProf ? ["--cpu-prof", `--cpu-prof-dir=${resolve(options.cpuProf)}`] : []),
      ...counter.args,
      "bin/closer.js",
      "start",
    ],
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: options.databaseUrl,
      PORT: "0",
      LOG_LEVEL: options.logLevel,
      ...counter.env,
      ...options.env,
    },
    logFile: options.logFile,
  });
  try {
    const listening = await child.line("http listening");
    await child.line("closer ready");
    return {
      child,
      baseUrl: `http://127.0.0.1:${Number(listening.port)}`,
      sourcesSteady: sourceState() === before,
    };
  } catch (error) {
    await child.stop();
    throw error;
  }
}

/** What Closer itself reports about the measured blocks. */
export interface CloserInside {
  /** `closer_command_duration_seconds` and `closer_commands_total` over the measured blocks. */
  times: CommandTimes;
  /** Event-loop delay in each measured block. */
  eventLoop: { meanMs: number; p99Ms: number; maxMs: number }[];
  /** PostgreSQL: its connections, sampled during the measured blocks. */
  activity?: ActivityProfile;
  /** The measured blocks on the monotonic clock, to cut a CPU profile to them. */
  windows: Window[];
  /**
   * SQL statements Closer sent during its measured blocks (late answers included), and in a second
   * with nothing to do after them (its background work: the outbox poll, the scheduler); absent
   * when the driver could not be counted.
   */
  statements?: { measured: number; idle: number; idleMs: number };
}

/**
 * Hooks for Closer's measured blocks: a scrape of /metrics right before and right after each
 * (which also resets prom-client's event-loop histogram, so each block gets its own), its SQL
 * statement count read before the first scrape and after the second (theirs included), and the
 * `pg_stat_activity` sampler (PostgreSQL) running during each. Closer gets no request between its blocks, so the command histogram from the first
 * scrape to the last covers exactly the measured requests.
 */
export function instrumentCloser(
  closer: CloserProcess,
  sampler: ActivitySampler | undefined,
  labels: { platform: string },
) {
  let first: Scrape | undefined;
  let last: Scrape | undefined;
  const eventLoop: CloserInside["eventLoop"] = [];
  const windows: Window[] = [];
  let from = 0;
  let counted = true;
  const statements = { measured: 0, idle: 0, idleMs: 0 };
  let blockStart = 0;
  const read = async () => {
    const n = counted ? await statementsSoFar(closer.child) : undefined;
    if (n === undefined) counted = false;
    return n ?? 0;
  };
  return {
    async beforePhase() {
      blockStart = await read();
      const s = await scrape(closer.baseUrl);
      first ??= s;
      sampler?.start();
      from = monotonicMicros();
    },
    async afterPhase() {
      windows.push([from, monotonicMicros()]);
      await sampler?.pause();
      last = await scrape(closer.baseUrl);
      eventLoop.push(eventLoopLag(last));
      statements.measured += (await read()) - blockStart;
    },
    /** Counts the statements Closer sends in `ms` without requests: what its background work adds. */
    async idleStatements(ms: number) {
      const n = await read();
      // The span measured over, not a wait for an event.
      await new Promise((resolve) => setTimeout(resolve, ms));
      statements.idle = (await read()) - n;
      statements.idleMs = ms;
    },
    inside(): CloserInside {
      if (!first || !last) throw new Error("Closer was never measured");
      return {
        times: commandTimes(first, last, labels),
        eventLoop,
        ...(sampler ? { activity: sampler.profile() } : {}),
        windows,
        ...(counted ? { statements } : {}),
      };
    },
  };
}

/** The PostgreSQL backends connected to `database` (Closer's pool); the server runs on this machine. */
export async function backendPids(adminUrl: string, database: string): Promise<number[]> {
  const rows = await adminQuery<{ pid: number }>(
    adminUrl,
    `SELECT pid FROM pg_stat_activity WHERE datname = '${database}' AND backend_type = 'client backend'`,
  );
  return rows.map((r) => r.pid);
}

/** Whether `bin/closer.js` runs dist/ (built from the sources as they are) or the sources through tsx. */
export async function closerBuild(): Promise<string> {
  try {
    // The same check bin/closer.js makes; loaded lazily, as only the report needs it.
    const stamp = (await import("../../scripts/source-stamp.js")) as {
      DIST_DIR: string;
      STAMP_FILE: string;
      sourceStamp(root: string): string;
    };
    const built =
      readFileSync(join(ROOT, stamp.DIST_DIR, stamp.STAMP_FILE), "utf8") === stamp.sourceStamp(ROOT);
    return built ? "compiled dist/, up to date" : "the sources through tsx (dist/ was stale)";
  } catch {
    return "dist/ or the sources (could not tell)";
  }
}
