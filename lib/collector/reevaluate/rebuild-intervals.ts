import type pg from "pg";
import { STATE_COLUMNS } from "../write-run";

/**
 * Posture intervals rebuilt from the snapshots of the clusters in `reeval_clusters` (docs/design.md
 * §3): what a run advances one snapshot at a time (write-run.ts), computed over the whole history at
 * once. Each snapshot stands from its capture to the next snapshot of its cluster — or, where the old
 * intervals say the cluster was deleted in between, to that deletion — and consecutive stretches
 * with the same KPI state (STATE_COLUMNS) make one interval. Deletions are not judged by rules, so
 * the old intervals are the record of them: an old interval that ends before the next snapshot of
 * its cluster ended in a deletion. Inside the caller's transaction; returns the intervals written.
 */
export async function rebuildIntervals(client: pg.ClientBase): Promise<number> {
  const state = STATE_COLUMNS.join(", ");
  const stateOf = (alias: string) => STATE_COLUMNS.map((column) => `${alias}.${column}`).join(", ");
  // Each snapshot, its successor's capture time, and the end of the old interval it belongs to: the
  // interval opened by the latest snapshot at or before it that opened one.
  await client.query(`
    CREATE TEMP TABLE reeval_pieces ON COMMIT DROP AS
    WITH ordered AS (
      SELECT s.id, s.cluster_id, s.captured_at, ${stateOf("s")},
             lead(s.captured_at) OVER w AS next_at,
             pi.id AS opened_interval, pi.valid_to AS opened_valid_to,
             count(pi.id) OVER w AS interval_group
        FROM snapshots s
        JOIN reeval_clusters rc ON rc.cluster_id = s.cluster_id
        LEFT JOIN posture_intervals pi ON pi.snapshot_id = s.id
      WINDOW w AS (PARTITION BY s.cluster_id ORDER BY s.captured_at, s.id)
    ),
    with_old_end AS (
      SELECT o.*, first_value(o.opened_valid_to) OVER (PARTITION BY o.cluster_id, o.interval_group ORDER BY o.captured_at, o.id) AS old_end
        FROM ordered o
    )
    SELECT id, cluster_id, captured_at AS starts, ${state},
           CASE WHEN old_end IS NOT NULL AND (next_at IS NULL OR old_end < next_at) THEN old_end ELSE next_at END AS ends
      FROM with_old_end`);
  await client.query(`DELETE FROM posture_intervals WHERE cluster_id IN (SELECT cluster_id FROM reeval_clusters)`);
  const inserted = await client.query(`
    WITH flagged AS (
      SELECT p.*,
             CASE WHEN lag(p.ends) OVER w IS DISTINCT FROM p.starts OR (lag(ROW(${stateOf("p")})) OVER w) IS DISTINCT FROM ROW(${stateOf("p")})
                  THEN 1 ELSE 0 END AS starts_island
        FROM reeval_pieces p
      WINDOW w AS (PARTITION BY p.cluster_id ORDER BY p.starts, p.id)
    ),
    islands AS (
      SELECT f.*, sum(f.starts_island) OVER (PARTITION BY f.cluster_id ORDER BY f.starts, f.id) AS island FROM flagged f
    )
    INSERT INTO posture_intervals (cluster_id, snapshot_id, valid_from, valid_to, ${state})
    SELECT cluster_id, (array_agg(id ORDER BY starts, id))[1], min(starts), (array_agg(ends ORDER BY starts DESC, id DESC))[1], ${state}
      FROM islands
     GROUP BY cluster_id, island, ${state}`);
  return inserted.rowCount ?? 0;
}
