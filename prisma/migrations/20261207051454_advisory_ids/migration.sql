-- The advisory ids of each snapshot and posture interval (issue 20): the Overview counts advisories
-- with one scan of the intervals in force instead of opening every cluster's latest evaluation.
-- AlterTable
ALTER TABLE "snapshots" ADD COLUMN     "advisory_ids" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "posture_intervals" ADD COLUMN     "advisory_ids" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- Snapshots: the sorted, distinct ids of their evaluation's advisories (what lib/collector/snapshot-row.ts
-- writes). Evaluations are stored once per content, so the ids are worked out once per evaluation and
-- only the snapshots with any advisory are touched.
CREATE TEMP TABLE "migration_evaluation_advisories" AS
SELECT e."hash", ARRAY(SELECT DISTINCT (a.value->>'id') COLLATE "C" AS id FROM jsonb_array_elements(e."advisories") AS a(value) WHERE a.value->>'id' IS NOT NULL ORDER BY id) AS ids
  FROM "evaluations" e
 WHERE jsonb_typeof(e."advisories") = 'array' AND jsonb_array_length(e."advisories") > 0;
UPDATE "snapshots" s SET "advisory_ids" = m.ids
  FROM "migration_evaluation_advisories" m
 WHERE m."hash" = s."evaluation_hash" AND cardinality(m.ids) > 0;

-- Intervals: advisories are now part of a cluster's state, so an interval over which they changed
-- splits. Clusters whose snapshots all carry the same ids take them on every interval; the few whose
-- advisories changed get their intervals rebuilt as `bulkhead reevaluate` rebuilds them
-- (lib/collector/reevaluate/rebuild-intervals.ts, same state columns).
CREATE TEMP TABLE "migration_varying_clusters" AS
SELECT "cluster_id" FROM "snapshots" GROUP BY "cluster_id" HAVING count(DISTINCT "advisory_ids") > 1;
UPDATE "posture_intervals" pi SET "advisory_ids" = s."advisory_ids"
  FROM "snapshots" s
 WHERE s."id" = pi."snapshot_id" AND cardinality(s."advisory_ids") > 0
   AND pi."cluster_id" NOT IN (SELECT "cluster_id" FROM "migration_varying_clusters");

CREATE TEMP TABLE "migration_pieces" AS
WITH ordered AS (
  SELECT s."id", s."cluster_id", s."captured_at", s."subscription_id", s."owner", s."production", s."engine_enabled",
         s."np01", s."np02", s."np03", s."np04", s."np05", s."np06", s."np07",
         s."controls_passed", s."controls_failed", s."allow_any_count", s."lateral_exposure", s."workload_pods", s."advisory_ids",
         lead(s."captured_at") OVER w AS next_at,
         pi."valid_to" AS opened_valid_to,
         count(pi."id") OVER w AS interval_group
    FROM "snapshots" s
    LEFT JOIN "posture_intervals" pi ON pi."snapshot_id" = s."id"
   WHERE s."cluster_id" IN (SELECT "cluster_id" FROM "migration_varying_clusters")
  WINDOW w AS (PARTITION BY s."cluster_id" ORDER BY s."captured_at", s."id")
),
with_old_end AS (
  SELECT o.*, first_value(o.opened_valid_to) OVER (PARTITION BY o."cluster_id", o.interval_group ORDER BY o."captured_at", o."id") AS old_end
    FROM ordered o
)
SELECT "id", "cluster_id", "captured_at" AS starts, "subscription_id", "owner", "production", "engine_enabled",
       "np01", "np02", "np03", "np04", "np05", "np06", "np07",
       "controls_passed", "controls_failed", "allow_any_count", "lateral_exposure", "workload_pods", "advisory_ids",
       CASE WHEN old_end IS NOT NULL AND (next_at IS NULL OR old_end < next_at) THEN old_end ELSE next_at END AS ends
  FROM with_old_end;

DELETE FROM "posture_intervals" WHERE "cluster_id" IN (SELECT "cluster_id" FROM "migration_varying_clusters");

WITH flagged AS (
  SELECT p.*,
         CASE WHEN lag(p.ends) OVER w IS DISTINCT FROM p.starts
                OR (lag(ROW(p."subscription_id", p."owner", p."production", p."engine_enabled", p."np01", p."np02", p."np03", p."np04", p."np05", p."np06", p."np07",
                            p."controls_passed", p."controls_failed", p."allow_any_count", p."lateral_exposure", p."workload_pods", p."advisory_ids")) OVER w)
                   IS DISTINCT FROM ROW(p."subscription_id", p."owner", p."production", p."engine_enabled", p."np01", p."np02", p."np03", p."np04", p."np05", p."np06", p."np07",
                            p."controls_passed", p."controls_failed", p."allow_any_count", p."lateral_exposure", p."workload_pods", p."advisory_ids")
              THEN 1 ELSE 0 END AS starts_island
    FROM "migration_pieces" p
  WINDOW w AS (PARTITION BY p."cluster_id" ORDER BY p.starts, p."id")
),
islands AS (
  SELECT f.*, sum(f.starts_island) OVER (PARTITION BY f."cluster_id" ORDER BY f.starts, f."id") AS island FROM flagged f
)
INSERT INTO "posture_intervals" ("cluster_id", "snapshot_id", "valid_from", "valid_to", "subscription_id", "owner", "production", "engine_enabled",
                                 "np01", "np02", "np03", "np04", "np05", "np06", "np07",
                                 "controls_passed", "controls_failed", "allow_any_count", "lateral_exposure", "workload_pods", "advisory_ids")
SELECT "cluster_id", (array_agg("id" ORDER BY starts, "id"))[1], min(starts), (array_agg(ends ORDER BY starts DESC, "id" DESC))[1],
       "subscription_id", "owner", "production", "engine_enabled", "np01", "np02", "np03", "np04", "np05", "np06", "np07",
       "controls_passed", "controls_failed", "allow_any_count", "lateral_exposure", "workload_pods", "advisory_ids"
  FROM islands
 GROUP BY "cluster_id", island, "subscription_id", "owner", "production", "engine_enabled", "np01", "np02", "np03", "np04", "np05", "np06", "np07",
          "controls_passed", "controls_failed", "allow_any_count", "lateral_exposure", "workload_pods", "advisory_ids";

-- `runs undo-last` reopens the intervals a run closed by id: for the rebuilt clusters, those are the
-- intervals that end at a journalled run's capture time.
DELETE FROM "run_undo_journal" j
 WHERE j."kind" = 'interval-closed' AND NOT EXISTS (SELECT 1 FROM "posture_intervals" pi WHERE pi."id" = j."ref_id");
INSERT INTO "run_undo_journal" ("run_id", "kind", "ref_id")
SELECT r."id", 'interval-closed', pi."id"
  FROM "collection_runs" r
  JOIN "posture_intervals" pi ON pi."valid_to" = r."captured_at"
 WHERE r."id" IN (SELECT DISTINCT "run_id" FROM "run_undo_journal")
   AND pi."cluster_id" IN (SELECT "cluster_id" FROM "migration_varying_clusters");

DROP TABLE "migration_pieces";
DROP TABLE "migration_varying_clusters";
DROP TABLE "migration_evaluation_advisories";

-- A re-evaluation stopped before this upgrade resumes from the judgements it stored; those carry no
-- advisory ids, so the documents they cover are judged again on resume.
DELETE FROM "reevaluation_results" WHERE "columns" IS NOT NULL AND NOT ("columns" ? 'advisory_ids');
