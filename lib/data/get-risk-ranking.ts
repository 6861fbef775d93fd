import "server-only";
import type { Database } from "@/lib/db/client";
import { Prisma } from "@prisma/client";
import { exposureOf, exposureSumsSql, scopeFilterSql, waivedControlFailsSql, waiverActiveSql, type KpiScope } from "@/lib/kpi/scope";
import { getSpendKpis, missingSpend, type SpendFigures } from "@/lib/kpi/get-spend-kpis";

export type RiskDimension = "owner" | "subscription";

/** Where the risk sits: one owner or subscription, over its production clusters at a time. */
export interface RiskRow {
  key: string;
  /** The subscription's display name, or the owner itself. */
  label: string;
  productionClusters: number;
  /** Production clusters with at least one failing control that is not waived. */
  failingClusters: number;
  /** Production clusters whose NP-01 fails (no policy engine). */
  withoutEngine: number;
  allowAnyRules: number;
  /** Failed control results over those clusters, waived ones left out. */
  failedChecks: number;
  /** The pod-weighted lateral exposure of those clusters (docs/design.md §5); null when none has in-cluster data. */
  lateralExposure: number | null;
  /** Showback (docs/costs.md): the spend at risk of all the group's clusters over the 30 days, production or not; null without cost data. */
  spend: Pick<SpendFigures, "spendCurrency" | "spendAtRisk" | "spendTotal" | "spendAtRiskShare" | "spendFromDay" | "spendToDay">;
}

type RawRiskRow = {
  key: string;
  label: string | null;
  clusters: bigint;
  failing: bigint;
  without_engine: bigint;
  allow_any: bigint;
  failed_checks: bigint;
  with_exposure: bigint;
  exposure_weighted: number;
  exposure_pods: bigint;
};

/**
 * Production clusters in scope at `asOf` (carried forward, docs/design.md §3) grouped by owner or
 * subscription, ranked by failing clusters, then allow-any rules, then lateral exposure. A waived
 * failure does not make a cluster failing, as it leaves the KPIs.
 */
export async function getRiskRanking(db: Database, params: { asOf: Date; by: RiskDimension; scope: KpiScope }): Promise<RiskRow[]> {
  const at = Prisma.sql`${params.asOf}::timestamptz`;
  const key = params.by === "owner" ? Prisma.sql`l.owner` : Prisma.sql`l.subscription_id`;
  const label = params.by === "owner" ? Prisma.sql`l.owner` : Prisma.sql`COALESCE(s.display_name, l.subscription_id)`;
  const spending = getSpendKpis(db, { asOf: params.asOf, by: params.by, scope: params.scope });
  const rows = await db.prisma.$queryRaw<RawRiskRow[]>(Prisma.sql`
    WITH live AS (
      SELECT pi.* FROM posture_intervals pi
       WHERE pi.production AND pi.valid_from <= ${at} AND (pi.valid_to IS NULL OR pi.valid_to > ${at})
         AND ${scopeFilterSql(params.scope, "pi")}
    ),
    waived AS (
      SELECT l.cluster_id, count(DISTINCT w.control_id) AS waived
        FROM live l JOIN waivers w ON w.cluster_id = l.cluster_id
       WHERE ${waiverActiveSql(at)} AND ${waivedControlFailsSql("l")}
       GROUP BY l.cluster_id
    )
    SELECT ${key} AS key, min(${label}) AS label,
           count(*) AS clusters,
           count(*) FILTER (WHERE l.controls_failed - COALESCE(wv.waived, 0) > 0) AS failing,
           count(*) FILTER (WHERE l.np01 = 'fail') AS without_engine,
           COALESCE(sum(l.allow_any_count), 0) AS allow_any,
           COALESCE(sum(l.controls_failed - COALESCE(wv.waived, 0)), 0) AS failed_checks,
           ${exposureSumsSql("l")}
      FROM live l
      LEFT JOIN waived wv ON wv.cluster_id = l.cluster_id
      LEFT JOIN subscriptions s ON s.id = l.subscription_id
     GROUP BY 1
     ORDER BY failing DESC, allow_any DESC,
              sum(l.lateral_exposure * l.workload_pods) / NULLIF(sum(l.workload_pods) FILTER (WHERE l.lateral_exposure IS NOT NULL), 0) DESC NULLS LAST,
              without_engine DESC, 1`);
  const spend = await spending;
  return rows.map((row) => ({
    spend: pickSpend(spend.get(row.key) ?? missingSpend(params.asOf)),
    key: row.key,
    label: row.label ?? row.key,
    productionClusters: Number(row.clusters),
    failingClusters: Number(row.failing),
    withoutEngine: Number(row.without_engine),
    allowAnyRules: Number(row.allow_any),
    failedChecks: Number(row.failed_checks),
    lateralExposure: exposureOf(Number(row.exposure_weighted), Number(row.exposure_pods)),
  }));
}

function pickSpend({ spendCurrency, spendAtRisk, spendTotal, spendAtRiskShare, spendFromDay, spendToDay }: SpendFigures): RiskRow["spend"] {
  return { spendCurrency, spendAtRisk, spendTotal, spendAtRiskShare, spendFromDay, spendToDay };
}
