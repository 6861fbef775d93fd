import type pg from "pg";
import { AppError } from "@/lib/errors";
import { acquireRunLock, releaseRunLock } from "../run-lock";

/**
 * The run slot (docs/distributed-collection.md): "one run at a time, two runs never write at once".
 * An in-process run holds the advisory run lock for its whole life. A distributed run cannot (its
 * coordinator may exit, its writer is whichever worker finishes last), so its row holds the slot:
 * status `running` with a deadline in the future. Everyone who starts a run takes the lock and then
 * also respects such a row; the distributed finalizer writes under the same lock.
 */

const LIVE_DISTRIBUTED_RUN = `status = 'running' AND deadline_at IS NOT NULL AND deadline_at > now()`;

export interface LiveDistributedRun {
  id: number;
  source: string;
  startedAt: Date;
  deadlineAt: Date;
}

export async function findLiveDistributedRun(client: pg.ClientBase): Promise<LiveDistributedRun | null> {
  const { rows } = await client.query<{ id: number; source: string; started_at: Date; deadline_at: Date }>(
    `SELECT id, source, started_at, deadline_at FROM collection_runs WHERE ${LIVE_DISTRIBUTED_RUN} ORDER BY id DESC LIMIT 1`,
  );
  const row = rows[0];
  return row ? { id: row.id, source: row.source, startedAt: row.started_at, deadlineAt: row.deadline_at } : null;
}

const SLOT_POLL_MS = 2_000;

/**
 * Takes the run lock on `client` (session level) with no distributed run in progress. With
 * `wait: false` either is a `busy` error naming the run; with `wait: true` it waits for both.
 */
export async function acquireRunSlot(client: pg.ClientBase, options: { wait: boolean; pollMs?: number; signal?: AbortSignal }): Promise<void> {
  for (;;) {
    await acquireRunLock(client, { wait: options.wait });
    const live = await findLiveDistributedRun(client);
    if (!live) return;
    await releaseRunLock(client);
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
