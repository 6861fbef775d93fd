-- The KPI trend's rollup (issue 20, docs/storage.md "The trend rollup"): per UTC day × subscription
-- × owner, the change in the interval sums the trend accumulates — every posture interval adds its
-- state on the day it starts and takes it away on the day it ends. A year's trend then reads a few
-- thousand rows instead of re-deriving the deltas from every interval in the window. Kept by
-- statement triggers on posture_intervals (transition tables), so every writer — a run, an undo, a
-- re-evaluation, a migration — keeps it in the same transaction without knowing it exists. Kept out
-- of schema.prisma like kpi_cache_changes: only those triggers write it and only raw SQL reads it.
CREATE TABLE "trend_interval_days" (
    "day" DATE NOT NULL,
    "subscription_id" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    -- Intervals starting that day: which groups a window has (those with an interval in force in it).
    "starts" INTEGER NOT NULL,
    "clusters" INTEGER NOT NULL,
    "enabled" INTEGER NOT NULL,
    "allow_any_prod" BIGINT NOT NULL,
    "passed" BIGINT NOT NULL,
    "failed" BIGINT NOT NULL,
    "with_exposure" INTEGER NOT NULL,
    -- Σ lateral exposure × pods as numeric: exact, so running sums equal the point-in-time ones.
    "exposure_weighted" NUMERIC NOT NULL,
    "exposure_pods" BIGINT NOT NULL,

    CONSTRAINT "trend_interval_days_pkey" PRIMARY KEY ("day", "subscription_id", "owner")
);

-- The statements that add the deltas of the intervals in `source` (a query with a `sign` column and
-- the interval's columns): +sign × state on the day each starts, −sign × state on the day it ends;
-- then rows left all zero (an undo takes a day's intervals away again) are removed. Returned as text
-- for the caller to EXECUTE: transition tables are visible to the trigger function alone.
CREATE FUNCTION "trend_interval_days_statements"("source" text) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
  SELECT ARRAY[format($sql$
    INSERT INTO "trend_interval_days" AS t ("day", "subscription_id", "owner", "starts", "clusters", "enabled", "allow_any_prod", "passed", "failed", "with_exposure", "exposure_weighted", "exposure_pods")
    SELECT day, subscription_id, owner, sum(starts), sum(c), sum(e), sum(a), sum(p), sum(f), sum(l), sum(x), sum(n)
      FROM (
        SELECT (valid_from AT TIME ZONE 'UTC')::date AS day, subscription_id, owner, sign AS starts, sign AS c, sign * (np01 = 'pass')::int AS e,
               sign * CASE WHEN production THEN allow_any_count ELSE 0 END AS a, sign * controls_passed AS p, sign * controls_failed AS f,
               sign * (lateral_exposure IS NOT NULL)::int AS l, sign * COALESCE(lateral_exposure * workload_pods, 0) AS x,
               sign * CASE WHEN lateral_exposure IS NOT NULL THEN COALESCE(workload_pods, 0) ELSE 0 END AS n
          FROM (%1$s) src
        UNION ALL
        SELECT (valid_to AT TIME ZONE 'UTC')::date, subscription_id, owner, 0, -sign, -sign * (np01 = 'pass')::int,
               -sign * CASE WHEN production THEN allow_any_count ELSE 0 END, -sign * controls_passed, -sign * controls_failed,
               -sign * (lateral_exposure IS NOT NULL)::int, -sign * COALESCE(lateral_exposure * workload_pods, 0),
               -sign * CASE WHEN lateral_exposure IS NOT NULL THEN COALESCE(workload_pods, 0) ELSE 0 END
          FROM (%1$s) src WHERE valid_to IS NOT NULL
      ) e
     GROUP BY day, subscription_id, owner
     -- One order for every writer: two transactions adding to the same rows cannot deadlock.
     ORDER BY day, subscription_id, owner
    ON CONFLICT ("day", "subscription_id", "owner") DO UPDATE SET
      "starts" = t."starts" + excluded."starts", "clusters" = t."clusters" + excluded."clusters", "enabled" = t."enabled" + excluded."enabled",
      "allow_any_prod" = t."allow_any_prod" + excluded."allow_any_prod", "passed" = t."passed" + excluded."passed", "failed" = t."failed" + excluded."failed",
      "with_exposure" = t."with_exposure" + excluded."with_exposure", "exposure_weighted" = t."exposure_weighted" + excluded."exposure_weighted",
      "exposure_pods" = t."exposure_pods" + excluded."exposure_pods"$sql$, "source"), format($sql$
    DELETE FROM "trend_interval_days"
     WHERE "day" IN (SELECT (valid_from AT TIME ZONE 'UTC')::date FROM (%1$s) src UNION SELECT (valid_to AT TIME ZONE 'UTC')::date FROM (%1$s) src WHERE valid_to IS NOT NULL)
       AND "starts" = 0 AND "clusters" = 0 AND "enabled" = 0 AND "allow_any_prod" = 0 AND "passed" = 0 AND "failed" = 0
       AND "with_exposure" = 0 AND "exposure_weighted" = 0 AND "exposure_pods" = 0$sql$, "source")]
$$;

-- Adds the deltas of the intervals in `source` (the back-fill; a check that rebuilds the rollup).
CREATE FUNCTION "trend_interval_days_add"("source" text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  statement text;
BEGIN
  FOREACH statement IN ARRAY "trend_interval_days_statements"("source") LOOP
    EXECUTE statement;
  END LOOP;
END;
$$;

CREATE FUNCTION "trend_interval_days_apply"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  source text;
  statement text;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    TRUNCATE "trend_interval_days";
    RETURN NULL;
  END IF;
  source := CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT 1 AS sign, * FROM trend_new_intervals'
    WHEN 'DELETE' THEN 'SELECT -1 AS sign, * FROM trend_old_intervals'
    ELSE 'SELECT -1 AS sign, * FROM trend_old_intervals UNION ALL SELECT 1, * FROM trend_new_intervals'
  END;
  FOREACH statement IN ARRAY "trend_interval_days_statements"(source) LOOP
    EXECUTE statement;
  END LOOP;
  RETURN NULL;
END;
$$;

-- No writer may add intervals between the back-fill and the triggers (this runs in one transaction).
LOCK TABLE "posture_intervals" IN SHARE ROW EXCLUSIVE MODE;

SELECT "trend_interval_days_add"('SELECT 1 AS sign, * FROM posture_intervals');

CREATE TRIGGER "trend_interval_days_insert" AFTER INSERT ON "posture_intervals"
  REFERENCING NEW TABLE AS "trend_new_intervals" FOR EACH STATEMENT EXECUTE FUNCTION "trend_interval_days_apply"();
CREATE TRIGGER "trend_interval_days_update" AFTER UPDATE ON "posture_intervals"
  REFERENCING OLD TABLE AS "trend_old_intervals" NEW TABLE AS "trend_new_intervals" FOR EACH STATEMENT EXECUTE FUNCTION "trend_interval_days_apply"();
CREATE TRIGGER "trend_interval_days_delete" AFTER DELETE ON "posture_intervals"
  REFERENCING OLD TABLE AS "trend_old_intervals" FOR EACH STATEMENT EXECUTE FUNCTION "trend_interval_days_apply"();
CREATE TRIGGER "trend_interval_days_truncate" AFTER TRUNCATE ON "posture_intervals"
  FOR EACH STATEMENT EXECUTE FUNCTION "trend_interval_days_apply"();
