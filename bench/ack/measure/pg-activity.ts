import pg from "pg";

/**
 * How the app's PostgreSQL connections spend their time, from `pg_stat_activity` sampled on a
 * timer: the mean number of connections in each state over the samples. `in transaction, idle`
 * is a transaction open on the server while it waits for the app's next statement (time in the
 * app, its driver or the network); `waiting on a lock` is a statement blocked by another
 * transaction's lock; `WAL / I/O` is mostly commits flushing the WAL.
 */
export interface ActivityProfile {
  samples: number;
  /** Mean connections per state. */
  means: Record<string, number>;
  /** The lock waits seen, by `wait_event` (`transactionid`, `tuple`, …), as a share of lock samples. */
  lockEvents: Record<string, number>;
}

const STATES = [
  "running a statement",
  "waiting on a lock",
  "WAL / I/O",
  "other wait",
  "in transaction, idle",
  "idle",
] as const;

function stateOf(row: { state: string | null; wait_event_type: string | null }): (typeof STATES)[number] {
  if (row.state === "idle in transaction") return "in transaction, idle";
  if (row.state !== "active") return "idle";
  if (row.wait_event_type === null) return "running a statement";
  if (row.wait_event_type === "Lock") return "waiting on a lock";
  if (row.wait_event_type === "IO" || row.wait_event_type === "LWLock") return "WAL / I/O";
  return "other wait";
}

/** Samples the connections to `database` every `intervalMs` while started; one connection of its own. */
export async function createActivitySampler(adminUrl: string, database: string, intervalMs = 20) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  const totals = new Map<string, number>();
  const locks = new Map<string, number>();
  let samples = 0;
  let running: Promise<void> | undefined;
  let stopping = false;

  async function loop(): Promise<void> {
    while (!stopping) {
      const { rows } = await client.query<{
        state: string | null;
        wait_event_type: string | null;
        wait_event: string | null;
      }>(
        `SELECT state, wait_event_type, wait_event FROM pg_stat_activity
         WHERE datname = $1 AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
        [database],
      );
      samples += 1;
      for (const row of rows) {
        const state = stateOf(row);
        totals.set(state, (totals.get(state) ?? 0) + 1);
        if (state === "waiting on a lock")
          locks.set(row.wait_event ?? "?", (locks.get(row.wait_event ?? "?") ?? 0) + 1);
      }
      // The sampling period: a timer between samples, not synchronisation.
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }

  return {
    start() {
      stopping = false;
      running ??= loop();
    },
    async pause() {
      stopping = true;
      await running;
      running = undefined;
    },
    profile(): ActivityProfile {
      const lockTotal = [...locks.values()].reduce((a, b) => a + b, 0);
      return {
        samples,
        means: Object.fromEntries(STATES.map((s) => [s, samples ? (totals.get(s) ?? 0) / samples : 0])),
        lockEvents: Object.fromEntries([...locks].map(([k, n]) => [k, lockTotal ? n / lockTotal : 0])),
      };
    },
    async close() {
      stopping = true;
      await running;
      await client.end();
    },
  };
}

export type ActivitySampler = Awaited<ReturnType<typeof createActivitySampler>>;
