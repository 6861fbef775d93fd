import { expect, test } from "vitest";
import type { KpiGroup } from "@/lib/kpi/get-kpis";
import { kpiGroup } from "@/testing/kpi-group";
import { KPIS, type KpiId } from "./kpi-meta";

// 60 clusters, 58 of them with a cost in EUR over 7 Nov – 6 Dec 2026.
const withCost = { clusters: 60, spendCurrency: "EUR", spendFromDay: "2026-11-07", spendToDay: "2026-12-06", spendTotal: 182340.55, spendAtRisk: 41210.1, spendAtRiskShare: 22.6, spendWeightedPassRate: 64.8, clustersWithCost: 58 };
const group = (overrides: Partial<KpiGroup>): KpiGroup => kpiGroup({ ...withCost, ...overrides });
const kpi = (id: KpiId) => KPIS.find((item) => item.id === id)!;
const noCost = { spendCurrency: null, spendTotal: null, spendAtRisk: null, spendAtRiskShare: null, spendWeightedPassRate: null, clustersWithCost: 0 };
const mixed = { ...noCost, spendCurrency: "mixed", clustersWithCost: 60 };

test("the spend figures state their currency and period", () => {
  expect(kpi("spendAtRisk").display(group({}))).toBe("EUR 41,210");
  expect(kpi("spendAtRisk").detail(group({}))).toBe("22.6% of EUR 182,341 AKS spend · 7 Nov – 6 Dec 2026 (UTC) · cost known for 58 of 60 clusters");
  expect(kpi("spendWeightedPassRate").display(group({}))).toBe("64.8%");
  expect(kpi("spendWeightedPassRate").detail(group({}))).toBe("Weighted by EUR spend · 7 Nov – 6 Dec 2026 (UTC) · unweighted 71.4%");
});

test("without cost data both spend figures say so, never zero or a bare dash", () => {
  expect(kpi("spendAtRisk").display(group(noCost))).toBe("No cost data");
  expect(kpi("spendAtRisk").detail(group(noCost))).toBe("Cost data missing for 7 Nov – 6 Dec 2026 (UTC): not counted as zero");
  expect(kpi("spendWeightedPassRate").display(group(noCost))).toBe("No cost data");
  expect(kpi("spendWeightedPassRate").detail(group(noCost))).toBe("No cost data to weigh by · 7 Nov – 6 Dec 2026 (UTC)");
});

test("several billing currencies are named as such, not added up or weighed together", () => {
  expect(kpi("spendAtRisk").display(group(mixed))).toBe("Mixed currencies");
  expect(kpi("spendWeightedPassRate").display(group(mixed))).toBe("Mixed currencies");
  expect(kpi("spendWeightedPassRate").detail(group(mixed))).toBe("Clusters are billed in several currencies, which are not weighed together · 7 Nov – 6 Dec 2026 (UTC)");
});
