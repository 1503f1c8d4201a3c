-- The deals closed per local day, outcome, lead source and lost reason (docs/architecture.md §3,
-- "Figures kept as deals change"): what the digest's lead sources and lost reasons read, kept by the
-- same triggers as the other figure tables and rebuilt with them.

-- CreateTable
CREATE TABLE "figure_close" (
    "workspace_id" INTEGER NOT NULL,
    "day" DATE NOT NULL,
    "stage" "Stage" NOT NULL,
    "source" TEXT NOT NULL DEFAULT '',
    "reason" TEXT NOT NULL DEFAULT '',
    "closed_count" INTEGER NOT NULL DEFAULT 0,
    "amount" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "figure_close_pkey" PRIMARY KEY ("workspace_id","day","stage","source","reason")
);

-- AddForeignKey
ALTER TABLE "figure_close" ADD CONSTRAINT "figure_close_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- What a set of deal rows counts in "figure_close", taken off (`olds`) and added (`news`), as
-- "figure_apply" does for the other tables (same order of keys, same lock on the workspace's zone).
CREATE FUNCTION "figure_close_apply"("olds" "deal"[], "news" "deal"[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  WITH "c" AS (
    SELECT -1 AS "sign", d.* FROM unnest("olds") AS d
    WHERE d."deleted_at" IS NULL AND d."stage" IN ('won', 'lost') AND d."closed_at" IS NOT NULL
    UNION ALL
    SELECT 1, d.* FROM unnest("news") AS d
    WHERE d."deleted_at" IS NULL AND d."stage" IN ('won', 'lost') AND d."closed_at" IS NOT NULL
  ), "zone" AS (
    SELECT "id", "timezone" FROM "workspace" WHERE "id" IN (SELECT "workspace_id" FROM "c") FOR SHARE
  )
  INSERT INTO "figure_close" AS f ("workspace_id", "day", "stage", "source", "reason", "closed_count", "amount")
  SELECT "c"."workspace_id", ("c"."closed_at" AT TIME ZONE "zone"."timezone")::date, "c"."stage",
         coalesce("c"."lead_source", ''),
         CASE WHEN "c"."stage" = 'lost' THEN coalesce("c"."lost_reason"::text, '') ELSE '' END,
         sum("c"."sign"), sum("c"."sign" * "c"."amount")
  FROM "c" JOIN "zone" ON "zone"."id" = "c"."workspace_id"
  GROUP BY 1, 2, 3, 4, 5
  HAVING sum("c"."sign") <> 0 OR sum("c"."sign" * "c"."amount") <> 0
  ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT ("workspace_id", "day", "stage", "source", "reason") DO UPDATE SET
    "closed_count" = f."closed_count" + excluded."closed_count",
    "amount" = f."amount" + excluded."amount";
END
$$;

-- One deal row changed: its close bucket moves only when the row's close changed (most writes, a new
-- deal or an open one moved, touch nothing here).
CREATE FUNCTION "figure_close_change"("o" "deal", "n" "deal") RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  "was" boolean := "o"."id" IS NOT NULL AND "o"."deleted_at" IS NULL
    AND "o"."stage" IN ('won', 'lost') AND "o"."closed_at" IS NOT NULL;
  "is" boolean := "n"."id" IS NOT NULL AND "n"."deleted_at" IS NULL
    AND "n"."stage" IN ('won', 'lost') AND "n"."closed_at" IS NOT NULL;
BEGIN
  IF NOT "was" AND NOT "is" THEN RETURN; END IF;
  IF "was" AND "is" AND "o"."stage" = "n"."stage" AND "o"."closed_at" = "n"."closed_at"
     AND "o"."amount" = "n"."amount" AND "o"."lead_source" IS NOT DISTINCT FROM "n"."lead_source"
     AND "o"."lost_reason" IS NOT DISTINCT FROM "n"."lost_reason" THEN
    RETURN;
  END IF;
  PERFORM "figure_close_apply"(
    CASE WHEN "was" THEN ARRAY["o"] ELSE '{}' END, CASE WHEN "is" THEN ARRAY["n"] ELSE '{}' END);
END
$$;

-- The statement trigger of 20261202031803_figure_tables, now keeping "figure_close" too.
CREATE OR REPLACE FUNCTION "deal_figures"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  "few" constant integer := 8;
  "was" "deal";
  "is" "deal";
  "olds" "deal"[] := '{}';
  "news" "deal"[] := '{}';
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF (SELECT count(*) FROM (SELECT FROM "new_rows" LIMIT "few" + 1) AS x) <= "few" THEN
      FOR "is" IN SELECT * FROM "new_rows" LOOP
        PERFORM "figure_change"(NULL, "is");
        PERFORM "figure_close_change"(NULL, "is");
      END LOOP;
      RETURN NULL;
    END IF;
    "news" := ARRAY(SELECT n::"deal" FROM "new_rows" AS n);
  ELSIF TG_OP = 'UPDATE' THEN
    IF (SELECT count(*) FROM (SELECT FROM "new_rows" LIMIT "few" + 1) AS x) <= "few" THEN
      FOR "was" IN SELECT * FROM "old_rows" LOOP
        SELECT * INTO "is" FROM "new_rows" AS r WHERE r."id" = "was"."id";
        PERFORM "figure_change"("was", "is");
        PERFORM "figure_close_change"("was", "is");
      END LOOP;
      RETURN NULL;
    END IF;
    "olds" := ARRAY(SELECT o::"deal" FROM "old_rows" AS o);
    "news" := ARRAY(SELECT n::"deal" FROM "new_rows" AS n);
  ELSE
    "olds" := ARRAY(SELECT o::"deal" FROM "old_rows" AS o);
  END IF;
  PERFORM "figure_apply"("olds", "news");
  PERFORM "figure_close_apply"("olds", "news");
  RETURN NULL;
END
$$;

-- The rebuild of 20261202031803_figure_tables, now of "figure_close" too.
CREATE OR REPLACE FUNCTION "figure_rebuild"("ws" integer) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  "slice" constant integer := 20000;
  "from_id" integer := 0;
  "last_id" integer;
  "news" "deal"[];
BEGIN
  DELETE FROM "figure_day" WHERE "workspace_id" = "ws";
  DELETE FROM "figure_owner_month" WHERE "workspace_id" = "ws";
  DELETE FROM "figure_open" WHERE "workspace_id" = "ws";
  DELETE FROM "figure_activity" WHERE "workspace_id" = "ws";
  DELETE FROM "figure_close" WHERE "workspace_id" = "ws";
  LOOP
    SELECT max("id") INTO "last_id" FROM (
      SELECT "id" FROM "deal" WHERE "workspace_id" = "ws" AND "id" > "from_id" ORDER BY "id" LIMIT "slice"
    ) AS s;
    EXIT WHEN "last_id" IS NULL;
    "news" := ARRAY(
      SELECT d FROM "deal" AS d WHERE d."workspace_id" = "ws" AND d."id" > "from_id" AND d."id" <= "last_id");
    PERFORM "figure_apply"('{}', "news");
    PERFORM "figure_close_apply"('{}', "news");
    "from_id" := "last_id";
  END LOOP;
END
$$;

-- The deals already there.
INSERT INTO "figure_close" ("workspace_id", "day", "stage", "source", "reason", "closed_count", "amount")
SELECT d."workspace_id", (d."closed_at" AT TIME ZONE w."timezone")::date, d."stage", coalesce(d."lead_source", ''),
       CASE WHEN d."stage" = 'lost' THEN coalesce(d."lost_reason"::text, '') ELSE '' END,
       count(*), sum(d."amount")
FROM "deal" AS d JOIN "workspace" AS w ON w."id" = d."workspace_id"
WHERE d."deleted_at" IS NULL AND d."stage" IN ('won', 'lost') AND d."closed_at" IS NOT NULL
GROUP BY 1, 2, 3, 4, 5;
