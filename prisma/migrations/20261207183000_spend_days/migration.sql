-- The spend trend's rollup (issue 20, docs/costs.md "Storage", docs/storage.md "The spend rollup"): per
-- UTC day × subscription × owner × currency, the sums of the costs of that day as the spend figures
-- judge them without waivers — each cluster's latest statement of the day beside the posture
-- interval in force at the end of the day (scope from the interval). A year's spend trend then reads
-- a few thousand rows instead of joining every cost row to the intervals. Waivers stay live in the
-- query (a waiver covers part of a day range and is created, revoked and expires at any time).
--
-- What it holds is a join (latest costs ⋈ clusters ⋈ intervals), so it is kept as a join is kept
-- incrementally: a statement that changes the intervals adds (its new rows ⋈ the costs) and takes
-- away (its old rows ⋈ the costs); one that changes the costs does the same with each day's latest
-- statement before and after it, against the intervals. Statement triggers with transition tables do
-- this in the writer's transaction — a run, `runs undo-last`, `bulkhead reevaluate`, an import, the
-- demo's reset, a migration — so no writer has to know the rollup exists (explicit calls would have to
-- be added, and kept, in each of them). `clusters` needs no trigger: a cluster's key never changes, its
-- intervals are written after its row and deleted before it. Kept out of schema.prisma like
-- trend_interval_days: only these triggers write it and only raw SQL reads it.
CREATE TABLE "spend_days" (
    "day" DATE NOT NULL,
    "subscription_id" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    -- Cluster-days with a cost; a row whose count falls to 0 is removed (its sums are then exactly 0).
    "cost_days" INTEGER NOT NULL,
    -- Exact sums (numeric): adding and taking away the same terms leaves no rounding behind, and the
    -- query that joins the costs live (the test reference) sums the same terms to the same values.
    "total" NUMERIC NOT NULL,
    -- Σ cost where NP-01, NP-02 or NP-03 fails (waived or not).
    "at_risk" NUMERIC NOT NULL,
    -- Σ cost × passed ÷ (passed + failed) and Σ cost, over cluster-days with a passed or failed control.
    "pass_weighted" NUMERIC NOT NULL,
    "pass_weight" NUMERIC NOT NULL,

    CONSTRAINT "spend_days_pkey" PRIMARY KEY ("day", "subscription_id", "owner", "currency")
);
-- Rows left with no cost day, found without scanning the table.
CREATE INDEX "spend_days_empty_idx" ON "spend_days" ("day") WHERE "cost_days" = 0;

-- The statements that add the cost-days in `source` to the rollup (a query with columns sign, day,
-- subscription_id, owner, currency, cost, np01, np02, np03, controls_passed, controls_failed), then
-- remove rows left without a cost day. Text for the caller to EXECUTE: transition tables are
-- visible to the trigger function alone.
CREATE FUNCTION "spend_days_statements"("source" text) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
  SELECT ARRAY[format($sql$
    INSERT INTO "spend_days" AS s ("day", "subscription_id", "owner", "currency", "cost_days", "total", "at_risk", "pass_weighted", "pass_weight")
    SELECT day, subscription_id, owner, currency, sum(sign), sum(sign * cost),
           sum(CASE WHEN np01 = 'fail' OR np02 = 'fail' OR np03 = 'fail' THEN sign * cost ELSE 0 END),
           sum(CASE WHEN controls_passed + controls_failed > 0 THEN sign * (cost * controls_passed / (controls_passed + controls_failed)) ELSE 0 END),
           sum(CASE WHEN controls_passed + controls_failed > 0 THEN sign * cost ELSE 0 END)
      FROM (%1$s) src
     GROUP BY day, subscription_id, owner, currency
     -- One order for every writer: two transactions adding to the same rows cannot deadlock.
     ORDER BY day, subscription_id, owner, currency
    ON CONFLICT ("day", "subscription_id", "owner", "currency") DO UPDATE SET
      "cost_days" = s."cost_days" + excluded."cost_days", "total" = s."total" + excluded."total", "at_risk" = s."at_risk" + excluded."at_risk",
      "pass_weighted" = s."pass_weighted" + excluded."pass_weighted", "pass_weight" = s."pass_weight" + excluded."pass_weight"$sql$, "source"),
    $sql$DELETE FROM "spend_days" WHERE "cost_days" = 0$sql$]
$$;

CREATE FUNCTION "spend_days_add"("source" text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  statement text;
BEGIN
  FOREACH statement IN ARRAY "spend_days_statements"("source") LOOP
    EXECUTE statement;
  END LOOP;
END;
$$;

-- The cost-days that posture ranges meet: `ranges` has columns sign, cluster_id, range_from,
-- range_to (NULL: open) and the interval's spend state; each cluster's latest statement of a day D
-- meets the range that holds the end of D. Each range reads its cluster's costs by index (the day
-- bounds are a superset): a writer changes few ranges, and a hash over every cost would read them all.
CREATE FUNCTION "spend_days_of_ranges"("ranges" text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT format($sql$
    SELECT r.sign, c.day, r.subscription_id, r.owner, c.currency, c.cost, r.np01, r.np02, r.np03, r.controls_passed, r.controls_failed
      FROM (%1$s) r
      CROSS JOIN LATERAL (
        SELECT c.day, c.currency, c.cost FROM "cluster_costs" c
         WHERE c.cluster_key = (SELECT cl.key FROM "clusters" cl WHERE cl.id = r.cluster_id)
           AND c.day >= (r.range_from AT TIME ZONE 'UTC')::date - 1
           AND (r.range_to IS NULL OR c.day <= (r.range_to AT TIME ZONE 'UTC')::date)
           AND ((c.day + 1)::timestamp AT TIME ZONE 'UTC') >= r.range_from
           AND (r.range_to IS NULL OR ((c.day + 1)::timestamp AT TIME ZONE 'UTC') < r.range_to)
           AND NOT EXISTS (SELECT 1 FROM "cluster_costs" later WHERE later.cluster_key = c.cluster_key AND later.day = c.day AND later.run_id > c.run_id)) c$sql$, "ranges")
$$;

-- Every cluster's latest statement of each day beside the interval holding the end of the day, by
-- hash joins: the back-fill, and a check that rebuilds the rollup.
CREATE FUNCTION "spend_days_of_all_costs"() RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT $sql$
    SELECT 1 AS sign, c.day, pi.subscription_id, pi.owner, c.currency, c.cost, pi.np01, pi.np02, pi.np03, pi.controls_passed, pi.controls_failed
      FROM "cluster_costs" c
      JOIN "clusters" cl ON cl.key = c.cluster_key
      JOIN "posture_intervals" pi ON pi.cluster_id = cl.id
       AND pi.valid_from <= ((c.day + 1)::timestamp AT TIME ZONE 'UTC')
       AND (pi.valid_to IS NULL OR pi.valid_to > ((c.day + 1)::timestamp AT TIME ZONE 'UTC'))
     WHERE NOT EXISTS (SELECT 1 FROM "cluster_costs" later WHERE later.cluster_key = c.cluster_key AND later.day = c.day AND later.run_id > c.run_id)$sql$
$$;

-- Intervals changed: their old rows' ranges taken away, their new rows' added. An update that
-- changes only valid_to (a run closing an interval, an undo reopening it) moves only the stretch
-- between the two ends, so closing a year-old interval does not re-read its year of costs.
CREATE FUNCTION "spend_days_intervals_apply"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  state CONSTANT text := 'subscription_id, owner, np01, np02, np03, controls_passed, controls_failed';
  same CONSTANT text := '(o.cluster_id, o.valid_from, o.subscription_id, o.owner, o.np01, o.np02, o.np03, o.controls_passed, o.controls_failed)
    IS NOT DISTINCT FROM (n.cluster_id, n.valid_from, n.subscription_id, n.owner, n.np01, n.np02, n.np03, n.controls_passed, n.controls_failed)';
  ranges text;
  statement text;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    -- No interval left: no cost meets one.
    TRUNCATE "spend_days";
    RETURN NULL;
  END IF;
  ranges := CASE TG_OP
    WHEN 'INSERT' THEN format('SELECT 1 AS sign, cluster_id, valid_from AS range_from, valid_to AS range_to, %s FROM spend_new_intervals', state)
    WHEN 'DELETE' THEN format('SELECT -1 AS sign, cluster_id, valid_from AS range_from, valid_to AS range_to, %s FROM spend_old_intervals', state)
    ELSE format($sql$
      SELECT CASE WHEN n.valid_to IS NULL OR n.valid_to > o.valid_to THEN 1 ELSE -1 END AS sign, n.cluster_id,
             CASE WHEN n.valid_to IS NULL OR n.valid_to > o.valid_to THEN o.valid_to ELSE n.valid_to END AS range_from,
             CASE WHEN n.valid_to IS NULL OR n.valid_to > o.valid_to THEN n.valid_to ELSE o.valid_to END AS range_to,
             n.subscription_id, n.owner, n.np01, n.np02, n.np03, n.controls_passed, n.controls_failed
        FROM spend_old_intervals o JOIN spend_new_intervals n ON n.id = o.id AND %2$s
       WHERE o.valid_to IS DISTINCT FROM n.valid_to
      UNION ALL
      SELECT -1, cluster_id, valid_from, valid_to, %1$s FROM spend_old_intervals o
       WHERE NOT EXISTS (SELECT 1 FROM spend_new_intervals n WHERE n.id = o.id AND %2$s)
      UNION ALL
      SELECT 1, cluster_id, valid_from, valid_to, %1$s FROM spend_new_intervals n
       WHERE NOT EXISTS (SELECT 1 FROM spend_old_intervals o WHERE o.id = n.id AND %2$s)$sql$, state, same)
  END;
  -- Executed here, not through spend_days_add: transition tables are visible to the trigger function alone.
  FOREACH statement IN ARRAY "spend_days_statements"("spend_days_of_ranges"(ranges)) LOOP
    EXECUTE statement;
  END LOOP;
  RETURN NULL;
END;
$$;

-- Costs changed: for each cluster and day a statement touched, its latest statement before (the
-- rows now, less the new ones, plus the old ones) taken away and its latest statement now added,
-- each beside the interval that holds the end of the day. A restatement of the same amount moves nothing.
CREATE FUNCTION "spend_days_costs_apply"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  new_rows text := 'SELECT cluster_key, day, run_id, cost, currency FROM spend_new_costs';
  old_rows text := 'SELECT cluster_key, day, run_id, cost, currency FROM spend_old_costs';
  empty_rows CONSTANT text := 'SELECT NULL::text AS cluster_key, NULL::date AS day, NULL::int AS run_id, NULL::numeric AS cost, NULL::text AS currency WHERE false';
  statement text;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    TRUNCATE "spend_days";
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN old_rows := empty_rows; END IF;
  IF TG_OP = 'DELETE' THEN new_rows := empty_rows; END IF;
  FOREACH statement IN ARRAY "spend_days_statements"(format($sql$
    WITH new_rows AS (%1$s), old_rows AS (%2$s),
    touched AS (SELECT cluster_key, day FROM new_rows UNION SELECT cluster_key, day FROM old_rows),
    now_rows AS (SELECT c.cluster_key, c.day, c.run_id, c.cost, c.currency FROM touched t JOIN "cluster_costs" c ON c.cluster_key = t.cluster_key AND c.day = t.day),
    latest_after AS (
      SELECT DISTINCT ON (cluster_key, day) * FROM now_rows ORDER BY cluster_key, day, run_id DESC),
    latest_before AS (
      SELECT DISTINCT ON (cluster_key, day) * FROM (
        SELECT * FROM now_rows r WHERE NOT EXISTS (SELECT 1 FROM new_rows n WHERE n.cluster_key = r.cluster_key AND n.day = r.day AND n.run_id = r.run_id)
        UNION ALL SELECT * FROM old_rows) b
       ORDER BY cluster_key, day, run_id DESC),
    moved AS (
      SELECT -1 AS sign, b.cluster_key, b.day, b.cost, b.currency FROM latest_before b
       WHERE NOT EXISTS (SELECT 1 FROM latest_after a WHERE a.cluster_key = b.cluster_key AND a.day = b.day AND a.cost = b.cost AND a.currency = b.currency)
      UNION ALL
      SELECT 1, a.cluster_key, a.day, a.cost, a.currency FROM latest_after a
       WHERE NOT EXISTS (SELECT 1 FROM latest_before b WHERE b.cluster_key = a.cluster_key AND b.day = a.day AND b.cost = a.cost AND b.currency = a.currency))
    SELECT m.sign, m.day, pi.subscription_id, pi.owner, m.currency, m.cost, pi.np01, pi.np02, pi.np03, pi.controls_passed, pi.controls_failed
      FROM moved m
      JOIN "clusters" cl ON cl.key = m.cluster_key
      JOIN "posture_intervals" pi ON pi.cluster_id = cl.id
       AND pi.valid_from <= ((m.day + 1)::timestamp AT TIME ZONE 'UTC')
       AND (pi.valid_to IS NULL OR pi.valid_to > ((m.day + 1)::timestamp AT TIME ZONE 'UTC'))$sql$, new_rows, old_rows)) LOOP
    EXECUTE statement;
  END LOOP;
  RETURN NULL;
END;
$$;

-- No writer may add intervals or costs between the back-fill and the triggers (this runs in one transaction).
LOCK TABLE "posture_intervals", "cluster_costs" IN SHARE ROW EXCLUSIVE MODE;

SELECT "spend_days_add"("spend_days_of_all_costs"());

CREATE TRIGGER "spend_days_insert" AFTER INSERT ON "posture_intervals"
  REFERENCING NEW TABLE AS "spend_new_intervals" FOR EACH STATEMENT EXECUTE FUNCTION "spend_days_intervals_apply"();
CREATE TRIGGER "spend_days_update" AFTER UPDATE ON "posture_intervals"
  REFERENCING OLD TABLE AS "spend_old_intervals" NEW TABLE AS "spend_new_intervals" FOR EACH STATEMENT EXECUTE FUNCTION "spend_days_intervals_apply"();
CREATE TRIGGER "spend_days_delete" AFTER DELETE ON "posture_intervals"
  REFERENCING OLD TABLE AS "spend_old_intervals" FOR EACH STATEMENT EXECUTE FUNCTION "spend_days_intervals_apply"();
CREATE TRIGGER "spend_days_truncate" AFTER TRUNCATE ON "posture_intervals"
  FOR EACH STATEMENT EXECUTE FUNCTION "spend_days_intervals_apply"();

CREATE TRIGGER "spend_days_insert" AFTER INSERT ON "cluster_costs"
  REFERENCING NEW TABLE AS "spend_new_costs" FOR EACH STATEMENT EXECUTE FUNCTION "spend_days_costs_apply"();
CREATE TRIGGER "spend_days_update" AFTER UPDATE ON "cluster_costs"
  REFERENCING OLD TABLE AS "spend_old_costs" NEW TABLE AS "spend_new_costs" FOR EACH STATEMENT EXECUTE FUNCTION "spend_days_costs_apply"();
CREATE TRIGGER "spend_days_delete" AFTER DELETE ON "cluster_costs"
  REFERENCING OLD TABLE AS "spend_old_costs" FOR EACH STATEMENT EXECUTE FUNCTION "spend_days_costs_apply"();
CREATE TRIGGER "spend_days_truncate" AFTER TRUNCATE ON "cluster_costs"
  FOR EACH STATEMENT EXECUTE FUNCTION "spend_days_costs_apply"();
