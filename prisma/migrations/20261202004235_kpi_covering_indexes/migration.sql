-- The figures read index ranges only (docs/architecture.md §7, "Indexes").
--
-- Each index below holds, beside its key, every column the figures over its range sum or group
-- by, and only the deals those figures count (not deleted; open, for the pipeline), so the figures
-- are index-only scans: no visit to the deal table, whose rows are several times wider. They
-- replace the plain (workspace_id, stage, closed_at) and (workspace_id, created_at) indexes, whose
-- every query also asks for a deal not deleted. Prisma's schema cannot declare covering (INCLUDE)
-- indexes: schema.prisma lists them in a comment, and test/db/figure-indexes.test.ts checks that
-- the figures use them.

-- The furthest funnel step a deal reached (0 lead … 3 negotiation, 4 won), so the dashboard's funnel
-- is a range of the deals created in a period, without reading each one's history.
ALTER TABLE "deal" ADD COLUMN "funnel_step" SMALLINT NOT NULL DEFAULT 0;

CREATE FUNCTION "deal_stage_step"("stage" "Stage") RETURNS SMALLINT
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE "stage" WHEN 'lead' THEN 0 WHEN 'qualified' THEN 1 WHEN 'proposal' THEN 2
                    WHEN 'negotiation' THEN 3 WHEN 'won' THEN 4 ELSE 0 END;

-- The step a deal's history shows: its stage now, and every stage its events record.
UPDATE "deal" AS d SET "funnel_step" = greatest("deal_stage_step"(d."stage"), e."step")
FROM (SELECT "deal_id", max("deal_stage_step"("stage")) AS "step"
      FROM "deal_event" WHERE "stage" IS NOT NULL GROUP BY "deal_id") AS e
WHERE e."deal_id" = d."id" AND greatest("deal_stage_step"(d."stage"), e."step") > 0;

UPDATE "deal" SET "funnel_step" = "deal_stage_step"("stage")
WHERE "funnel_step" < "deal_stage_step"("stage");

-- Every insert and every stage change keeps it, whichever statement makes them (commands, import).
CREATE FUNCTION "deal_funnel_step"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW."funnel_step" := greatest(NEW."funnel_step", "deal_stage_step"(NEW."stage"));
  IF TG_OP = 'UPDATE' THEN
    NEW."funnel_step" := greatest(NEW."funnel_step", OLD."funnel_step");
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER "deal_funnel_step" BEFORE INSERT OR UPDATE OF "stage" ON "deal"
FOR EACH ROW EXECUTE FUNCTION "deal_funnel_step"();

-- Won and lost deals by close date: won revenue and count, win rate, sales cycle, leaderboards,
-- goals' progress, lost reasons and lead sources.
DROP INDEX "deal_workspace_id_stage_closed_at_idx";
CREATE INDEX "deal_closed_idx" ON "deal" ("workspace_id", "stage", "closed_at")
  INCLUDE ("amount", "owner_id", "created_at", "lead_source", "lost_reason")
  WHERE "deleted_at" IS NULL;

-- Deals by creation date: the new pipeline and the funnel.
DROP INDEX "deal_workspace_id_created_at_idx";
CREATE INDEX "deal_created_idx" ON "deal" ("workspace_id", "created_at")
  INCLUDE ("amount", "owner_id", "stage", "funnel_step")
  WHERE "deleted_at" IS NULL;

-- Open deals by expected close date, undated first: the open pipeline whole, and the weighted
-- pipeline of a period as one range (src/sales/deals/deal-sql.ts, expectedIn). The date is included
-- again so that PostgreSQL can answer from the index alone.
CREATE INDEX "deal_open_idx" ON "deal" ("workspace_id", (coalesce("expected_close_date", '-infinity'::date)))
  INCLUDE ("expected_close_date", "stage", "owner_id", "amount", "probability")
  WHERE "deleted_at" IS NULL AND "stage" IN ('lead', 'qualified', 'proposal', 'negotiation');
