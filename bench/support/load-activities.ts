import type { Database } from "../../src/db/client.js";

/** What to add: how many activities, to which workspace, over the two years before `now`. */
export interface ActivityPlan {
  workspaceId: number;
  activities: number;
  now: Date;
  /** VACUUM ANALYZE the table after (index-only scans need its visibility map; PGlite has no autovacuum). */
  vacuum: boolean;
}

/** Rows per statement: a batch is one INSERT … SELECT, so memory stays flat whatever the total. */
const BATCH = 500_000;
const TWO_YEARS_S = 730 * 86_400;

/**
 * Adds activities to a workspace already holding the bench's deals (`bench/kpi/load.ts`), set-based:
 * `INSERT … SELECT` over `generate_series`, a batch at a time. Each activity takes a deal by a
 * multiplicative hash of its number, so they spread over every deal, customer and rep: seven in ten
 * are about their deal, the others about its customer alone; four in five are by the deal's owner,
 * the others by any rep; the kinds turn (call, meeting, email, demo); `at` spreads over the two years
 * before `now`. Deterministic: the same plan loads the same rows. Exported for other benches.
 */
export async function loadActivities(
  db: Database,
  plan: ActivityPlan,
): Promise<{ ms: number; rows: number }> {
  const t0 = performance.now();
  const ws = plan.workspaceId;
  await db.sql.exec(`
    DROP TABLE IF EXISTS bench_activity_deal; DROP TABLE IF EXISTS bench_activity_rep;
    CREATE TABLE bench_activity_deal AS
      SELECT (row_number() OVER (ORDER BY id) - 1)::int AS n, id, customer_id, owner_id
      FROM deal WHERE workspace_id = ${ws};
    CREATE UNIQUE INDEX ON bench_activity_deal (n);
    CREATE TABLE bench_activity_rep AS
      SELECT (row_number() OVER (ORDER BY id) - 1)::int AS n, id
      FROM member WHERE workspace_id = ${ws} AND role = 'rep';
    CREATE UNIQUE INDEX ON bench_activity_rep (n);`);
  const [counts] = await db.sql.query<{ deals: number; reps: number }>(
    "SELECT (SELECT count(*) FROM bench_activity_deal)::int AS deals, (SELECT count(*) FROM bench_activity_rep)::int AS reps",
  );
  const deals = counts?.deals ?? 0;
  const reps = counts?.reps ?? 0;
  if (deals === 0 || reps === 0)
    throw new Error(`workspace ${ws} has no deals or no reps to add activities to`);
  const now = plan.now.toISOString();
  for (let from = 1; from <= plan.activities; from += BATCH) {
    const to = Math.min(plan.activities, from + BATCH - 1);
    await db.sql.exec(`
      INSERT INTO activity (workspace_id, kind, member_id, customer_id, deal_id, note, at, created_at)
      SELECT ${ws},
             (ARRAY['call', 'meeting', 'email', 'demo']::"ActivityKind"[])[1 + g % 4],
             CASE WHEN g % 5 = 0 THEN r.id ELSE d.owner_id END,
             d.customer_id,
             CASE WHEN g % 10 < 7 THEN d.id END,
             CASE WHEN g % 3 = 0 THEN 'bench note ' || g END,
             at, at
      FROM generate_series(${from}, ${to}) g
      CROSS JOIN LATERAL (SELECT '${now}'::timestamptz
                                 - make_interval(secs => ((g::bigint * 2654435761) % ${TWO_YEARS_S})::double precision) AS at) t
      JOIN bench_activity_deal d ON d.n = (g::bigint * 40503) % ${deals}
      JOIN bench_activity_rep r ON r.n = (g::bigint * 7919) % ${reps};`);
  }
  await db.sql.exec("DROP TABLE bench_activity_deal; DROP TABLE bench_activity_rep;");
  if (plan.vacuum) await db.sql.exec("VACUUM ANALYZE activity");
  const [loaded] = await db.sql.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM activity WHERE workspace_id = $1",
    [ws],
  );
  return { ms: performance.now() - t0, rows: loaded?.n ?? 0 };
}
