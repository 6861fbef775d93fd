import type { Database } from "@/lib/db/client";
import type { RunFault } from "../progress";
import type { EstateReading } from "../read-estate";
import { describeError } from "../read-estate";
import { assertForwardInTime, failRunningRun, finishRun, lockRunWrites, readRunForFinalize } from "../run-record";
import type { WriteRunResult } from "../write-run";
import { deleteStaging, isRunSettled, loadStagedReading } from "./staging";

export type FinalizeOutcome =
  | { status: "completed"; written: WriteRunResult; faults: number }
  | { status: "failed"; message: string }
  | { status: "not-running" }
  | { status: "not-settled" };

/**
 * Writes a settled distributed run: the same finish step as an in-process run (run-record.ts), from
 * the staged results, under the run lock (two runs never write at once) and the run row's lock (one
 * finalizer wins; a second finds the run completed and does nothing). The staging rows go in the
 * same transaction, so a finalizer that dies leaves the run exactly as it was, to be finalized by
 * the job's retry. Nothing of the run is visible to KPIs before the commit (docs/design.md §7).
 */
export async function finalizeRun(
  db: Database,
  runId: number,
  /** Adds the run's costs to the staged reading (docs/costs.md), as an in-process run reads them after listing. */
  addCosts?: (reading: EstateReading, capturedAt: Date) => Promise<void>,
): Promise<FinalizeOutcome> {
  const client = await db.pool.connect();
  try {
    await client.query("BEGIN");
    try {
      await lockRunWrites(client);
      const run = await readRunForFinalize(client, runId);
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
      await assertForwardInTime(client, run.capturedAt);
      const reading = await loadStagedReading(client, runId);
      await addCosts?.(reading, run.capturedAt);
      const finish = await finishRun(client, runId, run.capturedAt, reading);
      await deleteStaging(client, runId);
      await client.query("COMMIT");
      return finish.status === "completed" ? { status: "completed", written: finish.written, faults: reading.faults.length } : { status: "failed", message: finish.message };
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
      await lockRunWrites(client);
      const failed = await failRunningRun(client, runId, message, faults);
      await deleteStaging(client, runId);
      await client.query("COMMIT");
      return failed;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw new Error(`could not mark run #${runId} failed: ${describeError(error)}`);
    }
  } finally {
    client.release();
  }
}
