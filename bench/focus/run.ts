/**
 * `npm run bench:focus`: `/focus` on 1,000,000 deals (docs/architecture.md §7: < 300 ms, at most 2×
 * the raw SQL). For each backend, bulk-loads the KPI bench's data set (`bench/kpi/dataset.ts`), puts
 * its reps in ten teams, adds open reminders (one for every ten deals, due from ten days
 * ago to twenty days ahead, nine in ten about a deal), then times, interleaved, a rep's and a team's
 * focus list through the service (`sales.focus.focusList`, permission check included) and its one
 * statement (`focusSql`) on the bare driver, and checks both give the same items. Writes its section
 * of bench/RESULTS.md (the others are kept). `--reuse` keeps the loaded database.
 */
import type { Database } from "../../src/db/client.js";
import { focusQueryOf, focusSql } from "../../src/sales/focus/focus-sql.js";
import type { Scope } from "../../src/sales/scope.js";
import { calendarOf } from "../../src/sales/workspaces/workspace-service.js";
import { BENCH_NOW, openSession } from "../kpi/dataset.js";
import {
  type BackendRun,
  ensureKpiDataset,
  interleaved,
  onBackend,
  onEachBackend,
  parseDatasetBenchOptions,
  recordCase,
  SALES_DATA_SET,
  type TimedCase,
  timedCasesTable,
  writeResultsSection,
} from "../support/bench-options.js";
import { codeVersion, describeMachine } from "../support/run-info.js";
import { warmedUp } from "../support/timing.js";

const ROOT = new URL("../..", import.meta.url).pathname;
const TITLE = "## Focus";
const TEAMS = 10;

const opts = parseDatasetBenchOptions("focus", process.argv.slice(2), process.env, SALES_DATA_SET);
/** Open reminders in the data set: one for every ten deals. */
const REMINDERS = Math.max(1, Math.round(opts.deals / 10));

/** The data set, its reps in ten teams, and the open reminders (written directly, as a load). */
async function ensureData(db: Database): Promise<void> {
  await ensureKpiDataset(db, opts, "focus");
  const { workspace: ws } = await openSession(db);
  const [reminders] = await db.sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM reminder WHERE workspace_id = $1`,
    [ws.id],
  );
  if ((reminders?.n ?? 0) > 0) return;
  await db.sql.exec(`
    INSERT INTO team (workspace_id, name, name_key)
    SELECT ${ws.id}, 'Team ' || n, 'team ' || n FROM generate_series(1, ${TEAMS}) n ON CONFLICT DO NOTHING;
    UPDATE member m SET team_id = t.id
    FROM team t WHERE m.workspace_id = ${ws.id} AND m.role = 'rep'
      AND t.workspace_id = ${ws.id} AND t.name_key = 'team ' || (1 + m.id % ${TEAMS});
    SELECT setseed(0.23);
    INSERT INTO reminder (workspace_id, member_id, deal_id, customer_id, due_at, text, created_at)
    SELECT ${ws.id}, d.owner_id,
           CASE WHEN random() < 0.9 THEN d.id END, d.customer_id,
           '${BENCH_NOW}'::timestamptz + (floor(random() * 30)::int - 10) * interval '1 day',
           'follow up', '${BENCH_NOW}'::timestamptz - interval '20 days'
    FROM (SELECT id, owner_id, customer_id FROM deal
          WHERE workspace_id = ${ws.id} AND stage IN ('lead', 'qualified', 'proposal', 'negotiation')
          ORDER BY random() LIMIT ${REMINDERS}) d;
    -- A reminder is about a deal or a customer, not both.
    UPDATE reminder SET customer_id = NULL WHERE workspace_id = ${ws.id} AND deal_id IS NOT NULL;`);
  // Apart: VACUUM runs outside a transaction, which a multi-statement script is.
  await db.sql.exec("VACUUM (ANALYZE) reminder, member, team");
}

/** An item as both sides give it, to check they agree. */
const key = (kind: string, value100: bigint, number: number | null, customer: string) =>
  `${kind}|${value100}|${number ?? ""}|${customer}`;

/** Loads the data on `backend` and times a rep's and a team's `/focus`. */
function benchBackend(backend: "pg" | "pglite"): Promise<BackendRun<TimedCase>> {
  return onBackend<TimedCase>(backend, opts, async (db, label, cases) => {
    await ensureData(db);
    const { sales, workspace: ws, admin } = await openSession(db);
    // The rep with the most open deals, and the team with the most members.
    const [rep] = await db.sql.query<{ id: number }>(
      `SELECT owner_id AS id FROM deal WHERE workspace_id = $1 AND closed_at IS NULL
       GROUP BY owner_id ORDER BY count(*) DESC, owner_id LIMIT 1`,
      [ws.id],
    );
    const member = await db.prisma.member.findFirstOrThrow({ where: { id: rep?.id ?? 0 } });
    const team = await db.prisma.team.findFirstOrThrow({
      where: { workspaceId: ws.id },
      orderBy: { id: "asc" },
    });
    const scopes: [string, Scope][] = [
      [`/focus (a rep, ${member.displayName})`, { scope: "member", member }],
      [`/focus team (${team.name})`, { scope: "team", team }],
    ];
    for (const [name, scope] of scopes) {
      const sql = focusSql(focusQueryOf(ws, calendarOf(ws), scope, new Date(BENCH_NOW)));
      let mine: string[] = [];
      let theirs: string[] = [];
      const times = await interleaved(
        opts,
        async () => {
          const list = await sales.focus.focusList(ws, admin, scope);
          mine = list.map((x) => key(x.kind, x.value * 100n, x.deal?.number ?? null, x.customer));
        },
        async () => {
          const rows = await db.sql.query<{
            kind: string;
            value100: string;
            number: number | null;
            customer: string;
          }>(sql.text, sql.values);
          theirs = rows.map((x) => key(x.kind, (BigInt(x.value100) / 100n) * 100n, x.number, x.customer));
        },
      );
      if (JSON.stringify(mine) !== JSON.stringify(theirs))
        throw new Error(`${name}: the service and the raw SQL disagree`);
      const run = { name, rows: mine.length, ...times };
      recordCase(cases, label, run);
    }
  });
}

const { runs, load } = await onEachBackend(opts, benchBackend);
const section = [
  TITLE,
  "",
  `\`npm run bench:focus\` (${opts.deals.toLocaleString("en")} deals, ${opts.reps} reps in ${TEAMS} teams, ${REMINDERS.toLocaleString("en")} open reminders, ${opts.iterations} rounds after ${warmedUp(opts.warmup)}, now ${BENCH_NOW}), ${new Date().toISOString()}; ${describeMachine()}; load ${load}; code ${codeVersion(ROOT)}.`,
  "Budget: < 300 ms, at most 2× the raw SQL (`focusSql` on the bare driver, in the same rounds; every round checks both give the same items).",
  "",
  ...runs.flatMap((run) => timedCasesTable(run, "list", "items")),
].join("\n");
writeResultsSection(opts.out, TITLE, section);
if (runs.some((r) => r.error)) process.exitCode = 1;
