-- AlterTable: when a deal last had an event, kept with every event, so stalled deals are an index range.
ALTER TABLE "deal" ADD COLUMN "last_activity_at" TIMESTAMPTZ(3);

UPDATE "deal" AS d SET "last_activity_at" = e."at"
FROM (SELECT "deal_id", max("at") AS "at" FROM "deal_event" GROUP BY "deal_id") AS e
WHERE e."deal_id" = d."id";

UPDATE "deal" SET "last_activity_at" = "created_at" WHERE "last_activity_at" IS NULL;

ALTER TABLE "deal" ALTER COLUMN "last_activity_at" SET NOT NULL,
                   ALTER COLUMN "last_activity_at" SET DEFAULT CURRENT_TIMESTAMP;

-- CreateIndex
CREATE INDEX "deal_workspace_id_stage_last_activity_at_idx" ON "deal"("workspace_id", "stage", "last_activity_at");
