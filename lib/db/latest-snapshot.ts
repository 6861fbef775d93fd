// A cluster's latest snapshot, and when it was last seen, are read from `snapshots` by its
// (cluster_id, captured_at) index instead of being kept on the cluster row: a run then writes only
// the cluster rows whose own fields changed (issue 20), and undoing a run, which deletes its
// snapshots, gives every reader the previous latest snapshot without restoring anything.
// Runs are written forward in time and one at a time (run-record.ts), so the latest capture time,
// then the highest id, is the snapshot the latest completed run wrote for the cluster.

/**
 * `JOIN LATERAL (…) alias ON true`: the latest snapshot (every column) of the cluster whose row
 * is `cluster` (an alias of `clusters`). `left` keeps clusters without any snapshot, with nulls.
 * Most clusters were seen by the latest completed run: their snapshot is found through the
 * (run_id, cluster_id) index, where the run's snapshots sit side by side; only the others (a
 * subscription that failed to list, a deleted cluster) walk their own history backwards, which
 * reads a leaf of the (cluster_id, captured_at) index per cluster. The Append under the LIMIT
 * runs the second branch only when the first found nothing. Aliases come from our own code.
 */
export function latestSnapshotJoin(cluster: string, alias: string, options: { left?: boolean } = {}): string {
  return `${options.left ? "LEFT " : ""}JOIN LATERAL (
      (SELECT latest.* FROM snapshots latest
        WHERE latest.run_id = (SELECT r.id FROM collection_runs r WHERE r.status = 'completed' ORDER BY r.captured_at DESC, r.id DESC LIMIT 1)
          AND latest.cluster_id = ${cluster}.id)
      UNION ALL
      (SELECT latest.* FROM snapshots latest
        WHERE latest.cluster_id = ${cluster}.id
        ORDER BY latest.captured_at DESC, latest.id DESC
        LIMIT 1)
      LIMIT 1) ${alias} ON true`;
}
