import "server-only";
import type pg from "pg";
import type { Database } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { notifyOverdueFindings, recordExpiredWaivers } from "@/lib/findings/finding-lifecycle";
import { logger } from "@/lib/logger";
import type { InClusterData } from "@/lib/posture";
import type { FaultCause } from "@/lib/sources/source";
import type { RunErrorScope, RunFault } from "./progress";
import { assertCaptureTimeNotAhead } from "./capture-time";
import { describeError, type EstateReading, type PreviousInClusterLookup } from "./read-estate";
import { insertRunErrors, writeRun, type WriteRunResult } from "./write-run";
import { RUN_LOCK_KEY } from "./run-lock-key";

// The run record: a collection run's row in `collection_runs`, from its start to its end, for both
// runners of a run (in-process, runCollection; distributed, the coordinator and its workers). Every
// statement about the row lives here: the run slot, the start checks, completing and failing it,
// and what happens after it. (Staging queries that read the row's status in the same statement as
// their own rows stay with the staging, in distributed/staging.ts.)

/** What a finished run reports, in-process or rebuilt from the store. */
export interface RunCollectionResult extends WriteRunResult {
  runId: number;
  status: "completed" | "failed";
  capturedAt: Date;
  subscriptionsListed: number;
  subscriptionsFailed: number;
  faults: RunFault[];
  durationMs: number;
}

// ---- The run slot ------------------------------------------------------------------------------
// One run at a time, and two runs never write at once (docs/design.md §7; docs/distributed-collection.md).
// An in-process run holds the advisory run lock for its whole life. A distributed run cannot (its
// coordinator may exit, its writer is whichever worker finishes last), so its row holds the slot:
// status `running` with a deadline in the future. Everyone who starts a run takes the lock and then
// also respects such a row; the distributed finalizer writes under the same lock.

export { RUN_LOCK_KEY };

const LIVE_DISTRIBUTED_RUN = `status = 'running' AND deadline_at IS NOT NULL AND deadline_at > now()`;
const SLOT_POLL_MS = 2_000;

export interface LiveDistributedRun {
  id: number;
  source: string;
  startedAt: Date;
  deadlineAt: Date;
}

/**
 * Takes the run lock on `client` for the client's session. With `wait: false` a held lock is a
 * clear `busy` error naming the run that holds it.
 */
async function acquireRunLock(client: pg.ClientBase, options: { wait: boolean }): Promise<void> {
  if (options.wait) {
    await client.query("SELECT pg_advisory_lock($1)", [RUN_LOCK_KEY]);
    return;
  }
  const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [RUN_LOCK_KEY]);
  if (rows[0].locked) return;
  const running = await client.query<{ id: number; source: string; started_at: Date }>(
    "SELECT id, source, started_at FROM collection_runs WHERE status = 'running' ORDER BY id DESC LIMIT 1",
  );
  const holder = running.rows[0];
  throw new AppError(
    "busy",
    holder
      ? `Another collection run (#${holder.id}, ${holder.source}, started ${holder.started_at.toISOString()}) is in progress; try again when it has finished, or pass --wait.`
      : "Another collection run is in progress; try again when it has finished, or pass --wait.",
  );
}

export async function findLiveDistributedRun(client: pg.ClientBase): Promise<LiveDistributedRun | null> {
  const { rows } = await client.query<{ id: number; source: string; started_at: Date; deadline_at: Date }>(
    `SELECT id, source, started_at, deadline_at FROM collection_runs WHERE ${LIVE_DISTRIBUTED_RUN} ORDER BY id DESC LIMIT 1`,
  );
  const row = rows[0];
  return row ? { id: row.id, source: row.source, startedAt: row.started_at, deadlineAt: row.deadline_at } : null;
}

/**
 * Takes the run lock on `client` (session level) with no distributed run in progress. With
 * `wait: false` either is a `busy` error naming the run; with `wait: true` it waits for both.
 */
export async function acquireRunSlot(client: pg.ClientBase, options: { wait: boolean; pollMs?: number; signal?: AbortSignal }): Promise<void> {
  for (;;) {
    await acquireRunLock(client, { wait: options.wait });
    const live = await findLiveDistributedRun(client);
    if (!live) return;
    await releaseRunSlot(client);
    if (!options.wait) {
      throw new AppError(
        "busy",
        `Another collection run (#${live.id}, ${live.source}, distributed, started ${live.startedAt.toISOString()}) is in progress; try again when it has finished, or pass --wait.`,
      );
    }
    options.signal?.throwIfAborted();
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? SLOT_POLL_MS));
  }
}

export async function releaseRunSlot(client: pg.ClientBase): Promise<void> {
  await client.query("SELECT pg_advisory_unlock($1)", [RUN_LOCK_KEY]);
}

/** The run lock for the caller's transaction: a distributed run's finalizer writes under it. */
export async function lockRunWrites(client: pg.ClientBase): Promise<void> {
  await client.query("SELECT pg_advisory_xact_lock($1)", [RUN_LOCK_KEY]);
}

/**
 * Under the run lock no in-process run is alive: a run still marked running died with its process,
 * unless it is a distributed run before its deadline. Staging rows of abandoned runs go with them.
 */
export async function abandonDeadRuns(client: pg.ClientBase): Promise<number[]> {
  const { rows } = await client.query<{ id: number }>(
    `WITH abandoned AS (
       UPDATE collection_runs SET status = 'failed', finished_at = now(),
              failure_message = CASE WHEN deadline_at IS NULL
                THEN 'The run stopped before it completed (its process ended); nothing of it was kept.'
                ELSE 'The distributed run did not complete before its deadline (' || to_char(deadline_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || '); nothing of it was kept.'
              END
        WHERE status = 'running' AND NOT (${LIVE_DISTRIBUTED_RUN})
        RETURNING id),
     listings AS (DELETE FROM distributed_listings WHERE run_id IN (SELECT id FROM abandoned)),
     clusters AS (DELETE FROM distributed_clusters WHERE run_id IN (SELECT id FROM abandoned))
     SELECT id FROM abandoned`,
  );
  return rows.map((row) => row.id);
}

/**
 * The lock is the truth: an in-process run holds the run lock for its whole life, so one still
 * marked running while no session holds the lock died with its process (a killed CLI). It is
 * marked failed the moment anyone asks; distributed runs past their queueing hold the slot by
 * their deadline instead and are left to `abandonDeadRuns`.
 */
export async function failRunsWithoutLockHolder(db: pg.Pool | pg.ClientBase): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    `UPDATE collection_runs SET status = 'failed', finished_at = now(),
            failure_message = 'The run stopped before it completed (its process ended); nothing of it was kept.'
      WHERE status = 'running' AND deadline_at IS NULL
        AND NOT EXISTS (
          SELECT 1 FROM pg_locks l
           WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
             AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
             AND l.classid = ($1::int8 >> 32)::oid AND l.objid = ($1::int8 & 4294967295)::oid)
      RETURNING id`,
    [RUN_LOCK_KEY],
  );
  return rows.map((row) => row.id);
}

// ---- Start -------------------------------------------------------------------------------------

/**
 * A run's start, under the run slot, for in-process and distributed runs alike: runs that died are
 * marked failed, the capture time is checked to move forward, and the run row is created.
 */
export async function createRunRow(
  client: pg.ClientBase,
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
export async function assertForwardInTime(client: pg.ClientBase, capturedAt: Date): Promise<void> {
  const { rows } = await client.query<{ latest: Date | null }>(`SELECT max(captured_at) AS latest FROM collection_runs WHERE status = 'completed'`);
  const latest = rows[0].latest;
  if (latest && capturedAt.getTime() < latest.getTime()) {
    throw new AppError(
      "bad-request",
      `The capture time ${capturedAt.toISOString()} is before the latest completed run (${latest.toISOString()}); Bulkhead records history forward in time, so import older exports first.`,
    );
  }
}

/** A distributed run holds the run slot from here until `deadlineMs` from now. */
export async function setRunDeadline(client: pg.ClientBase, runId: number, deadlineMs: number): Promise<void> {
  await client.query(`UPDATE collection_runs SET deadline_at = now() + $2 * interval '1 millisecond' WHERE id = $1`, [runId, deadlineMs]);
}

// ---- The end -----------------------------------------------------------------------------------

export type RunFinish =
  | { status: "completed"; written: WriteRunResult; subscriptionsListed: number; subscriptionsFailed: number }
  | { status: "failed"; message: string; subscriptionsListed: 0; subscriptionsFailed: number };

/** True when a reading has nothing to write: no cluster, and no subscription listed (an empty listing counts). */
export function nothingCollected(reading: EstateReading): boolean {
  return reading.clusters.length === 0 && !reading.subscriptions.some((subscription) => subscription.listed);
}

export function nothingCollectedMessage(faults: RunFault[]): string {
  return `Nothing could be collected: ${faults[0]?.message ?? "the source listed no subscriptions"}`;
}

/**
 * The finish step of every run, inside the caller's transaction: a reading with nothing in it fails
 * the run with its faults; any other is written (snapshots, intervals, deletions, findings) and the
 * run completed with its counts. Nothing of the run is visible to KPIs until the caller commits.
 */
export async function finishRun(client: pg.ClientBase, runId: number, capturedAt: Date, reading: EstateReading): Promise<RunFinish> {
  const listed = reading.subscriptions.filter((subscription) => subscription.listed).length;
  const failedSubscriptions = reading.subscriptions.length - listed;
  if (nothingCollected(reading)) {
    const message = nothingCollectedMessage(reading.faults);
    await failRun(client, runId, { message, faults: reading.faults, subscriptionsFailed: failedSubscriptions });
    return { status: "failed", message, subscriptionsListed: 0, subscriptionsFailed: failedSubscriptions };
  }
  const written = await writeRun(client, runId, capturedAt, reading);
  await client.query(
    `UPDATE collection_runs SET status = 'completed', finished_at = now(), subscriptions_listed = $2,
            subscriptions_failed = $3, clusters_seen = $4, clusters_with_in_cluster = $5, clusters_deleted = $6,
            error_count = $7 WHERE id = $1`,
    [runId, listed, failedSubscriptions, written.clustersSeen, written.clustersWithInCluster, written.clustersDeleted, reading.faults.length],
  );
  return { status: "completed", written, subscriptionsListed: listed, subscriptionsFailed: failedSubscriptions };
}

/** A run that ends without anything to write: failed, with its cause and the faults behind it. */
export async function failRun(client: pg.ClientBase, runId: number, failure: { message: string; faults: RunFault[]; subscriptionsFailed?: number }): Promise<void> {
  await client.query(
    `UPDATE collection_runs SET status = 'failed', finished_at = now(), error_count = $2, failure_message = $3,
            subscriptions_failed = $4 WHERE id = $1`,
    [runId, failure.faults.length, failure.message.slice(0, 2000), failure.subscriptionsFailed ?? 0],
  );
  await insertRunErrors(client, runId, failure.faults);
}

/** Fails a run that is still running (a distributed run whose finalizer gave up); false when it was not. */
export async function failRunningRun(client: pg.ClientBase, runId: number, message: string, faults: RunFault[]): Promise<boolean> {
  const { rowCount } = await client.query(
    `UPDATE collection_runs SET status = 'failed', finished_at = now(), failure_message = $2, error_count = $3
      WHERE id = $1 AND status = 'running'`,
    [runId, message.slice(0, 2000), faults.length],
  );
  if (rowCount === 1) await insertRunErrors(client, runId, faults);
  return rowCount === 1;
}

/**
 * Records that a run died on `error` (its message, bounded: errors can quote remote answers). Never
 * throws: it runs on the way out of a failure that matters more. `onlyWithoutDeadline` leaves a
 * distributed run alone once its workers own it (its deadline is set when its jobs are queued).
 */
export async function markRunFailed(client: pg.ClientBase, runId: number, error: unknown, options: { onlyWithoutDeadline?: boolean } = {}): Promise<void> {
  const message = describeError(error).slice(0, 2000);
  await client
    .query(
      `UPDATE collection_runs SET status = 'failed', finished_at = now(), failure_message = $2
        WHERE id = $1${options.onlyWithoutDeadline ? " AND deadline_at IS NULL" : ""}`,
      [runId, message],
    )
    .catch(() => {});
}

/** A run an admin stopped: `cancelled`, its progress cleared; its reading was never written. Never throws. */
export async function cancelRunRecord(client: pg.ClientBase, runId: number, by: string): Promise<void> {
  await client
    .query(
      `UPDATE collection_runs SET status = 'cancelled', finished_at = now(),
              failure_message = 'Cancelled by ' || $2 || ' before it wrote anything; nothing of it was kept.'
        WHERE id = $1 AND status = 'running'`,
      [runId, by],
    )
    .catch(() => {});
}

/**
 * An admin's "Cancel" on a running run. An in-process run (web server, CLI, schedule) sees the
 * request on its row within a second, stops reading and ends as `cancelled` without writing, and
 * releases the run slot. A distributed run is ended here: its row says `cancelled`, its staging
 * goes, and its workers drop its jobs (they only work for a running run).
 */
export async function requestRunCancel(db: Database, runId: number, actor: string): Promise<{ id: number; status: "cancelling" | "cancelled" }> {
  const client = await db.pool.connect();
  try {
    await client.query("BEGIN");
    const { rows } = await client.query<{ status: string; deadline_at: Date | null; cancel_requested_at: Date | null }>(
      `SELECT status, deadline_at, cancel_requested_at FROM collection_runs WHERE id = $1 FOR UPDATE`,
      [runId],
    );
    const run = rows[0];
    if (!run) throw new AppError("not-found", `run ${runId} does not exist`);
    if (run.status !== "running") throw new AppError("conflict", `Run #${runId} is ${run.status}, not running: there is nothing to cancel.`);
    if (run.deadline_at) {
      await client.query(
        `UPDATE collection_runs SET status = 'cancelled', finished_at = now(), cancel_requested_at = now(), cancel_requested_by = $2,
                failure_message = 'Cancelled by ' || $2 || ' before it wrote anything; nothing of it was kept.' WHERE id = $1`,
        [runId, actor],
      );
      await client.query(`DELETE FROM distributed_listings WHERE run_id = $1`, [runId]);
      await client.query(`DELETE FROM distributed_clusters WHERE run_id = $1`, [runId]);
      await client.query("COMMIT");
      return { id: runId, status: "cancelled" };
    }
    if (!run.cancel_requested_at) {
      await client.query(`UPDATE collection_runs SET cancel_requested_at = now(), cancel_requested_by = $2 WHERE id = $1`, [runId, actor]);
    }
    await client.query("COMMIT");
    return { id: runId, status: "cancelling" };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Housekeeping after a completed run: expired waivers enter the audit trail (their findings are
 * back in the KPIs), findings past their due date are announced. Never fails the run.
 */
export async function afterRun(db: Database, now: Date = new Date()): Promise<void> {
  try {
    await recordExpiredWaivers(db, now);
    await notifyOverdueFindings(db, now);
  } catch (error) {
    logger.warn({ err: error }, "after-run housekeeping failed");
  }
}

// ---- Reads of the record -----------------------------------------------------------------------

/** A distributed run's row for its finalizer, locked against a second finalizer; null when it is gone. */
export async function readRunForFinalize(client: pg.ClientBase, runId: number): Promise<{ status: string; capturedAt: Date } | null> {
  const { rows } = await client.query<{ status: string; captured_at: Date }>(`SELECT status, captured_at FROM collection_runs WHERE id = $1 FOR UPDATE`, [runId]);
  return rows[0] ? { status: rows[0].status, capturedAt: rows[0].captured_at } : null;
}

/** True while the run is running, holding a share lock on its row until the caller's transaction ends. */
export async function shareRunningRun(client: pg.ClientBase, runId: number): Promise<boolean> {
  const { rows } = await client.query<{ status: string }>(`SELECT status FROM collection_runs WHERE id = $1 FOR SHARE`, [runId]);
  return rows[0]?.status === "running";
}

/** A distributed run's plan as stored (text, so a worker parses each plan once); null for other runs. */
export async function readRunPlanText(client: pg.ClientBase | pg.Pool, runId: number): Promise<string | null> {
  const { rows } = await client.query<{ plan: string | null }>(`SELECT distributed_plan::text AS plan FROM collection_runs WHERE id = $1`, [runId]);
  return rows[0]?.plan ?? null;
}

/** The newest run still marked running, if any (what "Run collection now" refuses to race). */
export async function findRunningRun(db: Database): Promise<{ id: number; source: string; startedAt: Date } | null> {
  const running = await db.prisma.collectionRun.findFirst({ where: { status: "running" }, orderBy: { id: "desc" } });
  return running ? { id: running.id, source: running.source, startedAt: running.startedAt } : null;
}

/** True when no collection run has ever been recorded. */
export async function isStoreEmpty(db: Database): Promise<boolean> {
  return (await db.prisma.collectionRun.count()) === 0;
}

/** The latest completed run of a source kind: its capture time and the options it recorded. */
export async function findLatestCompletedRun(db: Database, source: string): Promise<{ capturedAt: Date; options: unknown } | null> {
  const last = await db.prisma.collectionRun.findFirst({ where: { source, status: "completed" }, orderBy: { capturedAt: "desc" } });
  return last ? { capturedAt: last.capturedAt, options: last.options } : null;
}

/** A finished run as `runCollection` reports it, rebuilt from the store (any run, in-process or distributed). */
export async function getRunResult(db: Database, runId: number): Promise<RunCollectionResult> {
  const { rows } = await db.pool.query<{
    status: "running" | "completed" | "failed";
    captured_at: Date;
    started_at: Date;
    finished_at: Date | null;
    subscriptions_listed: number;
    subscriptions_failed: number;
    clusters_seen: number;
    clusters_with_in_cluster: number;
    clusters_deleted: number;
    opened: number;
    resolved: number;
  }>(
    `SELECT r.status, r.captured_at, r.started_at, r.finished_at, r.subscriptions_listed, r.subscriptions_failed,
            r.clusters_seen, r.clusters_with_in_cluster, r.clusters_deleted,
            (SELECT count(*)::int FROM findings f JOIN snapshots s ON s.id = f.opened_snapshot_id WHERE s.run_id = r.id) AS opened,
            (SELECT count(*)::int FROM findings f JOIN snapshots s ON s.id = f.resolved_snapshot_id WHERE s.run_id = r.id) AS resolved
       FROM collection_runs r WHERE r.id = $1`,
    [runId],
  );
  const run = rows[0];
  if (!run) throw new Error(`run #${runId} does not exist`);
  if (run.status === "running") throw new Error(`run #${runId} is still running`);
  const errors = await db.pool.query<{ scope: RunErrorScope; target: string; cause: FaultCause; message: string }>(
    `SELECT scope, target, cause, message FROM run_errors WHERE run_id = $1 ORDER BY id`,
    [runId],
  );
  const faults: RunFault[] = errors.rows.map((row) => ({ scope: row.scope, target: row.target, cause: row.cause, message: row.message }));
  return {
    runId,
    status: run.status,
    capturedAt: run.captured_at,
    subscriptionsListed: run.subscriptions_listed,
    subscriptionsFailed: run.subscriptions_failed,
    faults,
    durationMs: (run.finished_at ?? new Date()).getTime() - run.started_at.getTime(),
    clustersSeen: run.clusters_seen,
    clustersWithInCluster: run.clusters_with_in_cluster,
    clustersDeleted: run.clusters_deleted,
    findingsOpened: run.opened,
    findingsResolved: run.resolved,
  };
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
