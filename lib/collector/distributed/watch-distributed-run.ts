import type { Database } from "@/lib/db/client";
import { getRunResult, type RunCollectionResult } from "../run-record";

export interface DistributedRunProgress {
  runId: number;
  status: "running" | "completed" | "failed";
  subscriptionsTotal: number;
  subscriptionsDone: number;
  subscriptionsFailed: number;
  clustersTotal: number;
  clustersDone: number;
  /** Faults recorded so far (listing and in-cluster). */
  errors: number;
  /** True while the run's finalizing job is writing it. */
  writing: boolean;
}

/** Where a distributed run stands, from its row and staging rows (one statement). */
export async function getDistributedRunProgress(db: Database, runId: number): Promise<DistributedRunProgress> {
  const { rows } = await db.pool.query<{
    status: DistributedRunProgress["status"];
    subs_total: number;
    subs_done: number;
    subs_failed: number;
    clusters_total: number;
    clusters_done: number;
    errors: number;
  }>(
    `SELECT r.status,
            l.total AS subs_total, l.done AS subs_done, l.failed AS subs_failed,
            c.total AS clusters_total, c.done AS clusters_done, l.errors + c.errors AS errors
       FROM collection_runs r,
            LATERAL (SELECT count(*)::int AS total, count(*) FILTER (WHERE state <> 'pending')::int AS done,
                            count(*) FILTER (WHERE state = 'failed')::int AS failed,
                            COALESCE(sum(jsonb_array_length(faults)), 0)::int AS errors
                       FROM distributed_listings WHERE run_id = r.id) l,
            LATERAL (SELECT count(*)::int AS total, count(*) FILTER (WHERE state <> 'pending')::int AS done,
                            COALESCE(sum(jsonb_array_length(faults)), 0)::int AS errors
                       FROM distributed_clusters WHERE run_id = r.id) c
      WHERE r.id = $1`,
    [runId],
  );
  const row = rows[0];
  if (!row) throw new Error(`run #${runId} does not exist`);
  const writing = row.status === "running" && row.subs_total > 0 && row.subs_done === row.subs_total && row.clusters_done === row.clusters_total;
  return {
    runId,
    status: row.status,
    subscriptionsTotal: row.subs_total,
    subscriptionsDone: row.subs_done,
    subscriptionsFailed: row.subs_failed,
    clustersTotal: row.clusters_total,
    clustersDone: row.clusters_done,
    errors: row.errors,
    writing,
  };
}

/** Polls until the run has completed or failed (workers do the work), reporting progress as it changes. */
export async function waitForDistributedRun(
  db: Database,
  runId: number,
  options: { pollMs?: number; onProgress?: (progress: DistributedRunProgress) => void; signal?: AbortSignal } = {},
): Promise<RunCollectionResult> {
  let last = "";
  for (;;) {
    options.signal?.throwIfAborted();
    const progress = await getDistributedRunProgress(db, runId);
    // A finished run has no staging rows left to count: its result says the rest.
    if (progress.status !== "running") return getRunResult(db, runId);
    const key = JSON.stringify(progress);
    if (key !== last) {
      last = key;
      options.onProgress?.(progress);
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 1_000));
  }
}
