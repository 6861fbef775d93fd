import type { Env } from "@/lib/env";
import { createDemoEstate, type DemoRun } from "@/lib/sources/demo";
import { SourceError, type ClusterRef, type InClusterRead, type SubscriptionListing } from "@/lib/sources/source";
import type { AzureSourceDescriptor, DemoSourceDescriptor, SourceDescriptor } from "./plan";

/**
 * A PostureSource cut into the pieces jobs need: the coordinator discovers the subscriptions, a
 * listing job lists one, an in-cluster job reads one cluster. Built from the run's descriptor and
 * the worker's own environment (credentials never travel with a job).
 */
export interface JobSource {
  discoverSubscriptions(): Promise<DiscoveredSubscription[]>;
  listSubscription(subscription: DiscoveredSubscription): Promise<SubscriptionListing>;
  /** A batch of subscriptions in one inventory (Azure: paged Resource Graph queries), one listing each, in order. */
  inventorySubscriptions(subscriptions: DiscoveredSubscription[]): Promise<SubscriptionListing[]>;
  readInCluster(cluster: ClusterRef, signal?: AbortSignal): Promise<InClusterRead>;
}

export interface DiscoveredSubscription {
  subscriptionId: string;
  displayName?: string;
}

// A worker serves many jobs of few runs: building a source (planning a demo estate, a credential)
// once per run descriptor, not once per job, is most of the worker's speed.
const cache = new Map<string, Promise<JobSource>>();
const CACHE_SIZE = 4;

export function openJobSource(descriptor: SourceDescriptor, env: Env): Promise<JobSource> {
  const key = JSON.stringify(descriptor);
  let source = cache.get(key);
  if (!source) {
    source = descriptor.kind === "demo" ? Promise.resolve(openDemoJobSource(descriptor)) : openAzureJobSource(descriptor, env);
    source.catch(() => cache.delete(key));
    cache.set(key, source);
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  }
  return source;
}

/** The demo day a descriptor names, and its capture time. */
export function findDemoRun(descriptor: DemoSourceDescriptor): DemoRun {
  const estate = createDemoEstate({
    seed: descriptor.seed,
    clusters: descriptor.clusters,
    days: descriptor.days,
    subscriptions: descriptor.subscriptions,
    owners: descriptor.owners,
    endAt: new Date(descriptor.endAt),
  });
  for (const run of estate.runs()) if (run.dayIndex === descriptor.dayIndex) return run;
  throw new SourceError({ cause: "not-found", message: `the demo estate has no day ${descriptor.dayIndex} (it has ${descriptor.days})` });
}

function openDemoJobSource(descriptor: DemoSourceDescriptor): JobSource {
  const { source } = findDemoRun(descriptor);
  let listings: Promise<SubscriptionListing[]> | undefined;
  const listAll = () => (listings ??= source.listSubscriptions());
  const listOne = async (subscription: DiscoveredSubscription): Promise<SubscriptionListing> => {
    const listing = (await listAll()).find((item) => item.subscriptionId.toLowerCase() === subscription.subscriptionId);
    if (!listing) return { subscriptionId: subscription.subscriptionId, displayName: subscription.displayName, ok: false, fault: { cause: "not-found", message: "the demo estate has no such subscription" } };
    return listing;
  };
  return {
    async discoverSubscriptions() {
      return (await listAll()).map((listing) => ({ subscriptionId: listing.subscriptionId.toLowerCase(), displayName: listing.displayName }));
    },
    listSubscription: listOne,
    // The demo has no Resource Graph: a batch is its listings one by one, with the batch job's bookkeeping.
    inventorySubscriptions: (subscriptions) => Promise.all(subscriptions.map(listOne)),
    async readInCluster(cluster, signal) {
      if (descriptor.latencyMs) await sleep(descriptor.latencyMs, signal);
      return source.readInCluster(cluster, signal);
    },
  };
}

async function openAzureJobSource(descriptor: AzureSourceDescriptor, env: Env): Promise<JobSource> {
  if (env.BULKHEAD_ARM_ENDPOINT !== descriptor.armEndpoint) {
    // A worker of another cloud (or of the fakes) would judge other clusters than the run listed.
    throw new Error(`this worker's BULKHEAD_ARM_ENDPOINT (${env.BULKHEAD_ARM_ENDPOINT}) is not the run's (${descriptor.armEndpoint})`);
  }
  // The Azure SDKs take seconds to load; workers of demo runs never pay for them.
  const { createAzureSourceFromEnv } = await import("@/lib/sources/azure/create-azure-source-from-env");
  const { discoverAzureSubscriptions } = await import("./discover-azure-subscriptions");
  const settings = { concurrency: 1, kubeTimeoutMs: descriptor.kubeTimeoutMs };
  // One source (credential, token cache, per-subscription clients) for every in-cluster read of the run.
  const reader = createAzureSourceFromEnv(env, { ...settings, readInCluster: descriptor.readInCluster }).source;
  return {
    async discoverSubscriptions() {
      if (descriptor.subscriptionIds?.length) return [...new Set(descriptor.subscriptionIds.map((id) => id.toLowerCase()))].map((subscriptionId) => ({ subscriptionId }));
      return discoverAzureSubscriptions(env);
    },
    async listSubscription(subscription) {
      const { source } = createAzureSourceFromEnv(env, { ...settings, readInCluster: false, subscriptionIds: [subscription.subscriptionId] });
      const [listing] = await source.listSubscriptions();
      return { ...listing, displayName: subscription.displayName };
    },
    async inventorySubscriptions(subscriptions) {
      const { source } = createAzureSourceFromEnv(env, {
        ...settings,
        readInCluster: false,
        subscriptionIds: subscriptions.map((subscription) => subscription.subscriptionId),
        inventory: "resource-graph",
      });
      const listings = new Map((await source.listSubscriptions()).map((listing) => [listing.subscriptionId.toLowerCase(), listing]));
      return subscriptions.map((subscription): SubscriptionListing => {
        const listing = listings.get(subscription.subscriptionId.toLowerCase());
        // Every subscription asked for gets a listing from the inventory, failed or not; this guards the contract.
        if (!listing) return { subscriptionId: subscription.subscriptionId, displayName: subscription.displayName, ok: false, fault: { cause: "unknown", message: "the Resource Graph inventory returned no listing for this subscription" } };
        return { ...listing, displayName: subscription.displayName ?? listing.displayName };
      });
    },
    readInCluster: (cluster, signal) => reader.readInCluster(cluster, signal),
  };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
