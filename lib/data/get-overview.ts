import "server-only";
import type { Database } from "@/lib/db/client";
import type { KpiScope } from "@/lib/kpi/scope";
import { getAdvisorySummary, type AdvisorySummary } from "./get-advisory-summary";
import { getLastRun, type LastRunSummary } from "./get-last-run";
import { getRiskRanking, type RiskRow } from "./get-risk-ranking";
import { listUnprotectedProductionClusters, type UnprotectedClusters } from "./list-unprotected-production-clusters";

/** Everything on the Overview besides the KPI cards, at one time and scope. */
export interface OverviewData {
  asOf: string;
  risk: { byOwner: RiskRow[]; bySubscription: RiskRow[] };
  unprotectedProduction: UnprotectedClusters;
  advisories: AdvisorySummary[];
  lastRun: LastRunSummary;
}

export async function getOverview(db: Database, params: { asOf: Date; scope: KpiScope }): Promise<OverviewData> {
  const [byOwner, bySubscription, unprotectedProduction, advisories, lastRun] = await Promise.all([
    getRiskRanking(db, { ...params, by: "owner" }),
    getRiskRanking(db, { ...params, by: "subscription" }),
    listUnprotectedProductionClusters(db, params),
    getAdvisorySummary(db, params),
    getLastRun(db, params),
  ]);
  return { asOf: params.asOf.toISOString(), risk: { byOwner, bySubscription }, unprotectedProduction, advisories, lastRun };
}
