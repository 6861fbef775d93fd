import "server-only";
import type { Database } from "@/lib/db/client";

export const RUN_ERRORS_PAGE_SIZE = 100;

export interface RunErrorRow {
  id: number;
  scope: string;
  /** What failed: a subscription id, a cluster's ARM id, a file; source text, shown as text. */
  target: string;
  cause: string;
  message: string;
  at: string;
  /** The cluster the target names, when it is one Bulkhead knows. */
  cluster: { id: number; name: string } | null;
}

export interface RunErrorsResult {
  runId: number;
  errors: RunErrorRow[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
}

type RawErrorRow = {
  id: number;
  scope: string;
  target: string;
  cause: string;
  message: string;
  at: Date;
  cluster_id: number | null;
  cluster_name: string | null;
};

const MAX_INT4 = 2_147_483_647;

/** The errors a run recorded, in the order it met them; null when the run does not exist. */
export async function listRunErrors(db: Database, runId: number, page = 1): Promise<RunErrorsResult | null> {
  if (!Number.isSafeInteger(runId) || runId < 1 || runId > MAX_INT4) return null;
  const runs = await db.prisma.$queryRaw<{ error_count: bigint }[]>`
    SELECT (SELECT count(*) FROM run_errors WHERE run_id = r.id) AS error_count FROM collection_runs r WHERE r.id = ${runId}`;
  if (runs.length === 0) return null;
  const total = Number(runs[0].error_count);
  const pageCount = Math.max(1, Math.ceil(total / RUN_ERRORS_PAGE_SIZE));
  const served = Math.min(Math.max(1, Math.floor(page)), pageCount);
  const rows = await db.prisma.$queryRaw<RawErrorRow[]>`
    SELECT e.id, e.scope, e.target, e.cause, e.message, e.at, c.id AS cluster_id, c.name AS cluster_name
      FROM run_errors e
      LEFT JOIN clusters c ON c.key = lower(e.target) AND e.scope IN ('in-cluster', 'cluster')
     WHERE e.run_id = ${runId}
     ORDER BY e.id
     LIMIT ${RUN_ERRORS_PAGE_SIZE} OFFSET ${(served - 1) * RUN_ERRORS_PAGE_SIZE}`;
  return {
    runId,
    errors: rows.map((row) => ({
      id: row.id,
      scope: row.scope,
      target: row.target,
      cause: row.cause,
      message: row.message,
      at: row.at.toISOString(),
      cluster: row.cluster_id !== null && row.cluster_name !== null ? { id: row.cluster_id, name: row.cluster_name } : null,
    })),
    total,
    page: served,
    pageSize: RUN_ERRORS_PAGE_SIZE,
    pageCount,
  };
}
