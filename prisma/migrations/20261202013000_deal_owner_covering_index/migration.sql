-- A member's and a team's figures read their owners' deals: every column those figures use, beside
-- the (workspace, owner, closed_at) key, so that they too are index-only scans (one range per
-- member, a few thousand entries) instead of a visit to each deal's row. It replaces the plain
-- index on the same key, whose queries all ask for a deal not deleted (docs/architecture.md §3).
DROP INDEX "deal_workspace_id_owner_id_closed_at_idx";
CREATE INDEX "deal_owner_idx" ON "deal" ("workspace_id", "owner_id", "closed_at")
  INCLUDE ("stage", "amount", "created_at", "expected_close_date", "probability", "funnel_step",
           "lead_source", "lost_reason")
  WHERE "deleted_at" IS NULL;
