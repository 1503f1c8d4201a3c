-- Stalled deals are open deals whose last activity is old. The index holds the open deals only,
-- keyed by last activity: the stalled list is the first entries of one range, where the index by
-- (stage, last activity) it replaces needed one range per open stage, merged, which cost more to
-- plan than to run; it is a third of the size, and a deal that closes leaves it. The owner is
-- included, so that the count for a team or a member is an index-only scan (docs/architecture.md §3).
DROP INDEX "deal_stalled_idx";
CREATE INDEX "deal_stalled_idx" ON "deal" ("workspace_id", "last_activity_at")
  INCLUDE ("owner_id")
  WHERE "deleted_at" IS NULL AND "stage" IN ('lead', 'qualified', 'proposal', 'negotiation');
