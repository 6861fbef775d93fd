// The KPI trend as it was computed before the rollup (issue 20): the cluster figures derived from
// every posture interval in force in the window, each adding its state on the day it starts and
// taking it away on the day it ends. Kept as the reference the rollup-based trend must equal
// (lib/kpi/trend-rollup.test.ts) and as the bench's "before".
import { Prisma } from "@prisma/client";
import type { Database } from "@/lib/db/client";
import { CONTROL_COLUMNS } from "@/lib/db/control-columns";
import { getKpiTrend, type ClusterTrendQuery, type KpiTrendParams, type KpiTrendPoint } from "@/lib/kpi/get-kpi-trend";
import { groupKeySql, scopeFilterSql, waivedControlFailsSql } from "@/lib/kpi/scope";

// `iv` is read three times, so Postgres keeps it whole; only the columns the trend reads.
const TREND_INTERVAL_COLUMNS = Prisma.raw(
  ["cluster_id", "valid_from", "valid_to", "production", ...CONTROL_COLUMNS, "controls_passed", "controls_failed", "allow_any_count", "lateral_exposure", "workload_pods"]
    .map((column) => `pi.${column}`)
    .join(", "),
);

export const intervalClusterTrendSql: ClusterTrendQuery = ({ by, scope, d0, dEnd, utcDay }) => Prisma.sql`
  WITH iv AS (
    SELECT ${TREND_INTERVAL_COLUMNS}, ${groupKeySql(by, "pi")} AS key
      FROM posture_intervals pi
     WHERE pi.valid_from < ${dEnd} AND (pi.valid_to IS NULL OR pi.valid_to >= ${d0}) AND ${scopeFilterSql(scope, "pi")}
  ),
  waived AS (
    SELECT iv.key, GREATEST(iv.valid_from, w.created_at) AS starts, LEAST(iv.valid_to, w.expires_at, w.revoked_at) AS ends
      FROM iv JOIN waivers w ON w.cluster_id = iv.cluster_id
     WHERE ${waivedControlFailsSql("iv")}
  ),
  deltas AS (
    SELECT key, ${utcDay("valid_from")} AS day, 1 AS c, (np01 = 'pass')::int AS e,
           CASE WHEN production THEN allow_any_count ELSE 0 END AS a, controls_passed AS p, controls_failed AS f,
           (lateral_exposure IS NOT NULL)::int AS l, COALESCE(lateral_exposure * workload_pods, 0) AS x,
           CASE WHEN lateral_exposure IS NOT NULL THEN workload_pods ELSE 0 END AS n
      FROM iv
    UNION ALL
    SELECT key, ${utcDay("valid_to")}, -1, -(np01 = 'pass')::int,
           -CASE WHEN production THEN allow_any_count ELSE 0 END, -controls_passed, -controls_failed,
           -(lateral_exposure IS NOT NULL)::int, -COALESCE(lateral_exposure * workload_pods, 0),
           -CASE WHEN lateral_exposure IS NOT NULL THEN workload_pods ELSE 0 END
      FROM iv WHERE valid_to IS NOT NULL AND valid_to < ${dEnd}
    UNION ALL
    SELECT key, ${utcDay("starts")}, 0, 0, 0, 0, -1, 0, 0, 0 FROM waived WHERE ends IS NULL OR ends > starts
    UNION ALL
    SELECT key, ${utcDay("ends")}, 0, 0, 0, 0, 1, 0, 0, 0 FROM waived WHERE ends > starts AND ends < ${dEnd}
  ),
  daily AS (SELECT key, day, sum(c) c, sum(e) e, sum(a) a, sum(p) p, sum(f) f, sum(l) l, sum(x) x, sum(n) n FROM deltas GROUP BY key, day),
  changes AS (
    SELECT key, day, sum(c) OVER w AS clusters, sum(e) OVER w AS enabled, sum(a) OVER w AS allow_any_prod,
           sum(p) OVER w AS passed, sum(f) OVER w AS failed,
           sum(l) OVER w AS with_exposure, (sum(x) OVER w)::float8 AS exposure_weighted, sum(n) OVER w AS exposure_pods
      FROM daily
    WINDOW w AS (PARTITION BY key ORDER BY day)
  )
  SELECT key, to_char(day, 'YYYY-MM-DD') AS day, clusters, enabled, allow_any_prod, passed, failed, with_exposure, exposure_weighted, exposure_pods
    FROM changes ORDER BY key, day`;

/** The KPI trend with its cluster figures read from the intervals, not the rollup. */
export function getKpiTrendFromIntervals(db: Database, params: KpiTrendParams): Promise<KpiTrendPoint[]> {
  return getKpiTrend(db, params, intervalClusterTrendSql);
}
