import { parseArgs } from "node:util";
import {
  BACKENDS,
  byMatrixOrder,
  COMMANDS,
  CONCURRENCIES,
  DEFAULT_NEW_TEAM,
  DEFAULT_USERS,
  matching,
  matrix,
  type Scenario,
  USER_KINDS,
} from "./scenario.js";

export type Part = "slack" | "discord";

export interface AckOptions {
  parts: Part[];
  /** The scenarios to run on Slack, in order. */
  scenarios: Scenario[];
  /** Whether the concurrency was chosen (else Discord runs at 50 only). */
  concurrencyChosen: boolean;
  /** Measured requests per target and scenario, split over `rounds`; undefined: by concurrency. */
  requests: number | undefined;
  /** Requests per target before measuring; undefined: by concurrency. */
  warmup: number | undefined;
  /** Measured blocks per target, alternating Closer and the bare app, so a slow spell hits both. */
  rounds: number;
  /** Known users taking turns (the warm-up's users, and every user of a `known` scenario). */
  userPool: number;
  /**
   * Slack teams / Discord guilds (Closer workspaces) the known users' requests come from, in turn:
   * 1, one team, by default; more spreads them over workspaces, to see what one costs.
   */
  teams: number;
  /** How long a late answer (response_url, deferred edit) is waited for before it counts as lost. */
  answerWaitMs: number;
  /** The PostgreSQL server the scratch databases are created on. */
  pgUrl: string;
  /** Closer's LOG_LEVEL. */
  logLevel: string;
  /** When set, Closer runs with `--cpu-prof` and writes its V8 CPU profile into this directory. */
  cpuProf: string;
  /**
   * `off`: the figure tables' triggers are disabled once Closer has migrated its PostgreSQL
   * database, to measure what they cost under concurrent writes (their figures are then wrong).
   */
  figureTriggers: "on" | "off";
  /** Where the results section goes; empty to print only. */
  out: string;
}

export const USAGE = `usage: tsx bench/ack/run.ts [--only slack|discord]
       [--commands deal-log,kpi-month] [--concurrency 50,200] [--backends postgres,pglite]
       [--users known,new,new-team] [--scenarios deal-log/50/postgres/known,kpi-month/*/pglite/*,…]
       [--requests N] [--warmup N] [--rounds N] [--user-pool N] [--teams N] [--answer-wait-ms N]
       [--pg-url postgres://…] [--log-level info|debug|…] [--cpu-prof DIR] [--figure-triggers on|off]
       [--out FILE | --no-write]
The scenarios are every combination of --commands, --concurrency, --backends and --users (all
values by default, except that without --users a new team is measured only in ${DEFAULT_NEW_TEAM.join(" and ")}),
narrowed by --scenarios (command/concurrency/backend/users, each part a value or *).
Default requests per scenario: 1,000 measured at 50 in flight, 600 at 200; warm-up 2 × concurrency (≥ 200).`;

function positiveInt(name: string, value: string | undefined, fallback: number): number;
function positiveInt(name: string, value: string | undefined, fallback?: number): number | undefined;
function positiveInt(name: string, value: string | undefined, fallback?: number): number | undefined {
  if (value === undefined) return fallback;
  const n = Number(value.replaceAll("_", "").replaceAll(",", ""));
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer\n${USAGE}`);
  return n;
}

/** A comma-separated list of allowed values; all of them when the flag is absent. */
function listOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T[] {
  if (value === undefined) return [...allowed];
  const items = value.split(",").map((v) => v.trim());
  for (const item of items)
    if (!allowed.includes(item as T))
      throw new Error(`--${name}: "${item}" is not one of ${allowed.join(", ")}\n${USAGE}`);
  return items as T[];
}

/** Parses the command line; throws with the usage on a bad flag. */
export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): AckOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: "string" },
      commands: { type: "string" },
      concurrency: { type: "string" },
      backends: { type: "string" },
      users: { type: "string" },
      scenarios: { type: "string" },
      requests: { type: "string" },
      warmup: { type: "string" },
      rounds: { type: "string" },
      "user-pool": { type: "string" },
      teams: { type: "string" },
      "answer-wait-ms": { type: "string" },
      "pg-url": { type: "string" },
      "log-level": { type: "string", default: "info" },
      "cpu-prof": { type: "string", default: "" },
      "figure-triggers": { type: "string", default: "on" },
      out: { type: "string", default: "bench/RESULTS.md" },
      "no-write": { type: "boolean", default: false },
    },
    strict: true,
  });
  const only = values.only;
  if (only !== undefined && only !== "slack" && only !== "discord")
    throw new Error(`--only must be slack or discord\n${USAGE}`);
  const rounds = positiveInt("rounds", values.rounds, 2);
  const requests = positiveInt("requests", values.requests);
  if (requests !== undefined && requests < rounds)
    throw new Error(`--requests must be at least --rounds\n${USAGE}`);
  const patterns = values.scenarios?.split(",").map((p) => p.trim());
  // A concurrency a --scenarios pattern names counts as chosen, unless --concurrency says otherwise.
  const named = (patterns ?? [])
    .map((p) => Number(p.split("/")[1]))
    .filter((n) => Number.isSafeInteger(n) && n > 0);
  const concurrency =
    values.concurrency === undefined
      ? [...new Set([...CONCURRENCIES, ...named])]
      : values.concurrency.split(",").map((c) => positiveInt("concurrency", c.trim(), 1));
  const dims = {
    commands: listOf("commands", values.commands, COMMANDS),
    concurrency,
    backends: listOf("backends", values.backends, BACKENDS),
  };
  const all = matrix({ ...dims, users: listOf("users", values.users, USER_KINDS) });
  const scenarios = patterns
    ? matching(all, patterns)
    : values.users !== undefined
      ? all
      : [
          ...matrix({ ...dims, users: DEFAULT_USERS }),
          ...matching(matrix({ ...dims, users: ["new-team"] }), DEFAULT_NEW_TEAM),
        ].sort(byMatrixOrder);
  if (scenarios.length === 0) throw new Error(`no scenario selected\n${USAGE}`);
  const figureTriggers = values["figure-triggers"];
  if (figureTriggers !== "on" && figureTriggers !== "off")
    throw new Error(`--figure-triggers must be on or off\n${USAGE}`);
  return {
    parts: only ? [only] : ["slack", "discord"],
    scenarios,
    concurrencyChosen: values.concurrency !== undefined || values.scenarios !== undefined,
    requests,
    warmup: positiveInt("warmup", values.warmup),
    rounds,
    userPool: positiveInt("user-pool", values["user-pool"], 10),
    teams: positiveInt("teams", values.teams, 1),
    answerWaitMs: positiveInt("answer-wait-ms", values["answer-wait-ms"], 30_000),
    pgUrl: values["pg-url"] ?? env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432",
    logLevel: values["log-level"],
    cpuProf: values["cpu-prof"],
    figureTriggers,
    out: values["no-write"] ? "" : values.out,
  };
}
