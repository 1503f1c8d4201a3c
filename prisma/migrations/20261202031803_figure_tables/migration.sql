-- Figures kept as deals change (docs/architecture.md §3, "Figures kept as deals change").
--
-- Four tables of sums per bucket: local day (won, lost, new), owner and local month (won), open
-- stage and expected close date (the open pipeline), and UTC day of last activity (open deals, for
-- the stalled count). The triggers at the end keep them in the transaction of every statement that
-- writes `deal` (commands, import, restore, reassignment), from the rows it changed: what a row
-- counted before is taken off, what it counts after is added; a command's few rows one by one
-- ("figure_change"), an import's many as sets ("figure_apply"). Readers sum a few rows instead of
-- scanning the deals (src/sales/figures/figure-sql.ts).

-- CreateTable
CREATE TABLE "figure_day" (
    "workspace_id" INTEGER NOT NULL,
    "day" DATE NOT NULL,
    "won_count" INTEGER NOT NULL DEFAULT 0,
    "won_amount" BIGINT NOT NULL DEFAULT 0,
    "won_cycle_seconds" DECIMAL NOT NULL DEFAULT 0,
    "lost_count" INTEGER NOT NULL DEFAULT 0,
    "new_count" INTEGER NOT NULL DEFAULT 0,
    "new_amount" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "figure_day_pkey" PRIMARY KEY ("workspace_id","day")
);

-- CreateTable
CREATE TABLE "figure_owner_month" (
    "workspace_id" INTEGER NOT NULL,
    "owner_id" INTEGER NOT NULL,
    "month" DATE NOT NULL,
    "won_count" INTEGER NOT NULL DEFAULT 0,
    "won_amount" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "figure_owner_month_pkey" PRIMARY KEY ("workspace_id","month","owner_id")
);

-- CreateTable
CREATE TABLE "figure_open" (
    "workspace_id" INTEGER NOT NULL,
    "stage" "Stage" NOT NULL,
    "expected" DATE NOT NULL,
    "open_count" INTEGER NOT NULL DEFAULT 0,
    "amount" BIGINT NOT NULL DEFAULT 0,
    "weighted" DECIMAL NOT NULL DEFAULT 0,

    CONSTRAINT "figure_open_pkey" PRIMARY KEY ("workspace_id","expected","stage")
);

-- CreateTable
CREATE TABLE "figure_activity" (
    "workspace_id" INTEGER NOT NULL,
    "day" DATE NOT NULL,
    "open_count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "figure_activity_pkey" PRIMARY KEY ("workspace_id","day")
);

-- AddForeignKey
ALTER TABLE "figure_day" ADD CONSTRAINT "figure_day_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "figure_owner_month" ADD CONSTRAINT "figure_owner_month_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "figure_open" ADD CONSTRAINT "figure_open_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "figure_activity" ADD CONSTRAINT "figure_activity_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- What a set of deal rows counts, taken off (`olds`) and added (`news`): one upsert per table, of the
-- buckets whose sums change, in key order so that two statements never lock the same rows in
-- opposite orders. The workspace's row is read FOR SHARE: a time-zone change (which rebuilds the
-- local days) waits for the writers, and they for it, so no write is bucketed in a zone being replaced.
CREATE FUNCTION "figure_apply"("olds" "deal"[], "news" "deal"[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  WITH "c" AS (
    SELECT -1 AS "sign", d.* FROM unnest("olds") AS d WHERE d."deleted_at" IS NULL
    UNION ALL
    SELECT 1, d.* FROM unnest("news") AS d WHERE d."deleted_at" IS NULL
  ), "zone" AS (
    SELECT "id", "timezone" FROM "workspace" WHERE "id" IN (SELECT "workspace_id" FROM "c") FOR SHARE
  ), "z" AS (
    SELECT "c".*, "zone"."timezone" FROM "c" JOIN "zone" ON "zone"."id" = "c"."workspace_id"
  ), "days" AS (
    INSERT INTO "figure_day" AS f ("workspace_id", "day", "won_count", "won_amount", "won_cycle_seconds",
                                   "lost_count", "new_count", "new_amount")
    SELECT "workspace_id", "day", sum("won_count"), sum("won_amount"), sum("won_cycle_seconds"),
           sum("lost_count"), sum("new_count"), sum("new_amount")
    FROM (
      SELECT "workspace_id", ("closed_at" AT TIME ZONE "timezone")::date AS "day",
             CASE WHEN "stage" = 'won' THEN "sign" ELSE 0 END AS "won_count",
             CASE WHEN "stage" = 'won' THEN "sign" * "amount" ELSE 0 END AS "won_amount",
             CASE WHEN "stage" = 'won'
                  THEN "sign" * greatest(extract(epoch FROM "closed_at" - "created_at"), 0) ELSE 0 END
               AS "won_cycle_seconds",
             CASE WHEN "stage" = 'lost' THEN "sign" ELSE 0 END AS "lost_count",
             0 AS "new_count", 0 AS "new_amount"
      FROM "z" WHERE "stage" IN ('won', 'lost') AND "closed_at" IS NOT NULL
      UNION ALL
      SELECT "workspace_id", ("created_at" AT TIME ZONE "timezone")::date, 0, 0, 0, 0, "sign", "sign" * "amount"
      FROM "z"
    ) AS x
    GROUP BY "workspace_id", "day"
    HAVING sum("won_count") <> 0 OR sum("won_amount") <> 0 OR sum("won_cycle_seconds") <> 0
        OR sum("lost_count") <> 0 OR sum("new_count") <> 0 OR sum("new_amount") <> 0
    ORDER BY "workspace_id", "day"
    ON CONFLICT ("workspace_id", "day") DO UPDATE SET
      "won_count" = f."won_count" + excluded."won_count",
      "won_amount" = f."won_amount" + excluded."won_amount",
      "won_cycle_seconds" = f."won_cycle_seconds" + excluded."won_cycle_seconds",
      "lost_count" = f."lost_count" + excluded."lost_count",
      "new_count" = f."new_count" + excluded."new_count",
      "new_amount" = f."new_amount" + excluded."new_amount"
  ), "months" AS (
    INSERT INTO "figure_owner_month" AS f ("workspace_id", "month", "owner_id", "won_count", "won_amount")
    SELECT "workspace_id", date_trunc('month', "closed_at" AT TIME ZONE "timezone")::date AS "month",
           "owner_id", sum("sign"), sum("sign" * "amount")
    FROM "z" WHERE "stage" = 'won' AND "closed_at" IS NOT NULL
    GROUP BY 1, 2, 3
    HAVING sum("sign") <> 0 OR sum("sign" * "amount") <> 0
    ORDER BY 1, 2, 3
    ON CONFLICT ("workspace_id", "month", "owner_id") DO UPDATE SET
      "won_count" = f."won_count" + excluded."won_count",
      "won_amount" = f."won_amount" + excluded."won_amount"
  ), "open" AS (
    INSERT INTO "figure_open" AS f ("workspace_id", "expected", "stage", "open_count", "amount", "weighted")
    SELECT "workspace_id", coalesce("expected_close_date", '-infinity'::date), "stage",
           sum("sign"), sum("sign" * "amount"), sum("sign" * "amount" * "probability"::numeric)
    FROM "c" WHERE "stage" IN ('lead', 'qualified', 'proposal', 'negotiation')
    GROUP BY 1, 2, 3
    HAVING sum("sign") <> 0 OR sum("sign" * "amount") <> 0 OR sum("sign" * "amount" * "probability"::numeric) <> 0
    ORDER BY 1, 2, 3
    ON CONFLICT ("workspace_id", "expected", "stage") DO UPDATE SET
      "open_count" = f."open_count" + excluded."open_count",
      "amount" = f."amount" + excluded."amount",
      "weighted" = f."weighted" + excluded."weighted"
  )
  INSERT INTO "figure_activity" AS f ("workspace_id", "day", "open_count")
  SELECT "workspace_id", ("last_activity_at" AT TIME ZONE 'UTC')::date, sum("sign")
  FROM "c" WHERE "stage" IN ('lead', 'qualified', 'proposal', 'negotiation')
  GROUP BY 1, 2
  HAVING sum("sign") <> 0
  ORDER BY 1, 2
  ON CONFLICT ("workspace_id", "day") DO UPDATE SET "open_count" = f."open_count" + excluded."open_count";
END
$$;

-- One deal row changed, as it was (`o`, null for an insert) and is (`n`, null for a delete): the same
-- sums as "figure_apply", bucket by bucket, touching only the buckets whose share changes (a note
-- or a title touches none). A command changes one row: this path costs a few index upserts.
CREATE FUNCTION "figure_change"("o" "deal", "n" "deal") RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  "ws" integer := coalesce("n"."workspace_id", "o"."workspace_id");
  "was" boolean := "o"."id" IS NOT NULL AND "o"."deleted_at" IS NULL;
  "is" boolean := "n"."id" IS NOT NULL AND "n"."deleted_at" IS NULL;
  "was_closed" boolean := "was" AND "o"."stage" IN ('won', 'lost') AND "o"."closed_at" IS NOT NULL;
  "is_closed" boolean := "is" AND "n"."stage" IN ('won', 'lost') AND "n"."closed_at" IS NOT NULL;
  "was_open" boolean := "was" AND "o"."stage" IN ('lead', 'qualified', 'proposal', 'negotiation');
  "is_open" boolean := "is" AND "n"."stage" IN ('lead', 'qualified', 'proposal', 'negotiation');
  "closed_same" boolean := "was_closed" = "is_closed" AND (NOT "is_closed" OR (
    "o"."stage" = "n"."stage" AND "o"."closed_at" = "n"."closed_at" AND "o"."amount" = "n"."amount"
    AND "o"."created_at" = "n"."created_at" AND "o"."owner_id" = "n"."owner_id"));
  "created_same" boolean := "was" = "is" AND (NOT "is" OR (
    "o"."created_at" = "n"."created_at" AND "o"."amount" = "n"."amount"));
  "tz" text;
  "d" "deal";
  "s" integer;
BEGIN
  IF NOT ("closed_same" AND "created_same") THEN
    SELECT "timezone" INTO "tz" FROM "workspace" WHERE "id" = "ws" FOR SHARE;
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
END
$$;

-- A statement's rows: one by one when they are a few (a command's), as sets otherwise (an import,
-- a bulk change).
CREATE FUNCTION "deal_figures"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  "few" constant integer := 8;
  "was" "deal";
  "is" "deal";
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF (SELECT count(*) FROM (SELECT FROM "new_rows" LIMIT "few" + 1) AS x) <= "few" THEN
      FOR "is" IN SELECT * FROM "new_rows" LOOP PERFORM "figure_change"(NULL, "is"); END LOOP;
    ELSE
      PERFORM "figure_apply"('{}', ARRAY(SELECT n::"deal" FROM "new_rows" AS n));
    END IF;
  ELSIF TG_OP = 'UPDATE' THEN
    IF (SELECT count(*) FROM (SELECT FROM "new_rows" LIMIT "few" + 1) AS x) <= "few" THEN
      FOR "was" IN SELECT * FROM "old_rows" LOOP
        SELECT * INTO "is" FROM "new_rows" AS r WHERE r."id" = "was"."id";
        PERFORM "figure_change"("was", "is");
      END LOOP;
    ELSE
      PERFORM "figure_apply"(ARRAY(SELECT o::"deal" FROM "old_rows" AS o), ARRAY(SELECT n::"deal" FROM "new_rows" AS n));
    END IF;
  ELSE
    PERFORM "figure_apply"(ARRAY(SELECT o::"deal" FROM "old_rows" AS o), '{}');
  END IF;
  RETURN NULL;
END
$$;

-- One trigger per kind of statement: a trigger with transition tables takes one event.
CREATE TRIGGER "deal_figures_insert" AFTER INSERT ON "deal"
REFERENCING NEW TABLE AS "new_rows" FOR EACH STATEMENT EXECUTE FUNCTION "deal_figures"();
CREATE TRIGGER "deal_figures_update" AFTER UPDATE ON "deal"
REFERENCING OLD TABLE AS "old_rows" NEW TABLE AS "new_rows" FOR EACH STATEMENT EXECUTE FUNCTION "deal_figures"();
CREATE TRIGGER "deal_figures_delete" AFTER DELETE ON "deal"
REFERENCING OLD TABLE AS "old_rows" FOR EACH STATEMENT EXECUTE FUNCTION "deal_figures"();

-- A workspace's figures computed again from its deals, in the caller's transaction: after a change of
-- time zone, which moves deals to other local days and months. In slices of deals, so that a large
-- workspace is never held whole in memory.
CREATE FUNCTION "figure_rebuild"("ws" integer) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  "slice" constant integer := 20000;
  "from_id" integer := 0;
  "last_id" integer;
BEGIN
  DELETE FROM "figure_day" WHERE "workspace_id" = "ws";
  DELETE FROM "figure_owner_month" WHERE "workspace_id" = "ws";
  DELETE FROM "figure_open" WHERE "workspace_id" = "ws";
  DELETE FROM "figure_activity" WHERE "workspace_id" = "ws";
  LOOP
    SELECT max("id") INTO "last_id" FROM (
      SELECT "id" FROM "deal" WHERE "workspace_id" = "ws" AND "id" > "from_id" ORDER BY "id" LIMIT "slice"
    ) AS s;
    EXIT WHEN "last_id" IS NULL;
    PERFORM "figure_apply"('{}', ARRAY(
      SELECT d FROM "deal" AS d WHERE d."workspace_id" = "ws" AND d."id" > "from_id" AND d."id" <= "last_id"));
    "from_id" := "last_id";
  END LOOP;
END
$$;

-- The deals already there.
SELECT "figure_rebuild"("id") FROM "workspace";
