-- The closed deals' index gains the deals' ids, numbers and customers, so that the products' figures
-- join a period's closed deals to their lines, and the digest picks yesterday's largest wins, from the
-- index alone (it replaces the index of 20261202004235_kpi_covering_indexes, whose columns it keeps).
DROP INDEX "deal_closed_idx";
CREATE INDEX "deal_closed_idx" ON "deal" ("workspace_id", "stage", "closed_at")
  INCLUDE ("amount", "owner_id", "created_at", "lead_source", "lost_reason", "id", "number", "customer_id")
  WHERE "deleted_at" IS NULL;
