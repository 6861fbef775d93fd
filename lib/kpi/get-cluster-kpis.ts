import "server-only";
import type { Database } from "@/lib/db/client";
import { Prisma } from "@prisma/client";
import { exposureSumsSql, groupKeySql, scopeFilterSql, waivedControlFailsSql, waiverActiveSql, type KpiGroupBy, type KpiScope } from "./scope";

/** The KPIs that come from the clusters in scope at a time (percent enabled, allow-any, pass rate, lateral exposure). */
export interface ClusterKpiRow {
  key: string;
  clusters: number;
  clustersEnabled: number;
  allowAnyRulesProduction: number;
  controlsPassed: number;
  controlsFailed: number;
  /** Clusters with a lateral exposure (in-cluster data, two pods or more). */
  clustersWithExposure: number;
  /** Σ exposure × pods and Σ pods over them: the pod-weighted mean is their ratio (exposureOf). */
  exposureWeighted: number;
  exposurePods: number;
}

type RawClusterKpiRow = {
  key: string;
  clusters: bigint;
  enabled: bigint;
  allow_any_prod: bigint;
  passed: bigint;
  failed: bigint;
  waived: bigint;
  with_exposure: bigint;
  exposure_weighted: number;
  exposure_pods: bigint;
};

/**
 * Clusters carried forward at `asOf` (docs/design.md §3) are the posture intervals that contain it:
 * an interval closes at the next change of state or at deletion. Waived failures leave the pass rate.
 */
export async function getClusterKpis(db: Database, params: { asOf: Date; by: KpiGroupBy; scope: KpiScope }): Promise<ClusterKpiRow[]> {
  const at = Prisma.sql`${params.asOf}::timestamptz`;
  const rows = await db.prisma.$queryRaw<RawClusterKpiRow[]>(Prisma.sql`
    WITH live AS (
      SELECT pi.*, ${groupKeySql(params.by, "pi")} AS key
        FROM posture_intervals pi
       WHERE pi.valid_from <= ${at} AND (pi.valid_to IS NULL OR pi.valid_to > ${at}) AND ${scopeFilterSql(params.scope, "pi")}
    ),
    waived AS (
      SELECT l.key, count(DISTINCT (w.cluster_id, w.control_id)) AS waived
        FROM live l JOIN waivers w ON w.cluster_id = l.cluster_id
       WHERE ${waiverActiveSql(at)} AND ${waivedControlFailsSql("l")}
       GROUP BY l.key
    )
    SELECT l.key,
           count(*) AS clusters,
           count(*) FILTER (WHERE l.np01 = 'pass') AS enabled,
           COALESCE(sum(l.allow_any_count) FILTER (WHERE l.production), 0) AS allow_any_prod,
           COALESCE(sum(l.controls_passed), 0) AS passed,
           COALESCE(sum(l.controls_failed), 0) AS failed,
           COALESCE(max(wv.waived), 0) AS waived,
           ${exposureSumsSql("l")}
      FROM live l LEFT JOIN waived wv ON wv.key = l.key
     GROUP BY l.key
     ORDER BY l.key`);
  return rows.map((row) => ({
    key: row.key,
    clusters: Number(row.clusters),
    clustersEnabled: Number(row.enabled),
    allowAnyRulesProduction: Number(row.allow_any_prod),
    controlsPassed: Number(row.passed),
    controlsFailed: Number(row.failed) - Number(row.waived),
    clustersWithExposure: Number(row.with_exposure),
    exposureWeighted: Number(row.exposure_weighted),
    exposurePods: Number(row.exposure_pods),
  }));
}
