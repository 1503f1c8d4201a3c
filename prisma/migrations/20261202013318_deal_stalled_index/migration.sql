-- Stalled deals (the digest's count, `/deal stalled`, the morning reminders) are open deals not
-- deleted whose last activity is old: the index holds only deals not deleted, and their owner, so
-- that the count for the company, a team or a member is an index-only scan. It replaces the plain
-- index on the same key, whose every query asks for a deal not deleted (docs/architecture.md §3).
DROP INDEX "deal_workspace_id_stage_last_activity_at_idx";
CREATE INDEX "deal_stalled_idx" ON "deal" ("workspace_id", "stage", "last_activity_at")
  INCLUDE ("owner_id")
  WHERE "deleted_at" IS NULL;
