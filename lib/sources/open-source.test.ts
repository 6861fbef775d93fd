import path from "node:path";
import { describe, expect, test } from "vitest";
import { parseEnv } from "@/lib/env";
import { createDemoEstate, describeDemoDay } from "./demo";
import { describeAzureSource, describeRunOptions, openSource } from "./open-source";
import { createListedSource, listEstate, SourceError } from "./source";
import { sourceDescriptorSchema } from "./source-descriptor";

const SAMPLE = path.resolve("testing/fixtures/sample-estate");
const env = parseEnv({} as NodeJS.ProcessEnv);
const END_AT = new Date("2026-03-01T02:00:00Z");

describe("openSource", () => {
  test("a files descriptor opens the import directory: the same listing and reads as the files source", async () => {
    const descriptor = sourceDescriptorSchema.parse({ kind: "files", directory: SAMPLE });
    const source = await openSource(descriptor, env);
    expect(source.kind).toBe("files");
    const listings = await listEstate(source);
    expect(listings.length).toBeGreaterThan(0);
    expect(listings.every((listing) => listing.ok)).toBe(true);
    const first = listings[0];
    if (!first.ok) throw new Error("unreachable");
    const cluster = first.clusters[0] as { id: string; name: string; resourceGroup: string };
    const read = await source.readInCluster({ id: cluster.id, name: cluster.name, resourceGroup: cluster.resourceGroup, subscriptionId: first.subscriptionId });
    expect(read.status).toBe("read");
  });

  test("a demo descriptor opens that day of the estate, as a worker on another machine would", async () => {
    const estate = createDemoEstate({ clusters: 20, days: 5, seed: 3, endAt: END_AT });
    const descriptor = describeDemoDay(estate, 2);
    expect(sourceDescriptorSchema.parse(JSON.parse(JSON.stringify(descriptor)))).toEqual(descriptor);
    const opened = await openSource(descriptor, env);
    expect(await listEstate(opened)).toEqual(await listEstate(estate.day(2).source));
    // Discovery names every subscription once, lower-case, without listing clusters.
    const discovered = await opened.discoverSubscriptions();
    expect(discovered.map((s) => s.subscriptionId)).toEqual(estate.subscriptions.map((s) => s.id.toLowerCase()));
    await expect(openSource({ ...descriptor, dayIndex: 5 }, env)).rejects.toThrow(/has no day 5/);
  });

  test("a demo descriptor with latency waits before every in-cluster read, and an abort stops the wait", async () => {
    const estate = createDemoEstate({ clusters: 5, days: 2, seed: 3, endAt: END_AT });
    const source = await openSource({ ...describeDemoDay(estate, 1), latencyMs: 200 }, env);
    const [listing] = (await listEstate(source)).filter((item) => item.ok && item.clusters.length > 0);
    if (!listing?.ok) throw new Error("the estate lists no cluster");
    const cluster = listing.clusters[0] as { id: string; name: string; resourceGroup: string };
    const ref = { id: cluster.id, name: cluster.name, resourceGroup: cluster.resourceGroup, subscriptionId: listing.subscriptionId };
    const started = performance.now();
    await source.readInCluster(ref);
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    const controller = new AbortController();
    const read = source.readInCluster(ref, controller.signal);
    controller.abort(new Error("stopped"));
    await expect(read).rejects.toThrow("stopped");
  });

  test("an Azure descriptor of another ARM endpoint is refused: the process would judge other clusters", async () => {
    const descriptor = describeAzureSource(env, { readInCluster: false });
    await expect(openSource({ ...descriptor, armEndpoint: "https://management.chinacloudapi.cn" }, env)).rejects.toThrow(SourceError);
    await expect(openSource({ ...descriptor, armEndpoint: "https://management.chinacloudapi.cn" }, env)).rejects.toThrow(/BULKHEAD_ARM_ENDPOINT/);
  });
});

describe("describeRunOptions", () => {
  test("records how the source was set up, and never a credential", () => {
    const secretEnv = parseEnv({ BULKHEAD_AZURE_CREDENTIAL: "static-token", BULKHEAD_ARM_TOKEN: "arm-secret-token", BULKHEAD_AKS_TOKEN: "aks-secret-token" } as unknown as NodeJS.ProcessEnv);
    const azure = describeAzureSource(secretEnv, { subscriptionIds: ["3f2b8c1e-5d4a-4e7b-9c6f-1a2b3c4d5e6f"], readInCluster: true, concurrency: 8, inventory: "auto" });
    const options = describeRunOptions(azure, secretEnv);
    expect(options).toEqual({
      credential: "static-token",
      armEndpoint: secretEnv.BULKHEAD_ARM_ENDPOINT,
      subscriptions: ["3f2b8c1e-5d4a-4e7b-9c6f-1a2b3c4d5e6f"],
      inCluster: true,
      costs: true,
      kubeTimeoutSeconds: secretEnv.BULKHEAD_KUBE_TIMEOUT_SECONDS,
      concurrency: 8,
      inventory: "auto",
      resourceGraphThreshold: secretEnv.BULKHEAD_RESOURCE_GRAPH_THRESHOLD,
    });
    expect(JSON.stringify(options)).not.toMatch(/secret-token/);
    expect(describeRunOptions({ ...azure, subscriptionIds: null, inventory: "arm" }, secretEnv)).toMatchObject({ subscriptions: "all visible", inventory: "arm" });
    expect(describeRunOptions({ kind: "files", directory: "/data/export" }, env)).toEqual({ directory: "/data/export" });
    const demo = describeDemoDay(createDemoEstate({ clusters: 3, days: 4, seed: 9, endAt: END_AT }), 3);
    // Everything "Run collection now" needs to rebuild the same estate later.
    expect(describeRunOptions(demo, env)).toEqual({ demo: { seed: 9, day: 3, clusters: 3, days: 4, subscriptions: 8, owners: 12 } });
  });
});

describe("createListedSource", () => {
  const source = createListedSource({
    kind: "files",
    listAll: async () => [
      { subscriptionId: "AAAA", displayName: "A", ok: true, clusters: [{ id: "x" }] },
      { subscriptionId: "bbbb", ok: false, fault: { cause: "forbidden", message: "no" } },
    ],
    readInCluster: async () => ({ status: "absent" }),
  });

  test("discovery is the listing's subscriptions, lower-case; a listing of some is a cut of it, in the order asked", async () => {
    expect(await source.discoverSubscriptions()).toEqual([{ subscriptionId: "aaaa", displayName: "A" }, { subscriptionId: "bbbb" }]);
    const cut = await source.listClusters([{ subscriptionId: "bbbb" }, { subscriptionId: "aaaa" }]);
    expect(cut.map((listing) => [listing.subscriptionId, listing.ok])).toEqual([
      ["bbbb", false],
      ["AAAA", true],
    ]);
  });

  test("a subscription the listing does not have is a failed listing, not a crash", async () => {
    const [listing] = await source.listClusters([{ subscriptionId: "cccc", displayName: "C" }]);
    expect(listing).toEqual({ subscriptionId: "cccc", displayName: "C", ok: false, fault: { cause: "not-found", message: "the files source has no subscription cccc" } });
  });

  test("every listing is fresh: a caller that changes its copy changes nobody else's", async () => {
    const [first] = await source.listClusters([{ subscriptionId: "aaaa" }]);
    const [second] = await source.listClusters([{ subscriptionId: "aaaa" }]);
    expect(second).toEqual(first);
    expect(second).not.toBe(first);
  });
});
