-- At most one open finding per (cluster, control): a reopen is a new episode (DESIGN.md §3).
CREATE UNIQUE INDEX "findings_one_open_per_control" ON "findings" ("cluster_id", "control_id") WHERE "resolved_at" IS NULL;

-- At most one open posture interval per cluster; the collector closes the old one first.
CREATE UNIQUE INDEX "posture_intervals_one_open_per_cluster" ON "posture_intervals" ("cluster_id") WHERE "valid_to" IS NULL;

-- The audit trail is append-only: who did what and when must never be rewritten.
CREATE FUNCTION "finding_events_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'finding_events is append-only (% refused)', TG_OP;
END;
$$;

CREATE TRIGGER "finding_events_no_update_or_delete"
  BEFORE UPDATE OR DELETE ON "finding_events"
  FOR EACH ROW EXECUTE FUNCTION "finding_events_append_only"();
