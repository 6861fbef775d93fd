import "server-only";
import { addDays, formatISO } from "date-fns";
import type { Database } from "@/lib/db/client";
import { Prisma } from "@prisma/client";
import { DEFAULT_MTTR_WINDOW_DAYS } from "./get-kpis";
import { emptySpendSums, getSpendTrend, spendFigures, type SpendSums } from "./get-spend-kpis";
import { ALL_SCOPE, exposureOf, groupKeySql, percent, roundTo1, scopeFilterSql, waivedControlFailsSql, type KpiGroupBy, type KpiScope } from "./scope";

/** The KPIs of one group at the end of one UTC day. */
export interface KpiTrendPoint {
  key: string;
  /** UTC day, YYYY-MM-DD. */
  day: string;
  clusters: number;
  clustersEnabled: number;
  percentEnabled: number | null;
  allowAnyRulesProduction: number;
  controlsPassed: number;
  controlsFailed: number;
  auditPassRate: number | null;
  /** Mean hours over NP-01 findings resolved in the 30 days ending that day. */
  mttrHours: number | null;
  resolvedFindings: number;
  /** Unrounded sum of hours to resolve over those findings, so groups can be merged exactly. */
  resolvedHours: number;
  openFindings: number;
  /** The pod-weighted mean lateral exposure (docs/design.md §5); null when no cluster in scope has one. */
  lateralExposure: number | null;
  clustersWithExposure: number;
  /** Σ exposure × pods and Σ pods behind lateralExposure, so groups can be merged exactly. */
  exposureWeighted: number;
  exposurePods: number;
  /** Spend over the 30 days ending that day (docs/costs.md): null when no cost was read for them. */
  spendCurrency: string | null;
  spendAtRisk: number | null;
  spendAtRiskShare: number | null;
  spendWeightedPassRate: number | null;
  /** The sums behind them, so groups can be merged exactly. */
  spendSums: SpendSums;
}

export interface KpiTrendParams {
  /** First and last UTC day, inclusive. */
  fromDay: Date;
  toDay: Date;
  by?: KpiGroupBy;
  scope?: KpiScope;
}

/** The running interval sums of one group on the days they change (waived failures taken off). */
export type ClusterTrendRow = {
  key: string;
  day: string;
  clusters: bigint;
  enabled: bigint;
  allow_any_prod: bigint;
  passed: bigint;
  failed: bigint;
  with_exposure: bigint;
  exposure_weighted: number;
  exposure_pods: bigint;
};
type FindingTrendRow = { key: string; day: string; resolved: bigint; hours: number; open: bigint };

/** The window and grouping a trend's cluster query answers, as SQL fragments and values. */
export interface ClusterTrendWindow {
  by: KpiGroupBy;
  scope: KpiScope;
  /** Start of the first day and of the day after the last, as timestamptz. */
  d0: Prisma.Sql;
  dEnd: Prisma.Sql;
  /** The first and last day, as date. */
  day0: Prisma.Sql;
  dayLast: Prisma.Sql;
  /** A timestamptz column's UTC day, days before the window folded into the day before it. */
  utcDay: (column: string) => Prisma.Sql;
}

/** The statement behind a trend's cluster figures; testing/kpi-trend-reference.ts swaps in the one that derives them from the intervals. */
export type ClusterTrendQuery = (window: ClusterTrendWindow) => Prisma.Sql;

/**
 * The cluster figures from the rollup (trend_interval_days, docs/storage.md "The trend rollup"): each
 * day's change in the interval sums, kept per day × subscription × owner by triggers on the
 * intervals. Days before the window fold into the day before it; a group is in the trend when an
 * interval of it is in force in the window (one open when it starts, or one starting inside it), as
 * when the trend read the intervals themselves. Waived failures are not additive per interval (a
 * waiver covers part of one), so they are read live: a join from the few waivers to their
 * clusters' intervals.
 */
export const rollupClusterTrendSql: ClusterTrendQuery = ({ by, scope, d0, dEnd, day0, dayLast, utcDay }) => Prisma.sql`
  WITH waived AS (
    SELECT ${groupKeySql(by, "pi")} AS key, GREATEST(pi.valid_from, w.created_at) AS starts, LEAST(pi.valid_to, w.expires_at, w.revoked_at) AS ends
      FROM waivers w JOIN posture_intervals pi ON pi.cluster_id = w.cluster_id
     WHERE pi.valid_from < ${dEnd} AND (pi.valid_to IS NULL OR pi.valid_to >= ${d0}) AND ${scopeFilterSql(scope, "pi")} AND ${waivedControlFailsSql("pi")}
  ),
  -- Per-row deltas as int (a day × group's change fits), so the sums below stay bigint, not numeric.
  deltas AS (
    SELECT ${groupKeySql(by, "t")} AS key, t.day, t.starts AS s, t.clusters AS c, t.enabled AS e, t.allow_any_prod::int AS a, t.passed::int AS p,
           t.failed::int AS f, t.with_exposure AS l, t.exposure_weighted AS x, t.exposure_pods::int AS n
      FROM trend_interval_days t
     WHERE t.day <= ${dayLast} AND ${scopeFilterSql(scope, "t")}
    UNION ALL
    SELECT key, ${utcDay("starts")}, 0, 0, 0, 0, 0, -1, 0, 0, 0 FROM waived WHERE ends IS NULL OR ends > starts
    UNION ALL
    SELECT key, ${utcDay("ends")}, 0, 0, 0, 0, 0, 1, 0, 0, 0 FROM waived WHERE ends > starts AND ends < ${dEnd}
  ),
  daily AS (
    SELECT key, GREATEST(day, ${day0} - 1) AS day, sum(s) FILTER (WHERE day >= ${day0}) AS s, sum(c) c, sum(e) e, sum(a) a, sum(p) p, sum(f) f,
           sum(l) l, sum(x) x, sum(n) n
      FROM deltas GROUP BY 1, 2
  ),
  keys AS (SELECT key FROM daily GROUP BY key HAVING sum(c) FILTER (WHERE day < ${day0}) > 0 OR sum(s) > 0),
  changes AS (
    SELECT key, day, sum(c) OVER w AS clusters, sum(e) OVER w AS enabled, sum(a) OVER w AS allow_any_prod,
           sum(p) OVER w AS passed, sum(f) OVER w AS failed,
           sum(l) OVER w AS with_exposure, (sum(x) OVER w)::float8 AS exposure_weighted, sum(n) OVER w AS exposure_pods
      FROM daily
     WHERE key IN (SELECT key FROM keys)
    WINDOW w AS (PARTITION BY key ORDER BY day)
  )
  SELECT key, to_char(day, 'YYYY-MM-DD') AS day, clusters::bigint, enabled::bigint, allow_any_prod::bigint, passed::bigint, failed::bigint,
         with_exposure::bigint, exposure_weighted, exposure_pods::bigint
    FROM changes ORDER BY key, day`;

export function startOfUtcDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

/** The window and grouping of a trend; null when it ends before it starts. */
export function trendWindow(params: KpiTrendParams): (ClusterTrendWindow & { firstDay: Date; lastDay: Date }) | null {
  const firstDay = startOfUtcDay(params.fromDay);
  const lastDay = startOfUtcDay(params.toDay);
  if (lastDay < firstDay) return null;
  const day0 = Prisma.sql`${formatISO(firstDay, { representation: "date" })}::date`;
  return {
    by: params.by ?? "all",
    scope: params.scope ?? ALL_SCOPE,
    firstDay,
    lastDay,
    d0: Prisma.sql`${firstDay}::timestamptz`,
    dEnd: Prisma.sql`${addDays(lastDay, 1)}::timestamptz`,
    day0,
    dayLast: Prisma.sql`${formatISO(lastDay, { representation: "date" })}::date`,
    utcDay: (column: string) => Prisma.sql`GREATEST((${Prisma.raw(column)} AT TIME ZONE 'UTC')::date, ${day0} - 1)`,
  };
}

/**
 * A KPI trend (docs/design.md §5): the KPIs at the end of each UTC day. Computed from change events
 * summed per day and accumulated, so a year costs one pass over the changes, not 365 point-in-time
 * queries: interval starts and ends come summed per day from the rollup (rollupClusterTrendSql),
 * waivers and finding openings and resolutions are read as they are.
 */
export async function getKpiTrend(db: Database, params: KpiTrendParams, clusterTrendSql: ClusterTrendQuery = rollupClusterTrendSql): Promise<KpiTrendPoint[]> {
  const window = trendWindow(params);
  if (!window) return [];
  const { by, scope, firstDay, lastDay, d0, dEnd, day0, dayLast, utcDay } = window;

  const [clusterRows, findingRows, spendTrend] = await Promise.all([
    db.prisma.$queryRaw<ClusterTrendRow[]>(clusterTrendSql(window)),
    db.prisma.$queryRaw<FindingTrendRow[]>(Prisma.sql`
      WITH f AS (
        SELECT f.*, ${groupKeySql(by, "f")} AS key
          FROM findings f
         WHERE f.control_id = 'NP-01' AND f.opened_at < ${dEnd}
           AND (f.resolved_at IS NULL OR f.resolved_at >= ${d0} - ${`${DEFAULT_MTTR_WINDOW_DAYS + 1} days`}::interval)
           AND ${scopeFilterSql(scope, "f")}
      ),
      waived AS (
        SELECT f.key, GREATEST(f.opened_at, w.created_at) AS starts, LEAST(f.resolved_at, w.expires_at, w.revoked_at) AS ends
          FROM f JOIN waivers w ON w.finding_id = f.id
      ),
      deltas AS (
        -- A resolved finding counts towards MTTR from its resolution day for the window's length.
        SELECT key, ${utcDay("resolved_at")} AS day, 1 AS r, extract(epoch FROM resolved_at - opened_at) / 3600.0 AS h, 0 AS o
          FROM f WHERE resolution = 'passed'
        UNION ALL
        SELECT key, GREATEST((resolved_at AT TIME ZONE 'UTC')::date + ${DEFAULT_MTTR_WINDOW_DAYS}::int, ${day0} - 1), -1,
               -extract(epoch FROM resolved_at - opened_at) / 3600.0, 0
          FROM f WHERE resolution = 'passed'
        UNION ALL
        SELECT key, ${utcDay("opened_at")}, 0, 0, 1 FROM f
        UNION ALL
        SELECT key, ${utcDay("resolved_at")}, 0, 0, -1 FROM f WHERE resolved_at IS NOT NULL
        UNION ALL
        SELECT key, ${utcDay("starts")}, 0, 0, -1 FROM waived WHERE ends IS NULL OR ends > starts
        UNION ALL
        SELECT key, ${utcDay("ends")}, 0, 0, 1 FROM waived WHERE ends > starts
      ),
      daily AS (SELECT key, day, sum(r) r, sum(h) h, sum(o) o FROM deltas WHERE day <= ${dayLast} GROUP BY key, day),
      changes AS (
        SELECT key, day, sum(r) OVER w AS resolved, (sum(h) OVER w)::float8 AS hours, sum(o) OVER w AS open
          FROM daily
        WINDOW w AS (PARTITION BY key ORDER BY day)
      )
      SELECT key, to_char(day, 'YYYY-MM-DD') AS day, resolved, hours, open FROM changes ORDER BY key, day`),
    getSpendTrend(db, { firstDay, lastDay, by, scope }),
  ]);

  const points = new Map<string, KpiTrendPoint>();
  const pointFor = (key: string, dayText: string): KpiTrendPoint => {
    const id = `${key}\u0000${dayText}`;
    let point = points.get(id);
    if (!point) {
      point = {
        key,
        day: dayText,
        clusters: 0,
        clustersEnabled: 0,
        percentEnabled: null,
        allowAnyRulesProduction: 0,
        controlsPassed: 0,
        controlsFailed: 0,
        auditPassRate: null,
        mttrHours: null,
        resolvedFindings: 0,
        resolvedHours: 0,
        openFindings: 0,
        lateralExposure: null,
        clustersWithExposure: 0,
        exposureWeighted: 0,
        exposurePods: 0,
        spendCurrency: null,
        spendAtRisk: null,
        spendAtRiskShare: null,
        spendWeightedPassRate: null,
        spendSums: emptySpendSums(),
      };
      points.set(id, point);
    }
    return point;
  };
  // The queries return the running totals on the days they change; each day carries the last change.
  const days: string[] = [];
  for (let ms = firstDay.getTime(); ms <= lastDay.getTime(); ms += 86_400_000) days.push(new Date(ms).toISOString().slice(0, 10));
  fillDays(clusterRows, days, pointFor, (point, row) => {
    point.clusters = Number(row.clusters);
    point.clustersEnabled = Number(row.enabled);
    point.percentEnabled = percent(point.clustersEnabled, point.clusters);
    point.allowAnyRulesProduction = Number(row.allow_any_prod);
    point.controlsPassed = Number(row.passed);
    point.controlsFailed = Number(row.failed);
    point.auditPassRate = percent(point.controlsPassed, point.controlsPassed + point.controlsFailed);
    point.clustersWithExposure = Number(row.with_exposure);
    point.exposurePods = Number(row.exposure_pods);
    point.exposureWeighted = point.exposurePods > 0 ? Number(row.exposure_weighted) : 0;
    point.lateralExposure = exposureOf(point.exposureWeighted, point.exposurePods);
  });
  fillDays(findingRows, days, pointFor, (point, row) => {
    point.resolvedFindings = Number(row.resolved);
    point.resolvedHours = point.resolvedFindings > 0 ? Number(row.hours) : 0;
    point.mttrHours = point.resolvedFindings > 0 ? roundTo1(Number(row.hours) / point.resolvedFindings) : null;
    point.openFindings = Number(row.open);
  });
  for (const [key, byDay] of spendTrend) {
    for (const [day, sums] of byDay) {
      const point = pointFor(key, day);
      const figures = spendFigures(sums, { fromDay: "", toDay: day }, 0);
      point.spendSums = sums;
      point.spendCurrency = figures.spendCurrency;
      point.spendAtRisk = figures.spendAtRisk;
      point.spendAtRiskShare = figures.spendAtRiskShare;
      point.spendWeightedPassRate = figures.spendWeightedPassRate;
    }
  }
  // By key, then day: the keys sorted (a few dozen), the days already in order. Sorting every point
  // instead (thousands per owner split) was a noticeable part of a 365-day trend.
  const keys = [...new Set([...points.values()].map((point) => point.key))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return keys.flatMap((key) => days.flatMap((day) => points.get(`${key}\u0000${day}`) ?? []));
}

/** Rows sorted by key and day (running totals on change days): every day of every key gets the latest row at or before it. */
function fillDays<Row extends { key: string; day: string }>(
  rows: Row[],
  days: string[],
  pointFor: (key: string, day: string) => KpiTrendPoint,
  apply: (point: KpiTrendPoint, row: Row) => void,
): void {
  for (let start = 0; start < rows.length; ) {
    let end = start;
    while (end < rows.length && rows[end].key === rows[start].key) end += 1;
    let next = start;
    let current: Row | undefined;
    for (const day of days) {
      while (next < end && rows[next].day <= day) current = rows[next++];
      const point = pointFor(rows[start].key, day);
      if (current) apply(point, current);
    }
    start = end;
  }
}
