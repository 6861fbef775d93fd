import { beforeAll, expect, test } from "vitest";
import { runCollection } from "@/lib/collector/run-collection";
import { undoLastRun } from "@/lib/collector/undo-run";
import { revokeWaiver, waiveFinding } from "@/lib/findings/finding-actions";
import { insertClusterCosts } from "@/lib/costs/write-costs";
import { getKpis } from "@/lib/kpi/get-kpis";
import { kpiCacheStats } from "@/lib/kpi/kpi-cache";
import { DEFAULT_POSTURE_CONFIG } from "@/lib/posture";
import type { PostureSource } from "@/lib/sources/source";
import { at, makeCluster, scriptedSource, SUB_A, SUB_B } from "@/testing/estate-builders";
import { setupTestDatabase } from "@/testing/setup-test-database";
import { getComplianceTrend } from "@/lib/compliance/get-compliance-trend";
import { getComplianceView } from "@/lib/compliance/get-compliance-view";
import { getComplianceTrendCached, getComplianceViewCached, getKpisCached, getMigrationViewCached, getOverviewCached, getRiskRankingCached, getTrendSeriesCached } from "./cached-figures";
import { getMigrationView } from "./get-migration-view";
import { getOverview } from "./get-overview";
import { getRiskRanking } from "./get-risk-ranking";
import { getTrendSeries } from "./get-trend-series";

// The KPI cache must never show what the database would not: every test asks through the cache and
// compares with the uncached answer at the same time, after the change it makes.
const db = setupTestDatabase();
const collect = (source: PostureSource, capturedAt: string) => runCollection(db, { source, capturedAt: at(capturedAt), config: DEFAULT_POSTURE_CONFIG });
const estate = [
  makeCluster({ name: "pay-1", owner: "payments", production: true, networkPolicy: null }),
  makeCluster({ name: "pay-2", owner: "payments", production: true }),
  makeCluster({ name: "search-1", owner: "search", production: false, subscription: SUB_B }),
];
const listing = (clusters: Record<string, unknown>[]) => {
  const bySubscription: Record<string, Record<string, unknown>[]> = { [SUB_A]: [], [SUB_B]: [] };
  for (const cluster of clusters) bySubscription[String(cluster.id).split("/")[2]].push(cluster);
  return scriptedSource(bySubscription);
};
const ASKED = at("2026-03-10T12:00:00Z");

beforeAll(async () => {
  await collect(listing(estate), "2026-03-01T06:00:00Z");
  await collect(listing(estate), "2026-03-02T06:00:00Z");
});

/** A day's cost of pay-1, written on its own. pay-1 has no policy engine (fails NP-01): its spend is at risk. */
async function addPay1Cost(day: string, cost: number) {
  const { rows } = await db.pool.query<{ run_id: number; cluster_key: string }>(
    `SELECT s.run_id, c.key AS cluster_key FROM snapshots s JOIN clusters c ON c.id = s.cluster_id WHERE c.name = 'pay-1' ORDER BY s.captured_at DESC LIMIT 1`,
  );
  const client = await db.pool.connect();
  try {
    await insertClusterCosts(client, rows[0].run_id, [{ clusterKey: rows[0].cluster_key, day, cost, currency: "EUR" }]);
  } finally {
    client.release();
  }
}

async function expectFresh(asOf: Date) {
  const cached = await getKpisCached(db, { asOf, by: "owner" });
  expect(cached).toEqual(await getKpis(db, { asOf, by: "owner" }));
  const overview = await getOverviewCached(db, { asOf, scope: {} });
  expect(overview).toEqual(await getOverview(db, { asOf, scope: {} }));
  // The board report's ranking: the same rows as computed now.
  expect(await getRiskRankingCached(db, { asOf, by: "owner", scope: {} })).toEqual(await getRiskRanking(db, { asOf, by: "owner", scope: {} }));
  return { cached, overview };
}

test("a second request is served from the cache, with the time it asked for", async () => {
  await expectFresh(ASKED);
  const before = kpiCacheStats(db);
  const later = new Date(ASKED.getTime() + 60_000);
  const { cached, overview } = await expectFresh(later);
  expect(kpiCacheStats(db).hits - before.hits).toBe(3);
  expect(kpiCacheStats(db).misses - before.misses).toBe(0);
  expect(cached.asOf).toBe(later.toISOString());
  expect(overview.asOf).toBe(later.toISOString());
  expect(overview.lastRun.lastSuccessful?.ageHours).toBe(Math.round(((later.getTime() - at("2026-03-02T06:00:00Z").getTime()) / 3_600_000) * 10) / 10);
});

test("a new run shows at once", async () => {
  const { cached: before } = await expectFresh(ASKED);
  await collect(listing([...estate, makeCluster({ name: "pay-3", owner: "payments", production: true, networkPolicy: null })]), "2026-03-03T06:00:00Z");
  const { cached: after, overview } = await expectFresh(ASKED);
  const payments = (report: typeof before) => report.groups.find((group) => group.key === "payments")!;
  expect(payments(after).clusters).toBe(payments(before).clusters + 1);
  expect(overview.unprotectedProduction.rows.map((row) => row.name)).toContain("pay-3");
  expect(kpiCacheStats(db).invalidated).toBeGreaterThan(0);
});

test("a waiver shows at once, and so does its revocation", async () => {
  const { cached: before } = await expectFresh(ASKED);
  const { rows } = await db.pool.query<{ id: number }>(
    `SELECT f.id FROM findings f JOIN clusters c ON c.id = f.cluster_id WHERE c.name = 'pay-1' AND f.control_id = 'NP-01' AND f.resolved_at IS NULL`,
  );
  await waiveFinding(db, { id: rows[0].id, reason: "migration to Cilium booked", expiresAt: "2026-03-20", actor: "test" }, at("2026-03-05T00:00:00Z"));
  const { cached: waived, overview } = await expectFresh(ASKED);
  const payments = (report: typeof before) => report.groups.find((group) => group.key === "payments")!;
  expect(payments(waived).controlsFailed).toBeLessThan(payments(before).controlsFailed);
  expect(payments(waived).openFindings).toBe(payments(before).openFindings - 1);
  expect(overview.unprotectedProduction.rows.find((row) => row.name === "pay-1")?.waivedUntil).toBe("2026-03-21T00:00:00.000Z");

  // Time alone: past the waiver's end the same cache answers as if there were no waiver.
  const { cached: expired } = await expectFresh(at("2026-03-22T12:00:00Z"));
  expect(payments(expired).openFindings).toBe(payments(before).openFindings);

  await revokeWaiver(db, { id: rows[0].id, actor: "test" }, at("2026-03-06T00:00:00Z"));
  const { cached: revoked } = await expectFresh(ASKED);
  expect(payments(revoked).openFindings).toBe(payments(before).openFindings);
});

test("undoing the last run shows at once", async () => {
  const { cached: before } = await expectFresh(ASKED);
  await undoLastRun(db, "test");
  const { cached: after } = await expectFresh(ASKED);
  const payments = (report: typeof before) => report.groups.find((group) => group.key === "payments")!;
  expect(payments(after).clusters).toBe(payments(before).clusters - 1);
});

test("a trend is cached per day and follows every write", async () => {
  const params = { toDay: at("2026-03-10T00:00:00Z"), range: 30, by: "owner" as const, scope: {} };
  expect(await getTrendSeriesCached(db, params)).toEqual(await getTrendSeries(db, params));
  const hits = kpiCacheStats(db).hits;
  expect(await getTrendSeriesCached(db, params)).toEqual(await getTrendSeries(db, params));
  expect(kpiCacheStats(db).hits).toBe(hits + 1);
  await collect(listing([...estate, makeCluster({ name: "search-2", owner: "search", production: false, subscription: SUB_B })]), "2026-03-04T06:00:00Z");
  const after = await getTrendSeriesCached(db, params);
  expect(after).toEqual(await getTrendSeries(db, params));
  const search = after.groups.find((group) => group.key === "search")!;
  expect(search.values.clusters.at(-1)).toBe(2);
});

test("costs written on their own (not with a run's snapshots) show at once in spend at risk", async () => {
  const { cached: before } = await expectFresh(ASKED);
  const payments = (report: typeof before) => report.groups.find((group) => group.key === "payments")!;
  expect(payments(before).spendAtRisk).toBeNull();
  await addPay1Cost("2026-03-05", 120);
  const { cached: after } = await expectFresh(ASKED);
  expect(payments(after).spendAtRisk).toBe(120);
  expect(payments(after).spendCurrency).toBe("EUR");
});

test("at UTC midnight the spend period moves on: figures cached a minute before are not served after it", async () => {
  await addPay1Cost("2026-03-06", 75);
  // Before midnight the 30 complete days run 6 Mar to 4 Apr; after it, 7 Mar to 5 Apr: 6 Mar's cost leaves.
  const payments = (report: Awaited<ReturnType<typeof expectFresh>>["cached"]) => report.groups.find((group) => group.key === "payments")!;
  const before = await expectFresh(at("2026-04-05T23:59:00Z"));
  expect(payments(before.cached)).toMatchObject({ spendFromDay: "2026-03-06", spendAtRisk: 75 });
  const after = await expectFresh(at("2026-04-06T00:00:30Z"));
  expect(payments(after.cached).spendFromDay).toBe("2026-03-07");
  expect(payments(after.cached).spendAtRisk ?? 0).toBe(0);
});

test("a change committed by another connection after the figures were read is seen", async () => {
  await expectFresh(ASKED);
  const client = await db.pool.connect();
  try {
    await client.query("BEGIN");
    await client.query(`UPDATE posture_intervals SET allow_any_count = allow_any_count + 5 WHERE valid_to IS NULL AND owner = 'payments'`);
    // Not committed yet: the cache still answers, and with what is committed.
    await expectFresh(ASKED);
    await client.query("COMMIT");
  } finally {
    client.release();
  }
  const { cached } = await expectFresh(ASKED);
  expect(cached.groups.find((group) => group.key === "payments")!.allowAnyRulesProduction).toBeGreaterThanOrEqual(10);
});

test("the Migration view is cached per day and follows a run and its undoing", async () => {
  const params = { today: ASKED, days: 14, scope: {} };
  const fresh = async () => {
    const cached = await getMigrationViewCached(db, params);
    expect(cached).toEqual(await getMigrationView(db, params));
    return cached;
  };
  const before = await fresh();
  const hits = kpiCacheStats(db).hits;
  await fresh();
  expect(kpiCacheStats(db).hits).toBe(hits + 1);
  // A new cluster on Azure NPM: on the burn-down and in the list at once.
  const npm = makeCluster({ name: "pay-npm", owner: "payments", production: true, networkPolicy: "azure" });
  const search2 = makeCluster({ name: "search-2", owner: "search", production: false, subscription: SUB_B });
  await collect(listing([...estate, search2, npm]), "2026-03-06T06:00:00Z");
  const after = await fresh();
  expect(after.burnDown.npm.at(-1)).toBe(before.burnDown.npm.at(-1)! + 1);
  expect(after.clusters.map((cluster) => cluster.name)).toContain("pay-npm");
  await undoLastRun(db, "test");
  expect((await fresh()).clusters.map((cluster) => cluster.name)).not.toContain("pay-npm");
});

test("the Compliance view and its trend are cached, follow a waiver and its revocation, and name the time asked for", async () => {
  const day = { framework: "pci-dss", day: "2026-03-09", scope: {} };
  const trend = { ...day, days: 30 };
  const fresh = async () => {
    const view = await getComplianceViewCached(db, day);
    expect(view).toEqual(await getComplianceView(db, day));
    expect(await getComplianceTrendCached(db, trend)).toEqual(await getComplianceTrend(db, trend));
    return view;
  };
  const waivedCount = (view: Awaited<ReturnType<typeof fresh>>) => view.totals.controlsWaived;
  const before = await fresh();
  const hits = kpiCacheStats(db).hits;
  await fresh();
  expect(kpiCacheStats(db).hits).toBe(hits + 2);

  const { rows } = await db.pool.query<{ id: number }>(
    `SELECT f.id FROM findings f JOIN clusters c ON c.id = f.cluster_id WHERE c.name = 'pay-1' AND f.control_id = 'NP-01' AND f.resolved_at IS NULL`,
  );
  await waiveFinding(db, { id: rows[0].id, reason: "audit exception agreed", expiresAt: "2026-03-25", actor: "test" }, at("2026-03-08T00:00:00Z"));
  expect(waivedCount(await fresh())).toBeGreaterThan(waivedCount(before));
  await revokeWaiver(db, { id: rows[0].id, actor: "test" }, at("2026-03-08T12:00:00Z"));
  expect(waivedCount(await fresh())).toBe(waivedCount(before));

  // Today's view is "now": a cached answer says the time it was asked for, not when it was computed.
  const today = { framework: "pci-dss", scope: {} };
  const first = await getComplianceViewCached(db, today);
  await new Promise((resolve) => setTimeout(resolve, 5));
  const second = await getComplianceViewCached(db, today);
  expect(second.partialDay).toBe(true);
  expect(Date.parse(second.asOf)).toBeGreaterThan(Date.parse(first.asOf));
  const { asOf: _asOf, ...rest } = await getComplianceView(db, today);
  expect({ ...second, asOf: undefined }).toEqual({ ...rest, asOf: undefined });
});
