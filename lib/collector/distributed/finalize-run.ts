import type { Database } from "@/lib/db/client";
import type { RunFault } from "../progress";
import { describeError } from "../read-estate";
import { assertForwardInTime } from "../run-collection";
import { insertRunErrors, writeRun, type WriteRunResult } from "../write-run";
import { RUN_LOCK_KEY } from "../run-lock";
import { deleteStaging, isRunSettled, loadStagedReading } from "./staging";

export type FinalizeOutcome =
  | { status: "completed"; written: WriteRunResult; faults: number }
  | { status: "failed"; message: string }
  | { status: "not-running" }
  | { status: "not-settled" };

/**
 * Writes a settled distributed run: the same writeRun transaction as an in-process run, from the
 * staged results, under the run lock (two runs never write at once) and the run row's lock (one
 * finalizer wins; a second finds the run completed and does nothing). The staging rows go in the
 * same transaction, so a finalizer that dies leaves the run exactly as it was, to be finalized by
 * the job's retry. Nothing of the run is visible to KPIs before the commit (DESIGN.md §7).
 */
export async function finalizeRun(db: Database, runId: number): Promise<FinalizeOutcome> {
  const client = await db.pool.connect();
  try {
    await client.query("BEGIN");
    try {
      await client.query("SELECT pg_advisory_xact_lock($1)", [RUN_LOCK_KEY]);
      const { rows } = await client.query<{ status: string; captured_at: Date }>(
        `SELECT status, captured_at FROM collection_runs WHERE id = $1 FOR UPDATE`,
        [runId],
      );
      const run = rows[0];
      if (!run || run.status !== "running") {
        await deleteStaging(client, runId);
        await client.query("COMMIT");
        return { status: "not-running" };
      }
      if (!(await isRunSettled(client, runId))) {
        await client.query("ROLLBACK");
        return { status: "not-settled" };
      }
      // The run slot kept every other run out since this one started; this is the belt to those braces.
      await assertForwardInTime(client, run.captured_at);
      const reading = await loadStagedReading(client, runId);
      const listed = reading.subscriptions.filter((s) => s.listed).length;
      const failedSubscriptions = reading.subscriptions.length - listed;
      let outcome: FinalizeOutcome;
      if (reading.clusters.length === 0 && listed === 0) {
        const message = `Nothing could be collected: ${reading.faults[0]?.message ?? "the source listed no subscriptions"}`;
        await client.query(
          `UPDATE collection_runs SET status = 'failed', finished_at = now(), error_count = $2, failure_message = $3,
                  subscriptions_failed = $4 WHERE id = $1`,
          [runId, reading.faults.length, message, failedSubscriptions],
        );
        await insertRunErrors(client, runId, reading.faults);
        outcome = { status: "failed", message };
      } else {
        const written = await writeRun(client, runId, run.captured_at, reading);
        await client.query(
          `UPDATE collection_runs SET status = 'completed', finished_at = now(), subscriptions_listed = $2,
                  subscriptions_failed = $3, clusters_seen = $4, clusters_with_in_cluster = $5, clusters_deleted = $6,
                  error_count = $7 WHERE id = $1`,
          [runId, listed, failedSubscriptions, written.clustersSeen, written.clustersWithInCluster, written.clustersDeleted, reading.faults.length],
        );
        outcome = { status: "completed", written, faults: reading.faults.length };
      }
      await deleteStaging(client, runId);
      await client.query("COMMIT");
      return outcome;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    }
  } finally {
    client.release();
  }
}

/**
 * A run that cannot be finalized (its finalizing job exhausted its retries) or cannot start:
 * failed, with its cause and faults, its staging rows removed. Under the run lock, so it never
 * races a finalizer that is still writing.
 */
export async function failDistributedRun(db: Database, runId: number, message: string, faults: RunFault[] = []): Promise<boolean> {
  const client = await db.pool.connect();
  try {
    await client.query("BEGIN");
    try {
      await client.query("SELECT pg_advisory_xact_lock($1)", [RUN_LOCK_KEY]);
      const { rowCount } = await client.query(
        `UPDATE collection_runs SET status = 'failed', finished_at = now(), failure_message = $2, error_count = $3
          WHERE id = $1 AND status = 'running'`,
        [runId, message.slice(0, 2000), faults.length],
      );
      if (rowCount === 1) await insertRunErrors(client, runId, faults);
      await deleteStaging(client, runId);
      await client.query("COMMIT");
      return rowCount === 1;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw new Error(`could not mark run #${runId} failed: ${describeError(error)}`);
    }
  } finally {
    client.release();
  }
}
