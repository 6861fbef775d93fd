import { describe, expect, test } from "vitest";
import { runCollection } from "@/lib/collector/run-collection";
import type { ClusterCost, CostReading } from "@/lib/costs/cluster-cost";
import { undoLastRun } from "@/lib/collector/undo-run";
import { createWaiver } from "@/lib/db/waivers";
import { DEFAULT_POSTURE_CONFIG } from "@/lib/posture";
import type { PostureSource, SourceFault } from "@/lib/sources/source";
import { at, makeCluster, scriptedSource, SUB_A, SUB_B } from "@/testing/estate-builders";
import { setupTestDatabase } from "@/testing/setup-test-database";
import { getKpiTrend } from "./get-kpi-trend";
import { getKpis } from "./get-kpis";
import { spendPeriod } from "./get-spend-kpis";

const db = setupTestDatabase({ resetBeforeEach: true });

const key = (subscription: string, name: string) => `/subscriptions/${subscription}/resourcegroups/rg-test/providers/microsoft.containerservice/managedclusters/${name}`;
const cost = (subscription: string, name: string, day: string, amount: number, currency = "EUR"): ClusterCost => ({ clusterKey: key(subscription, name), day, cost: amount, currency });

/** A scripted estate whose costs the test gives, with a 403 for the subscriptions named in `denied`. */
function withCosts(source: PostureSource, costs: ClusterCost[], denied: string[] = []): PostureSource {
  const forbidden: SourceFault = { cause: "forbidden", message: "Cost Management query: HTTP 403 RBACAccessDenied" };
  return {
    ...source,
    async readCosts(): Promise<CostReading> {
      return { costs, faults: denied.map((target) => ({ target, fault: forbidden })), fromDay: "", toDay: "" };
    },
  };
}

const collect = (source: PostureSource, capturedAt: string) => runCollection(db, { source, capturedAt: at(capturedAt), config: DEFAULT_POSTURE_CONFIG });
const kpis = async (asOf: string, by: "all" | "subscription" | "owner" = "all") => (await getKpis(db, { asOf: at(asOf), by })).groups;

// c1 has an engine (NP-01 passes; without in-cluster data NP-02/03 are n/a): not at risk. c2 has none: at risk.
const c1 = makeCluster({ name: "c1", owner: "team-a" });
const c2 = (policy: string) => makeCluster({ name: "c2", owner: "team-b", networkPolicy: policy });
const c3 = makeCluster({ subscription: SUB_B, name: "c3", owner: "team-b", networkPolicy: "none" });

describe("spend at risk (docs/design.md §5, docs/costs.md)", () => {
  test("the spend of clusters failing NP-01/02/03 on the day it was spent, its share, and the pass rate weighted by spend", async () => {
    await collect(withCosts(scriptedSource({ [SUB_A]: [c1, c2("none")] }), [cost(SUB_A, "c1", "2026-01-31", 300), cost(SUB_A, "c2", "2026-01-31", 100)]), "2026-02-01T06:00:00Z");
    // c2 gets an engine on Feb 2: its cost of Feb 1 is still at risk (it failed all that day), Feb 2's is not.
    await collect(withCosts(scriptedSource({ [SUB_A]: [c1, c2("azure")] }), [cost(SUB_A, "c1", "2026-02-01", 300), cost(SUB_A, "c2", "2026-02-01", 100)]), "2026-02-02T06:00:00Z");
    await collect(withCosts(scriptedSource({ [SUB_A]: [c1, c2("azure")] }), [cost(SUB_A, "c1", "2026-02-02", 300), cost(SUB_A, "c2", "2026-02-02", 100)]), "2026-02-03T06:00:00Z");

    const [group] = await kpis("2026-02-03T12:00:00Z");
    expect(group).toMatchObject({
      spendCurrency: "EUR",
      // The 30 complete days before asOf: a day still running has no cost yet.
      spendFromDay: "2026-01-04",
      spendToDay: "2026-02-02",
      // Jan 31 is before either cluster was first seen: no posture to judge it by, so it is not counted.
      spendTotal: 800,
      spendAtRisk: 100,
      spendAtRiskShare: 12.5,
      clustersWithCost: 2,
    });
    // Weighted by spend: c1 (pass rate 100%) 600 of it, c2 at 0% for 100 and at 100% for 100 → 700 / 800.
    expect(group.spendWeightedPassRate).toBe(87.5);

    // Per owner: showback.
    const byOwner = await kpis("2026-02-03T12:00:00Z", "owner");
    expect(byOwner.map((g) => [g.key, g.spendTotal, g.spendAtRisk, g.spendAtRiskShare])).toEqual([
      ["team-a", 600, 0, 0],
      ["team-b", 200, 100, 50],
    ]);
  });

  test("carry forward: a cluster not listed again keeps its failing posture for the days its cost comes in", async () => {
    await collect(withCosts(scriptedSource({ [SUB_A]: [c2("none")], [SUB_B]: [c3] }), []), "2026-02-01T06:00:00Z");
    // Feb 5: only SUB_B is listed (SUB_A's listing failed); Cost Management still reports c2's days.
    const failed: SourceFault = { cause: "server-error", message: "HTTP 500" };
    await collect(
      withCosts(scriptedSource({ [SUB_A]: failed, [SUB_B]: [c3] }), [cost(SUB_A, "c2", "2026-02-02", 40), cost(SUB_A, "c2", "2026-02-03", 40), cost(SUB_A, "c2", "2026-02-04", 40)], [SUB_B]),
      "2026-02-05T06:00:00Z",
    );
    const bySubscription = await kpis("2026-02-05T12:00:00Z", "subscription");
    expect(bySubscription.map((g) => [g.key, g.clusters, g.spendTotal, g.spendAtRisk, g.clustersWithCost])).toEqual([
      [SUB_A, 1, 120, 120, 1],
      // SUB_B answered 403 for costs: its spend is missing, never zero.
      [SUB_B, 1, null, null, 0],
    ]);
    expect(bySubscription[1]).toMatchObject({ spendCurrency: null, spendAtRiskShare: null, spendWeightedPassRate: null });
    const faults = await db.prisma.runError.findMany({ where: { scope: "cost" } });
    expect(faults.map((f) => [f.target, f.cause])).toEqual([[SUB_B, "forbidden"]]);
  });

  test("no cost at all: every spend figure null, the period still stated; a later run's restatement of a day wins, until that run is undone", async () => {
    await collect(scriptedSource({ [SUB_A]: [c2("none")] }), "2026-02-01T06:00:00Z");
    const [none] = await kpis("2026-02-01T12:00:00Z");
    expect(none).toMatchObject({ spendTotal: null, spendAtRisk: null, spendAtRiskShare: null, spendWeightedPassRate: null, spendCurrency: null, clustersWithCost: 0, spendFromDay: "2026-01-02", spendToDay: "2026-01-31" });

    await collect(withCosts(scriptedSource({ [SUB_A]: [c2("none")] }), [cost(SUB_A, "c2", "2026-02-01", 10)]), "2026-02-02T06:00:00Z");
    await collect(withCosts(scriptedSource({ [SUB_A]: [c2("none")] }), [cost(SUB_A, "c2", "2026-02-01", 12.5), cost(SUB_A, "c2", "2026-02-02", 10)]), "2026-02-03T06:00:00Z");
    expect((await kpis("2026-02-03T12:00:00Z"))[0]).toMatchObject({ spendTotal: 22.5, spendAtRisk: 22.5, spendAtRiskShare: 100, spendWeightedPassRate: 0 });
    // Undoing the last run takes its statements back: the earlier run's statement of Feb 1 counts again.
    await undoLastRun(db, "admin@example.com");
    expect((await kpis("2026-02-03T12:00:00Z"))[0]).toMatchObject({ spendTotal: 10, spendAtRisk: 10 });
  });

  test("a waived failure does not put spend at risk while the waiver is in force; currencies are never added up", async () => {
    await collect(scriptedSource({ [SUB_A]: [c2("none")] }), "2026-02-01T06:00:00Z");
    // Without an engine NP-01, NP-02 and NP-03 all fail: each is waived from Feb 2, 12:00, so Feb 1's
    // spend is at risk and Feb 2's (judged at the end of the day) is not.
    const findings = await db.prisma.finding.findMany({ where: { controlId: { in: ["NP-01", "NP-02", "NP-03"] } } });
    expect(findings.length).toBeGreaterThan(1);
    for (const finding of findings) {
      await createWaiver(db, { findingId: finding.id, reason: "retired next week", expiresAt: at("2026-02-20T00:00:00Z"), actor: "sec@example.com", at: at("2026-02-02T12:00:00Z") });
    }
    await collect(withCosts(scriptedSource({ [SUB_A]: [c2("none")] }), [cost(SUB_A, "c2", "2026-02-01", 50), cost(SUB_A, "c2", "2026-02-02", 50)]), "2026-02-03T06:00:00Z");
    expect((await kpis("2026-02-03T12:00:00Z"))[0]).toMatchObject({ spendTotal: 100, spendAtRisk: 50, spendAtRiskShare: 50 });
    // With one of them waived only, the spend stays at risk: the other controls still fail.
    await db.prisma.waiver.updateMany({ where: { controlId: "NP-01" }, data: { revokedAt: at("2026-02-02T13:00:00Z") } });
    await db.prisma.waiver.updateMany({ where: { controlId: "NP-02" }, data: { revokedAt: at("2026-02-02T13:00:00Z") } });
    expect((await kpis("2026-02-03T12:00:00Z"))[0]).toMatchObject({ spendTotal: 100, spendAtRisk: 100 });

    const c4 = makeCluster({ name: "c4", owner: "team-a" });
    await collect(withCosts(scriptedSource({ [SUB_A]: [c2("none"), c4] }), [cost(SUB_A, "c4", "2026-02-04", 70, "USD")]), "2026-02-04T06:00:00Z");
    expect((await kpis("2026-02-05T00:00:00Z"))[0]).toMatchObject({ spendCurrency: "mixed", spendTotal: null, spendAtRisk: null });
    const byOwner = await kpis("2026-02-05T00:00:00Z", "owner");
    expect(byOwner.map((g) => [g.key, g.spendCurrency, g.spendTotal])).toEqual([
      ["team-a", "USD", 70],
      ["team-b", "EUR", 100],
    ]);
  });

  test("the trend's point for a day equals the KPI at the end of that day", async () => {
    const days = ["2026-01-31", "2026-02-01", "2026-02-02", "2026-02-03"];
    for (const [index, day] of days.entries()) {
      const captured = `2026-02-0${index + 1}T06:00:00Z`;
      await collect(withCosts(scriptedSource({ [SUB_A]: [c1, c2(index < 2 ? "none" : "azure")] }), [cost(SUB_A, "c1", day, 30 + index), cost(SUB_A, "c2", day, 20)]), captured);
    }
    const trend = await getKpiTrend(db, { fromDay: at("2026-02-01T00:00:00Z"), toDay: at("2026-02-04T00:00:00Z"), by: "owner" });
    for (const point of trend) {
      const endOfDay = new Date(Date.parse(`${point.day}T00:00:00Z`) + 86_400_000);
      const group = (await getKpis(db, { asOf: endOfDay, by: "owner" })).groups.find((g) => g.key === point.key)!;
      expect(spendPeriod(endOfDay).toDay).toBe(point.day);
      expect({ day: point.day, key: point.key, risk: point.spendAtRisk, share: point.spendAtRiskShare, pass: point.spendWeightedPassRate }).toEqual({
        day: point.day,
        key: point.key,
        risk: group.spendAtRisk,
        share: group.spendAtRiskShare,
        pass: group.spendWeightedPassRate,
      });
    }
    expect(trend.find((p) => p.key === "team-b" && p.day === "2026-02-04")).toMatchObject({ spendAtRisk: 40, spendCurrency: "EUR" });
  });
});
