-- The deals closed per local day, outcome, lost reason and product (docs/architecture.md §3, "Figures
-- kept as deals change", and §16): what `/kpi products`, the digest's products and the dashboard's
-- read, kept by triggers on `deal` and on `deal_product` and rebuilt with the other figure tables.
--
-- Every closed deal counts once under product 0 with its whole amount, kept from the deal's rows alone
-- as "figure_close" is. A closed deal that has lines also counts, under each of its products, the
-- product's share of its amount, and takes itself off product 0 again; what it counts so is recorded
-- in "figure_product_deal". Whatever fires, a deal's change or its lines' change (`/deal log` writes
-- both in one statement, whose two triggers run in either order), recounts the affected deals from
-- their rows as they are and takes off what was recorded: the result depends on the rows, never on
-- the order (docs/decisions.md, "Products' figures kept").

-- CreateTable
CREATE TABLE "figure_product" (
    "workspace_id" INTEGER NOT NULL,
    "day" DATE NOT NULL,
    "stage" "Stage" NOT NULL,
    "reason" TEXT NOT NULL DEFAULT '',
    "product_id" INTEGER NOT NULL,
    "closed_count" INTEGER NOT NULL DEFAULT 0,
    "revenue" DECIMAL NOT NULL DEFAULT 0,

    CONSTRAINT "figure_product_pkey" PRIMARY KEY ("workspace_id","day","stage","reason","product_id")
);

-- CreateTable
CREATE TABLE "figure_product_deal" (
    "deal_id" INTEGER NOT NULL,
    "workspace_id" INTEGER NOT NULL,
    "day" DATE NOT NULL,
    "stage" "Stage" NOT NULL,
    "reason" TEXT NOT NULL DEFAULT '',
    "amount" BIGINT NOT NULL,
    "product_ids" INTEGER[],
    "revenues" DECIMAL[],

    CONSTRAINT "figure_product_deal_pkey" PRIMARY KEY ("deal_id")
);

-- CreateIndex
CREATE INDEX "figure_product_deal_workspace_id_idx" ON "figure_product_deal"("workspace_id");

-- AddForeignKey
ALTER TABLE "figure_product" ADD CONSTRAINT "figure_product_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "figure_product_deal" ADD CONSTRAINT "figure_product_deal_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- A line's share of its deal's amount (docs/architecture.md §16): the line's amount over the deal's
-- lines' amounts when every line has one and they add up to more than zero, else an equal share; the
-- whole deal for a deal without lines (`lines` null). `/kpi products` read from the deals
-- (src/sales/products/product-kpis.ts) and the triggers below both take it, so a deal's terms are the
-- same numerics in both, and their sums are equal to the last digit.
CREATE FUNCTION "deal_line_share"("amount" bigint, "lines" bigint, "priced" bigint, "total" numeric)
RETURNS numeric LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN "lines" IS NULL THEN 1
              WHEN "priced" = "lines" AND "total" > 0 THEN "amount"::numeric / "total"
              ELSE 1::numeric / "lines" END
$$;

-- Counts deals again in "figure_product": the rows `olds` taken off and `news` added under product 0
-- (the deal triggers' rows whose close changed), and the deals `ids` recounted from their rows and
-- lines as they are now, what was recorded for them taken off. Buckets are upserted in key order, and
-- the workspace's row is read FOR SHARE, as "figure_apply" does. Its one statement of many parts is
-- planned once for all calls: planned with each call's values, as PostgreSQL otherwise keeps doing
-- for it, the planning cost twice what the statement does for one deal.
CREATE FUNCTION "figure_product_count"("olds" "deal"[], "news" "deal"[], "ids" integer[]) RETURNS void
LANGUAGE plpgsql SET "plan_cache_mode" = 'force_generic_plan' AS $$
BEGIN
  WITH "c" AS (
    SELECT -1 AS "sign", d."workspace_id", d."closed_at", d."stage", d."lost_reason", d."amount"
    FROM unnest("olds") AS d
    WHERE d."deleted_at" IS NULL AND d."stage" IN ('won', 'lost') AND d."closed_at" IS NOT NULL
    UNION ALL
    SELECT 1, d."workspace_id", d."closed_at", d."stage", d."lost_reason", d."amount"
    FROM unnest("news") AS d
    WHERE d."deleted_at" IS NULL AND d."stage" IN ('won', 'lost') AND d."closed_at" IS NOT NULL
  ), "recorded" AS (
    SELECT * FROM "figure_product_deal" WHERE "deal_id" = ANY("ids")
  ), "closed" AS (
    SELECT d."id", d."workspace_id", d."closed_at", d."stage", d."lost_reason", d."amount"
    FROM "deal" AS d
    WHERE d."id" = ANY("ids") AND d."deleted_at" IS NULL AND d."stage" IN ('won', 'lost') AND d."closed_at" IS NOT NULL
  ), "zone" AS (
    SELECT "id", "timezone" FROM "workspace"
    WHERE "id" IN (SELECT "workspace_id" FROM "c" UNION SELECT "workspace_id" FROM "recorded"
                   UNION SELECT "workspace_id" FROM "closed")
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
    -- The rows' close, under product 0.
    SELECT "c"."workspace_id", ("c"."closed_at" AT TIME ZONE "zone"."timezone")::date AS "day", "c"."stage",
           CASE WHEN "c"."stage" = 'lost' THEN coalesce("c"."lost_reason"::text, '') ELSE '' END AS "reason",
           0 AS "product_id", "c"."sign" AS "n", ("c"."sign" * "c"."amount")::numeric AS "revenue"
    FROM "c" JOIN "zone" ON "zone"."id" = "c"."workspace_id"
    UNION ALL
    -- What was recorded, taken off: each product's term, and the deal back under product 0.
    SELECT r."workspace_id", r."day", r."stage", r."reason", t."product_id", -1, -t."revenue"
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

-- One deal row changed: counted again only when its close changed (a new deal, an open one moved, a
-- note, a reassignment: nothing here).
CREATE FUNCTION "figure_product_change"("o" "deal", "n" "deal") RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  "was" boolean := "o"."id" IS NOT NULL AND "o"."deleted_at" IS NULL
    AND "o"."stage" IN ('won', 'lost') AND "o"."closed_at" IS NOT NULL;
  "is" boolean := "n"."id" IS NOT NULL AND "n"."deleted_at" IS NULL
    AND "n"."stage" IN ('won', 'lost') AND "n"."closed_at" IS NOT NULL;
BEGIN
  IF NOT "was" AND NOT "is" THEN RETURN; END IF;
  IF "was" AND "is" AND "o"."stage" = "n"."stage" AND "o"."closed_at" = "n"."closed_at"
     AND "o"."amount" = "n"."amount" AND "o"."lost_reason" IS NOT DISTINCT FROM "n"."lost_reason" THEN
    RETURN;
  END IF;
  PERFORM "figure_product_count"(
    CASE WHEN "was" THEN ARRAY["o"] ELSE '{}' END, CASE WHEN "is" THEN ARRAY["n"] ELSE '{}' END,
    ARRAY[coalesce("n"."id", "o"."id")]);
END
$$;

-- A statement's many deal rows (an import, a merge, a deletion): those whose close changed, counted
-- again as sets.
CREATE FUNCTION "figure_product_apply"("olds" "deal"[], "news" "deal"[]) RETURNS void
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
  PERFORM "figure_product_count"(
    ARRAY(SELECT d FROM unnest("olds") AS d WHERE d."id" IN (SELECT unnest("ids"))),
    ARRAY(SELECT d FROM unnest("news") AS d WHERE d."id" IN (SELECT unnest("ids"))),
    "ids");
END
$$;

-- The statement trigger of 20261202061657_figure_close, now keeping "figure_product" too.
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
        PERFORM "figure_product_change"(NULL, "is");
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
        PERFORM "figure_product_change"("was", "is");
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
  PERFORM "figure_product_apply"("olds", "news");
  RETURN NULL;
END
$$;

-- A statement's lines, inserted, changed or deleted (`/deal log` with products, `/deal edit
-- products:`, an import): their deals that are closed now counted again. A deal whose close changed
-- in the same statement is counted again by the deal's trigger too, before or after this one, from
-- the same rows: the second recount finds its own record and changes nothing.
CREATE FUNCTION "deal_product_figures"() RETURNS trigger
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
    PERFORM "figure_product_count"('{}', '{}', "ids");
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "deal_product_figures_insert" AFTER INSERT ON "deal_product"
REFERENCING NEW TABLE AS "new_lines" FOR EACH STATEMENT EXECUTE FUNCTION "deal_product_figures"();
CREATE TRIGGER "deal_product_figures_update" AFTER UPDATE ON "deal_product"
REFERENCING OLD TABLE AS "old_lines" NEW TABLE AS "new_lines" FOR EACH STATEMENT EXECUTE FUNCTION "deal_product_figures"();
CREATE TRIGGER "deal_product_figures_delete" AFTER DELETE ON "deal_product"
REFERENCING OLD TABLE AS "old_lines" FOR EACH STATEMENT EXECUTE FUNCTION "deal_product_figures"();

-- A workspace's "figure_product" and its record computed again from its deals and lines, in the
-- caller's transaction (a time-zone change moves deals to other local days): two aggregates over the
-- workspace's closed deals and their lines, which the server spills to disk when they are large.
CREATE FUNCTION "figure_product_rebuild"("ws" integer) RETURNS void
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
    SELECT c.*, coalesce(l."product_id", 0) AS "product_id",
           c."amount" * "deal_line_share"(l."amount", l."n", l."priced", l."total") AS "revenue"
    FROM "closed" AS c LEFT JOIN "l" ON l."deal_id" = c."id"
  ), "record" AS (
    INSERT INTO "figure_product_deal" ("deal_id", "workspace_id", "day", "stage", "reason", "amount",
                                       "product_ids", "revenues")
    SELECT "id", "workspace_id", "day", "stage", "reason", "amount",
           array_agg("product_id" ORDER BY "product_id"), array_agg("revenue" ORDER BY "product_id")
    FROM "terms" WHERE "product_id" <> 0
    GROUP BY 1, 2, 3, 4, 5, 6
  )
  INSERT INTO "figure_product" ("workspace_id", "day", "stage", "reason", "product_id", "closed_count", "revenue")
  SELECT "workspace_id", "day", "stage", "reason", "product_id", count(*), sum("revenue")
  FROM "terms"
  GROUP BY 1, 2, 3, 4, 5;
END
$$;

-- The rebuild of 20261202061657_figure_close, now of "figure_product" too.
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
  PERFORM "figure_product_rebuild"("ws");
END
$$;

-- The deals and lines already there.
SELECT "figure_product_rebuild"("id") FROM "workspace";
