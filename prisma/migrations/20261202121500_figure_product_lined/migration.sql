-- "figure_product" keeps only the deals that have lines: each product's share of them, and under
-- product 0 the same deals taken off (their count and amount, negative). A closed deal without lines
-- writes nothing here: the deals without a product are "figure_close"'s closes, kept anyway, plus
-- product 0's row (src/sales/products/product-kpis.ts adds them). A win or a loss in a workspace
-- without a catalogue so costs two index probes, not an upsert (bench/RESULTS.md, the write cost).
-- "figure_product_zero" and the rows' part of "figure_product_count" go; "figure_product_deal" is
-- unchanged, and every workspace's "figure_product" is rebuilt below.

DROP FUNCTION "figure_product_zero"("deal"[], "deal"[]);

-- The deals `ids` counted again from their rows and lines as they are now, what was recorded for
-- them taken off: a deal with lines adds its products' terms and takes its count and amount off
-- product 0; one without adds nothing. Buckets are upserted in key order, and the workspaces' rows
-- read FOR SHARE, as "figure_apply" does. Planned once for all calls, as before.
DROP FUNCTION "figure_product_count"("deal"[], "deal"[], integer[]);
CREATE FUNCTION "figure_product_count"("ids" integer[]) RETURNS void
LANGUAGE plpgsql SET "plan_cache_mode" = 'force_generic_plan' AS $$
BEGIN
  WITH "recorded" AS (
    SELECT * FROM "figure_product_deal" WHERE "deal_id" = ANY("ids")
  ), "closed" AS (
    SELECT d."id", d."workspace_id", d."closed_at", d."stage", d."lost_reason", d."amount"
    FROM "deal" AS d
    WHERE d."id" = ANY("ids") AND d."deleted_at" IS NULL AND d."stage" IN ('won', 'lost') AND d."closed_at" IS NOT NULL
  ), "zone" AS (
    SELECT "id", "timezone" FROM "workspace"
    WHERE "id" IN (SELECT "workspace_id" FROM "recorded" UNION SELECT "workspace_id" FROM "closed")
    FOR SHARE
  ), "l" AS (
    SELECT l."deal_id", l."product_id", l."amount", count(*) OVER w AS "n", count(l."amount") OVER w AS "priced",
           sum(l."amount") OVER w AS "total"
    FROM "deal_product" AS l
    WHERE l."deal_id" IN (SELECT "id" FROM "closed")
    WINDOW w AS (PARTITION BY l."deal_id")
  ), "terms" AS (
    SELECT d."id", d."workspace_id", (d."closed_at" AT TIME ZONE "zone"."timezone")::date AS "day", d."stage",
           CASE WHEN d."stage" = 'lost' THEN coalesce(d."lost_reason"::text, '') ELSE '' END AS "reason",
           d."amount", l."product_id", d."amount" * "deal_line_share"(l."amount", l."n", l."priced", l."total") AS "revenue"
    FROM "closed" AS d JOIN "zone" ON "zone"."id" = d."workspace_id" JOIN "l" ON l."deal_id" = d."id"
  ), "counted" AS (
    SELECT "id", "workspace_id", "day", "stage", "reason", "amount",
           array_agg("product_id" ORDER BY "product_id") AS "product_ids",
           array_agg("revenue" ORDER BY "product_id") AS "revenues"
    FROM "terms"
    GROUP BY 1, 2, 3, 4, 5, 6
  ), "record" AS (
    INSERT INTO "figure_product_deal" AS r ("deal_id", "workspace_id", "day", "stage", "reason", "amount",
                                            "product_ids", "revenues")
    SELECT * FROM "counted" ORDER BY "id"
    ON CONFLICT ("deal_id") DO UPDATE SET
      "workspace_id" = excluded."workspace_id", "day" = excluded."day", "stage" = excluded."stage",
      "reason" = excluded."reason", "amount" = excluded."amount", "product_ids" = excluded."product_ids",
      "revenues" = excluded."revenues"
  ), "unrecord" AS (
    DELETE FROM "figure_product_deal"
    WHERE "deal_id" IN (SELECT "deal_id" FROM "recorded" EXCEPT SELECT "id" FROM "counted")
  ), "delta" AS (
    -- What was recorded, taken off: each product's term, and the deal's count and amount given back
    -- to product 0.
    SELECT r."workspace_id", r."day", r."stage", r."reason", t."product_id", -1 AS "n", -t."revenue" AS "revenue"
    FROM "recorded" AS r, unnest(r."product_ids", r."revenues") AS t("product_id", "revenue")
    UNION ALL
    SELECT "workspace_id", "day", "stage", "reason", 0, 1, "amount" FROM "recorded"
    UNION ALL
    -- What is counted now.
    SELECT "workspace_id", "day", "stage", "reason", "product_id", 1, "revenue" FROM "terms"
    UNION ALL
    SELECT "workspace_id", "day", "stage", "reason", 0, -1, -"amount" FROM "counted"
  )
  INSERT INTO "figure_product" AS f ("workspace_id", "day", "stage", "reason", "product_id", "closed_count", "revenue")
  SELECT "workspace_id", "day", "stage", "reason", "product_id", sum("n"), sum("revenue")
  FROM "delta"
  -- A workspace being deleted has no zone left: nothing of it is written.
  WHERE "workspace_id" IN (SELECT "id" FROM "zone")
  GROUP BY 1, 2, 3, 4, 5
  HAVING sum("n") <> 0 OR sum("revenue") <> 0
  ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT ("workspace_id", "day", "stage", "reason", "product_id") DO UPDATE SET
    "closed_count" = f."closed_count" + excluded."closed_count",
    "revenue" = f."revenue" + excluded."revenue";
END
$$;

-- One deal row changed: counted again only when its close changed and it has lines or a record; a
-- deal without either (every deal of a workspace without a catalogue) counts nowhere here.
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
    RETURN;
  END IF;
  PERFORM "figure_product_count"(ARRAY["changed"]);
END
$$;

-- A statement's many deal rows (an import, a merge, a deletion): those whose close changed, counted
-- again as a set.
CREATE OR REPLACE FUNCTION "figure_product_apply"("olds" "deal"[], "news" "deal"[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  "ids" integer[];
BEGIN
  WITH "o" AS (
    SELECT * FROM unnest("olds") AS d
    WHERE d."deleted_at" IS NULL AND d."stage" IN ('won', 'lost') AND d."closed_at" IS NOT NULL
  ), "n" AS (
    SELECT * FROM unnest("news") AS d
    WHERE d."deleted_at" IS NULL AND d."stage" IN ('won', 'lost') AND d."closed_at" IS NOT NULL
  )
  SELECT array_agg(coalesce("n"."id", "o"."id") ORDER BY coalesce("n"."id", "o"."id")) INTO "ids"
  FROM "o" FULL JOIN "n" ON "n"."id" = "o"."id"
  WHERE "o"."id" IS NULL OR "n"."id" IS NULL OR "o"."stage" <> "n"."stage" OR "o"."closed_at" <> "n"."closed_at"
     OR "o"."amount" <> "n"."amount" OR "o"."lost_reason" IS DISTINCT FROM "n"."lost_reason";
  IF "ids" IS NULL THEN RETURN; END IF;
  PERFORM "figure_product_count"("ids");
END
$$;

-- A statement's lines, inserted, changed or deleted: their deals that are closed now counted again.
CREATE OR REPLACE FUNCTION "deal_product_figures"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  "ids" integer[];
BEGIN
  -- An open deal's lines count nowhere: its log or its edit reads its deal's row and stops here.
  IF TG_OP = 'INSERT' THEN
    "ids" := ARRAY(
      SELECT DISTINCT d."id" FROM "new_lines" AS l JOIN "deal" AS d ON d."id" = l."deal_id"
      WHERE d."deleted_at" IS NULL AND d."stage" IN ('won', 'lost') AND d."closed_at" IS NOT NULL ORDER BY 1);
  ELSIF TG_OP = 'UPDATE' THEN
    "ids" := ARRAY(
      SELECT d."id" FROM "deal" AS d
      WHERE d."id" IN (SELECT "deal_id" FROM "new_lines" UNION SELECT "deal_id" FROM "old_lines")
        AND d."deleted_at" IS NULL AND d."stage" IN ('won', 'lost') AND d."closed_at" IS NOT NULL ORDER BY 1);
  ELSE
    "ids" := ARRAY(
      SELECT DISTINCT d."id" FROM "old_lines" AS l JOIN "deal" AS d ON d."id" = l."deal_id"
      WHERE d."deleted_at" IS NULL AND d."stage" IN ('won', 'lost') AND d."closed_at" IS NOT NULL ORDER BY 1);
  END IF;
  IF cardinality("ids") > 0 THEN
    PERFORM "figure_product_count"("ids");
  END IF;
  RETURN NULL;
END
$$;

-- A workspace's "figure_product" and its record computed again from its deals with lines, in the
-- caller's transaction (a time-zone change moves deals to other local days).
CREATE OR REPLACE FUNCTION "figure_product_rebuild"("ws" integer) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "figure_product" WHERE "workspace_id" = "ws";
  DELETE FROM "figure_product_deal" WHERE "workspace_id" = "ws";
  WITH "closed" AS (
    SELECT d."id", d."workspace_id", (d."closed_at" AT TIME ZONE w."timezone")::date AS "day", d."stage",
           CASE WHEN d."stage" = 'lost' THEN coalesce(d."lost_reason"::text, '') ELSE '' END AS "reason", d."amount"
    FROM "deal" AS d JOIN "workspace" AS w ON w."id" = d."workspace_id"
    WHERE d."workspace_id" = "ws" AND d."deleted_at" IS NULL AND d."stage" IN ('won', 'lost') AND d."closed_at" IS NOT NULL
  ), "l" AS (
    SELECT l."deal_id", l."product_id", l."amount", count(*) OVER w AS "n", count(l."amount") OVER w AS "priced",
           sum(l."amount") OVER w AS "total"
    FROM "deal_product" AS l JOIN "closed" AS c ON c."id" = l."deal_id"
    WINDOW w AS (PARTITION BY l."deal_id")
  ), "terms" AS (
    SELECT c.*, l."product_id", c."amount" * "deal_line_share"(l."amount", l."n", l."priced", l."total") AS "revenue"
    FROM "closed" AS c JOIN "l" ON l."deal_id" = c."id"
  ), "counted" AS (
    SELECT "id", "workspace_id", "day", "stage", "reason", "amount",
           array_agg("product_id" ORDER BY "product_id") AS "product_ids",
           array_agg("revenue" ORDER BY "product_id") AS "revenues"
    FROM "terms"
    GROUP BY 1, 2, 3, 4, 5, 6
  ), "record" AS (
    INSERT INTO "figure_product_deal" ("deal_id", "workspace_id", "day", "stage", "reason", "amount",
                                       "product_ids", "revenues")
    SELECT * FROM "counted"
  )
  INSERT INTO "figure_product" ("workspace_id", "day", "stage", "reason", "product_id", "closed_count", "revenue")
  SELECT "workspace_id", "day", "stage", "reason", "product_id", sum("n"), sum("revenue")
  FROM (
    SELECT "workspace_id", "day", "stage", "reason", "product_id", 1 AS "n", "revenue" FROM "terms"
    UNION ALL
    SELECT "workspace_id", "day", "stage", "reason", 0, -1, -"amount" FROM "counted"
  ) AS t
  GROUP BY 1, 2, 3, 4, 5;
END
$$;

-- Every workspace's figures in the new form.
SELECT "figure_product_rebuild"("id") FROM "workspace";
