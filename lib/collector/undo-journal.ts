import type pg from "pg";

/**
 * How many of the latest completed runs can be undone, one after the other. Older journals are
 * dropped as new runs complete; a run is undone from its journal or not at all.
 */
export const UNDOABLE_RUNS = 5;

/** Keeps the journals of the latest completed runs, minus one: the run being written is the newest. */
export async function pruneUndoJournal(client: pg.ClientBase): Promise<void> {
  await client.query(
    `DELETE FROM run_undo_journal WHERE run_id NOT IN (
       SELECT id FROM collection_runs WHERE status = 'completed' ORDER BY captured_at DESC, id DESC LIMIT $1)`,
    [UNDOABLE_RUNS - 1],
  );
}

/** The subscription rows a run is about to upsert, as they are; the ids it is about to create. */
export async function journalSubscriptions(client: pg.ClientBase, runId: number, subscriptionIds: string[]): Promise<void> {
  await client.query(
    `WITH touched AS (SELECT DISTINCT unnest($2::text[]) AS id)
     INSERT INTO run_undo_journal (run_id, kind, before)
     SELECT $1, CASE WHEN s.id IS NULL THEN 'subscription-new' ELSE 'subscription' END,
            COALESCE(to_jsonb(s), jsonb_build_object('id', t.id))
       FROM touched t LEFT JOIN subscriptions s ON s.id = t.id`,
    [runId, subscriptionIds],
  );
}
