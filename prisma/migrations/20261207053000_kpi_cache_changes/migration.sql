-- What the KPI cache (lib/kpi/kpi-cache.ts) checks its entries against (issue 20). Every transaction
-- that changes what the KPIs, trends or the Overview read leaves its transaction id here, once; a
-- cached figure computed under database snapshot S stays valid while no committed transaction is
-- listed that S did not see. One row per transaction, keyed by its id: writers never wait on each
-- other for it, and a transaction that rolls back leaves nothing. Kept out of schema.prisma (xid8
-- has no Prisma type): nothing but the cache reads it, and it prunes what no entry can need.
CREATE TABLE "kpi_cache_changes" (
    "xid" xid8 NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "kpi_cache_changes_pkey" PRIMARY KEY ("xid")
);

CREATE FUNCTION "kpi_cache_note_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "kpi_cache_changes" ("xid") VALUES (pg_current_xact_id()) ON CONFLICT ("xid") DO NOTHING;
  RETURN NULL;
END;
$$;

-- Once per statement on the tables those figures read (a run writes each a few times).
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['snapshots', 'posture_intervals', 'findings', 'waivers', 'clusters', 'subscriptions', 'evaluations'] LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION "kpi_cache_note_change"()', 'kpi_cache_' || t, t);
  END LOOP;
END;
$$;

-- Runs: the Overview reads completed and failed runs. A running run's progress updates (every few
-- seconds) change nothing it shows, so only rows that are or were not running count.
CREATE FUNCTION "kpi_cache_note_run_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' AND NEW."status" = 'running' THEN RETURN NULL; END IF;
  IF TG_OP = 'UPDATE' AND OLD."status" = 'running' AND NEW."status" = 'running' THEN RETURN NULL; END IF;
  INSERT INTO "kpi_cache_changes" ("xid") VALUES (pg_current_xact_id()) ON CONFLICT ("xid") DO NOTHING;
  RETURN NULL;
END;
$$;
CREATE TRIGGER "kpi_cache_collection_runs" AFTER INSERT OR UPDATE OR DELETE ON "collection_runs"
  FOR EACH ROW EXECUTE FUNCTION "kpi_cache_note_run_change"();
CREATE TRIGGER "kpi_cache_collection_runs_truncate" AFTER TRUNCATE ON "collection_runs"
  FOR EACH STATEMENT EXECUTE FUNCTION "kpi_cache_note_change"();
