// End to end: fake ARM and API servers → the Azure source → runCollection → Postgres → KPIs.
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, test } from "vitest";
import { runCollection } from "@/lib/collector/run-collection";
import { resetStore } from "@/lib/demo/fill-demo-store";
import { getKpis } from "@/lib/kpi/get-kpis";
import { DEFAULT_POSTURE_CONFIG } from "@/lib/posture";
import { dumpStore } from "@/testing/fake-azure/dump-store";
import { createSourceForFake } from "@/testing/fake-azure/fake-azure-harness";
import { loadSampleEstate } from "@/testing/fake-azure/fake-estate";
import { startFakeAzure, type FakeAzure } from "@/testing/fake-azure/start-fake-azure";
import { setupTestDatabase } from "@/testing/setup-test-database";
import { createFilesSource } from "../files";

const SAMPLE = fileURLToPath(new URL("../../../testing/fixtures/sample-estate/", import.meta.url));
const FORBIDDEN_SUB = "c0ffee00-0000-4000-8000-00000000f403";

const db = setupTestDatabase({ resetBeforeEach: true });
let fake: FakeAzure;
beforeAll(async () => {
  const estate = await loadSampleEstate();
  // A subscription whose gateway echoes the bearer token in its 500s: it must not reach the store.
  estate.subscriptions.push({ subscriptionId: FORBIDDEN_SUB, displayName: "Broken", clusters: [], listingAlways: { status: 500 } });
  fake = await startFakeAzure(estate, { armPageSize: 1 });
});
afterAll(async () => {
  await fake?.close();
});

const config = DEFAULT_POSTURE_CONFIG;

test("a run from the fakes gives the same KPIs as importing the same estate from files, and leaves no secret in the store", async () => {
  const { source, runOptions } = createSourceForFake(fake);
  const capturedAt = new Date("2026-03-01T06:00:00Z");
  const run = await runCollection(db, { source, capturedAt, config, options: runOptions });

  expect(run.status).toBe("completed");
  expect(run.subscriptionsListed).toBe(2);
  expect(run.subscriptionsFailed).toBe(1);
  expect(run.clustersSeen).toBe(6);
  expect(run.clustersWithInCluster).toBe(5); // aks-web-dev has no user credential in the fake
  expect(run.faults.map((f) => [f.scope, f.cause]).sort()).toEqual([
    ["in-cluster", "not-found"],
    ["subscription", "server-error"],
  ]);
  const azureKpis = await getKpis(db, { asOf: new Date("2026-03-01T12:00:00Z"), by: "owner" });

  const secrets = fake.secrets;
  const stored = await dumpStore(db);
  expect(stored).toContain("podLinkLocalAccess"); // raw ARM fields were stored...
  for (const secret of secrets) expect(stored).not.toContain(secret); // ...credentials were not

  // The same estate through `bulkhead import`'s source.
  await resetStore(db);
  await runCollection(db, { source: await createFilesSource(SAMPLE), capturedAt, config });
  const filesKpis = await getKpis(db, { asOf: new Date("2026-03-01T12:00:00Z"), by: "owner" });

  expect(azureKpis.groups).toEqual(filesKpis.groups);
  expect(azureKpis.groups.map((g) => g.key)).toEqual(["analytics", "payments", "platform", "web"]);
  const platform = azureKpis.groups.find((g) => g.key === "platform")!;
  // aks-platform-prod (Kubernetes policies) and aks-mesh-prod (one CiliumClusterwideNetworkPolicy) pass everything.
  expect(platform).toMatchObject({ clusters: 2, clustersEnabled: 2, controlsFailed: 0 });
});

test("an API server that stops answering keeps the cluster's previous in-cluster state (carried forward, not fixed)", async () => {
  const estate = await loadSampleEstate();
  const local = await startFakeAzure(estate);
  try {
    const first = createSourceForFake(local);
    await runCollection(db, { source: first.source, capturedAt: new Date("2026-03-01T06:00:00Z"), config });
    const before = (await getKpis(db, { asOf: new Date("2026-03-01T12:00:00Z") })).groups[0];

    // The same clusters, every API server now hanging: reads time out.
    for (const subscription of estate.subscriptions) for (const cluster of subscription.clusters) if (cluster.kube) cluster.kube.behaviour = "hang";
    // The deadline also covers aks-web-dev's listClusterUserCredential (a 404): 300 ms made it a 4th timeout on a busy machine.
    const second = createSourceForFake(local, { kubeTimeoutMs: 1_000 });
    const started = Date.now();
    const run = await runCollection(db, { source: second.source, capturedAt: new Date("2026-03-02T06:00:00Z"), config });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(run.status).toBe("completed");
    expect(run.clustersWithInCluster).toBe(0);
    expect(run.faults.filter((f) => f.cause === "timeout")).toHaveLength(5);

    const after = (await getKpis(db, { asOf: new Date("2026-03-02T12:00:00Z") })).groups[0];
    expect(after).toMatchObject({ clusters: before.clusters, controlsPassed: before.controlsPassed, controlsFailed: before.controlsFailed, allowAnyRulesProduction: before.allowAnyRulesProduction });
  } finally {
    await local.close();
  }
});
