-- A closed deal without product lines, and never counted with any (nothing recorded in
-- "figure_product_deal"), counts under product 0 alone: its close changes that bucket and nothing
-- else, so "figure_product_change" now upserts it directly instead of recounting the deal through
-- "figure_product_count". Every close of a workspace without a catalogue takes this path; what it
-- writes is what the recount writes for such a deal (no lines, no record: product 0's delta only).

-- The rows `olds` taken off and `news` added under product 0, in key order, the workspace's row
-- read FOR SHARE, as "figure_product_count" does.
CREATE FUNCTION "figure_product_zero"("olds" "deal"[], "news" "deal"[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  WITH "c" AS (
    SELECT -1 AS "sign", d."workspace_id", d."closed_at", d."stage", d."lost_reason", d."amount"
    FROM unnest("olds") AS d
    UNION ALL
    SELECT 1, d."workspace_id", d."closed_at", d."stage", d."lost_reason", d."amount"
    FROM unnest("news") AS d
  ), "zone" AS (
    SELECT "id", "timezone" FROM "workspace" WHERE "id" IN (SELECT "workspace_id" FROM "c") FOR SHARE
  )
  INSERT INTO "figure_product" AS f ("workspace_id", "day", "stage", "reason", "product_id", "closed_count", "revenue")
  SELECT "c"."workspace_id", ("c"."closed_at" AT TIME ZONE "zone"."timezone")::date, "c"."stage",
         CASE WHEN "c"."stage" = 'lost' THEN coalesce("c"."lost_reason"::text, '') ELSE '' END, 0,
         sum("c"."sign"), sum("c"."sign" * "c"."amount")::numeric
  FROM "c" JOIN "zone" ON "zone"."id" = "c"."workspace_id"
  GROUP BY 1, 2, 3, 4
  HAVING sum("c"."sign") <> 0 OR sum("c"."sign" * "c"."amount") <> 0
  ORDER BY 1, 2, 3, 4
  ON CONFLICT ("workspace_id", "day", "stage", "reason", "product_id") DO UPDATE SET
    "closed_count" = f."closed_count" + excluded."closed_count",
    "revenue" = f."revenue" + excluded."revenue";
END
$$;

-- One deal row changed: counted again only when its close changed; a deal without lines or record
-- through "figure_product_zero".
CREATE OR REPLACE FUNCTION "figure_product_change"("o" "deal", "n" "deal") RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  "was" boolean := "o"."id" IS NOT NULL AND "o"."deleted_at" IS NULL
    AND "o"."stage" IN ('won', 'lost') AND "o"."closed_at" IS NOT NULL;
  "is" boolean := "n"."id" IS NOT NULL AND "n"."deleted_at" IS NULL
    AND "n"."stage" IN ('won', 'lost') AND "n"."closed_at" IS NOT NULL;
  "changed" integer := coalesce("n"."id", "o"."id");
BEGIN
  IF NOT "was" AND NOT "is" THEN RETURN; END IF;
  IF "was" AND "is" AND "o"."stage" = "n"."stage" AND "o"."closed_at" = "n"."closed_at"
     AND "o"."amount" = "n"."amount" AND "o"."lost_reason" IS NOT DISTINCT FROM "n"."lost_reason" THEN
    RETURN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM "deal_product" WHERE "deal_id" = "changed")
     AND NOT EXISTS (SELECT 1 FROM "figure_product_deal" WHERE "deal_id" = "changed") THEN
    PERFORM "figure_product_zero"(
      CASE WHEN "was" THEN ARRAY["o"] ELSE '{}' END, CASE WHEN "is" THEN ARRAY["n"] ELSE '{}' END);
    RETURN;
  END IF;
  PERFORM "figure_product_count"(
    CASE WHEN "was" THEN ARRAY["o"] ELSE '{}' END, CASE WHEN "is" THEN ARRAY["n"] ELSE '{}' END,
    ARRAY["changed"]);
END
$$;
