/**
 * `npm run bench:focus`: `/focus` on 1,000,000 deals (docs/architecture.md §7: < 300 ms, at most 2×
 * the raw SQL). For each backend, bulk-loads the KPI bench's data set (`bench/kpi/dataset.ts`), puts
 * its reps in ten teams, adds open reminders (one for every ten deals by default, due from ten days
 * ago to twenty days ahead, nine in ten about a deal), then times, interleaved, a rep's and a team's
 * focus list through the service (`sales.focus.focusList`, permission check included) and its one
 * statement (`focusSql`) on the bare driver, and checks both give the same items. Writes its section
 * of bench/RESULTS.md (the others are kept). `--reuse` keeps the loaded database.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { type Database, openDatabase } from "../../src/db/client.js";
import { focusQueryOf, focusSql } from "../../src/sales/focus/focus-sql.js";
import type { Scope } from "../../src/sales/scope.js";
import { calendarOf } from "../../src/sales/workspaces/workspace-service.js";
import { BENCH_NOW, openSession } from "../kpi/dataset.js";
import { positiveInt } from "../support/args.js";
import { ensureKpiDataset } from "../support/bench-options.js";
import { type Summary, summarize } from "../support/percentiles.js";
import { withSection } from "../support/results-section.js";
import { codeVersion, describeMachine } from "../support/run-info.js";
import { openTarget } from "../support/target.js";

const ROOT = new URL("../..", import.meta.url).pathname;
const TITLE = "## Focus";
const TEAMS = 10;
const USAGE = `usage: tsx bench/focus/run.ts [--deals N] [--activities N] [--reps N] [--customers N] [--reminders N] [--backend pg|pglite|both]
       [--pg-url postgres://…] [--iterations N] [--warmup N] [--reuse] [--pglite-dir DIR] [--out FILE | --no-write]`;

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    deals: { type: "string" },
    activities: { type: "string" },
    reps: { type: "string" },
    customers: { type: "string" },
    reminders: { type: "string" },
    backend: { type: "string", default: "both" },
    "pg-url": { type: "string" },
    iterations: { type: "string" },
    warmup: { type: "string" },
    reuse: { type: "boolean", default: false },
    "pglite-dir": { type: "string", default: "/tmp/closer-bench-focus" },
    out: { type: "string", default: "bench/RESULTS.md" },
    "no-write": { type: "boolean", default: false },
  },
  strict: true,
});
const backend = values.backend;
if (backend !== "pg" && backend !== "pglite" && backend !== "both")
  throw new Error(`--backend must be pg, pglite or both\n${USAGE}`);
const deals = positiveInt("deals", values.deals, 1_000_000, USAGE);
const opts = {
  deals,
  activities: positiveInt("activities", values.activities, 5_000_000, USAGE),
  reps: positiveInt("reps", values.reps, 1000, USAGE),
  customers: positiveInt("customers", values.customers, 5000, USAGE),
  reminders: positiveInt("reminders", values.reminders, Math.max(1, Math.round(deals / 10)), USAGE),
  backends: backend === "both" ? (["pg", "pglite"] as const) : ([backend] as const),
  pgUrl: values["pg-url"] ?? process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test",
  iterations: positiveInt("iterations", values.iterations, 15, USAGE),
  warmup: positiveInt("warmup", values.warmup, 3, USAGE),
  out: values["no-write"] ? "" : values.out,
};

interface CaseRun {
  name: string;
  focus: Summary;
  raw: Summary;
  items: number;
}

async function time(run: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await run();
  return performance.now() - t0;
}

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
          ORDER BY random() LIMIT ${opts.reminders}) d;
    -- A reminder is about a deal or a customer, not both.
    UPDATE reminder SET customer_id = NULL WHERE workspace_id = ${ws.id} AND deal_id IS NOT NULL;`);
  // Apart: VACUUM runs outside a transaction, which a multi-statement script is.
  await db.sql.exec("VACUUM (ANALYZE) reminder, member, team");
}

/** An item as both sides give it, to check they agree. */
const key = (kind: string, value100: bigint, number: number | null, customer: string) =>
  `${kind}|${value100}|${number ?? ""}|${customer}`;

async function benchBackend(
  backend: "pg" | "pglite",
): Promise<{ label: string; cases: CaseRun[]; error?: string }> {
  const target = await openTarget(backend, {
    name: "focus",
    pgUrl: opts.pgUrl,
    reuse: values.reuse,
    pgliteDir: values["pglite-dir"],
  });
  const cases: CaseRun[] = [];
  const db = await openDatabase(target.url);
  try {
    console.error(`[${target.label}] data set in ${target.url}`);
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
      const focus: number[] = [];
      const raw: number[] = [];
      let items = 0;
      for (let i = 0; i < opts.warmup + opts.iterations; i++) {
        let mine: string[] = [];
        let theirs: string[] = [];
        const f = await time(async () => {
          const list = await sales.focus.focusList(ws, admin, scope);
          mine = list.map((x) => key(x.kind, x.value * 100n, x.deal?.number ?? null, x.customer));
          items = list.length;
        });
        const r = await time(async () => {
          const rows = await db.sql.query<{
            kind: string;
            value100: string;
            number: number | null;
            customer: string;
          }>(sql.text, sql.values);
          theirs = rows.map((x) => key(x.kind, (BigInt(x.value100) / 100n) * 100n, x.number, x.customer));
        });
        if (JSON.stringify(mine) !== JSON.stringify(theirs))
          throw new Error(`${name}: the service and the raw SQL disagree`);
        if (i < opts.warmup) continue;
        focus.push(f);
        raw.push(r);
      }
      const run = { name, focus: summarize(focus), raw: summarize(raw), items };
      cases.push(run);
      console.error(
        `[${target.label}] ${name}: ${run.focus.median.toFixed(0)} ms, raw ${run.raw.median.toFixed(0)} ms`,
      );
    }
    return { label: target.label, cases };
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    console.error(`[${target.label}] failed: ${message}`);
    return { label: target.label, cases, error: message };
  } finally {
    await db.close();
    await target.release();
  }
}

const startLoad = loadavg()[0] ?? 0;
const runs = [];
for (const backend of opts.backends) runs.push(await benchBackend(backend));
const ms = (n: number) => n.toFixed(1);
const section = [
  TITLE,
  "",
  `\`npm run bench:focus\` (${opts.deals.toLocaleString("en")} deals, ${opts.reps} reps in ${TEAMS} teams, ${opts.reminders.toLocaleString("en")} open reminders, ${opts.iterations} rounds after ${opts.warmup} warm-up, now ${BENCH_NOW}), ${new Date().toISOString()}; ${describeMachine()}; load ${startLoad.toFixed(1)} → ${(loadavg()[0] ?? 0).toFixed(1)}; code ${codeVersion(ROOT)}.`,
  "Budget: < 300 ms, at most 2× the raw SQL (`focusSql` on the bare driver, in the same rounds; every round checks both give the same items).",
  "",
  ...runs.flatMap((run) => [
    `### ${run.label}`,
    "",
    ...(run.error ? ["```", run.error, "```", ""] : []),
    "| list | items | /focus median / p95 ms | raw SQL median / p95 ms | ratio |",
    "|---|---|---|---|---|",
    ...run.cases.map(
      (c) =>
        `| ${c.name} | ${c.items} | ${ms(c.focus.median)} / ${ms(c.focus.p95)} | ${ms(c.raw.median)} / ${ms(c.raw.p95)} | ${(c.focus.median / c.raw.median).toFixed(2)} |`,
    ),
    "",
  ]),
].join("\n");
console.log(section);
if (opts.out) {
  const previous = existsSync(opts.out) ? readFileSync(opts.out, "utf8") : "";
  writeFileSync(opts.out, withSection(previous, TITLE, section));
  console.error(`wrote ${opts.out}`);
}
if (runs.some((r) => r.error)) process.exitCode = 1;
