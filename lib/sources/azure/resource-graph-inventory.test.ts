// Contract tests of the Resource Graph inventory: the real @azure/arm-resourcegraph client against
// the fake ARM's Resource Graph endpoint (testing/fake-azure), over TLS on 127.0.0.1.
import { afterEach, describe, expect, test } from "vitest";
import { clusterFromAz, type FakeCluster, type FakeEstate, type FakeSubscription } from "@/testing/fake-azure/fake-estate";
import { createSourceForFake, TEST_TRANSPORT } from "@/testing/fake-azure/fake-azure-harness";
import { startFakeAzure, type FakeAzure, type StartFakeAzureOptions } from "@/testing/fake-azure/start-fake-azure";
import type { SubscriptionListing } from "../source";
import type { ArmTransportSettings } from "./arm-client-options";
import { createAzureSource, type SubscriptionProgress } from "./azure-source";
import { armScopeFor, createCredential } from "./create-credential";
import { CLUSTER_INVENTORY_QUERY } from "./list-clusters-resource-graph";
import { createResourceGraphClient, RESOURCE_GRAPH_API_VERSION } from "./resource-graph-client";
import { SecretRedactor } from "./redact-secrets";
import { parseQuotaResetsAfter } from "./resource-graph-quota";
import { listEstate } from "@/lib/sources/source";
import { createDefaultHttpClient, createPipelineRequest } from "@azure/core-rest-pipeline";

const SP_SECRET = "sp-secret-9f8e7d6c5b4a";
const WINDOWS_PASSWORD = "win-password-1a2b3c4d5e";

let fake: FakeAzure | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(estate: FakeEstate, options?: StartFakeAzureOptions): Promise<FakeAzure> {
  fake = await startFakeAzure(estate, options);
  return fake;
}

const subId = (i: number) => `${i.toString(16).padStart(8, "0")}-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;

function cluster(subscriptionId: string, name: string): FakeCluster {
  return clusterFromAz({
    id: `/subscriptions/${subscriptionId}/resourceGroups/RG-${name}/providers/Microsoft.ContainerService/managedClusters/${name}`,
    name,
    location: "westeurope",
    type: "Microsoft.ContainerService/ManagedClusters",
    tags: { owner: "team-a", environment: "production" },
    kubernetesVersion: "1.31.2",
    agentPoolProfiles: [
      { name: "system", count: 3, osType: "Linux", mode: "System" },
      { name: "win", count: 2, osType: "Windows", mode: "User" },
    ],
    networkProfile: { networkPlugin: "azure", networkPluginMode: "overlay", networkPolicy: "cilium", networkDataplane: "cilium", podLinkLocalAccess: "None" },
    servicePrincipalProfile: { clientId: "msi", secret: SP_SECRET },
    windowsProfile: { adminUsername: "azureuser", adminPassword: WINDOWS_PASSWORD },
  });
}

function subscription(i: number, clusterCount: number, extra: Partial<FakeSubscription> = {}): FakeSubscription {
  const subscriptionId = subId(i);
  return { subscriptionId, displayName: `Sub ${i}`, clusters: Array.from({ length: clusterCount }, (_, j) => cluster(subscriptionId, `aks-${i}-${j}`)), ...extra };
}

const graphRequests = (f: FakeAzure) => f.arm.requests.filter((r) => r.graph);
const listingOf = (listings: SubscriptionListing[], id: string) => listings.find((listing) => listing.subscriptionId === id)!;
const clustersOf = (listings: SubscriptionListing[]) =>
  listings.flatMap((listing) => (listing.ok ? (listing.clusters as { id: string }[]) : [])).sort((a, b) => a.id.localeCompare(b.id));

/** Credential, transport and redactor made by hand, as a caller of createAzureSource without the run's gate would. */
function handBuiltTransport(f: FakeAzure) {
  const redactor = new SecretRedactor();
  const credential = createCredential(
    { BULKHEAD_AZURE_CREDENTIAL: "static-token", BULKHEAD_ARM_ENDPOINT: f.arm.endpoint, BULKHEAD_ARM_TOKEN: f.armToken } as Parameters<typeof createCredential>[0],
    { redactor, needsAksToken: false },
  );
  const transport: ArmTransportSettings = {
    endpoint: f.arm.endpoint,
    scope: armScopeFor(f.arm.endpoint),
    retry: TEST_TRANSPORT.retry,
    requestTimeoutMs: TEST_TRANSPORT.requestTimeoutMs,
    policies: [],
    extraCaCertificates: [f.caCertificate],
  };
  return { credential, transport, redactor };
}

const graphSource = (f: FakeAzure, settings: Parameters<typeof createSourceForFake>[1] = {}) =>
  createSourceForFake(f, { inventory: "resource-graph", readInCluster: false, ...settings }).source;

describe("Resource Graph inventory", () => {
  test("2,500 clusters come in 1,000-row pages through $skipToken, in the very shape the ARM listing gives, secrets dropped; a subscription without clusters is an empty complete listing", async () => {
    const estate = { subscriptions: [...[0, 1, 2, 3, 4].map((i) => subscription(i, 500)), subscription(5, 0)] };
    const f = await start(estate, { armPageSize: 1000 });

    const listings = await listEstate(graphSource(f));

    // 2,500 clusters and 6 subscription rows: pages of 1,000, 1,000 and 506.
    const requests = graphRequests(f);
    expect(requests.map((r) => [r.status, r.graph!.apiVersion, r.graph!.top, r.graph!.subscriptions.length, r.graph!.rows])).toEqual([
      [200, RESOURCE_GRAPH_API_VERSION, 1000, 6, 1000],
      [200, RESOURCE_GRAPH_API_VERSION, 1000, 6, 1000],
      [200, RESOURCE_GRAPH_API_VERSION, 1000, 6, 506],
    ]);
    expect(requests[0].graph!.skipToken).toBeUndefined();
    expect(new Set(requests.slice(1).map((r) => r.graph!.skipToken)).size).toBe(2);
    expect(requests.every((r) => r.authorized && r.graph!.apiVersion === "2024-04-01")).toBe(true);
    expect(listings.map((l) => [l.subscriptionId, l.displayName, l.ok && l.clusters.length, l.ok && l.faults])).toEqual([
      ...[0, 1, 2, 3, 4].map((i) => [subId(i), `Sub ${i}`, 500, undefined]),
      [subId(5), "Sub 5", 0, undefined],
    ]);
    expect(f.arm.requests.filter((r) => r.method === "GET" && r.path.endsWith("/managedClusters"))).toHaveLength(0);

    // The same clusters through managedClusters.list: equal, field for field.
    const armListings = await listEstate(createSourceForFake(f, { inventory: "arm", readInCluster: false }).source);
    const viaGraph = clustersOf(listings);
    expect(viaGraph).toHaveLength(2500);
    expect(viaGraph).toEqual(clustersOf(armListings));
    expect(viaGraph[0]).toMatchObject({
      type: "Microsoft.ContainerService/ManagedClusters",
      resourceGroup: "RG-aks-0-0",
      agentPoolProfiles: [{ osType: "Linux" }, { osType: "Windows" }],
      networkProfile: { networkPluginMode: "overlay", networkDataplane: "cilium", podLinkLocalAccess: "None" },
      servicePrincipalProfile: { clientId: "msi" },
    });
    for (const key of ["properties", "subscriptionId", "kind", "identity", "sku"]) expect(viaGraph[0]).not.toHaveProperty(key);
    const text = JSON.stringify(listings);
    for (const secret of [SP_SECRET, WINDOWS_PASSWORD, ...f.secrets]) expect(text).not.toContain(secret);
  });

  test("650 subscriptions are asked in 3 queries of at most 300 (auto chooses Resource Graph above 50), each subscription once", async () => {
    const estate = { subscriptions: Array.from({ length: 650 }, (_, i) => subscription(i, i % 10 === 0 ? 1 : 0)) };
    const f = await start(estate);
    const progress: SubscriptionProgress[] = [];

    const listings = await listEstate(createSourceForFake(f, { readInCluster: false, onSubscriptionProgress: (p) => progress.push(p) }).source);

    const requests = graphRequests(f);
    expect(requests.map((r) => r.graph!.subscriptions.length).sort((a, b) => a - b)).toEqual([50, 300, 300]);
    const asked = requests.flatMap((r) => r.graph!.subscriptions);
    expect(new Set(asked).size).toBe(650);
    expect(asked).toHaveLength(650);
    expect(listings).toHaveLength(650);
    expect(listings.every((l) => l.ok && !l.faults)).toBe(true);
    expect(clustersOf(listings)).toHaveLength(65);
    expect(progress.at(-1)).toEqual({ subscriptionsDone: 650, subscriptionsTotal: 650, clustersFound: 65, errors: 0, inventory: "resource-graph" });
  });

  test("auto keeps the per-subscription ARM listing up to BULKHEAD_RESOURCE_GRAPH_THRESHOLD subscriptions and uses Resource Graph above it", async () => {
    const f = await start({ subscriptions: [0, 1, 2].map((i) => subscription(i, 1)) });

    await listEstate(createSourceForFake(f, { readInCluster: false }).source);
    expect(graphRequests(f)).toHaveLength(0);

    await listEstate(createSourceForFake(f, { readInCluster: false }, { BULKHEAD_RESOURCE_GRAPH_THRESHOLD: "2" }).source);
    expect(graphRequests(f)).toHaveLength(1);
    expect(graphRequests(f)[0].graph!.subscriptions).toHaveLength(3);
  });

  test.each([
    ["the run's throttle gate", false],
    ["a gate of its own (a source built without the run's)", true],
  ])("when the quota runs out (x-ms-user-quota-remaining: 0), the next page waits for x-ms-user-quota-resets-after, with %s; nothing is sent before", async (_, handBuilt) => {
    const f = await start({ subscriptions: [subscription(0, 5)] }, { resourceGraph: { quota: { queries: 2, windowMs: 1000 } } });
    const source = handBuilt
      ? createAzureSource({ ...handBuiltTransport(f), readInCluster: false, kubeTimeoutMs: 1000, concurrency: 4, inventory: "resource-graph", resourceGraph: { pageSize: 2 } })
      : graphSource(f, { resourceGraph: { pageSize: 2 } });

    const listings = await listEstate(source);

    expect(listingOf(listings, subId(0))).toMatchObject({ ok: true, clusters: expect.any(Array) });
    expect(clustersOf(listings)).toHaveLength(5);
    const requests = graphRequests(f);
    expect(requests.map((r) => [r.status, r.graph!.quotaRemaining])).toEqual([
      [200, 1],
      [200, 0],
      [200, 1],
    ]);
    const resetMs = parseQuotaResetsAfter(requests[1].graph!.quotaResetsAfter)!;
    expect(resetMs).toBeGreaterThanOrEqual(1000);
    expect(requests[2].at - requests[1].at).toBeGreaterThanOrEqual(resetMs);
    expect(requests[2].at - requests[1].at).toBeLessThan(resetMs + 2000);
  });

  test.each([
    ["Resource Graph's own 429 (quota headers, no Retry-After)", { quotaExceeded: true as const, resetsAfterSeconds: 1 }],
    ["an ARM 429 with Retry-After", { status: 429 as const, retryAfterSeconds: 1 }],
  ])("%s is waited out, then the query is asked again and succeeds", async (_, failure) => {
    const f = await start({ subscriptions: [subscription(0, 2)] }, { resourceGraph: { failures: [failure] } });

    const listings = await listEstate(graphSource(f));

    expect(listingOf(listings, subId(0))).toMatchObject({ ok: true });
    const requests = graphRequests(f);
    expect(requests.map((r) => r.status)).toEqual([429, 200]);
    expect(requests[1].at - requests[0].at).toBeGreaterThanOrEqual(1000);
    expect(requests[1].at - requests[0].at).toBeLessThan(3000);
  });

  test("a quota reset beyond the wait budget is recorded as throttled at once, and the next batch is not sent at all", async () => {
    const f = await start({
      subscriptions: [subscription(0, 1, { resourceGraphFailure: { quotaExceeded: true, resetsAfterSeconds: 3600 } }), subscription(1, 1)],
    });
    const source = graphSource(f, { concurrency: 1, resourceGraph: { batchSize: 1 }, transport: { maxThrottleWaitMs: 2_000 } });

    const started = Date.now();
    const listings = await listEstate(source);

    expect(Date.now() - started).toBeLessThan(2_000);
    expect(listings.map((l) => [l.subscriptionId, l.ok, !l.ok && l.fault.cause])).toEqual([
      [subId(0), false, "throttled"],
      [subId(1), false, "throttled"],
    ]);
    expect(graphRequests(f)).toHaveLength(1);
  });

  test("a batch answering 403 fails the listings of its subscriptions only, asked once", async () => {
    const estate = { subscriptions: Array.from({ length: 7 }, (_, i) => subscription(i, 1, i === 4 ? { resourceGraphFailure: { status: 403 } } : {})) };
    const f = await start(estate);

    const listings = await listEstate(graphSource(f, { resourceGraph: { batchSize: 3 } }));

    expect(listings.map((l) => [l.subscriptionId, l.ok ? "ok" : l.fault.cause])).toEqual([
      [subId(0), "ok"],
      [subId(1), "ok"],
      [subId(2), "ok"],
      [subId(3), "forbidden"],
      [subId(4), "forbidden"],
      [subId(5), "forbidden"],
      [subId(6), "ok"],
    ]);
    expect(listingOf(listings, subId(3))).toMatchObject({ fault: { message: expect.stringContaining("AuthorizationFailed") } });
    expect(graphRequests(f).filter((r) => r.status === 403)).toHaveLength(1);
  });

  test("a 5xx is retried: once then success; always, then server-error for the batch without echoing the token", async () => {
    const once = await start({ subscriptions: [subscription(0, 1)] }, { resourceGraph: { failures: [{ status: 500 }] } });
    expect((await listEstate(graphSource(once)))[0].ok).toBe(true);
    expect(graphRequests(once).map((r) => r.status)).toEqual([500, 200]);
    await once.close();

    const f = await start({ subscriptions: [subscription(0, 1, { resourceGraphFailure: { status: 503 } }), subscription(1, 0)] });
    const listings = await listEstate(graphSource(f));

    expect(listings.map((l) => !l.ok && l.fault.cause)).toEqual(["server-error", "server-error"]);
    expect(graphRequests(f)).toHaveLength(4); // the first try and 3 retries
    expect(JSON.stringify(listings)).not.toContain(f.armToken);
  });

  test.each([
    ["a body that is not JSON", { malformed: true as const }, /not valid JSON/],
    ["a page that says it is truncated and gives no $skipToken", { truncated: true as const }, /cut short/],
  ])("%s fails the batch as malformed: nothing is inferred deleted", async (_, failure, message) => {
    const f = await start({ subscriptions: [subscription(0, 3, { resourceGraphFailure: failure })] });

    const listings = await listEstate(graphSource(f));

    expect(listings).toEqual([{ subscriptionId: subId(0), displayName: "Sub 0", ok: false, fault: { cause: "malformed", message: expect.stringMatching(message) } }]);
  });

  test("a subscription Resource Graph does not prove readable is never an empty complete listing; one seen only in part keeps its clusters, marked incomplete", async () => {
    const f = await start({
      subscriptions: [
        subscription(0, 1),
        subscription(1, 0), // readable, no clusters
        subscription(2, 2, { resourceGraph: "hidden" }), // no access: Resource Graph leaves it out silently
        subscription(3, 2, { resourceGraph: "partial" }), // Reader on its resource groups only
      ],
    });
    const unknown = subId(99); // named with --subscription, not in the tenant

    const listings = await listEstate(graphSource(f, { subscriptionIds: [0, 1, 2, 3].map(subId).concat(unknown) }));

    expect(listingOf(listings, subId(0))).toMatchObject({ ok: true, clusters: [expect.anything()] });
    expect(listingOf(listings, subId(1))).toEqual({ subscriptionId: subId(1), ok: true, clusters: [] });
    for (const id of [subId(2), unknown]) {
      expect(listingOf(listings, id)).toMatchObject({ ok: false, fault: { cause: "forbidden", message: expect.stringContaining("Reader") } });
    }
    expect(listingOf(listings, subId(3))).toMatchObject({
      ok: true,
      clusters: [expect.anything(), expect.anything()],
      faults: [{ target: subId(3), fault: { cause: "forbidden", message: expect.stringContaining("only part of it") } }],
    });
  });

  test("the client sends nothing outside the ARM endpoint", async () => {
    const f = await start({ subscriptions: [] });
    const { credential, transport } = handBuiltTransport(f);
    const client = createResourceGraphClient(credential, transport);

    const request = createPipelineRequest({ url: "https://127.0.0.2:1/providers/Microsoft.ResourceGraph/resources", method: "POST", body: JSON.stringify({ query: CLUSTER_INVENTORY_QUERY }) });
    await expect(client.pipeline.sendRequest(createDefaultHttpClient(), request)).rejects.toThrow(
      /only https:\/\/127\.0\.0\.1/,
    );
    expect(f.arm.requests).toHaveLength(0);
  });
});

test.each([
  ["00:00:03", 3_000],
  ["00:05:00", 300_000],
  ["01:00:00", 3_600_000],
  ["1.00:00:01", 86_401_000],
  ["00:00:00.5", 500],
  [" 00:00:02 ", 2_000],
  ["3", undefined],
  ["", undefined],
  [null, undefined],
  ["soon", undefined],
])("x-ms-user-quota-resets-after %j is %j ms", (value, expected) => {
  expect(parseQuotaResetsAfter(value)).toBe(expected);
});
