import "server-only";
import { subDays } from "date-fns/subDays";
import type { Database } from "@/lib/db/client";
import { getClusterKpis } from "./get-cluster-kpis";
import { getMttr } from "./get-mttr";
import { DEFAULT_MTTR_WINDOW_DAYS } from "./mttr-window";
import { getSpendKpis, missingSpend, type SpendFigures } from "./get-spend-kpis";
import { ALL_SCOPE, exposureOf, percent, roundTo1, type KpiGroupBy, type KpiScope } from "./scope";

/** One group of the `kpis --json` shape (docs/design.md §6), with the spend figures (docs/costs.md). */
export interface KpiGroup extends SpendFigures {
  key: string;
  clusters: number;
  clustersEnabled: number;
  percentEnabled: number | null;
  mttrHours: number | null;
  mttrMedianHours: number | null;
  resolvedFindings: number;
  openFindings: number;
  allowAnyRulesProduction: number;
  controlsPassed: number;
  controlsFailed: number;
  auditPassRate: number | null;
  /** The pod-weighted mean lateral exposure (docs/design.md §5), percent; null when no cluster in scope has one. */
  lateralExposure: number | null;
  /** Clusters whose exposure it weighs: those with in-cluster data and two pods or more. */
  clustersWithExposure: number;
}

export interface KpiReport {
  asOf: string;
  from: string;
  by: KpiGroupBy;
  groups: KpiGroup[];
}

export { DEFAULT_MTTR_WINDOW_DAYS };

export interface GetKpisParams {
  asOf: Date;
  /** Start of the MTTR window, exclusive; default 30 days before asOf. */
  from?: Date;
  by?: KpiGroupBy;
  scope?: KpiScope;
}

/** The five KPIs at one time, per group (docs/design.md §5). */
export async function getKpis(db: Database, params: GetKpisParams): Promise<KpiReport> {
  const by = params.by ?? "all";
  const scope = params.scope ?? ALL_SCOPE;
  const from = params.from ?? subDays(params.asOf, DEFAULT_MTTR_WINDOW_DAYS);
  const [clusterRows, mttrRows, spendByKey] = await Promise.all([
    getClusterKpis(db, { asOf: params.asOf, by, scope }),
    getMttr(db, { from, to: params.asOf, by, scope }),
    getSpendKpis(db, { asOf: params.asOf, by, scope }),
  ]);
  const keys = new Set([...clusterRows.map((row) => row.key), ...mttrRows.map((row) => row.key), ...spendByKey.keys()]);
  if (by === "all") keys.add("all");
  const clustersByKey = new Map(clusterRows.map((row) => [row.key, row]));
  const mttrByKey = new Map(mttrRows.map((row) => [row.key, row]));
  const groups = [...keys].sort(compareKeys).map((key): KpiGroup => {
    const c = clustersByKey.get(key);
    const m = mttrByKey.get(key);
    const passed = c?.controlsPassed ?? 0;
    const failed = c?.controlsFailed ?? 0;
    return {
      key,
      clusters: c?.clusters ?? 0,
      clustersEnabled: c?.clustersEnabled ?? 0,
      percentEnabled: percent(c?.clustersEnabled ?? 0, c?.clusters ?? 0),
      mttrHours: roundTo1(m?.mttrHours ?? null),
      mttrMedianHours: roundTo1(m?.mttrMedianHours ?? null),
      resolvedFindings: m?.resolvedFindings ?? 0,
      openFindings: m?.openFindings ?? 0,
      allowAnyRulesProduction: c?.allowAnyRulesProduction ?? 0,
      controlsPassed: passed,
      controlsFailed: failed,
      auditPassRate: percent(passed, passed + failed),
      lateralExposure: exposureOf(c?.exposureWeighted ?? 0, c?.exposurePods ?? 0),
      clustersWithExposure: c?.clustersWithExposure ?? 0,
      ...(spendByKey.get(key) ?? missingSpend(params.asOf)),
    };
  });
  return { asOf: params.asOf.toISOString(), from: from.toISOString(), by, groups };
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
