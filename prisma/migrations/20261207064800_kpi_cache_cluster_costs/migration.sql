-- Spend at risk (docs/costs.md) reads cluster_costs, so the KPI cache (lib/kpi/kpi-cache.ts) must see a
-- transaction that changes them, like every other table its figures read. Runs write costs in the
-- same transaction as their snapshots today; the trigger keeps the cache right for any writer.
CREATE TRIGGER "kpi_cache_cluster_costs" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "cluster_costs"
  FOR EACH STATEMENT EXECUTE FUNCTION "kpi_cache_note_change"();
