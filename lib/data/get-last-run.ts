import "server-only";
import type { Database } from "@/lib/db/client";
import { Prisma } from "@prisma/client";
import { percent, scopeFilterSql, type KpiScope } from "@/lib/kpi/scope";

/** Data older than this is flagged as stale on the dashboard. */
export const STALE_AFTER_HOURS = 36;

export interface LastRunSummary {
  /** The latest completed run captured at or before the time asked for; null when there is none. */
  lastSuccessful: {
    id: number;
    source: string;
    /** When the data was captured (ISO): the time KPIs count from. */
    capturedAt: string;
    finishedAt: string | null;
    /** Hours from capture to the time asked for. */
    ageHours: number;
    stale: boolean;
    /** Clusters of the scope that this run saw, and of those, how many had fresh in-cluster data. */
    clustersSeen: number;
    clustersWithInCluster: number;
    /** Percent of the clusters seen with fresh in-cluster data (one decimal); null when none was seen. */
    inClusterCoverage: number | null;
    /** Clusters in scope at the time asked for; those not seen by this run were carried forward. */
    clustersInScope: number;
    /** Errors recorded on the run and subscriptions it could not list (whole run, not scoped). */
    errorCount: number;
    subscriptionsListed: number;
    subscriptionsFailed: number;
  } | null;
  /** A run after the last successful one that failed, if any: the dashboard says so. */
  laterFailure: { id: number; capturedAt: string; message: string | null } | null;
  staleAfterHours: number;
}

type RunRow = {
  id: number;
  source: string;
  captured_at: Date;
  finished_at: Date | null;
  error_count: number;
  subscriptions_listed: number;
  subscriptions_failed: number;
};

/** The freshness of what the dashboard shows at `asOf`: the last successful run and its coverage. */
export async function getLastRun(db: Database, params: { asOf: Date; scope: KpiScope }): Promise<LastRunSummary> {
  const at = Prisma.sql`${params.asOf}::timestamptz`;
  const runs = await db.prisma.$queryRaw<RunRow[]>(Prisma.sql`
    SELECT id, source, captured_at, finished_at, error_count, subscriptions_listed, subscriptions_failed
      FROM collection_runs
     WHERE status = 'completed' AND captured_at <= ${at}
     ORDER BY captured_at DESC, id DESC LIMIT 1`);
  const run = runs[0];
  // Runs are recorded forward in time, so a later id is a later attempt.
  const [failure] = await db.prisma.$queryRaw<{ id: number; captured_at: Date; failure_message: string | null }[]>(Prisma.sql`
    SELECT id, captured_at, failure_message FROM collection_runs
     WHERE status = 'failed' AND captured_at <= ${at} AND id > ${run?.id ?? 0}
     ORDER BY id DESC LIMIT 1`);
  const laterFailure = failure ? { id: failure.id, capturedAt: failure.captured_at.toISOString(), message: failure.failure_message } : null;
  if (!run) return { lastSuccessful: null, laterFailure, staleAfterHours: STALE_AFTER_HOURS };

  const [coverage] = await db.prisma.$queryRaw<{ seen: bigint; with_in_cluster: bigint; in_scope: bigint }[]>(Prisma.sql`
    SELECT (SELECT count(*) FROM snapshots sn WHERE sn.run_id = ${run.id} AND ${scopeFilterSql(params.scope, "sn")}) AS seen,
           (SELECT count(*) FROM snapshots sn WHERE sn.run_id = ${run.id} AND sn.has_in_cluster_data AND sn.in_cluster_captured_at IS NULL
               AND ${scopeFilterSql(params.scope, "sn")}) AS with_in_cluster,
           (SELECT count(*) FROM posture_intervals pi WHERE pi.valid_from <= ${at} AND (pi.valid_to IS NULL OR pi.valid_to > ${at})
               AND ${scopeFilterSql(params.scope, "pi")}) AS in_scope`);
  const seen = Number(coverage.seen);
  const withInCluster = Number(coverage.with_in_cluster);
  const ageHours = (params.asOf.getTime() - run.captured_at.getTime()) / 3_600_000;
  return {
    lastSuccessful: {
      id: run.id,
      source: run.source,
      capturedAt: run.captured_at.toISOString(),
      finishedAt: run.finished_at?.toISOString() ?? null,
      ageHours: Math.round(ageHours * 10) / 10,
      stale: ageHours > STALE_AFTER_HOURS,
      clustersSeen: seen,
      clustersWithInCluster: withInCluster,
      inClusterCoverage: percent(withInCluster, seen),
      clustersInScope: Number(coverage.in_scope),
      errorCount: run.error_count,
      subscriptionsListed: run.subscriptions_listed,
      subscriptionsFailed: run.subscriptions_failed,
    },
    laterFailure,
    staleAfterHours: STALE_AFTER_HOURS,
  };
}
