import "server-only";
import type { Database } from "@/lib/db/client";
import { Prisma } from "@prisma/client";
import { DEFAULT_PAGE_SIZE } from "@/lib/clusters/list-options";
import { percent } from "@/lib/kpi/scope";

export type RunStatus = "running" | "completed" | "failed" | "undone" | "cancelled";

/** What a running run has done so far (written by the run itself, lib/collector/run-progress.ts). */
export interface RunProgressView {
  phase: "listing" | "reading" | "writing";
  subscriptionsListed: number;
  clustersRead: number;
  clustersTotal: number | null;
  errors: number;
  at: string;
}

export interface RunListRow {
  id: number;
  source: string;
  status: RunStatus;
  capturedAt: string;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  subscriptionsListed: number;
  subscriptionsFailed: number;
  clustersSeen: number;
  clustersWithInCluster: number;
  /** Clusters whose in-cluster objects this run read ÷ clusters seen × 100; null when it saw none. */
  inClusterCoverage: number | null;
  clustersDeleted: number;
  errorCount: number;
  /** Recorded errors grouped by cause, most frequent first. */
  errorsByCause: { cause: string; count: number }[];
  failureMessage: string | null;
  /** Set when `bulkhead runs undo-last` took the run back. */
  undone: { at: string; by: string } | null;
  /** While it runs: how far it got. */
  progress: RunProgressView | null;
  /** An admin asked it to stop (it ends as cancelled within a second or two). */
  cancelRequested: { at: string; by: string } | null;
  /** A distributed run (its workers may be on other machines). */
  distributed: boolean;
}

export interface RunListResult {
  rows: RunListRow[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
}

type RawRunRow = {
  id: number;
  source: string;
  status: RunStatus;
  captured_at: Date;
  started_at: Date;
  finished_at: Date | null;
  subscriptions_listed: number;
  subscriptions_failed: number;
  clusters_seen: number;
  clusters_with_in_cluster: number;
  clusters_deleted: number;
  error_count: number;
  failure_message: string | null;
  errors_by_cause: { cause: string; count: number }[] | null;
  undone_at: Date | null;
  undone_by: string | null;
  progress: RunProgressView | null;
  cancel_requested_at: Date | null;
  cancel_requested_by: string | null;
  distributed: boolean;
};

/** Collection history, newest capture first, a page at a time; past the end serves the last page. */
export async function listRuns(db: Database, params: { page?: number; pageSize?: number; status?: RunStatus } = {}): Promise<RunListResult> {
  const pageSize = params.pageSize ?? DEFAULT_PAGE_SIZE;
  const requestedPage = Math.max(1, Math.floor(params.page ?? 1));
  const where = params.status ? Prisma.sql`WHERE r.status = ${params.status}::"RunStatus"` : Prisma.empty;
  const selectPage = (page: number) =>
    db.prisma.$queryRaw<RawRunRow[]>(Prisma.sql`
      SELECT r.id, r.source, r.status::text AS status, r.captured_at, r.started_at, r.finished_at, r.subscriptions_listed,
             r.subscriptions_failed, r.clusters_seen, r.clusters_with_in_cluster, r.clusters_deleted, r.error_count,
             r.failure_message, r.undone_at, r.undone_by, r.progress, r.cancel_requested_at, r.cancel_requested_by,
             r.distributed_plan IS NOT NULL AS distributed,
             (SELECT jsonb_agg(jsonb_build_object('cause', e.cause, 'count', e.n) ORDER BY e.n DESC, e.cause)
                FROM (SELECT cause, count(*) AS n FROM run_errors WHERE run_id = r.id GROUP BY cause) e) AS errors_by_cause
        FROM collection_runs r
        ${where}
       ORDER BY r.captured_at DESC, r.id DESC
       LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`);
  const [counts, firstRows] = await Promise.all([
    db.prisma.$queryRaw<{ total: bigint }[]>(Prisma.sql`SELECT count(*) AS total FROM collection_runs r ${where}`),
    selectPage(requestedPage),
  ]);
  const total = Number(counts[0].total);
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(requestedPage, pageCount);
  const rows = page === requestedPage ? firstRows : await selectPage(page);
  return { rows: rows.map(toRunRow), total, page, pageSize, pageCount };
}

function toRunRow(row: RawRunRow): RunListRow {
  return {
    id: row.id,
    source: row.source,
    status: row.status,
    capturedAt: row.captured_at.toISOString(),
    startedAt: row.started_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
    durationMs: row.finished_at ? row.finished_at.getTime() - row.started_at.getTime() : null,
    subscriptionsListed: row.subscriptions_listed,
    subscriptionsFailed: row.subscriptions_failed,
    clustersSeen: row.clusters_seen,
    clustersWithInCluster: row.clusters_with_in_cluster,
    inClusterCoverage: percent(row.clusters_with_in_cluster, row.clusters_seen),
    clustersDeleted: row.clusters_deleted,
    errorCount: row.error_count,
    errorsByCause: (row.errors_by_cause ?? []).map((item) => ({ cause: item.cause, count: Number(item.count) })),
    failureMessage: row.failure_message,
    undone: row.undone_at ? { at: row.undone_at.toISOString(), by: row.undone_by ?? "" } : null,
    progress: row.status === "running" ? row.progress : null,
    cancelRequested: row.cancel_requested_at ? { at: row.cancel_requested_at.toISOString(), by: row.cancel_requested_by ?? "" } : null,
    distributed: row.distributed,
  };
}
