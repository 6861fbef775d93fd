import type { Env } from "@/lib/env";
import type { AzureCollectSettings } from "./azure/create-azure-source-from-env";
import { SourceError, type PostureSource } from "./source";
import type { AzureSourceDescriptor, SourceDescriptor } from "./source-descriptor";

/** What a descriptor cannot carry: the process's own progress display, abort signal and test tuning. */
export interface OpenSourceHooks {
  onSubscriptionProgress?: AzureCollectSettings["onSubscriptionProgress"];
  signal?: AbortSignal;
  /** Tuning for tests of the Azure source: retry bounds, the fakes' CA, page sizes. */
  azure?: Pick<AzureCollectSettings, "transport" | "kube" | "resourceGraph">;
}

/**
 * The one way a run gets its source (`collect`, "Run collection now", the schedule, `import`,
 * `demo`, and the workers of a distributed run): from its descriptor and this process's
 * environment. Bad files or credential settings throw here, before a run starts.
 */
export async function openSource(descriptor: SourceDescriptor, env: Env, hooks: OpenSourceHooks = {}): Promise<PostureSource> {
  if (descriptor.kind === "files") {
    const { createFilesSource } = await import("./files");
    return createFilesSource(descriptor.directory);
  }
  if (descriptor.kind === "demo") {
    const { openDemoDay } = await import("./demo");
    const { source } = openDemoDay(descriptor);
    return descriptor.latencyMs ? withReadLatency(source, descriptor.latencyMs) : source;
  }
  if (env.BULKHEAD_ARM_ENDPOINT !== descriptor.armEndpoint) {
    // A process of another cloud (or of the fakes) would judge other clusters than the run names.
    throw new SourceError({
      cause: "unknown",
      message: `this process's BULKHEAD_ARM_ENDPOINT (${env.BULKHEAD_ARM_ENDPOINT}) is not the run's (${descriptor.armEndpoint})`,
    });
  }
  // The Azure SDKs take seconds to load; demo and file runs never pay for them.
  const { createAzureSourceFromEnv } = await import("./azure/create-azure-source-from-env");
  return createAzureSourceFromEnv(env, { ...azureSettings(descriptor), ...hooks.azure, onSubscriptionProgress: hooks.onSubscriptionProgress, signal: hooks.signal }).source;
}

function azureSettings(descriptor: AzureSourceDescriptor): AzureCollectSettings {
  return {
    subscriptionIds: descriptor.subscriptionIds ?? undefined,
    readInCluster: descriptor.readInCluster,
    readCosts: descriptor.readCosts ?? false,
    kubeTimeoutMs: descriptor.kubeTimeoutMs,
    concurrency: descriptor.concurrency ?? 1,
    inventory: descriptor.inventory,
    resourceGraphThreshold: descriptor.resourceGraphThreshold,
  };
}

/** The Azure descriptor of a run this process's environment configures (`collect` and the in-app runs). */
export function describeAzureSource(
  env: Env,
  settings: { subscriptionIds?: string[]; readInCluster: boolean; readCosts?: boolean; kubeTimeoutSeconds?: number; concurrency?: number; inventory?: AzureSourceDescriptor["inventory"] },
): AzureSourceDescriptor {
  return {
    kind: "azure",
    armEndpoint: env.BULKHEAD_ARM_ENDPOINT,
    subscriptionIds: settings.subscriptionIds?.length ? settings.subscriptionIds : null,
    readInCluster: settings.readInCluster,
    readCosts: settings.readCosts ?? true,
    kubeTimeoutMs: (settings.kubeTimeoutSeconds ?? env.BULKHEAD_KUBE_TIMEOUT_SECONDS) * 1000,
    concurrency: settings.concurrency,
    inventory: settings.inventory ?? "auto",
    resourceGraphThreshold: env.BULKHEAD_RESOURCE_GRAPH_THRESHOLD,
  };
}

/**
 * What a run records as its options, for the Runs page and later readers: how the source was set
 * up, never a credential.
 */
export function describeRunOptions(descriptor: SourceDescriptor, env: Env): Record<string, unknown> {
  if (descriptor.kind === "files") return { directory: descriptor.directory };
  if (descriptor.kind === "demo") {
    // Everything a later "Run collection now" needs to rebuild the same estate (start-collection-now.ts).
    return { demo: { seed: descriptor.seed, day: descriptor.dayIndex, clusters: descriptor.clusters, days: descriptor.days, subscriptions: descriptor.subscriptions, owners: descriptor.owners } };
  }
  const inventory = descriptor.inventory ?? "arm";
  return {
    credential: env.BULKHEAD_AZURE_CREDENTIAL,
    armEndpoint: descriptor.armEndpoint,
    subscriptions: descriptor.subscriptionIds?.length ? descriptor.subscriptionIds : "all visible",
    inCluster: descriptor.readInCluster,
    costs: descriptor.readCosts ?? false,
    kubeTimeoutSeconds: descriptor.kubeTimeoutMs / 1000,
    concurrency: descriptor.concurrency,
    inventory,
    ...(inventory === "auto" ? { resourceGraphThreshold: descriptor.resourceGraphThreshold ?? env.BULKHEAD_RESOURCE_GRAPH_THRESHOLD } : {}),
  };
}

/** Simulated API-server latency on every in-cluster read (tests and benchmarks of distributed runs). */
function withReadLatency(source: PostureSource, ms: number): PostureSource {
  return {
    ...source,
    kind: source.kind,
    async readInCluster(cluster, signal) {
      await sleep(ms, signal);
      return source.readInCluster(cluster, signal);
    },
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
