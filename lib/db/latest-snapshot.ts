// A cluster's latest snapshot, and when it was last seen, are read from `snapshots` by its
// (cluster_id, captured_at) index instead of being kept on the cluster row: a run then writes only
// the cluster rows whose own fields changed (issue 20), and undoing a run, which deletes its
// snapshots, gives every reader the previous latest snapshot without restoring anything.
// Runs are written forward in time and one at a time (run-record.ts), so the latest capture time,
// then the highest id, is the snapshot the latest completed run wrote for the cluster.

/**
 * `JOIN LATERAL (…) alias ON true`: the latest snapshot (every column) of the cluster whose row
 * is `cluster` (an alias of `clusters`). `left` keeps clusters without any snapshot, with nulls.
 * Aliases come from our own code, never from input.
 */
export function latestSnapshotJoin(cluster: string, alias: string, options: { left?: boolean } = {}): string {
  return `${options.left ? "LEFT " : ""}JOIN LATERAL (
      SELECT latest.* FROM snapshots latest
       WHERE latest.cluster_id = ${cluster}.id
       ORDER BY latest.captured_at DESC, latest.id DESC
       LIMIT 1) ${alias} ON true`;
}
