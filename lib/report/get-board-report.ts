import "server-only";
import { subDays } from "date-fns";
import type { Database } from "@/lib/db/client";
import { getRiskRanking, type RiskRow } from "@/lib/data/get-risk-ranking";
import { getTrendSeries, type TrendSeries, type TrendSeriesParams } from "@/lib/data/get-trend-series";
import { getOverdueByOwner, type OverdueOwnerRow } from "@/lib/findings/get-overdue-by-owner";
import { getKpis, type GetKpisParams, type KpiGroup, type KpiReport } from "@/lib/kpi/get-kpis";
import type { KpiScope } from "@/lib/kpi/scope";

/** The board report compares with this many days earlier, and charts this many. */
export const REPORT_COMPARE_DAYS = 30;
export const REPORT_CHART_DAYS = 365;

export interface BoardReportData {
  asOf: string;
  beforeAt: string;
  now: KpiGroup;
  before: KpiGroup | null;
  /** Daily figures for the chart (the last 12 months). */
  trend: TrendSeries;
  riskOwners: RiskRow[];
  /** SLA breaches per owner (open, not waived, extended or not), critical and high first. */
  breaches: { owners: OverdueOwnerRow[]; total: number };
}

/** Where the report's KPIs, trend and risk ranking come from: the functions themselves, or the server's cached ones (lib/data/cached-figures.ts). */
export interface BoardReportSources {
  kpis: (db: Database, params: GetKpisParams) => Promise<KpiReport>;
  trend: (db: Database, params: TrendSeriesParams) => Promise<TrendSeries>;
  risk: typeof getRiskRanking;
}

/** Everything the board report shows, at one time, in one scope. */
export async function getBoardReport(
  db: Database,
  options: { asOf: Date; scope: KpiScope },
  sources: BoardReportSources = { kpis: getKpis, trend: getTrendSeries, risk: getRiskRanking },
): Promise<BoardReportData> {
  const beforeAt = subDays(options.asOf, REPORT_COMPARE_DAYS);
  const [now, before, trend, riskOwners, breaches] = await Promise.all([
    sources.kpis(db, { asOf: options.asOf, scope: options.scope }),
    sources.kpis(db, { asOf: beforeAt, scope: options.scope }),
    sources.trend(db, { toDay: options.asOf, range: REPORT_CHART_DAYS, by: "none", scope: options.scope }),
    sources.risk(db, { asOf: options.asOf, by: "owner", scope: options.scope }),
    getOverdueByOwner(db, { now: options.asOf, scope: options.scope, limit: 50 }),
  ]);
  return {
    asOf: options.asOf.toISOString(),
    beforeAt: beforeAt.toISOString(),
    now: now.groups[0],
    before: before.groups[0] ?? null,
    trend,
    riskOwners: riskOwners.filter((row) => row.failingClusters > 0 || row.allowAnyRules > 0).slice(0, 8),
    breaches: {
      owners: [...breaches.owners].filter((row) => row.severe > 0).sort((a, b) => b.severe - a.severe || b.overdue - a.overdue || a.owner.localeCompare(b.owner)).slice(0, 10),
      total: breaches.totalOverdue,
    },
  };
}
