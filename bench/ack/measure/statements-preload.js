/**
 * Loaded into Closer by bench/ack (`node --import`, before `bin/closer.js`): counts the SQL
 * statements Closer sends, BEGIN and COMMIT included, and writes the count on SIGUSR2 as a JSON line
 * on stderr, `{"msg":"bench statements","statements":N}`. BENCH_COUNT_STATEMENTS names the driver:
 * `pg` (every `Client#query`: the pool, Prisma's adapter and raw SQL all end there) or `pglite`
 * (every statement PGlite runs goes through its one-at-a-time `_runExclusiveQuery`, an internal
 * method: without it the count stays absent). Plain JavaScript, as Closer may run compiled dist/.
 */
const driver = process.env.BENCH_COUNT_STATEMENTS;
let statements = 0;
let counting = false;

/** Wraps `proto[name]` so that every call counts one statement. */
function count(proto, name) {
  const original = proto?.[name];
  if (typeof original !== "function") return;
  proto[name] = function counted(...args) {
    statements += 1;
    return original.apply(this, args);
  };
  counting = true;
}

if (driver === "pg") {
  const { default: pg } = await import("pg");
  count(pg.Client.prototype, "query");
} else if (driver === "pglite") {
  const { PGlite } = await import("@electric-sql/pglite");
  count(PGlite.prototype, "_runExclusiveQuery");
}

process.on("SIGUSR2", () => {
  const line = { msg: "bench statements", ...(counting ? { statements } : {}) };
  process.stderr.write(`${JSON.stringify(line)}\n`);
});
