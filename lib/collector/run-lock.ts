import type pg from "pg";
import { AppError } from "@/lib/errors";
import { describeError } from "./read-estate";

// One key for "a collection run writes": two runs never write at the same time (DESIGN.md §7).
export const RUN_LOCK_KEY = 0x42_48_52_4e; // "BHRN"

/**
 * Takes the run lock on `client` for the client's session. With `wait: false` a held lock is a
 * clear `busy` error naming the run that holds it.
 */
export async function acquireRunLock(client: pg.ClientBase, options: { wait: boolean }): Promise<void> {
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

export async function releaseRunLock(client: pg.ClientBase): Promise<void> {
  await client.query("SELECT pg_advisory_unlock($1)", [RUN_LOCK_KEY]);
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
