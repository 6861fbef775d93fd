// Contract tests: the real Azure SDK clients and the real Kubernetes client against local fakes
// of ARM and of AKS API servers (testing/fake-azure), over TLS on 127.0.0.1.
import { afterEach, describe, expect, test } from "vitest";
import { ConfigError } from "@/lib/env";
import { clusterFromAz, makeDefaultDeny, makeNamespace, type FakeCluster, type FakeEstate, type FakeKubeCluster } from "@/testing/fake-azure/fake-estate";
import { createSourceForFake } from "@/testing/fake-azure/fake-azure-harness";
import { startFakeAzure, type FakeAzure, type StartFakeAzureOptions } from "@/testing/fake-azure/start-fake-azure";
import type { ClusterRef, SubscriptionListing } from "../source";
import { SourceError } from "../source";
import { listEstate } from "@/lib/sources/source";

const SUB_1 = "11111111-0000-4000-8000-000000000001";
const SUB_2 = "22222222-0000-4000-8000-000000000002";

let fake: FakeAzure | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(estate: FakeEstate, options?: StartFakeAzureOptions): Promise<FakeAzure> {
  fake = await startFakeAzure(estate, options);
  return fake;
}

function cluster(subscriptionId: string, name: string, kube?: FakeKubeCluster, extra: Record<string, unknown> = {}): FakeCluster {
  return clusterFromAz(
    {
      id: `/subscriptions/${subscriptionId}/resourcegroups/rg-${name}/providers/Microsoft.ContainerService/managedClusters/${name}`,
      name,
      location: "westeurope",
      type: "Microsoft.ContainerService/ManagedClusters",
      tags: { owner: "team-a", environment: "production" },
      kubernetesVersion: "1.31.2",
      agentPoolProfiles: [{ name: "system", count: 3, osType: "Linux", mode: "System" }],
      networkProfile: { networkPlugin: "azure", networkPolicy: "azure" },
      ...extra,
    },
    kube,
  );
}

const okKube = (namespaces = ["default", "kube-system"]): FakeKubeCluster => ({ namespaces: namespaces.map(makeNamespace), policies: [makeDefaultDeny("default")] });

const refOf = (subscriptionId: string, name: string): ClusterRef => ({
  id: `/subscriptions/${subscriptionId}/resourcegroups/rg-${name}/providers/Microsoft.ContainerService/managedClusters/${name}`,
  name,
  resourceGroup: `rg-${name}`,
  subscriptionId,
});

const listingOf = (listings: SubscriptionListing[], id: string) => listings.find((listing) => listing.subscriptionId === id)!;
const clusterListRequests = (f: FakeAzure, id: string) => f.arm.requests.filter((r) => r.subscriptionId === id && r.method === "GET");

describe("ARM listing", () => {
  test("lists every subscription and follows nextLink through every page; fields the SDK model lacks survive, in the az aks list shape", async () => {
    const clusters = ["a", "b", "c", "d", "e"].map((name) =>
      cluster(SUB_1, `aks-${name}`, undefined, {
        networkProfile: { networkPlugin: "azure", networkPluginMode: "overlay", networkPolicy: "cilium", networkDataplane: "cilium", podLinkLocalAccess: "None" },
      }),
    );
    const f = await start({ subscriptions: [{ subscriptionId: SUB_1, displayName: "One", clusters }, { subscriptionId: SUB_2, displayName: "Two", clusters: [] }] }, { armPageSize: 2 });
    const { source } = createSourceForFake(f);

    const listings = await listEstate(source);

    expect(listings.map((l) => [l.subscriptionId, l.ok, l.displayName])).toEqual([
      [SUB_1, true, "One"],
      [SUB_2, true, "Two"],
    ]);
    const one = listingOf(listings, SUB_1);
    if (!one.ok) throw new Error("expected a listing");
    expect(one.clusters).toHaveLength(5);
    expect(one.clusters[0]).toMatchObject({
      id: clusters[0].resource.id,
      name: "aks-a",
      location: "westeurope",
      resourceGroup: "rg-aks-a",
      tags: { owner: "team-a", environment: "production" },
      agentPoolProfiles: [{ name: "system", count: 3, osType: "Linux", mode: "System" }],
      networkProfile: { networkPluginMode: "overlay", networkPolicy: "cilium", networkDataplane: "cilium", podLinkLocalAccess: "None" },
    });
    expect(one.clusters[0]).not.toHaveProperty("properties");
    // Three pages of two: the first request and two nextLinks.
    const pages = clusterListRequests(f, SUB_1);
    expect(pages.map((r) => new URLSearchParams(r.query).get("$skipToken"))).toEqual([null, "2", "4"]);
  });

  test("a 429 with Retry-After is waited out (never retried earlier) and the listing then succeeds", async () => {
    const f = await start({
      subscriptions: [{ subscriptionId: SUB_1, displayName: "One", clusters: [cluster(SUB_1, "aks-a")], listingFailures: [{ status: 429, retryAfterSeconds: 1 }] }],
    });
    const { source } = createSourceForFake(f, { subscriptionIds: [SUB_1] });

    const listings = await listEstate(source);

    expect(listingOf(listings, SUB_1).ok).toBe(true);
    const requests = clusterListRequests(f, SUB_1);
    expect(requests.map((r) => r.status)).toEqual([429, 200]);
    const waited = requests[1].at - requests[0].at;
    expect(waited).toBeGreaterThanOrEqual(1000);
    expect(waited).toBeLessThan(3000);
  });

  test("a Retry-After beyond the wait budget is recorded as throttled at once, not slept through", async () => {
    const f = await start({
      subscriptions: [{ subscriptionId: SUB_1, displayName: "One", clusters: [], listingAlways: { status: 429, retryAfterSeconds: 3600 } }],
    });
    const { source } = createSourceForFake(f, { subscriptionIds: [SUB_1], transport: { maxThrottleWaitMs: 2_000 } });

    const started = Date.now();
    const listings = await listEstate(source);

    expect(Date.now() - started).toBeLessThan(2_000);
    expect(listingOf(listings, SUB_1)).toMatchObject({ ok: false, fault: { cause: "throttled" } });
    expect(clusterListRequests(f, SUB_1)).toHaveLength(1);
  });

  test("a subscription answering 403 or 404 is recorded (forbidden / not-found) and skipped; the others are listed", async () => {
    const SUB_3 = "33333333-0000-4000-8000-000000000003";
    const f = await start({
      subscriptions: [
        { subscriptionId: SUB_1, displayName: "One", clusters: [cluster(SUB_1, "aks-a")] },
        { subscriptionId: SUB_2, displayName: "Two", clusters: [], listingAlways: { status: 403 } },
        { subscriptionId: SUB_3, displayName: "Three", clusters: [], listingAlways: { status: 404 } },
      ],
    });
    const { source } = createSourceForFake(f);

    const listings = await listEstate(source);

    expect(listingOf(listings, SUB_1).ok).toBe(true);
    expect(listingOf(listings, SUB_2)).toMatchObject({ ok: false, fault: { cause: "forbidden", message: expect.stringContaining("AuthorizationFailed") } });
    expect(listingOf(listings, SUB_3)).toMatchObject({ ok: false, fault: { cause: "not-found", message: expect.stringContaining("SubscriptionNotFound") } });
    // A 403 is an answer, not a transient fault: asked once.
    expect(clusterListRequests(f, SUB_2)).toHaveLength(1);
  });

  test("a 5xx is retried with backoff: once then success; always, then recorded as server-error without echoing the token", async () => {
    const f = await start({
      subscriptions: [
        { subscriptionId: SUB_1, displayName: "One", clusters: [cluster(SUB_1, "aks-a")], listingFailures: [{ status: 500 }] },
        { subscriptionId: SUB_2, displayName: "Two", clusters: [], listingAlways: { status: 503 } },
      ],
    });
    const { source } = createSourceForFake(f);

    const listings = await listEstate(source);

    expect(listingOf(listings, SUB_1).ok).toBe(true);
    expect(clusterListRequests(f, SUB_1).map((r) => r.status)).toEqual([500, 200]);
    const failed = listingOf(listings, SUB_2);
    expect(failed).toMatchObject({ ok: false, fault: { cause: "server-error" } });
    expect(clusterListRequests(f, SUB_2)).toHaveLength(4); // the first try and 3 retries
    expect(JSON.stringify(failed)).not.toContain(f.armToken);
  });

  test("a malformed body is recorded as malformed, never a crash", async () => {
    const f = await start({
      subscriptions: [
        { subscriptionId: SUB_1, displayName: "One", clusters: [], listingAlways: { malformed: true } },
        { subscriptionId: SUB_2, displayName: "Two", clusters: [cluster(SUB_2, "aks-b")] },
      ],
    });
    const { source } = createSourceForFake(f);

    const listings = await listEstate(source);

    expect(listingOf(listings, SUB_1)).toMatchObject({ ok: false, fault: { cause: "malformed" } });
    expect(listingOf(listings, SUB_2).ok).toBe(true);
  });

  test("when the subscription list itself is refused, the run-level error carries the cause", async () => {
    const f = await start({ subscriptions: [{ subscriptionId: SUB_1, displayName: "One", clusters: [] }] }, { subscriptionListFailures: [{ status: 401 }] });
    const { source } = createSourceForFake(f);

    const error = await listEstate(source).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).fault.cause).toBe("unauthenticated");
  });
});

describe("in-cluster reads", () => {
  test("static-token mode: ARM sees only BULKHEAD_ARM_TOKEN, API servers only BULKHEAD_AKS_TOKEN; the kubeconfig's own credential is never used", async () => {
    const f = await start({ subscriptions: [{ subscriptionId: SUB_1, displayName: "One", clusters: [cluster(SUB_1, "aks-a", okKube())] }] });
    const { source } = createSourceForFake(f);

    await listEstate(source);
    const read = await source.readInCluster(refOf(SUB_1, "aks-a"));

    expect(read.status).toBe("read");
    if (read.status !== "read") return;
    expect(read.data.namespaces.map((n) => (n as { metadata: { name: string } }).metadata.name)).toEqual(["default", "kube-system"]);
    // As kubectl prints them: kind and apiVersion on each item, no managedFields.
    expect(read.data.policies[0]).toMatchObject({ kind: "NetworkPolicy", apiVersion: "networking.k8s.io/v1", metadata: { name: "default-deny", namespace: "default" } });
    expect(read.data.policies[0]).not.toHaveProperty("metadata.managedFields");
    expect(f.arm.requests.every((r) => r.authorized)).toBe(true);
    expect(f.kube.get("aks-a")!.requests.every((r) => r.authorized)).toBe(true);
  });

  test("a cluster with hundreds of namespaces is read page by page with limit and continue", async () => {
    const names = Array.from({ length: 640 }, (_, i) => `ns-${i}`);
    const f = await start({
      subscriptions: [{ subscriptionId: SUB_1, displayName: "One", clusters: [cluster(SUB_1, "aks-big", { namespaces: names.map(makeNamespace), policies: names.map(makeDefaultDeny) })] }],
    });
    const { source } = createSourceForFake(f, { kube: { pageSize: 100 } });

    const read = await source.readInCluster(refOf(SUB_1, "aks-big"));

    expect(read.status).toBe("read");
    if (read.status !== "read") return;
    expect(read.data.namespaces).toHaveLength(640);
    expect(read.data.policies).toHaveLength(640);
    const namespaceRequests = f.kube.get("aks-big")!.requests.filter((r) => r.path === "/api/v1/namespaces");
    expect(namespaceRequests).toHaveLength(7);
    expect(namespaceRequests.every((r) => r.limit === 100)).toBe(true);
    expect(namespaceRequests[0].continueToken).toBeUndefined();
    expect(namespaceRequests.slice(1).every((r) => typeof r.continueToken === "string")).toBe(true);
  });

  test("a hanging API server is recorded as timeout, and the read returns soon after the deadline", async () => {
    const f = await start({ subscriptions: [{ subscriptionId: SUB_1, displayName: "One", clusters: [cluster(SUB_1, "aks-hang", { ...okKube(), behaviour: "hang" })] }] });
    const { source } = createSourceForFake(f, { kubeTimeoutMs: 400 });

    const started = Date.now();
    const read = await source.readInCluster(refOf(SUB_1, "aks-hang"));

    expect(Date.now() - started).toBeLessThan(2_000);
    expect(read).toMatchObject({ status: "failed", fault: { cause: "timeout" } });
    expect(f.kube.get("aks-hang")!.requests.length).toBeGreaterThan(0);
  });

  test.each([
    ["forbidden", "forbidden"],
    ["unauthorized", "unauthenticated"],
    ["unreachable", "unreachable"],
    ["malformed", "malformed"],
  ] as const)("an API server that is %s is recorded as %s, with no secret in the message", async (behaviour, cause) => {
    const f = await start({ subscriptions: [{ subscriptionId: SUB_1, displayName: "One", clusters: [cluster(SUB_1, "aks-x", { ...okKube(), behaviour })] }] });
    const { source } = createSourceForFake(f);

    const read = await source.readInCluster(refOf(SUB_1, "aks-x"));

    expect(read).toMatchObject({ status: "failed", fault: { cause } });
    const text = JSON.stringify(read);
    for (const secret of f.secrets) expect(text).not.toContain(secret);
  });

  test("no listClusterUserCredential permission is recorded as forbidden", async () => {
    const denied = { ...cluster(SUB_1, "aks-a", okKube()), credentialFailure: { status: 403 as const } };
    const f = await start({ subscriptions: [{ subscriptionId: SUB_1, displayName: "One", clusters: [denied] }] });
    const { source } = createSourceForFake(f);

    const read = await source.readInCluster(refOf(SUB_1, "aks-a"));

    expect(read).toMatchObject({ status: "failed", fault: { cause: "forbidden", message: expect.stringContaining("listClusterUserCredential") } });
    expect(f.kube.get("aks-a")!.requests).toHaveLength(0);
  });

  test("--no-kube reads nothing inside clusters", async () => {
    const f = await start({ subscriptions: [{ subscriptionId: SUB_1, displayName: "One", clusters: [cluster(SUB_1, "aks-a", okKube())] }] });
    const { source } = createSourceForFake(f, { readInCluster: false }, { BULKHEAD_AKS_TOKEN: "" });

    expect(await source.readInCluster(refOf(SUB_1, "aks-a"))).toEqual({ status: "absent" });
    expect(f.arm.requests.filter((r) => r.method === "POST")).toHaveLength(0);
  });

  test("static-token mode without BULKHEAD_AKS_TOKEN is a configuration error naming the variable, unless in-cluster reads are off", async () => {
    const f = await start({ subscriptions: [] });
    expect(() => createSourceForFake(f, {}, { BULKHEAD_AKS_TOKEN: "" })).toThrow(ConfigError);
    expect(() => createSourceForFake(f, {}, { BULKHEAD_AKS_TOKEN: "" })).toThrow(/BULKHEAD_AKS_TOKEN/);
    expect(() => createSourceForFake(f, { readInCluster: false }, { BULKHEAD_AKS_TOKEN: "" })).not.toThrow();
  });
});
