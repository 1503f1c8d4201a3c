-- Activities (issue 15): contests may rank by them, and /kpi activity and a contest's scores count a
-- period's activities per member and kind from one index alone.

-- AlterEnum
ALTER TYPE "ContestMetric" ADD VALUE 'activities';

-- A period's activities of a workspace, with who did them and what they were: /kpi activity and
-- contests count them by an index-only scan, never reading the activity rows (note, ids). It
-- replaces the plain (workspace_id, at) index, the first columns of its key.
DROP INDEX "activity_workspace_id_at_idx";
CREATE INDEX "activity_kpi_idx" ON "activity"("workspace_id", "at", "member_id", "kind");
