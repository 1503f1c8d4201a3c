import type { Database } from "../../src/db/client.js";
import { time } from "../support/timing.js";

/** What the bulk loader builds: one workspace, `reps` reps, `customers` customers, `deals` deals. */
export interface LoadPlan {
  workspaceId: number;
  reps: number;
  customers: number;
  deals: number;
  /** The benchmark's "now": deals are created over the two years before it. */
  now: Date;
  /** Local start dates (`YYYY-MM-DD`) of the month and quarter containing `now`, for the goals. */
  monthStart: string;
  quarterStart: string;
  /** VACUUM (ANALYZE) after the load, as autovacuum would have done on PostgreSQL. */
  vacuum: boolean;
}

export interface LoadTimings {
  membersMs: number;
  customersMs: number;
  dealsMs: number;
  eventsMs: number;
  goalsMs: number;
  /** `figure_rebuild`: the kept sums of the deals the load wrote with triggers off. */
  figuresMs: number;
  vacuumMs: number;
}

const SOURCES = "ARRAY['referral', 'website', 'outbound', 'event', 'partner']";
const REASONS =
  "ARRAY['price', 'price', 'competitor', 'timing', 'no_decision', 'product', 'other']::\"LostReason\"[]";
const TITLES = "ARRAY['Annual licence', 'Expansion', 'Renewal', 'Pilot', 'Services', 'Upgrade']";

function int(n: number, what: string): number {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`${what} must be a positive integer, got ${n}`);
  return n;
}

/** Zero-padding width that keeps `1..n` unique and sorted as text. */
const digits = (n: number) => Math.max(4, String(n).length);

function isoDate(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  return date;
}

/**
 * Bulk-loads the benchmark data set with `INSERT … SELECT … generate_series`, one statement per
 * table, so a million deals cost one round trip. `setseed` makes the data the same on every run and
 * backend (each script runs on one connection). Shape, per deal:
 * - 40% won, 25% lost, 35% open (lead 35%, qualified 30%, proposal 20%, negotiation 15% of them);
 * - closed deals close at a steady rate over the two years before `now`, 3–153 days after their
 *   creation (mostly short); open deals were created over the last year, more of them lately;
 * - 1,000–100,000 € log-uniform, in cents; the stage's default probability;
 * - 85% of open deals have an expected close date, from 30 days overdue to 150 days ahead;
 * - owners mildly skewed (some reps sell more), customers strongly skewed (key accounts);
 * - one `created` deal_event per deal, as the service writes (so each deal's last activity is its
 *   creation); rows in creation order, as in real use.
 * Foreign-key triggers are skipped for the two big inserts (half the load time on PGlite): the
 * references are right by construction, and `buildDataset` checks them afterwards.
 */
export async function loadDeals(db: Database, plan: LoadPlan): Promise<LoadTimings> {
  const ws = int(plan.workspaceId, "workspaceId");
  const reps = int(plan.reps, "reps");
  const customers = int(plan.customers, "customers");
  const deals = int(plan.deals, "deals");
  const now = `'${plan.now.toISOString()}'::timestamptz`;
  const month = `'${isoDate(plan.monthStart)}'::date`;
  const quarter = `'${isoDate(plan.quarterStart)}'::date`;

  // Rows inserted by one statement into a fresh table have consecutive ids, so a random row is
  // `first + floor(random() * n)`. (Subscripting an array of the ids instead took 18 s and 2.4 GB
  // for 20,000 deals on PGlite.) The division fails the load, on purpose, if the ids have gaps.
  const contiguous = (table: string, where: string) =>
    `SELECT min(id) AS first, count(*) / (count(*) / (max(id) - min(id) + 1)) AS n
     FROM ${table} WHERE workspace_id = ${ws} AND ${where}`;

  const membersMs = await time(() =>
    db.sql.exec(`
      INSERT INTO member (workspace_id, platform_user_id, display_name, role)
      SELECT ${ws}, 'rep' || lpad(g::text, ${digits(reps)}, '0'), 'Rep ' || lpad(g::text, ${digits(reps)}, '0'), 'rep'
      FROM generate_series(1, ${reps}) g;`),
  );

  const customersMs = await time(() =>
    db.sql.exec(`
      SELECT setseed(0.17);
      INSERT INTO customer (workspace_id, name, name_key, lead_source, owner_id, created_at)
      SELECT ${ws}, 'Customer ' || lpad(g::text, ${digits(customers)}, '0'),
             'customer ' || lpad(g::text, ${digits(customers)}, '0'),
             CASE WHEN random() < 0.1 THEN NULL ELSE (${SOURCES})[1 + floor(random() * 5)::int] END,
             r.first + floor(random() * r.n)::int,
             ${now} - random() * interval '800 days'
      FROM generate_series(1, ${customers}) g, (${contiguous("member", `role = 'rep'`)}) r;`),
  );

  const dealsMs = await time(() =>
    db.sql.exec(`
      BEGIN;
      SET LOCAL session_replication_role = replica;
      SELECT setseed(0.42);
      INSERT INTO deal (workspace_id, number, customer_id, owner_id, title, amount, stage, probability,
                        lead_source, expected_close_date, closed_at, lost_reason, created_at, updated_at,
                        last_activity_at)
      WITH draw AS (
        SELECT random() AS r_outcome, random() AS r_open, random() AS r_age, random() AS r_cycle,
               random() AS r_amount, random() AS r_src, random() AS r_ecd, random() AS r_reason,
               random() AS r_title,
               r.first + floor(power(random(), 1.2) * r.n)::int AS owner_id,
               c.first + floor(power(random(), 1.6) * c.n)::int AS customer_id
        FROM generate_series(1, ${deals}), (${contiguous("member", `role = 'rep'`)}) r,
             (${contiguous("customer", "true")}) c
      ), staged AS (
        SELECT d.*,
               CASE WHEN r_outcome < 0.40 THEN 'won' WHEN r_outcome < 0.65 THEN 'lost'
                    WHEN r_open < 0.35 THEN 'lead' WHEN r_open < 0.65 THEN 'qualified'
                    WHEN r_open < 0.85 THEN 'proposal' ELSE 'negotiation' END::"Stage" AS stage,
               (3 + power(r_cycle, 2) * 150) * interval '1 day' AS cycle
        FROM draw d
      ), dated AS (
        -- Closed deals close at a steady rate over two years; open ones were mostly created lately.
        SELECT s.*, closed_at,
               CASE WHEN closed_at IS NULL THEN ${now} - power(r_age, 1.3) * 365 * interval '1 day'
                    ELSE closed_at - cycle END AS created_at
        FROM staged s,
             LATERAL (SELECT CASE WHEN stage IN ('won', 'lost')
                                  THEN ${now} - r_age * 730 * interval '1 day' END AS closed_at) x
      ), sourced AS (
        SELECT d.*, cu.lead_source AS customer_source
        FROM dated d JOIN customer cu ON cu.id = d.customer_id
      )
      SELECT ${ws},
             row_number() OVER (ORDER BY created_at)::int,
             customer_id,
             owner_id,
             CASE WHEN r_title < 0.5 THEN (${TITLES})[1 + floor(r_title * 12)::int] END,
             round(exp(ln(1000) + r_amount * ln(100)))::bigint * 100,
             stage,
             CASE stage WHEN 'lead' THEN 10 WHEN 'qualified' THEN 25 WHEN 'proposal' THEN 50
                        WHEN 'negotiation' THEN 75 WHEN 'won' THEN 100 ELSE 0 END,
             CASE WHEN r_src < 0.7 THEN customer_source
                  WHEN r_src < 0.9 THEN (${SOURCES})[1 + floor(r_src * 50)::int % 5] END,
             CASE WHEN stage IN ('won', 'lost') THEN
                    CASE WHEN r_ecd < 0.7 THEN (created_at + interval '45 days')::date END
                  WHEN r_ecd < 0.85 THEN ${now}::date + (floor(r_ecd / 0.85 * 180)::int - 30) END,
             closed_at,
             CASE WHEN stage = 'lost' THEN (${REASONS})[1 + floor(r_reason * 7)::int] END,
             created_at,
             coalesce(closed_at, created_at),
             created_at
      FROM sourced
      ORDER BY created_at;
      COMMIT;`),
  );

  const eventsMs = await time(() =>
    db.sql.exec(`
      BEGIN;
      SET LOCAL session_replication_role = replica;
      INSERT INTO deal_event (workspace_id, deal_id, kind, actor_id, stage, amount, owner_id, at)
      SELECT workspace_id, id, 'created', owner_id,
             CASE WHEN stage IN ('won', 'lost') THEN 'qualified' ELSE stage END, amount, owner_id, created_at
      FROM deal WHERE workspace_id = ${ws}
      ORDER BY id;
      UPDATE workspace SET deal_seq = (SELECT max(number) FROM deal WHERE workspace_id = ${ws})
      WHERE id = ${ws};
      COMMIT;`),
  );

  // A monthly revenue goal per rep and company goals for the month and quarter of "now", so
  // /forecast and goal progress find what a real team has set.
  const goalsMs = await time(() =>
    db.sql.exec(`
      INSERT INTO goal (workspace_id, scope, scope_id, metric, period_kind, period_start, target, updated_at)
      SELECT ${ws}, 'member', id, 'revenue', 'month', ${month}, 40000000, now()
      FROM member WHERE workspace_id = ${ws} AND role = 'rep';
      INSERT INTO goal (workspace_id, scope, scope_id, metric, period_kind, period_start, target, updated_at)
      VALUES (${ws}, 'company', 0, 'revenue', 'month', ${month}, 36000000000, now()),
             (${ws}, 'company', 0, 'revenue', 'quarter', ${quarter}, 108000000000, now());`),
  );

  // The load skipped the triggers (session_replication_role), those that keep the figure tables
  // too: they are computed from the loaded deals, as a time-zone change would.
  const figuresMs = await time(() => db.sql.exec(`SELECT figure_rebuild(${ws})`));

  // On PostgreSQL a long-lived database has been vacuumed and analysed by autovacuum; a fresh bulk
  // load has not. PGlite runs no autovacuum (single-user mode), so `vacuum: false` is what an
  // embedded database really looks like unless something runs VACUUM.
  const vacuumMs = await time(async () => {
    if (plan.vacuum)
      await db.sql.exec(
        "VACUUM (ANALYZE) member, customer, deal, deal_event, goal, workspace, figure_day, figure_owner_month, figure_open, figure_activity, figure_close, figure_product, figure_product_deal",
      );
    await db.sql.exec("CHECKPOINT");
  });

  return { membersMs, customersMs, dealsMs, eventsMs, goalsMs, figuresMs, vacuumMs };
}
