// End to end through Resource Graph: fake ARM (with its Resource Graph endpoint) and API servers →
// the Azure source → runCollection → Postgres → KPIs, compared with the per-subscription ARM listing.
import { afterAll, beforeAll, expect, test } from "vitest";
import { runCollection } from "@/lib/collector/run-collection";
import { resetStore } from "@/lib/demo/fill-demo-store";
import { getKpis } from "@/lib/kpi/get-kpis";
import { DEFAULT_POSTURE_CONFIG } from "@/lib/posture";
import { dumpStore } from "@/testing/fake-azure/dump-store";
import { createSourceForFake } from "@/testing/fake-azure/fake-azure-harness";
import { loadSampleEstate, type FakeEstate } from "@/testing/fake-azure/fake-estate";
import { startFakeAzure, type FakeAzure } from "@/testing/fake-azure/start-fake-azure";
import { setupTestDatabase } from "@/testing/setup-test-database";

const config = DEFAULT_POSTURE_CONFIG;
const EMPTY_SUB = "e0000000-0000-4000-8000-00000000e000";

const db = setupTestDatabase({ resetBeforeEach: true });
let estate: FakeEstate;
let fake: FakeAzure;
beforeAll(async () => {
  estate = await loadSampleEstate();
  estate.subscriptions.push({ subscriptionId: EMPTY_SUB, displayName: "Empty", clusters: [] });
  fake = await startFakeAzure(estate, { armPageSize: 1 });
});
afterAll(async () => {
  await fake?.close();
});

test("a run through Resource Graph gives the same KPIs as one through managedClusters.list, and leaves no secret in the store", async () => {
  const capturedAt = new Date("2026-03-01T06:00:00Z");
  const asOf = new Date("2026-03-01T12:00:00Z");
  const arm = await runCollection(db, { source: createSourceForFake(fake, { inventory: "arm" }).source, capturedAt, config });
  const armKpis = await getKpis(db, { asOf, by: "owner" });

  await resetStore(db);
  const before = fake.arm.requests.length;
  const graph = createSourceForFake(fake, { inventory: "resource-graph" });
  const run = await runCollection(db, { source: graph.source, capturedAt, config, options: graph.runOptions });
  const graphKpis = await getKpis(db, { asOf, by: "owner" });

  const requests = fake.arm.requests.slice(before);
  expect(requests.filter((r) => r.graph)).toHaveLength(1);
  expect(requests.filter((r) => r.method === "GET" && r.path.endsWith("/managedClusters"))).toHaveLength(0);
  // In-cluster reads are unchanged: listClusterUserCredential per cluster.
  expect(requests.filter((r) => r.path.endsWith("/listClusterUserCredential"))).toHaveLength(6);
  expect([run.status, run.subscriptionsListed, run.subscriptionsFailed, run.clustersSeen, run.clustersWithInCluster]).toEqual([
    arm.status,
    arm.subscriptionsListed,
    arm.subscriptionsFailed,
    arm.clustersSeen,
    arm.clustersWithInCluster,
  ]);
  expect(run.subscriptionsListed).toBe(3);
  expect(graphKpis.groups).toEqual(armKpis.groups);
  expect(graphKpis.groups.map((g) => g.key)).toEqual(["analytics", "payments", "platform", "web"]);

  const stored = await dumpStore(db);
  expect(stored).toContain("podLinkLocalAccess");
  expect(stored).toMatch(/"inventory": ?"resource-graph"/);
  for (const secret of fake.secrets) expect(stored).not.toContain(secret);
});

test("deletions: a cluster gone from a subscription Resource Graph read in full is marked deleted; a subscription it cannot prove readable marks nothing deleted", async () => {
  const local = await loadSampleEstate();
  const [first, second] = local.subscriptions;
  const server = await startFakeAzure(local);
  try {
    const source = () => createSourceForFake(server, { inventory: "resource-graph", readInCluster: false }).source;
    await runCollection(db, { source: source(), capturedAt: new Date("2026-03-01T06:00:00Z"), config });
    const day1 = (await getKpis(db, { asOf: new Date("2026-03-01T12:00:00Z") })).groups[0];
    expect(day1.clusters).toBe(6);

    // One cluster of the first subscription is deleted; the identity loses access to the second.
    const [gone] = first.clusters.splice(0, 1);
    second.resourceGraph = "hidden";
    const run = await runCollection(db, { source: source(), capturedAt: new Date("2026-03-02T06:00:00Z"), config });

    expect(run.status).toBe("completed");
    expect(run.clustersDeleted).toBe(1);
    expect(run.subscriptionsFailed).toBe(1);
    expect(run.faults).toContainEqual(expect.objectContaining({ scope: "subscription", target: second.subscriptionId, cause: "forbidden" }));
    const day2 = (await getKpis(db, { asOf: new Date("2026-03-02T12:00:00Z") })).groups[0];
    // The second subscription's clusters carry forward; only the deleted one left.
    expect(day2.clusters).toBe(5);
    const { rows } = await db.pool.query<{ name: string }>("SELECT name FROM clusters WHERE deleted_at IS NOT NULL");
    expect(rows.map((row) => row.name)).toEqual([gone.name]);
  } finally {
    await server.close();
  }
});
