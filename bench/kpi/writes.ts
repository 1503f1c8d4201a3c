import type { Database } from "../../src/db/client.js";
import { type Summary, summarize } from "../support/percentiles.js";

/**
 * What the figure tables' triggers cost a deal write: the same single-row statements, each its own
 * transaction on the bare driver, with the `deal_figures_*` triggers enabled and disabled, in
 * alternating blocks on the loaded data set. Run last (it writes deals); the figure tables are
 * computed again at the end, as the writes made with the triggers off left them behind.
 */

export interface WriteCost {
  statement: string;
  on: Summary;
  off: Summary;
}

const TRIGGERS = ["deal_figures_insert", "deal_figures_update", "deal_figures_delete"];

/** The statements of one deal's life, in order: the insert takes the workspace and a number, the others the row's id. */
const STEPS: { statement: string; sql: string }[] = [
  {
    statement: "log (INSERT an open deal)",
    sql: `INSERT INTO deal (workspace_id, number, customer_id, owner_id, amount, stage, probability,
                            expected_close_date, updated_at)
          SELECT $1, $2, c.id, c.owner_id, 1234500, 'proposal', 50, '2026-12-10', now()
          FROM customer c WHERE c.workspace_id = $1 AND c.owner_id IS NOT NULL LIMIT 1
          RETURNING id`,
  },
  {
    statement: "edit amount and close date (UPDATE)",
    sql: "UPDATE deal SET amount = 2345600, expected_close_date = '2026-12-20', updated_at = now() WHERE id = $1",
  },
  {
    statement: "move stage (UPDATE)",
    sql: "UPDATE deal SET stage = 'negotiation', probability = 80, last_activity_at = now() WHERE id = $1",
  },
  {
    statement: "win (UPDATE)",
    sql: "UPDATE deal SET stage = 'won', probability = 100, closed_at = now(), last_activity_at = now() WHERE id = $1",
  },
  { statement: "delete (UPDATE deleted_at)", sql: "UPDATE deal SET deleted_at = now() WHERE id = $1" },
];

export async function measureWrites(
  db: Database,
  workspaceId: number,
  opts: { rounds: number; block: number },
): Promise<WriteCost[]> {
  const samples = { on: STEPS.map((): number[] => []), off: STEPS.map((): number[] => []) };
  const [seq] = await db.sql.query<{ n: number }>(
    "SELECT max(number)::int AS n FROM deal WHERE workspace_id = $1",
    [workspaceId],
  );
  let number = (seq?.n ?? 0) + 1_000_000;
  const setTriggers = (enabled: boolean) =>
    db.sql.exec(
      TRIGGERS.map((t) => `ALTER TABLE deal ${enabled ? "ENABLE" : "DISABLE"} TRIGGER ${t};`).join("\n"),
    );
  try {
    for (let round = 0; round < opts.rounds; round++) {
      // Alternate which mode goes first, so neither always runs on caches the other warmed.
      for (const mode of round % 2 === 0 ? (["on", "off"] as const) : (["off", "on"] as const)) {
        await setTriggers(mode === "on");
        for (let k = 0; k < opts.block; k++) {
          let id = 0;
          for (const [i, step] of STEPS.entries()) {
            const t0 = performance.now();
            const rows = await db.sql.query<{ id: number }>(
              step.sql,
              i === 0 ? [workspaceId, number++] : [id],
            );
            samples[mode][i]?.push(performance.now() - t0);
            if (i === 0) id = rows[0]?.id ?? 0;
          }
        }
      }
    }
  } finally {
    await setTriggers(true);
    await db.sql.query("SELECT figure_rebuild($1)", [workspaceId]);
  }
  return STEPS.map((step, i) => ({
    statement: step.statement,
    on: summarize(samples.on[i] ?? []),
    off: summarize(samples.off[i] ?? []),
  }));
}
