import "server-only";
import type { PoolClient } from "pg";
import type { Database } from "@/lib/db/client";
import type { PostureConfig } from "@/lib/posture";
import type { PostureSource } from "@/lib/sources/source";
import type { RunProgressEvent } from "./progress";
import { readEstate, type Judge } from "./read-estate";
import { RunCancelledError, trackRunProgress } from "./run-progress";
import {
  acquireRunSlot,
  cancelRunRecord,
  createRunRow,
  findPreviousInCluster,
  finishRun,
  markRunFailed,
  nothingCollected,
  releaseRunSlot,
  type RunCollectionResult,
} from "./run-record";

export type { RunCollectionResult } from "./run-record";

export type { RunProgress } from "./run-progress";

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
  /** The evaluator (default: this version's rules). */
  judge?: Judge;
}

/**
 * One collection run in this process (docs/design.md §2): read and judge everything first, then finish
 * it (write it all, or fail it) in one transaction, so a run that dies half way leaves nothing that
 * KPIs would read. A distributed run has the same start and finish (run-record.ts), with its
 * reading done by workers.
 */
export async function runCollection(db: Database, options: RunCollectionOptions): Promise<RunCollectionResult> {
  const started = Date.now();
  const client = options.heldSlot ?? (await db.pool.connect());
  let runId: number | undefined;
  try {
    // The lock, and no distributed run in progress either (docs/distributed-collection.md).
    if (!options.heldSlot) await acquireRunSlot(client, { wait: options.wait ?? false, signal: options.signal });
    let tracker: ReturnType<typeof trackRunProgress> | undefined;
    try {
      runId = await createRunRow(client, { source: options.source.kind, capturedAt: options.capturedAt, options: options.options ?? {} });
      // Progress for the Runs page, and an admin's cancel request, through the run's row.
      tracker = trackRunProgress(db, runId, options.signal);
      const progress = tracker;

      const reading = await readEstate({
        source: options.source,
        config: options.config,
        concurrency: options.concurrency ?? 8,
        previousInCluster: (key) => findPreviousInCluster(db, key),
        onProgress: (event) => {
          progress.onProgress(event);
          options.onProgress?.(event);
        },
        signal: progress.signal,
        judge: options.judge,
        capturedAt: options.capturedAt,
      });
      if (!nothingCollected(reading)) {
        progress.onProgress({ type: "writing", clusters: reading.clusters.length });
        options.onProgress?.({ type: "writing", clusters: reading.clusters.length });
      }
      const cancelledBy = await progress.settleBeforeWrite();
      if (cancelledBy) throw new RunCancelledError(cancelledBy);
      await client.query("BEGIN");
      let finish;
      try {
        finish = await finishRun(client, runId, options.capturedAt, reading);
        // A cancel that came in while the run wrote still wins: nothing of it is committed.
        const lateCancel = await progress.cancelledInTransaction(client);
        if (lateCancel) throw new RunCancelledError(lateCancel);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      }
      const written = finish.status === "completed" ? finish.written : { clustersSeen: 0, clustersWithInCluster: 0, clustersDeleted: 0, findingsOpened: 0, findingsResolved: 0 };
      return {
        runId,
        status: finish.status,
        capturedAt: options.capturedAt,
        subscriptionsListed: finish.subscriptionsListed,
        subscriptionsFailed: finish.subscriptionsFailed,
        faults: reading.faults,
        durationMs: Date.now() - started,
        ...written,
      };
    } catch (error) {
      const cancelled = error instanceof RunCancelledError ? error : tracker?.signal.reason instanceof RunCancelledError ? (tracker.signal.reason as RunCancelledError) : null;
      if (runId !== undefined && cancelled) await cancelRunRecord(client, runId, cancelled.by);
      else if (runId !== undefined) await markRunFailed(client, runId, error);
      throw cancelled ?? error;
    } finally {
      await tracker?.stop();
      await releaseRunSlot(client).catch(() => {});
    }
  } finally {
    client.release();
  }
}
