import type pg from "pg";
import type { Database } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { abandonDeadRuns, acquireRunSlot, releaseRunSlot } from "./run-record";

export interface UndoRunResult {
  runId: number;
  source: string;
  capturedAt: Date;
  snapshotsRemoved: number;
  clustersRemoved: number;
  clustersRestored: number;
  findingsRemoved: number;
  findingsRestored: number;
  intervalsRemoved: number;
  intervalsReopened: number;
}

export interface UndoCandidate {
  id: number;
  source: string;
  capturedAt: Date;
  clustersSeen: number;
  undoable: boolean;
}

/** The latest completed run, the one `undoLastRun` would take back. */
export async function findRunToUndo(db: Database | pg.ClientBase): Promise<UndoCandidate | null> {
  const query = "pool" in db ? db.pool : db;
  const { rows } = await query.query<{ id: number; source: string; captured_at: Date; clusters_seen: number; undoable: boolean }>(
    `SELECT r.id, r.source, r.captured_at, r.clusters_seen, EXISTS (SELECT 1 FROM run_undo_journal j WHERE j.run_id = r.id) AS undoable
       FROM collection_runs r WHERE r.status = 'completed' ORDER BY r.captured_at DESC, r.id DESC LIMIT 1`,
  );
  const row = rows[0];
  return row ? { id: row.id, source: row.source, capturedAt: row.captured_at, clustersSeen: row.clusters_seen, undoable: row.undoable } : null;
}

// Findings columns a run writes; the rest (assignee, due date, ...) is people's work and stays.
const FINDING_RUN_COLUMNS = ["resolved_at", "resolved_snapshot_id", "resolution", "subscription_id", "owner", "production"];

/**
 * Takes back the latest completed run (`bulkhead runs undo-last`), from the journal it wrote: the
 * clusters, subscriptions, posture intervals and findings it changed get their earlier rows back;
 * what it created goes (its snapshots, intervals, clusters and subscriptions, and the findings it
 * opened, which with their trail and waivers are first copied whole into run_undo_archive); a
 * resolution it recorded is withdrawn with a `run-undone` event in the finding's trail. The run
 * stays listed as `undone`, with who and when. One transaction, under the run lock.
 */
export async function undoLastRun(db: Database, actor: string): Promise<UndoRunResult> {
  const client = await db.pool.connect();
  try {
    await acquireRunSlot(client, { wait: false });
    try {
      await abandonDeadRuns(client);
      const run = await findRunToUndo(client);
      if (!run) throw new AppError("conflict", "There is no completed run to undo.");
      if (!run.undoable) {
        throw new AppError(
          "conflict",
          `Run #${run.id} (${run.capturedAt.toISOString()}) cannot be undone: only the latest runs recorded since this version keep what they changed.`,
        );
      }
      await client.query("BEGIN");
      try {
        const result = await undoRun(client, run, actor);
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      }
    } finally {
      await releaseRunSlot(client).catch(() => {});
    }
  } finally {
    client.release();
  }
}

async function undoRun(client: pg.ClientBase, run: UndoCandidate, actor: string): Promise<UndoRunResult> {
  const runId = run.id;
  // The one transaction allowed to delete from the append-only trail (it archives first).
  await client.query(`SELECT set_config('bulkhead.undo_run', $1, true)`, [String(runId)]);

  // Findings the run opened: archived whole with their trail and waivers, then removed.
  await client.query(`CREATE TEMP TABLE undo_opened ON COMMIT DROP AS
    SELECT f.id FROM findings f JOIN snapshots s ON s.id = f.opened_snapshot_id WHERE s.run_id = $1`, [runId]);
  await client.query(
    `INSERT INTO run_undo_archive (run_id, kind, row)
     SELECT $1::int, 'finding', to_jsonb(f) FROM findings f WHERE f.id IN (SELECT id FROM undo_opened)
     UNION ALL SELECT $1::int, 'finding_event', to_jsonb(e) FROM finding_events e WHERE e.finding_id IN (SELECT id FROM undo_opened)
     UNION ALL SELECT $1::int, 'waiver', to_jsonb(w) FROM waivers w WHERE w.finding_id IN (SELECT id FROM undo_opened)`,
    [runId],
  );
  await client.query(`DELETE FROM finding_events WHERE finding_id IN (SELECT id FROM undo_opened)`);
  await client.query(`DELETE FROM waivers WHERE finding_id IN (SELECT id FROM undo_opened)`);
  const findingsRemoved = (await client.query(`DELETE FROM findings WHERE id IN (SELECT id FROM undo_opened)`)).rowCount ?? 0;

  // Findings it changed: their run-written columns as they were; a withdrawn resolution is said so in the trail.
  const restored = await client.query<{ id: number; reopened: boolean }>(
    `WITH journal AS (
       SELECT DISTINCT ON (j.ref_id) b.* FROM run_undo_journal j
        CROSS JOIN LATERAL jsonb_populate_record(NULL::findings, j.before) b
        WHERE j.run_id = $1 AND j.kind = 'finding' ORDER BY j.ref_id, j.id),
     changed AS (
       SELECT f.id, f.resolved_at IS NOT NULL AND b.resolved_at IS NULL AS reopened FROM findings f JOIN journal b ON b.id = f.id)
     UPDATE findings f SET ${FINDING_RUN_COLUMNS.map((column) => `${column} = b.${column}`).join(", ")}
       FROM journal b, changed c
      WHERE f.id = b.id AND c.id = f.id
      RETURNING f.id, c.reopened`,
    [runId],
  );
  const reopened = restored.rows.filter((row) => row.reopened).map((row) => row.id);
  if (reopened.length > 0) {
    await client.query(
      `INSERT INTO finding_events (finding_id, at, actor, type, data)
       SELECT id, now(), $2, 'run-undone', jsonb_build_object('runId', $3::int, 'withdrawn', 'resolution') FROM unnest($1::int4[]) AS id`,
      [reopened, actor, runId],
    );
  }

  // Posture intervals: the ones it opened go, the ones it closed are open again.
  const intervalsRemoved = (await client.query(`DELETE FROM posture_intervals WHERE snapshot_id IN (SELECT id FROM snapshots WHERE run_id = $1)`, [runId])).rowCount ?? 0;
  const intervalsReopened =
    (await client.query(`UPDATE posture_intervals SET valid_to = NULL WHERE id IN (SELECT ref_id FROM run_undo_journal WHERE run_id = $1 AND kind = 'interval-closed')`, [runId])).rowCount ?? 0;

  // Clusters: the rows it updated as they were, its deletions taken back, the ones it created gone.
  const clusterColumns = await columnsOf(client, "clusters");
  const clustersRestored =
    (
      await client.query(
        `UPDATE clusters c SET ${clusterColumns.map((column) => `"${column}" = b."${column}"`).join(", ")}
           FROM run_undo_journal j CROSS JOIN LATERAL jsonb_populate_record(NULL::clusters, j.before) b
          WHERE j.run_id = $1 AND j.kind = 'cluster' AND c.id = b.id`,
        [runId],
      )
    ).rowCount ?? 0;
  await client.query(`UPDATE clusters SET deleted_at = NULL WHERE id IN (SELECT ref_id FROM run_undo_journal WHERE run_id = $1 AND kind = 'cluster-deleted')`, [runId]);
  // The clusters it created are those no other run saw (a run journals only the rows it changed).
  await client.query(`CREATE TEMP TABLE undo_new_clusters ON COMMIT DROP AS
    SELECT s.cluster_id AS id FROM snapshots s WHERE s.run_id = $1
       AND NOT EXISTS (SELECT 1 FROM snapshots o WHERE o.cluster_id = s.cluster_id AND o.run_id <> $1)`, [runId]);
  const snapshotsRemoved = (await client.query(`DELETE FROM snapshots WHERE run_id = $1`, [runId])).rowCount ?? 0;
  // Its cost statements too: an earlier run's statement of the same days is read again.
  await client.query(`DELETE FROM cluster_costs WHERE run_id = $1`, [runId]);
  const clustersRemoved = (await client.query(`DELETE FROM clusters WHERE id IN (SELECT id FROM undo_new_clusters)`)).rowCount ?? 0;

  // Subscriptions: as they were; the ones it created go when no cluster names them.
  const subscriptionColumns = await columnsOf(client, "subscriptions");
  await client.query(
    `UPDATE subscriptions s SET ${subscriptionColumns.map((column) => `"${column}" = b."${column}"`).join(", ")}
       FROM run_undo_journal j CROSS JOIN LATERAL jsonb_populate_record(NULL::subscriptions, j.before) b
      WHERE j.run_id = $1 AND j.kind = 'subscription' AND s.id = b.id`,
    [runId],
  );
  await client.query(
    `DELETE FROM subscriptions s
      WHERE s.id IN (SELECT j.before->>'id' FROM run_undo_journal j WHERE j.run_id = $1 AND j.kind = 'subscription-new')
        AND NOT EXISTS (SELECT 1 FROM clusters c WHERE c.subscription_id = s.id)`,
    [runId],
  );

  await client.query(`UPDATE collection_runs SET status = 'undone', undone_at = now(), undone_by = $2 WHERE id = $1`, [runId, actor]);
  await client.query(`DELETE FROM run_undo_journal WHERE run_id = $1`, [runId]);
  return {
    runId,
    source: run.source,
    capturedAt: run.capturedAt,
    snapshotsRemoved,
    clustersRemoved,
    clustersRestored,
    findingsRemoved,
    findingsRestored: restored.rowCount ?? 0,
    intervalsRemoved,
    intervalsReopened,
  };
}

/** A table's columns but its id: the whole row a journal entry restores. */
async function columnsOf(client: pg.ClientBase, table: string): Promise<string[]> {
  const { rows } = await client.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND column_name <> 'id' ORDER BY ordinal_position`,
    [table],
  );
  return rows.map((row) => row.column_name);
}
