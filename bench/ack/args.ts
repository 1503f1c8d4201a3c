import { parseArgs } from "node:util";

export type Part = "slack" | "discord";

export interface AckOptions {
  parts: Part[];
  /** Measured requests per target (Closer, bare app) and part, split over `rounds`. */
  requests: number;
  /** Requests per target before measuring: connections, JIT, caches, the first users and customers. */
  warmup: number;
  /** Requests in flight at any time. */
  concurrency: number;
  /** Measured blocks per target, alternating Closer and the bare app, so a slow spell hits both. */
  rounds: number;
  /** Chat users the requests come from, in turn. */
  users: number;
  /**
   * Slack teams / Discord guilds (Closer workspaces) the requests come from, in turn: 1, one team
   * logging deals, by default; more spreads the requests over workspaces, to see what one costs.
   */
  teams: number;
  /** The PostgreSQL server the scratch databases are created on. */
  pgUrl: string;
  /** Closer's LOG_LEVEL. */
  logLevel: string;
  /** When set, Closer runs with `--cpu-prof` and writes its V8 CPU profile into this directory. */
  cpuProf: string;
  /** Where the results section goes; empty to print only. */
  out: string;
}

export const USAGE = `usage: tsx bench/ack/run.ts [--only slack|discord] [--requests N] [--warmup N] [--concurrency N]
       [--rounds N] [--users N] [--teams N] [--pg-url postgres://…] [--log-level info|debug|…] [--cpu-prof DIR]
       [--out FILE | --no-write]`;

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value.replaceAll("_", "").replaceAll(",", ""));
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer\n${USAGE}`);
  return n;
}

/** Parses the command line; throws with the usage on a bad flag. */
export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): AckOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: "string" },
      requests: { type: "string" },
      warmup: { type: "string" },
      concurrency: { type: "string" },
      rounds: { type: "string" },
      users: { type: "string" },
      teams: { type: "string" },
      "pg-url": { type: "string" },
      "log-level": { type: "string", default: "info" },
      "cpu-prof": { type: "string", default: "" },
      out: { type: "string", default: "bench/RESULTS.md" },
      "no-write": { type: "boolean", default: false },
    },
    strict: true,
  });
  const only = values.only;
  if (only !== undefined && only !== "slack" && only !== "discord")
    throw new Error(`--only must be slack or discord\n${USAGE}`);
  const rounds = positiveInt("rounds", values.rounds, 3);
  const requests = positiveInt("requests", values.requests, 3000);
  if (requests < rounds) throw new Error(`--requests must be at least --rounds\n${USAGE}`);
  return {
    parts: only ? [only] : ["slack", "discord"],
    requests,
    warmup: positiveInt("warmup", values.warmup, 300),
    concurrency: positiveInt("concurrency", values.concurrency, 50),
    rounds,
    users: positiveInt("users", values.users, 10),
    teams: positiveInt("teams", values.teams, 1),
    pgUrl: values["pg-url"] ?? env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432",
    logLevel: values["log-level"],
    cpuProf: values["cpu-prof"],
    out: values["no-write"] ? "" : values.out,
  };
}
