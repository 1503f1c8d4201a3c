-- One deal row's close moves its "figure_close" buckets by direct upserts, as "figure_change" moves
-- the other tables', instead of through "figure_close_apply", the set statement made for many rows
-- (unnest, group, sort, join): a win or a loss pays about 0.1 ms less on PGlite, where it was the
-- last write above the +0.5 ms budget (bench/RESULTS.md). When the row leaves one bucket for
-- another, the two are upserted in key order, as "figure_close_apply" does, so that two such
-- changes at once cannot deadlock.
CREATE OR REPLACE FUNCTION "figure_close_change"("o" "deal", "n" "deal") RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  "was" boolean := "o"."id" IS NOT NULL AND "o"."deleted_at" IS NULL
    AND "o"."stage" IN ('won', 'lost') AND "o"."closed_at" IS NOT NULL;
  "is" boolean := "n"."id" IS NOT NULL AND "n"."deleted_at" IS NULL
    AND "n"."stage" IN ('won', 'lost') AND "n"."closed_at" IS NOT NULL;
  "tz" text;
  "first" integer := -1;
  "d" "deal";
  "s" integer;
BEGIN
  IF NOT "was" AND NOT "is" THEN RETURN; END IF;
  IF "was" AND "is" AND "o"."stage" = "n"."stage" AND "o"."closed_at" = "n"."closed_at"
     AND "o"."amount" = "n"."amount" AND "o"."lead_source" IS NOT DISTINCT FROM "n"."lead_source"
     AND "o"."lost_reason" IS NOT DISTINCT FROM "n"."lost_reason" THEN
    RETURN;
  END IF;
  SELECT "timezone" INTO "tz" FROM "workspace"
  WHERE "id" = coalesce("n"."workspace_id", "o"."workspace_id") FOR SHARE;
  -- A workspace being deleted has no zone left: nothing of it is written.
  IF "tz" IS NULL THEN RETURN; END IF;
  IF "was" AND "is" AND ROW(("n"."closed_at" AT TIME ZONE "tz")::date, "n"."stage", coalesce("n"."lead_source", ''),
                            CASE WHEN "n"."stage" = 'lost' THEN coalesce("n"."lost_reason"::text, '') ELSE '' END)
                      < ROW(("o"."closed_at" AT TIME ZONE "tz")::date, "o"."stage", coalesce("o"."lead_source", ''),
                            CASE WHEN "o"."stage" = 'lost' THEN coalesce("o"."lost_reason"::text, '') ELSE '' END) THEN
    "first" := 1;
  END IF;
  FOREACH "s" IN ARRAY ARRAY["first", -"first"] LOOP
    "d" := CASE WHEN "s" < 0 THEN "o" ELSE "n" END;
    IF (CASE WHEN "s" < 0 THEN "was" ELSE "is" END) THEN
      INSERT INTO "figure_close" AS f ("workspace_id", "day", "stage", "source", "reason", "closed_count", "amount")
      VALUES ("d"."workspace_id", ("d"."closed_at" AT TIME ZONE "tz")::date, "d"."stage", coalesce("d"."lead_source", ''),
              CASE WHEN "d"."stage" = 'lost' THEN coalesce("d"."lost_reason"::text, '') ELSE '' END,
              "s", "s" * "d"."amount")
      ON CONFLICT ("workspace_id", "day", "stage", "source", "reason") DO UPDATE SET
        "closed_count" = f."closed_count" + excluded."closed_count",
        "amount" = f."amount" + excluded."amount";
    END IF;
  END LOOP;
END
$$;
