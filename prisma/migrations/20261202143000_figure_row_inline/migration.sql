-- A command's few deal rows are kept by the statement trigger itself, in one PL/pgSQL body, instead
-- of three functions called per row ("figure_change", "figure_close_change",
-- "figure_product_change"): each call was a statement, two of them read the workspace's zone, and
-- the rows were paired by three reads of the transition tables (a count, a loop, a lookup by id).
-- Now one read pairs the old and new rows, and one statement reads the zone and probes for product
-- lines, only when a bucket by local day moves (a change of lines is a change of close). Measured
-- side by side in one process, 50,000 deals, 760 writes of each kind: a win costs +0.44 → +0.36 ms
-- on PGlite and +0.34 → +0.29 ms on PostgreSQL, a delete +0.34 → +0.27 and +0.28 → +0.18 ms. The
-- buckets moved, and their order, are unchanged; so is the set path ("figure_apply",
-- "figure_close_apply", "figure_product_apply").

CREATE OR REPLACE FUNCTION "deal_figures"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  "few" constant integer := 8;
  "olds" "deal"[] := '{}';
  "news" "deal"[] := '{}';
  "o" "deal";
  "n" "deal";
  "d" "deal";
  "s" integer;
  "first" integer;
  "ws" integer;
  "tz" text;
  "was" boolean;
  "is" boolean;
  "was_closed" boolean;
  "is_closed" boolean;
  "was_open" boolean;
  "is_open" boolean;
  "closed_same" boolean;
  "created_same" boolean;
  "close_same" boolean;
  "lines_same" boolean;
  "lined" boolean;
BEGIN
  IF TG_OP = 'INSERT' THEN
    "news" := ARRAY(SELECT r::"deal" FROM "new_rows" AS r);
  ELSIF TG_OP = 'UPDATE' THEN
    -- Both aggregates read the same joined rows in the same order: "olds"[i] and "news"[i] pair.
    SELECT coalesce(array_agg(a::"deal"), '{}'), coalesce(array_agg(b::"deal"), '{}')
    INTO "olds", "news"
    FROM "old_rows" AS a JOIN "new_rows" AS b ON b."id" = a."id";
  ELSE
    "olds" := ARRAY(SELECT r::"deal" FROM "old_rows" AS r);
  END IF;
  -- An import, a merge, a deletion: the rows as sets.
  IF TG_OP = 'DELETE' OR cardinality("news") > "few" THEN
    PERFORM "figure_apply"("olds", "news");
    PERFORM "figure_close_apply"("olds", "news");
    PERFORM "figure_product_apply"("olds", "news");
    RETURN NULL;
  END IF;
  -- A command's rows, one by one: only the buckets that change are touched.
  FOR "i" IN 1 .. cardinality("news") LOOP
    "o" := "olds"["i"];
    "n" := "news"["i"];
    "ws" := "n"."workspace_id";
    "was" := "o"."id" IS NOT NULL AND "o"."deleted_at" IS NULL;
    "is" := "n"."deleted_at" IS NULL;
    "was_closed" := "was" AND "o"."stage" IN ('won', 'lost') AND "o"."closed_at" IS NOT NULL;
    "is_closed" := "is" AND "n"."stage" IN ('won', 'lost') AND "n"."closed_at" IS NOT NULL;
    "was_open" := "was" AND "o"."stage" IN ('lead', 'qualified', 'proposal', 'negotiation');
    "is_open" := "is" AND "n"."stage" IN ('lead', 'qualified', 'proposal', 'negotiation');
    -- "figure_day" and "figure_owner_month": a close, by local day and month, and its owner.
    "closed_same" := "was_closed" = "is_closed" AND (NOT "is_closed" OR (
      "o"."stage" = "n"."stage" AND "o"."closed_at" = "n"."closed_at" AND "o"."amount" = "n"."amount"
      AND "o"."created_at" = "n"."created_at" AND "o"."owner_id" = "n"."owner_id"));
    -- "figure_day": a new deal, by local day of creation.
    "created_same" := "was" = "is" AND (NOT "is" OR (
      "o"."created_at" = "n"."created_at" AND "o"."amount" = "n"."amount"));
    -- "figure_close": a close by local day, stage, source and reason.
    "close_same" := "was_closed" = "is_closed" AND (NOT "is_closed" OR (
      "o"."stage" = "n"."stage" AND "o"."closed_at" = "n"."closed_at" AND "o"."amount" = "n"."amount"
      AND "o"."lead_source" IS NOT DISTINCT FROM "n"."lead_source"
      AND "o"."lost_reason" IS NOT DISTINCT FROM "n"."lost_reason"));
    -- "figure_product": a close's lines, counted again.
    "lines_same" := "was_closed" = "is_closed" AND (NOT "is_closed" OR (
      "o"."stage" = "n"."stage" AND "o"."closed_at" = "n"."closed_at" AND "o"."amount" = "n"."amount"
      AND "o"."lost_reason" IS NOT DISTINCT FROM "n"."lost_reason"));
    "tz" := NULL;
    "lined" := false;
    -- A change of lines is a change of close too, so the zone is read whenever lines are probed.
    IF NOT ("closed_same" AND "created_same" AND "close_same") THEN
      SELECT w."timezone",
             NOT "lines_same" AND EXISTS (
               SELECT FROM "deal_product" WHERE "deal_id" = "n"."id"
               UNION ALL
               SELECT FROM "figure_product_deal" WHERE "deal_id" = "n"."id")
      INTO "tz", "lined"
      FROM "workspace" AS w WHERE w."id" = "ws" FOR SHARE;
    END IF;
    -- A workspace being deleted has no zone left: nothing of it by local day is written.
    IF "tz" IS NULL THEN
      "closed_same" := true;
      "created_same" := true;
      "close_same" := true;
    END IF;
    FOREACH "s" IN ARRAY ARRAY[-1, 1] LOOP
      "d" := CASE WHEN "s" < 0 THEN "o" ELSE "n" END;
      IF NOT "closed_same" AND (CASE WHEN "s" < 0 THEN "was_closed" ELSE "is_closed" END) THEN
        INSERT INTO "figure_day" AS f ("workspace_id", "day", "won_count", "won_amount", "won_cycle_seconds", "lost_count")
        VALUES ("ws", ("d"."closed_at" AT TIME ZONE "tz")::date,
                CASE WHEN "d"."stage" = 'won' THEN "s" ELSE 0 END,
                CASE WHEN "d"."stage" = 'won' THEN "s" * "d"."amount" ELSE 0 END,
                CASE WHEN "d"."stage" = 'won'
                     THEN "s" * greatest(extract(epoch FROM "d"."closed_at" - "d"."created_at"), 0) ELSE 0 END,
                CASE WHEN "d"."stage" = 'lost' THEN "s" ELSE 0 END)
        ON CONFLICT ("workspace_id", "day") DO UPDATE SET
          "won_count" = f."won_count" + excluded."won_count",
          "won_amount" = f."won_amount" + excluded."won_amount",
          "won_cycle_seconds" = f."won_cycle_seconds" + excluded."won_cycle_seconds",
          "lost_count" = f."lost_count" + excluded."lost_count";
        IF "d"."stage" = 'won' THEN
          INSERT INTO "figure_owner_month" AS f ("workspace_id", "month", "owner_id", "won_count", "won_amount")
          VALUES ("ws", date_trunc('month', "d"."closed_at" AT TIME ZONE "tz")::date, "d"."owner_id", "s", "s" * "d"."amount")
          ON CONFLICT ("workspace_id", "month", "owner_id") DO UPDATE SET
            "won_count" = f."won_count" + excluded."won_count",
            "won_amount" = f."won_amount" + excluded."won_amount";
        END IF;
      END IF;
      IF NOT "created_same" AND (CASE WHEN "s" < 0 THEN "was" ELSE "is" END) THEN
        INSERT INTO "figure_day" AS f ("workspace_id", "day", "new_count", "new_amount")
        VALUES ("ws", ("d"."created_at" AT TIME ZONE "tz")::date, "s", "s" * "d"."amount")
        ON CONFLICT ("workspace_id", "day") DO UPDATE SET
          "new_count" = f."new_count" + excluded."new_count",
          "new_amount" = f."new_amount" + excluded."new_amount";
      END IF;
      IF (CASE WHEN "s" < 0 THEN "was_open" ELSE "is_open" END) AND NOT ("was_open" AND "is_open"
          AND "o"."stage" = "n"."stage" AND "o"."amount" = "n"."amount" AND "o"."probability" = "n"."probability"
          AND "o"."expected_close_date" IS NOT DISTINCT FROM "n"."expected_close_date") THEN
        INSERT INTO "figure_open" AS f ("workspace_id", "expected", "stage", "open_count", "amount", "weighted")
        VALUES ("ws", coalesce("d"."expected_close_date", '-infinity'::date), "d"."stage", "s", "s" * "d"."amount",
                "s" * "d"."amount" * "d"."probability"::numeric)
        ON CONFLICT ("workspace_id", "expected", "stage") DO UPDATE SET
          "open_count" = f."open_count" + excluded."open_count",
          "amount" = f."amount" + excluded."amount",
          "weighted" = f."weighted" + excluded."weighted";
      END IF;
      IF (CASE WHEN "s" < 0 THEN "was_open" ELSE "is_open" END) AND NOT ("was_open" AND "is_open"
          AND ("o"."last_activity_at" AT TIME ZONE 'UTC')::date = ("n"."last_activity_at" AT TIME ZONE 'UTC')::date) THEN
        INSERT INTO "figure_activity" AS f ("workspace_id", "day", "open_count")
        VALUES ("ws", ("d"."last_activity_at" AT TIME ZONE 'UTC')::date, "s")
        ON CONFLICT ("workspace_id", "day") DO UPDATE SET "open_count" = f."open_count" + excluded."open_count";
      END IF;
    END LOOP;
    IF NOT "close_same" THEN
      -- When the row leaves one bucket for another, the two are upserted in key order, as
      -- "figure_close_apply" does, so that two such changes at once cannot deadlock.
      "first" := -1;
      IF "was_closed" AND "is_closed"
         AND ROW(("n"."closed_at" AT TIME ZONE "tz")::date, "n"."stage", coalesce("n"."lead_source", ''),
                 CASE WHEN "n"."stage" = 'lost' THEN coalesce("n"."lost_reason"::text, '') ELSE '' END)
           < ROW(("o"."closed_at" AT TIME ZONE "tz")::date, "o"."stage", coalesce("o"."lead_source", ''),
                 CASE WHEN "o"."stage" = 'lost' THEN coalesce("o"."lost_reason"::text, '') ELSE '' END) THEN
        "first" := 1;
      END IF;
      FOREACH "s" IN ARRAY ARRAY["first", -"first"] LOOP
        "d" := CASE WHEN "s" < 0 THEN "o" ELSE "n" END;
        IF (CASE WHEN "s" < 0 THEN "was_closed" ELSE "is_closed" END) THEN
          INSERT INTO "figure_close" AS f ("workspace_id", "day", "stage", "source", "reason", "closed_count", "amount")
          VALUES ("ws", ("d"."closed_at" AT TIME ZONE "tz")::date, "d"."stage", coalesce("d"."lead_source", ''),
                  CASE WHEN "d"."stage" = 'lost' THEN coalesce("d"."lost_reason"::text, '') ELSE '' END,
                  "s", "s" * "d"."amount")
          ON CONFLICT ("workspace_id", "day", "stage", "source", "reason") DO UPDATE SET
            "closed_count" = f."closed_count" + excluded."closed_count",
            "amount" = f."amount" + excluded."amount";
        END IF;
      END LOOP;
    END IF;
    -- A deal without lines and without a record (every deal of a workspace without a catalogue)
    -- counts nowhere in "figure_product".
    IF "lined" THEN
      PERFORM "figure_product_count"(ARRAY["n"."id"]);
    END IF;
  END LOOP;
  RETURN NULL;
END
$$;

DROP FUNCTION "figure_change"("deal", "deal");
DROP FUNCTION "figure_close_change"("deal", "deal");
DROP FUNCTION "figure_product_change"("deal", "deal");
