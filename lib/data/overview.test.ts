import { beforeAll, describe, expect, test } from "vitest";
import { runCollection } from "@/lib/collector/run-collection";
import { createWaiver } from "@/lib/db/waivers";
import { DEFAULT_POSTURE_CONFIG } from "@/lib/posture";
import type { PostureSource } from "@/lib/sources/source";
import { at, makeCluster, makeInCluster, scriptedSource, SUB_A, SUB_B } from "@/testing/estate-builders";
import { setupTestDatabase } from "@/testing/setup-test-database";
import { getAdvisorySummary } from "./get-advisory-summary";
import { getLastRun } from "./get-last-run";
import { getOverview } from "./get-overview";
import { getRiskRanking } from "./get-risk-ranking";
import { listUnprotectedProductionClusters } from "./list-unprotected-production-clusters";

const db = setupTestDatabase();
const collect = (source: PostureSource, capturedAt: string) => runCollection(db, { source, capturedAt: at(capturedAt), config: DEFAULT_POSTURE_CONFIG });

// The estate: payments has two failing production clusters (one without an engine) with allow-any
// rules; search has one passing production cluster in A and one without an engine in B.
const aProd1 = makeCluster({ name: "a-prod-1", owner: "payments", production: true, networkPolicy: "none" });
const aProd2 = makeCluster({ name: "a-prod-2", owner: "payments", production: true });
const aProd3 = makeCluster({ name: "a-prod-3", owner: "search", production: true });
const aDev = { ...makeCluster({ name: "a-dev", owner: "search", production: false }), networkProfile: { networkPlugin: "kubenet", networkPolicy: "calico" } };
const aWin = {
  ...makeCluster({ name: "a-win", owner: "search", production: false }),
  agentPoolProfiles: [{ name: "system", count: 3, osType: "Linux", mode: "System" }, { name: "win", count: 2, osType: "Windows", mode: "User" }],
};
const aLarge = { ...makeCluster({ name: "a-large", owner: "search", production: false }), agentPoolProfiles: [{ name: "system", count: 300, osType: "Linux", mode: "System" }] };
const bProd = makeCluster({ subscription: SUB_B, name: "b-prod", owner: "search", production: true, networkPolicy: null });
const inCluster = {
  "a-prod-1": makeInCluster({ allowAnyIngress: true }),
  "a-prod-2": makeInCluster({ allowAnyIngress: true }),
  "a-prod-3": makeInCluster(),
};

beforeAll(async () => {
  await db.prisma.subscription.create({ data: { id: SUB_B, displayName: "Search Prod", firstSeenAt: at("2026-03-01T00:00:00Z") } });
  await collect(scriptedSource({ [SUB_B]: [bProd] }), "2026-03-01T06:00:00Z");
  await collect(scriptedSource({ [SUB_A]: [aProd1, aProd2, aProd3, aDev, aWin, aLarge], [SUB_B]: [bProd] }, inCluster), "2026-03-02T06:00:00Z");
  // b-prod is deleted: SUB_B's complete listing no longer has it.
  await collect(scriptedSource({ [SUB_A]: [aProd1, aProd2, aProd3, aDev, aWin, aLarge], [SUB_B]: [] }, { ...inCluster, "a-prod-3": { cause: "unreachable", message: "API server timed out" } }), "2026-03-03T06:00:00Z");
});

// No costs were read for this estate: the showback column is missing, not zero.
const noSpend = { spendCurrency: null, spendAtRisk: null, spendTotal: null, spendAtRiskShare: null, spendFromDay: "2026-01-31", spendToDay: "2026-03-01" };

describe("risk ranking", () => {
  test("owners and subscriptions ranked by failing production clusters, then allow-any rules", async () => {
    const byOwner = await getRiskRanking(db, { asOf: at("2026-03-02T12:00:00Z"), by: "owner", scope: {} });
    // Lateral exposure is null: these clusters' in-cluster data has one workload namespace and no pods,
    // so none has the two pods the KPI needs (docs/design.md §5).
    expect(byOwner).toEqual([
      { key: "payments", label: "payments", productionClusters: 2, failingClusters: 2, withoutEngine: 1, allowAnyRules: 2, failedChecks: expect.any(Number), lateralExposure: null, spend: noSpend },
      { key: "search", label: "search", productionClusters: 2, failingClusters: 1, withoutEngine: 1, allowAnyRules: 0, failedChecks: expect.any(Number), lateralExposure: null, spend: noSpend },
    ]);
    const bySubscription = await getRiskRanking(db, { asOf: at("2026-03-02T12:00:00Z"), by: "subscription", scope: {} });
    expect(bySubscription.map((row) => [row.key, row.label, row.productionClusters, row.failingClusters])).toEqual([
      [SUB_A, SUB_A, 3, 2],
      [SUB_B, "Search Prod", 1, 1],
    ]);
  });

  test("non-production clusters are not counted, deleted clusters drop out, and both filters apply together", async () => {
    const afterDeletion = await getRiskRanking(db, { asOf: at("2026-03-03T12:00:00Z"), by: "owner", scope: {} });
    expect(afterDeletion.find((row) => row.key === "search")).toMatchObject({ productionClusters: 1, failingClusters: 0, withoutEngine: 0 });
    const scoped = await getRiskRanking(db, { asOf: at("2026-03-02T12:00:00Z"), by: "owner", scope: { subscriptionId: SUB_A, owner: "search" } });
    expect(scoped).toEqual([expect.objectContaining({ key: "search", productionClusters: 1, failingClusters: 0 })]);
    expect(await getRiskRanking(db, { asOf: at("2026-02-01T00:00:00Z"), by: "owner", scope: {} })).toEqual([]);
  });

  test("a cluster whose only failure is waived is not failing while the waiver is in force", async () => {
    const finding = await db.prisma.finding.findFirstOrThrow({ where: { controlId: "NP-06", cluster: { name: "a-prod-2" } } });
    const waivedAt = at("2026-03-02T08:00:00Z");
    await createWaiver(db, { findingId: finding.id, reason: "load balancer health probes", expiresAt: at("2026-03-02T20:00:00Z"), actor: "sec@example.com", at: waivedAt });
    const failing = async (asOf: string) => (await getRiskRanking(db, { asOf: at(asOf), by: "owner", scope: {} })).find((row) => row.key === "payments")!.failingClusters;
    expect(await failing("2026-03-02T07:00:00Z")).toBe(2);
    expect(await failing("2026-03-02T12:00:00Z")).toBe(1);
    expect(await failing("2026-03-02T21:00:00Z")).toBe(2);
  });
});

describe("production clusters without a policy engine", () => {
  test("longest failing first, with the raw setting, and gone once the cluster is deleted", async () => {
    const { total, rows } = await listUnprotectedProductionClusters(db, { asOf: at("2026-03-02T12:00:00Z"), scope: {} });
    expect(total).toBe(2);
    expect(rows.map((row) => [row.name, row.engine, row.rawNetworkPolicy, row.failingSince, row.failingSinceFirstRun, row.allowAnyRules, row.subscriptionLabel])).toEqual([
      ["b-prod", "none", null, "2026-03-01T06:00:00.000Z", true, 0, "Search Prod"],
      ["a-prod-1", "none", "none", "2026-03-02T06:00:00.000Z", false, 1, SUB_A],
    ]);
    const ids = await db.prisma.cluster.findMany({ where: { name: { in: ["a-prod-1", "b-prod"] } }, select: { id: true, name: true } });
    expect(rows.map((row) => row.id)).toEqual(["b-prod", "a-prod-1"].map((name) => ids.find((c) => c.name === name)!.id));
    expect((await listUnprotectedProductionClusters(db, { asOf: at("2026-03-01T12:00:00Z"), scope: {} })).rows.map((row) => row.name)).toEqual(["b-prod"]);
    expect((await listUnprotectedProductionClusters(db, { asOf: at("2026-03-03T12:00:00Z"), scope: {} })).rows.map((row) => row.name)).toEqual(["a-prod-1"]);
    expect(await listUnprotectedProductionClusters(db, { asOf: at("2026-03-02T12:00:00Z"), scope: { owner: "payments", subscriptionId: SUB_B } })).toEqual({ total: 0, rows: [] });
    // A limit keeps the longest-failing and still counts them all.
    expect(await listUnprotectedProductionClusters(db, { asOf: at("2026-03-02T12:00:00Z"), scope: {}, limit: 1 })).toEqual({ total: 2, rows: [expect.objectContaining({ name: "b-prod" })] });
  });
});

describe("advisories", () => {
  test("counted from the latest snapshot of each cluster in scope, every advisory listed", async () => {
    const summary = await getAdvisorySummary(db, { asOf: at("2026-03-03T12:00:00Z"), scope: {} });
    expect(summary.map((a) => [a.id, a.severity, a.count, a.clusters.map((c) => c.name)])).toEqual([
      ["npm-windows", "warning", 1, ["a-win"]],
      // Rules v2: every Azure NPM cluster is told NPM on Linux retires on 30 Sep 2028.
      ["npm-retirement", "info", 4, ["a-prod-2", "a-prod-3", "a-large", "a-win"]],
      ["npm-large-cluster", "warning", 1, ["a-large"]],
      ["policies-not-enforced", "warning", 1, ["a-prod-1"]],
      ["cilium-policies-not-enforced", "warning", 0, []],
      ["calico-policies-not-enforced", "warning", 0, []],
      ["admin-policies-not-enforced", "info", 0, []],
      ["fqdn-without-acns", "warning", 0, []],
      ["kubenet-retirement", "info", 1, ["a-dev"]],
    ]);
    expect(summary.find((a) => a.id === "npm-large-cluster")?.clusters[0]?.message).toContain("300");
    const scoped = await getAdvisorySummary(db, { asOf: at("2026-03-03T12:00:00Z"), scope: { owner: "payments" } });
    expect(scoped.map((a) => a.count)).toEqual([0, 1, 0, 1, 0, 0, 0, 0, 0]);
    expect((await getAdvisorySummary(db, { asOf: at("2026-03-01T12:00:00Z"), scope: {} })).every((a) => a.count === 0)).toBe(true);
  });
});

describe("last run", () => {
  test("the last successful run at the time, its scoped coverage, and staleness after 36 hours", async () => {
    const fresh = await getLastRun(db, { asOf: at("2026-03-03T12:00:00Z"), scope: {} });
    expect(fresh.lastSuccessful).toMatchObject({
      capturedAt: "2026-03-03T06:00:00.000Z",
      ageHours: 6,
      stale: false,
      clustersSeen: 6,
      clustersWithInCluster: 2,
      inClusterCoverage: 33.3,
      clustersInScope: 6,
      errorCount: 1,
      subscriptionsListed: 2,
      subscriptionsFailed: 0,
    });
    expect(fresh.laterFailure).toBeNull();
    expect((await getLastRun(db, { asOf: at("2026-03-04T18:00:00Z"), scope: {} })).lastSuccessful).toMatchObject({ ageHours: 36, stale: false });
    expect((await getLastRun(db, { asOf: at("2026-03-04T18:00:01Z"), scope: {} })).lastSuccessful).toMatchObject({ stale: true });

    const scoped = await getLastRun(db, { asOf: at("2026-03-03T12:00:00Z"), scope: { owner: "payments" } });
    expect(scoped.lastSuccessful).toMatchObject({ clustersSeen: 2, clustersWithInCluster: 2, inClusterCoverage: 100, clustersInScope: 2 });
    // An earlier time sees the earlier run.
    expect((await getLastRun(db, { asOf: at("2026-03-01T12:00:00Z"), scope: {} })).lastSuccessful).toMatchObject({ capturedAt: "2026-03-01T06:00:00.000Z", clustersSeen: 1 });
    expect(await getLastRun(db, { asOf: at("2026-02-01T00:00:00Z"), scope: {} })).toEqual({ lastSuccessful: null, laterFailure: null, staleAfterHours: 36 });
  });

  test("a failed run after the last successful one is reported", async () => {
    const failed = await collect(scriptedSource({ [SUB_A]: { cause: "forbidden", message: "403 from ARM" }, [SUB_B]: { cause: "forbidden", message: "403 from ARM" } }), "2026-03-05T06:00:00Z");
    expect(failed.status).toBe("failed");
    const report = await getLastRun(db, { asOf: at("2026-03-05T07:00:00Z"), scope: {} });
    expect(report.lastSuccessful).toMatchObject({ capturedAt: "2026-03-03T06:00:00.000Z", stale: true });
    expect(report.laterFailure).toMatchObject({ id: failed.runId, capturedAt: "2026-03-05T06:00:00.000Z" });
    expect(report.laterFailure!.message).toContain("403");
  });
});

test("getOverview puts the parts together at one time", async () => {
  const overview = await getOverview(db, { asOf: at("2026-03-03T12:00:00Z"), scope: { subscriptionId: SUB_A } });
  expect(overview.asOf).toBe("2026-03-03T12:00:00.000Z");
  expect(overview.risk.bySubscription.map((row) => row.key)).toEqual([SUB_A]);
  expect(overview.unprotectedProduction).toEqual({ total: 1, rows: [expect.objectContaining({ name: "a-prod-1" })] });
  expect(overview.advisories).toHaveLength(9);
  expect(overview.lastRun.lastSuccessful?.clustersSeen).toBe(6);
});
