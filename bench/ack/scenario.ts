/** The measurement matrix: which command, how many in flight, on which database, from which users. */
export const COMMANDS = ["deal-log", "kpi-month"] as const;
export const BACKENDS = ["postgres", "pglite"] as const;
/**
 * `known`: the users sent commands in the warm-up; `new`: every measured request from a user Closer
 * has never seen, of a team it knows; `new-team`: the same, and the team is new too (`TEAM_SIZE`
 * new users each, sent back to back, so a team's first requests arrive together).
 */
export const USER_KINDS = ["known", "new", "new-team"] as const;
export const CONCURRENCIES = [50, 200] as const;

export type CommandName = (typeof COMMANDS)[number];
export type Backend = (typeof BACKENDS)[number];
export type UserKind = (typeof USER_KINDS)[number];

/** New users per new team in `new-team` scenarios. */
export const TEAM_SIZE = 10;

export interface Scenario {
  command: CommandName;
  /** Requests in flight at any time. */
  concurrency: number;
  backend: Backend;
  users: UserKind;
}

/** `deal-log/50/postgres/known`: how a scenario is named in flags, logs and the report. */
export const scenarioName = (s: Scenario) => `${s.command}/${s.concurrency}/${s.backend}/${s.users}`;

/** The slash command and its text, as a user types it. */
export const COMMAND_TEXT: Record<CommandName, { command: string; label: string }> = {
  "deal-log": { command: "/deal", label: "`/deal log`" },
  "kpi-month": { command: "/kpi", label: "`/kpi month`" },
};

/** Measured requests per target when `--requests` is not given: enough for a p99, few enough for the matrix. */
export const defaultRequests = (concurrency: number) =>
  concurrency <= 50 ? 1000 : Math.max(600, 3 * concurrency);
/** Warm-up requests per target when `--warmup` is not given: the pool's connections, JIT, the known users. */
export const defaultWarmup = (concurrency: number) => Math.max(200, 2 * concurrency);

/**
 * Without `--users` (nor `--scenarios`), known and new users everywhere, and a new team only where
 * the budgets it could break apply at their hardest: the full cross product would take twice as long.
 */
export const DEFAULT_USERS: readonly UserKind[] = ["known", "new"];
export const DEFAULT_NEW_TEAM = ["deal-log/50/postgres/new-team", "deal-log/200/pglite/new-team"];

/** PostgreSQL first, then by command, concurrency and users: the order scenarios run and are reported in. */
export function byMatrixOrder(a: Scenario, b: Scenario): number {
  return (
    BACKENDS.indexOf(a.backend) - BACKENDS.indexOf(b.backend) ||
    COMMANDS.indexOf(a.command) - COMMANDS.indexOf(b.command) ||
    a.concurrency - b.concurrency ||
    USER_KINDS.indexOf(a.users) - USER_KINDS.indexOf(b.users)
  );
}

/** Every combination of the given values, PostgreSQL first, in a stable order. */
export function matrix(dims: {
  commands: readonly CommandName[];
  concurrency: readonly number[];
  backends: readonly Backend[];
  users: readonly UserKind[];
}): Scenario[] {
  const out: Scenario[] = [];
  for (const backend of BACKENDS.filter((b) => dims.backends.includes(b)))
    for (const command of COMMANDS.filter((c) => dims.commands.includes(c)))
      for (const concurrency of dims.concurrency)
        for (const users of USER_KINDS.filter((u) => dims.users.includes(u)))
          out.push({ command, concurrency, backend, users });
  return out;
}

/** Scenarios whose name matches a pattern: four `/`-separated parts, each a value or `*`. */
export function matching(scenarios: readonly Scenario[], patterns: readonly string[]): Scenario[] {
  const fits = (s: Scenario, pattern: string) => {
    const want = pattern.split("/");
    return scenarioName(s)
      .split("/")
      .every((part, k) => want[k] === undefined || want[k] === "*" || want[k] === part);
  };
  return scenarios.filter((s) => patterns.some((p) => fits(s, p)));
}

/** The budgets, each in the scenarios it names. */
export interface Budget {
  /** The budget exactly as the issue states it. */
  text: string;
  applies(s: Scenario): boolean;
}

export const P99_BUDGET_MS = 100;
export const THROUGHPUT_SHARE = 0.5;
/** Slack's acknowledgement deadline; the deadline for an answer and for an ack under load. */
export const THREE_SECONDS_MS = 3000;

const at50OnPostgres = (s: Scenario) => s.concurrency === 50 && s.backend === "postgres";
export const BUDGETS = {
  ackP99: {
    text: `acknowledgement p99 < ${P99_BUDGET_MS} ms at 50 concurrent on PostgreSQL`,
    applies: at50OnPostgres,
  },
  throughput: {
    text: `acknowledgement ≥ ${THROUGHPUT_SHARE}× the bare app at 50 concurrent on PostgreSQL`,
    applies: at50OnPostgres,
  },
  answers: {
    text: "every answer delivered within 3 s at 50 concurrent",
    applies: (s) => s.concurrency === 50,
  },
  acks200: {
    text: "200 concurrent on PGlite all acknowledged within 3 s",
    applies: (s) => s.concurrency === 200 && s.backend === "pglite",
  },
} satisfies Record<string, Budget>;
