import type { KpiGroup } from "@/lib/kpi/get-kpis";

/** One KPI group with plausible figures and no cost data, for tests of how KPIs read; override what a test is about. */
export const kpiGroup = (overrides: Partial<KpiGroup> = {}): KpiGroup => ({
  key: "all",
  clusters: 100,
  clustersEnabled: 80,
  percentEnabled: 80,
  mttrHours: 48,
  mttrMedianHours: 40,
  resolvedFindings: 4,
  openFindings: 20,
  allowAnyRulesProduction: 10,
  controlsPassed: 500,
  controlsFailed: 200,
  auditPassRate: 71.4,
  lateralExposure: 42.5,
  clustersWithExposure: 60,
  spendCurrency: null,
  spendFromDay: "2026-11-08",
  spendToDay: "2026-12-07",
  spendTotal: null,
  spendAtRisk: null,
  spendAtRiskShare: null,
  spendWeightedPassRate: null,
  clustersWithCost: 0,
  ...overrides,
});
