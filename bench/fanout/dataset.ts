import type { Database } from "../../src/db/client.js";
import { migrate } from "../../src/db/migrate.js";
import { adminQuery } from "../support/postgres.js";

/**
 * The instant every digest is due: Monday 2026-11-23 08:00 UTC. A working day that is neither the
 * last of its week nor the first of its month, so the sweep runs the digest and the reminders only.
 */
export const DUE_AT = new Date("2026-11-23T08:00:00Z");

/** Time zones and the local digest time that falls on `DUE_AT` in each (November: no DST anywhere here). */
const ZONES = [
  { timezone: "Europe/Paris", digestTime: "09:00", locale: "fr", currency: "EUR" },
  { timezone: "America/New_York", digestTime: "03:00", locale: "en", currency: "USD" },
  { timezone: "UTC", digestTime: "08:00", locale: "en", currency: "EUR" },
  { timezone: "Asia/Kolkata", digestTime: "13:30", locale: "en", currency: "INR" },
] as const;

/**
 * Each workspace's deals: two wins on Friday (the Monday digest covers Friday to Sunday), an earlier
 * win and a loss this month, and three open deals of which two are stalled (no event for 14+ days):
 * the rep's, which the digest lists, and the manager's, which also puts a reminder in the manager's
 * DM next to the digest (so one DM channel gets two messages in the same minute).
 */
const DEALS = `(VALUES
  (1, 'acme',    'rep',     'Annual licence', 1200000, 'won',         100, NULL::date,   '2026-11-20T15:00:00Z'::timestamptz, NULL,    '2026-10-28T09:00:00Z'::timestamptz),
  (2, 'globex',  'manager', 'Expansion',       450000, 'won',         100, NULL,         '2026-11-20T10:30:00Z',              NULL,    '2026-11-02T09:00:00Z'),
  (3, 'initech', 'rep',     'Renewal',         800000, 'won',         100, NULL,         '2026-11-10T12:00:00Z',              NULL,    '2026-10-15T09:00:00Z'),
  (4, 'globex',  'rep',     'Pilot',           300000, 'lost',          0, NULL,         '2026-11-12T16:00:00Z',              'price', '2026-10-20T09:00:00Z'),
  (5, 'acme',    'rep',     'Upgrade',         950000, 'proposal',     50, '2026-11-30', NULL,                                NULL,    '2026-10-20T09:00:00Z'),
  (6, 'initech', 'rep',     'Services',        600000, 'negotiation',  75, '2026-12-15', NULL,                                NULL,    '2026-11-19T09:00:00Z'),
  (7, 'acme',    'manager', 'Expansion',      2000000, 'qualified',    25, '2026-12-31', NULL,                                NULL,    '2026-10-01T09:00:00Z')
) AS t(number, customer, owner, title, amount, stage, probability, ecd, closed_at, reason, created_at)`;
const DEALS_PER_WORKSPACE = 7;

/** Loads `n` Slack workspaces with plain SQL, one statement a table; returns the load time in ms. */
export async function loadWorkspaces(
  db: Database,
  n: number,
  options: { reminders: boolean },
): Promise<number> {
  if (!Number.isSafeInteger(n) || n < 1)
    throw new RangeError(`workspaces must be a positive integer, got ${n}`);
  const t0 = performance.now();
  await migrate(db.sql);
  const zones = ZONES.map(
    (z, i) => `(${i}, '${z.timezone}', '${z.digestTime}', '${z.locale}', '${z.currency}')`,
  ).join(", ");
  await db.sql.exec(`
    BEGIN;
    -- Workspace i (id i in this fresh database): team TF<i>, digest channel C<i>, manager U<i>, rep UR<i>.
    INSERT INTO workspace (platform, external_id, name, timezone, locale, currency, digest_time,
                           digest_channel, announce_reminders, updated_at)
    SELECT 'slack', 'TF' || lpad(g::text, 6, '0'), 'Fanout ' || g, z.timezone, z.locale, z.currency,
           z.digest_time, 'C' || g, ${options.reminders}, now()
    FROM generate_series(1, ${n}) g
    JOIN (VALUES ${zones}) AS z(k, timezone, digest_time, locale, currency) ON z.k = g % ${ZONES.length}
    ORDER BY g;
    INSERT INTO member (workspace_id, platform_user_id, display_name, role)
    SELECT w.id, m.prefix || w.id, m.label || ' ' || w.id, m.role::"Role"
    FROM workspace w, (VALUES ('U', 'Manager', 'manager'), ('UR', 'Rep', 'rep')) AS m(prefix, label, role)
    ORDER BY w.id, m.role;
    INSERT INTO customer (workspace_id, name, name_key, lead_source, created_at)
    SELECT w.id, c.name, c.key, c.source, '2026-09-01T09:00:00Z'
    FROM workspace w,
         (VALUES ('Acme', 'acme', 'referral'), ('Globex', 'globex', 'website'), ('Initech', 'initech', NULL))
         AS c(name, key, source)
    ORDER BY w.id, c.key;
    INSERT INTO deal (workspace_id, number, customer_id, owner_id, title, amount, stage, probability, lead_source,
                      expected_close_date, closed_at, lost_reason, created_at, updated_at, last_activity_at)
    SELECT w.id, t.number, c.id, m.id, t.title, t.amount + (w.id % 97) * 10000, t.stage::"Stage", t.probability,
           c.lead_source, t.ecd, t.closed_at, t.reason::"LostReason", t.created_at, coalesce(t.closed_at, t.created_at),
           coalesce(t.closed_at, t.created_at)
    FROM workspace w CROSS JOIN ${DEALS}
    JOIN customer c ON c.workspace_id = w.id AND c.name_key = t.customer
    JOIN member m ON m.workspace_id = w.id
                 AND m.platform_user_id = CASE t.owner WHEN 'manager' THEN 'U' ELSE 'UR' END || w.id
    ORDER BY w.id, t.number;
    INSERT INTO deal_event (workspace_id, deal_id, kind, actor_id, stage, amount, owner_id, at)
    SELECT workspace_id, id, 'created'::"DealEventKind", owner_id,
           CASE WHEN stage IN ('won', 'lost') THEN 'qualified' ELSE stage END, amount, owner_id, created_at
    FROM deal
    UNION ALL
    SELECT workspace_id, id, 'stage', owner_id, stage, NULL, NULL, closed_at FROM deal WHERE closed_at IS NOT NULL
    ORDER BY 1, 2;
    UPDATE workspace SET deal_seq = ${DEALS_PER_WORKSPACE};
    -- A company goal for the month and one for the rep, so the digest shows attainment and pace.
    INSERT INTO goal (workspace_id, scope, scope_id, metric, period_kind, period_start, target, updated_at)
    SELECT id, 'company'::"GoalScope", 0, 'revenue'::"GoalMetric", 'month'::"PeriodKind", '2026-11-01'::date,
           6000000, now()
    FROM workspace
    UNION ALL
    SELECT workspace_id, 'member', id, 'revenue', 'month', '2026-11-01', 4000000, now()
    FROM member WHERE role = 'rep';
    COMMIT;`);
  await db.sql.exec("VACUUM (ANALYZE)");
  const [counts] = await db.sql.query<{ workspaces: number; deals: number; first: number; last: number }>(
    `SELECT count(*)::int AS workspaces, min(id) AS first, max(id) AS last,
            (SELECT count(*) FROM deal)::int AS deals FROM workspace`,
  );
  if (
    counts?.workspaces !== n ||
    counts.first !== 1 ||
    counts.last !== n ||
    counts.deals !== DEALS_PER_WORKSPACE * n
  )
    throw new Error(`bulk load made ${JSON.stringify(counts)}, expected ${n} workspaces with ids 1..${n}`);
  return performance.now() - t0;
}

/** The server's version and the settings that matter here, for the report. */
export async function describeServer(adminUrl: string): Promise<string> {
  const rows = await adminQuery<{ name: string; setting: string }>(
    adminUrl,
    `SELECT name, setting FROM pg_settings
     WHERE name IN ('server_version', 'shared_buffers', 'max_connections', 'synchronous_commit') ORDER BY name`,
  );
  const get = (n: string) => rows.find((r) => r.name === n)?.setting ?? "?";
  return (
    `PostgreSQL ${get("server_version").split(" ")[0]} on the same machine (shared_buffers ` +
    `${(Number(get("shared_buffers")) * 8) / 1024} MB, synchronous_commit ${get("synchronous_commit")})`
  );
}
