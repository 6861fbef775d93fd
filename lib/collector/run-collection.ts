import "server-only";
import type { PoolClient } from "pg";
import type { Database } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { InClusterData, PostureConfig } from "@/lib/posture";
import type { PostureSource } from "@/lib/sources/source";
import type { RunFault, RunProgressEvent } from "./progress";
import { readEstate, type PreviousInClusterLookup } from "./read-estate";
import { assertCaptureTimeNotAhead } from "./capture-time";
import { abandonDeadRuns, acquireRunSlot } from "./distributed/run-slot";
import { markRunFailed, releaseRunLock } from "./run-lock";
import { insertRunErrors, writeRun, type WriteRunResult } from "./write-run";

export interface RunCollectionOptions {
  source: PostureSource;
  capturedAt: Date;
  config: PostureConfig;
  concurrency?: number;
  /** Wait for a run in progress instead of failing with a `busy` error. */
  wait?: boolean;
  onProgress?: (event: RunProgressEvent) => void;
  /** Stored on the run, for the Runs page (never credentials). */
  options?: Record<string, unknown>;
  signal?: AbortSignal;
  /** A connection that already holds the run slot (see `claimRunSlotNow`); the run releases it. */
  heldSlot?: PoolClient;
}

export interface RunCollectionResult extends WriteRunResult {
  runId: number;
  status: "completed" | "failed";
  capturedAt: Date;
  subscriptionsListed: number;
  subscriptionsFailed: number;
  faults: RunFault[];
  durationMs: number;
}

/**
 * One collection run (DESIGN.md §2): read and judge everything first, then write it all in one
 * transaction, so a run that dies half way leaves nothing that KPIs would read.
 */
export async function runCollection(db: Database, options: RunCollectionOptions): Promise<RunCollectionResult> {
  const started = Date.now();
  const client = options.heldSlot ?? (await db.pool.connect());
  let runId: number | undefined;
  try {
    // The lock, and no distributed run in progress either (docs/distributed-collection.md).
    if (!options.heldSlot) await acquireRunSlot(client, { wait: options.wait ?? false, signal: options.signal });
    try {
      runId = await createRunRow(client, { source: options.source.kind, capturedAt: options.capturedAt, options: options.options ?? {} });

      const reading = await readEstate({
        source: options.source,
        config: options.config,
        concurrency: options.concurrency ?? 8,
        previousInCluster: (key) => findPreviousInCluster(db, key),
        onProgress: options.onProgress,
        signal: options.signal,
      });
      const listed = reading.subscriptions.filter((s) => s.listed).length;
      const failedSubscriptions = reading.subscriptions.length - listed;
      if (reading.clusters.length === 0 && listed === 0) {
        const message = reading.faults[0]?.message ?? "the source listed no subscriptions";
        await client.query(
          `UPDATE collection_runs SET status = 'failed', finished_at = now(), error_count = $2, failure_message = $3,
                  subscriptions_failed = $4 WHERE id = $1`,
          [runId, reading.faults.length, `Nothing could be collected: ${message}`, failedSubscriptions],
        );
        await insertRunErrors(client, runId, reading.faults);
        return { runId, status: "failed", capturedAt: options.capturedAt, subscriptionsListed: 0, subscriptionsFailed: failedSubscriptions, faults: reading.faults, durationMs: Date.now() - started, clustersSeen: 0, clustersWithInCluster: 0, clustersDeleted: 0, findingsOpened: 0, findingsResolved: 0 };
      }

      options.onProgress?.({ type: "writing", clusters: reading.clusters.length });
      await client.query("BEGIN");
      let written: WriteRunResult;
      try {
        written = await writeRun(client, runId, options.capturedAt, reading);
        await client.query(
          `UPDATE collection_runs SET status = 'completed', finished_at = now(), subscriptions_listed = $2,
                  subscriptions_failed = $3, clusters_seen = $4, clusters_with_in_cluster = $5, clusters_deleted = $6,
                  error_count = $7 WHERE id = $1`,
          [runId, listed, failedSubscriptions, written.clustersSeen, written.clustersWithInCluster, written.clustersDeleted, reading.faults.length],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      }
      return {
        runId,
        status: "completed",
        capturedAt: options.capturedAt,
        subscriptionsListed: listed,
        subscriptionsFailed: failedSubscriptions,
        faults: reading.faults,
        durationMs: Date.now() - started,
        ...written,
      };
    } catch (error) {
      if (runId !== undefined) await markRunFailed(client, runId, error);
      throw error;
    } finally {
      await releaseRunLock(client).catch(() => {});
    }
  } finally {
    client.release();
  }
}

/**
 * A run's start, under the run slot, for in-process and distributed runs alike: runs that died are
 * marked failed, the capture time is checked to move forward, and the run row is created.
 */
export async function createRunRow(
  client: import("pg").ClientBase,
  run: { source: string; capturedAt: Date; options: Record<string, unknown>; distributedPlan?: unknown },
): Promise<number> {
  await abandonDeadRuns(client);
  assertCaptureTimeNotAhead(run.capturedAt);
  await assertForwardInTime(client, run.capturedAt);
  const { rows } = await client.query<{ id: number }>(
    `INSERT INTO collection_runs (source, status, captured_at, options, distributed_plan) VALUES ($1, 'running', $2, $3, $4) RETURNING id`,
    [run.source, run.capturedAt, JSON.stringify(run.options), run.distributedPlan === undefined ? null : JSON.stringify(run.distributedPlan)],
  );
  return rows[0].id;
}

/** History is recorded forward: carry-forward, intervals and findings assume capture order. */
export async function assertForwardInTime(client: import("pg").ClientBase, capturedAt: Date): Promise<void> {
  const { rows } = await client.query<{ latest: Date | null }>(
    `SELECT max(captured_at) AS latest FROM collection_runs WHERE status = 'completed'`,
  );
  const latest = rows[0].latest;
  if (latest && capturedAt.getTime() < latest.getTime()) {
    throw new AppError(
      "bad-request",
      `The capture time ${capturedAt.toISOString()} is before the latest completed run (${latest.toISOString()}); Bulkhead records history forward in time, so import older exports first.`,
    );
  }
}

/** The last good in-cluster objects of a cluster from completed runs (what a failed read carries forward). */
export const findPreviousInCluster = async (db: Database, key: string): ReturnType<PreviousInClusterLookup> => {
  const { rows } = await db.pool.query<{ body: InClusterData; captured_at: Date }>(
    `SELECT d.body, COALESCE(s.in_cluster_captured_at, s.captured_at) AS captured_at
       FROM snapshots s
       JOIN clusters c ON c.id = s.cluster_id
       JOIN collection_runs r ON r.id = s.run_id AND r.status = 'completed'
       JOIN raw_documents d ON d.hash = s.in_cluster_doc_hash
      WHERE c.key = $1
      ORDER BY s.captured_at DESC
      LIMIT 1`,
    [key],
  );
  return rows[0] ? { data: rows[0].body, capturedAt: rows[0].captured_at } : null;
};
