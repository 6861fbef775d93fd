-- pg-boss 12 cannot migrate the schema pg-boss 10 installed (its schema version 24; pg-boss 12
-- migrates from 25, pg-boss 11's first). The queue holds only the jobs of distributed runs in
-- flight, so the old schema is dropped and pg-boss 12 installs its own on the next worker or
-- coordinator start (docs/distributed-collection.md, "Upgrading"). A distributed run still running
-- loses its queued jobs with it: it is failed now, with the reason, and its staging rows removed,
-- rather than holding the run slot until its deadline.
DO $$
DECLARE
  queue_version int;
BEGIN
  IF to_regclass('bulkhead_queue.version') IS NULL THEN
    RETURN;
  END IF;
  -- Dynamic: the table may not exist, and a static reference would fail when the block is planned.
  EXECUTE 'SELECT max(version) FROM bulkhead_queue.version' INTO queue_version;
  IF queue_version < 25 THEN
    UPDATE collection_runs
       SET status = 'failed', finished_at = now(),
           failure_message = 'abandoned by the upgrade to pg-boss 12: the jobs of this distributed run were in the old queue, which the upgrade removed; start the run again'
     WHERE status = 'running' AND distributed_plan IS NOT NULL;
    DELETE FROM distributed_clusters WHERE run_id NOT IN (SELECT id FROM collection_runs WHERE status = 'running');
    DELETE FROM distributed_listings WHERE run_id NOT IN (SELECT id FROM collection_runs WHERE status = 'running');
    DROP SCHEMA bulkhead_queue CASCADE;
  END IF;
END
$$;
