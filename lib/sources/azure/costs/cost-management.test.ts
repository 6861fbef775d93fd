// Contract tests of the cost client: the real @azure/arm-costmanagement client, on the run's ARM
// pipeline, against the fake ARM's Cost Management query endpoint (testing/fake-azure), over TLS on 127.0.0.1.
import { afterEach, describe, expect, test } from "vitest";
import type { CostTarget } from "@/lib/costs/cluster-cost";
import { runCollection } from "@/lib/collector/run-collection";
import { DEFAULT_POSTURE_CONFIG } from "@/lib/posture";
import { clusterFromAz, type FakeCostRow, type FakeSubscription } from "@/testing/fake-azure/fake-estate";
import { createSourceForFake } from "@/testing/fake-azure/fake-azure-harness";
import { startFakeAzure, type FakeAzure, type StartFakeAzureOptions } from "@/testing/fake-azure/start-fake-azure";
import { setupTestDatabase } from "@/testing/setup-test-database";
import { buildCostQuery } from "./query-subscription-costs";

const db = setupTestDatabase({ resetBeforeEach: true });

let fake: FakeAzure | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const SUB_1 = "11111111-0000-4000-8000-000000000001";
const SUB_2 = "22222222-0000-4000-8000-000000000002";
// A run on Nov 7 asks for Nov 4 … Nov 6 (COST_LOOKBACK_DAYS).
const CAPTURED = new Date("2026-11-07T06:00:00Z");

const clusterId = (subscription: string, name: string) => `/subscriptions/${subscription}/resourceGroups/rg-${name}/providers/Microsoft.ContainerService/managedClusters/${name}`;
const nodeGroup = (name: string) => `MC_rg-${name}_${name}_westeurope`;

function subscription(subscriptionId: string, names: string[], costs: FakeCostRow[] = [], extra: Partial<FakeSubscription> = {}): FakeSubscription {
  return {
    subscriptionId,
    displayName: `Sub ${subscriptionId.slice(0, 2)}`,
    clusters: names.map((name) =>
      clusterFromAz({
        id: clusterId(subscriptionId, name),
        name,
        location: "westeurope",
        tags: { owner: "team-a", environment: "production" },
        nodeResourceGroup: nodeGroup(name),
        agentPoolProfiles: [{ name: "system", count: 3, osType: "Linux", mode: "System" }],
        networkProfile: { networkPlugin: "azure", networkPolicy: "azure" },
      }),
    ),
    costs,
    ...extra,
  };
}

/** A day's bill of one cluster as Cost Management rates it: VMSS and disks in the node group, the SLA on the cluster. */
function bill(subscriptionId: string, name: string, day: string, vmss: number, sla = 2.4): FakeCostRow[] {
  const group = nodeGroup(name);
  return [
    { day, resourceGroup: group, resourceId: `/subscriptions/${subscriptionId}/resourceGroups/${group}/providers/Microsoft.Compute/virtualMachineScaleSets/aks-system-123-vmss`, cost: vmss, currency: "EUR" },
    { day, resourceGroup: group, resourceId: `/subscriptions/${subscriptionId}/resourceGroups/${group}/providers/Microsoft.Compute/disks/pvc-1`, cost: 1.5, currency: "EUR" },
    { day, resourceGroup: `rg-${name}`, resourceId: clusterId(subscriptionId, name), cost: sla, currency: "EUR" },
  ];
}

const targetsOf = (subscriptions: FakeSubscription[]): CostTarget[] =>
  subscriptions.flatMap((s) =>
    s.clusters.map((c) => {
      const id = String(c.resource.id);
      return { clusterKey: id.toLowerCase(), id, subscriptionId: s.subscriptionId, resourceGroup: c.resourceGroup, nodeResourceGroup: nodeGroup(c.name) };
    }),
  );

async function readCosts(subscriptions: FakeSubscription[], options: StartFakeAzureOptions = {}) {
  fake = await startFakeAzure({ subscriptions }, options);
  const { source } = createSourceForFake(fake);
  const reading = await source.readCosts!(targetsOf(subscriptions), CAPTURED);
  const costRequests = fake.arm.requests.filter((r) => r.cost);
  return { reading, costRequests, fake };
}

const sorted = <T extends { clusterKey: string; day: string }>(costs: T[]) => [...costs].sort((a, b) => (a.clusterKey + a.day < b.clusterKey + b.day ? -1 : 1));

describe("Cost Management query (docs/costs.md)", () => {
  test("the query: actual cost, daily, the cluster resources and their node resource groups", () => {
    const query = buildCostQuery(targetsOf([subscription(SUB_1, ["aks-a"])]), "2026-11-04", "2026-11-06");
    expect(query).toMatchObject({ type: "ActualCost", timeframe: "Custom", dataset: { granularity: "Daily", aggregation: { totalCost: { name: "Cost", function: "Sum" } } } });
    expect(query.dataset.filter).toEqual({
      or: [
        { dimensions: { name: "ResourceId", operator: "In", values: [clusterId(SUB_1, "aks-a")] } },
        { dimensions: { name: "ResourceGroupName", operator: "In", values: [nodeGroup("aks-a")] } },
      ],
    });
  });

  test("paging: every page read (nextLink, same body), rows given to their cluster and summed per day, other resources left out", async () => {
    const costs = [
      ...["2026-11-04", "2026-11-05", "2026-11-06"].flatMap((day, index) => [...bill(SUB_1, "aks-a", day, 100 + index), ...bill(SUB_1, "aks-b", day, 40)]),
      // Outside the window, and a resource group no cluster owns: neither is read.
      ...bill(SUB_1, "aks-a", "2026-11-01", 999),
      { day: "2026-11-05", resourceGroup: "rg-billing", resourceId: `/subscriptions/${SUB_1}/resourceGroups/rg-billing/providers/Microsoft.Storage/storageAccounts/x`, cost: 50, currency: "EUR" },
    ];
    const { reading, costRequests } = await readCosts([subscription(SUB_1, ["aks-a", "aks-b"], costs)], { costPageSize: 4 });
    expect(reading).toMatchObject({ fromDay: "2026-11-04", toDay: "2026-11-06", faults: [] });
    const key = (name: string) => clusterId(SUB_1, name).toLowerCase();
    expect(sorted(reading.costs)).toEqual([
      { clusterKey: key("aks-a"), day: "2026-11-04", cost: 103.9, currency: "EUR" },
      { clusterKey: key("aks-a"), day: "2026-11-05", cost: 104.9, currency: "EUR" },
      { clusterKey: key("aks-a"), day: "2026-11-06", cost: 105.9, currency: "EUR" },
      { clusterKey: key("aks-b"), day: "2026-11-04", cost: 43.9, currency: "EUR" },
      { clusterKey: key("aks-b"), day: "2026-11-05", cost: 43.9, currency: "EUR" },
      { clusterKey: key("aks-b"), day: "2026-11-06", cost: 43.9, currency: "EUR" },
    ]);
    // 18 rows at 4 a page: 5 requests, the first without a skip token, each other with the one the last gave.
    expect(costRequests.map((r) => [r.status, r.cost?.rows, r.cost?.skipToken === undefined])).toEqual([
      [200, 4, true],
      [200, 4, false],
      [200, 4, false],
      [200, 4, false],
      [200, 2, false],
    ]);
    expect(costRequests.every((r) => r.authorized && r.subscriptionId === SUB_1)).toBe(true);
  });

  test("429 with Cost Management's own retry headers (no Retry-After): the longest is waited, then the query goes through", async () => {
    const costs = bill(SUB_1, "aks-a", "2026-11-05", 10);
    const { reading, costRequests } = await readCosts([subscription(SUB_1, ["aks-a"], costs, { costFailures: [{ costThrottled: true, qpuRetryAfterSeconds: 1, entityRetryAfterSeconds: 2 }] })]);
    expect(reading.faults).toEqual([]);
    expect(reading.costs).toEqual([{ clusterKey: clusterId(SUB_1, "aks-a").toLowerCase(), day: "2026-11-05", cost: 13.9, currency: "EUR" }]);
    expect(costRequests.map((r) => r.status)).toEqual([429, 200]);
    expect(costRequests[1].at - costRequests[0].at).toBeGreaterThanOrEqual(1_900);
  });

  test("throttled past the wait budget: that subscription's fault is `throttled`, without waiting it out", async () => {
    const started = Date.now();
    const { reading, costRequests } = await readCosts([subscription(SUB_1, ["aks-a"], [], { costFailures: [{ costThrottled: true, qpuRetryAfterSeconds: 3600 }] })]);
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(reading.faults).toEqual([{ target: SUB_1, fault: { cause: "throttled", message: expect.stringMatching(/Cost Management query for subscription .*throttled.*3600 s/) } }]);
    expect(costRequests).toHaveLength(1);
  });

  test("403 on one subscription is that subscription's fault; the other is read", async () => {
    const { reading } = await readCosts([
      subscription(SUB_1, ["aks-a"], bill(SUB_1, "aks-a", "2026-11-06", 10), { costFailures: [{ status: 403 }] }),
      subscription(SUB_2, ["aks-z"], bill(SUB_2, "aks-z", "2026-11-06", 20)),
    ]);
    expect(reading.faults).toEqual([{ target: SUB_1, fault: { cause: "forbidden", message: expect.stringContaining("HTTP 403 RBACAccessDenied") } }]);
    expect(reading.costs).toEqual([{ clusterKey: clusterId(SUB_2, "aks-z").toLowerCase(), day: "2026-11-06", cost: 23.9, currency: "EUR" }]);
  });

  test.each([
    ["a body that is not JSON", { malformed: true } as const, /not valid JSON/],
    ["rows that are not a list", { wrongShape: true } as const, /rows/],
  ])("%s: a `malformed` fault that says what is wrong", async (_label, failure, message) => {
    const { reading } = await readCosts([subscription(SUB_1, ["aks-a"], [], { costFailures: [failure] })]);
    expect(reading.costs).toEqual([]);
    expect(reading.faults).toEqual([{ target: SUB_1, fault: { cause: "malformed", message: expect.stringMatching(message) } }]);
    expect(reading.faults[0].fault.message).toMatch(/^Cost Management query for subscription 11111111/);
  });

  test("a collection run writes the costs and records the 403 on the run, and the token is never stored", async () => {
    fake = await startFakeAzure({
      subscriptions: [
        subscription(SUB_1, ["aks-a"], [...bill(SUB_1, "aks-a", "2026-11-05", 10), ...bill(SUB_1, "aks-a", "2026-11-06", 10)]),
        subscription(SUB_2, ["aks-z"], [], { costFailures: [{ status: 403 }] }),
      ],
    });
    const { source } = createSourceForFake(fake, { readInCluster: false });
    const result = await runCollection(db, { source, capturedAt: CAPTURED, config: DEFAULT_POSTURE_CONFIG });
    expect(result.status).toBe("completed");
    const costs = await db.pool.query<{ cluster_key: string; day: string; cost: string }>("SELECT cluster_key, to_char(day, 'YYYY-MM-DD') AS day, cost::text FROM cluster_costs ORDER BY day");
    expect(costs.rows).toEqual([
      { cluster_key: clusterId(SUB_1, "aks-a").toLowerCase(), day: "2026-11-05", cost: "13.9000" },
      { cluster_key: clusterId(SUB_1, "aks-a").toLowerCase(), day: "2026-11-06", cost: "13.9000" },
    ]);
    const errors = await db.prisma.runError.findMany({ where: { scope: "cost" } });
    expect(errors.map((e) => [e.target, e.cause])).toEqual([[SUB_2, "forbidden"]]);
    const stored = JSON.stringify(await db.prisma.runError.findMany()) + JSON.stringify(await db.prisma.collectionRun.findMany());
    for (const secret of fake.secrets) expect(stored).not.toContain(secret);
  });
});
