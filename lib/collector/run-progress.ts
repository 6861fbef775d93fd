import "server-only";
import type { Database } from "@/lib/db/client";
import type { RunProgressEvent } from "./progress";

/** What a running run has done so far, as the Runs page shows it (collection_runs.progress). */
export interface RunProgress {
  phase: "listing" | "reading" | "writing";
  subscriptionsListed: number;
  clustersRead: number;
  clustersTotal: number | null;
  errors: number;
  /** When this was written (ISO). */
  at: string;
}

/** How often a run writes its progress and looks for a cancel request. */
export const PROGRESS_INTERVAL_MS = 500;

export class RunCancelledError extends Error {
  constructor(readonly by: string) {
    super(`cancelled by ${by}`);
    this.name = "RunCancelledError";
  }
}

/**
 * Keeps a running run's row up to date for the Runs page (whichever process runs it: the web
 * server, a CLI, a schedule) and listens for an admin's cancel request on the same row: every
 * PROGRESS_INTERVAL_MS one UPDATE writes the progress and reads the request back; a request aborts
 * `signal`. Writing progress never fails the run.
 */
export function trackRunProgress(db: Database, runId: number, upstream?: AbortSignal) {
  const controller = new AbortController();
  const onUpstream = () => controller.abort(upstream?.reason);
  upstream?.addEventListener("abort", onUpstream, { once: true });
  let progress: RunProgress = { phase: "listing", subscriptionsListed: 0, clustersRead: 0, clustersTotal: null, errors: 0, at: new Date().toISOString() };
  let cancelledBy: string | null = null;
  let dirty = true;
  let writing: Promise<void> | null = null;

  const flush = async (): Promise<void> => {
    const sent = dirty ? { ...progress, at: new Date().toISOString() } : null;
    dirty = false;
    try {
      const { rows } = await db.pool.query<{ cancel_requested_by: string | null; cancel_requested_at: Date | null }>(
        `UPDATE collection_runs SET progress = COALESCE($2::jsonb, progress) WHERE id = $1 RETURNING cancel_requested_at, cancel_requested_by`,
        [runId, sent ? JSON.stringify(sent) : null],
      );
      const row = rows[0];
      if (row?.cancel_requested_at && !cancelledBy) {
        cancelledBy = row.cancel_requested_by ?? "an admin";
        controller.abort(new RunCancelledError(cancelledBy));
      }
    } catch {
      // The store may be busy or restarting: the next tick tries again.
    }
  };
  const tick = () => {
    if (!writing) writing = flush().finally(() => (writing = null));
  };
  const timer = setInterval(tick, PROGRESS_INTERVAL_MS);
  timer.unref?.();
  tick();

  return {
    signal: controller.signal,
    onProgress(event: RunProgressEvent) {
      if (event.type === "listed") progress = { ...progress, phase: "reading", subscriptionsListed: event.subscriptionsDone, clustersTotal: event.clustersTotal };
      else if (event.type === "cluster") progress = { ...progress, clustersRead: event.clustersDone, clustersTotal: event.clustersTotal, errors: event.errors };
      else if (event.type === "fault") progress = { ...progress, errors: progress.errors + 1 };
      else progress = { ...progress, phase: "writing" };
      dirty = true;
    },
    /**
     * Stops the periodic writes and reads the cancel request once more, before the run's write
     * transaction starts (which locks the row: a write from another connection would wait on it).
     */
    async settleBeforeWrite(): Promise<string | null> {
      clearInterval(timer);
      await writing;
      dirty = true;
      await flush();
      return cancelledBy;
    },
    /** The cancel request as the run's own transaction sees it (before its commit). */
    async cancelledInTransaction(client: { query: Database["pool"]["query"] }): Promise<string | null> {
      const { rows } = await client.query<{ cancel_requested_at: Date | null; cancel_requested_by: string | null }>(
        `SELECT cancel_requested_at, cancel_requested_by FROM collection_runs WHERE id = $1`,
        [runId],
      );
      return rows[0]?.cancel_requested_at ? (rows[0].cancel_requested_by ?? "an admin") : cancelledBy;
    },
    async stop(): Promise<void> {
      clearInterval(timer);
      upstream?.removeEventListener("abort", onUpstream);
      await writing;
    },
  };
}
