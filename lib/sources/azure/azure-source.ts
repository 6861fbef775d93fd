import type { TokenCredential } from "@azure/identity";
import { ContainerServiceClient } from "@azure/arm-containerservice";
import pLimit from "p-limit";
import { DEFAULT_KUBE_MAX_PAGES, DEFAULT_KUBE_PAGE_SIZE, type ListKubeObjectsOptions } from "@/lib/sources/kubernetes/list-kube-objects";
import { SourceError, type ClusterRef, type DiscoveredSubscription, type InClusterRead, type PostureSource, type SubscriptionListing } from "../source";
import { buildArmPipelineOptions, type ArmPolicyConfig, type ArmTransportSettings } from "./arm-client-options";
import { toSourceFault } from "./fault-cause";
import { listClusters } from "./list-clusters";
import { listSubscriptions } from "./list-subscriptions";
import { readInClusterObjects } from "./read-in-cluster";
import type { SecretRedactor } from "./redact-secrets";
import { createThrottleGate, type ThrottleGate } from "./throttle-policy";
import type { CostReading, CostTarget } from "@/lib/costs/cluster-cost";
import { chooseInventory, DEFAULT_RESOURCE_GRAPH_THRESHOLD, type InventoryMode } from "./inventory-limits";

export { DEFAULT_RESOURCE_GRAPH_THRESHOLD, type InventoryMode };

/** Listing progress: the collector reports clusters itself once the listing is done. */
export interface SubscriptionProgress {
  subscriptionsDone: number;
  subscriptionsTotal: number;
  clustersFound: number;
  errors: number;
  /** The inventory this run uses, once chosen. */
  inventory?: Exclude<InventoryMode, "auto">;
}

export interface AzureSourceOptions {
  credential: TokenCredential;
  redactor: SecretRedactor;
  transport: ArmTransportSettings;
  /** Scan these instead of every subscription the credential sees. */
  subscriptionIds?: string[];
  /** False: clusters are judged on ARM data only (`--no-kube`). */
  readInCluster: boolean;
  /** True: the listed clusters' daily costs are read from Cost Management (docs/costs.md). */
  readCosts?: boolean;
  kubeTimeoutMs: number;
  /** Subscriptions listed at once. */
  concurrency: number;
  maxListPages?: number;
  /** Default `auto`. */
  inventory?: InventoryMode;
  /** With `auto`: Resource Graph when there are more subscriptions than this (default 50). */
  resourceGraphThreshold?: number;
  /** The run's throttle gate (already in `transport.policies`): Resource Graph's quota holds it. */
  throttleGate?: Pick<ThrottleGate, "holdUntil">;
  /** Tuning for tests: subscriptions per query and rows per page (at most 300 and 1,000). */
  resourceGraph?: { batchSize?: number; pageSize?: number };
  kube?: Partial<Pick<ListKubeObjectsOptions, "pageSize" | "maxPages">>;
  onSubscriptionProgress?: (progress: SubscriptionProgress) => void;
  signal?: AbortSignal;
}

export const DEFAULT_MAX_LIST_PAGES = 100;
/** Without the run's gate (a source built by hand), Resource Graph waits on its own gate at most this long per query. */
const DEFAULT_RESOURCE_GRAPH_MAX_WAIT_MS = 120_000;

/**
 * The Azure source (docs/design.md §2): subscriptions and AKS clusters from ARM, Namespace and
 * NetworkPolicy objects from each cluster's API server.
 */
export function createAzureSource(options: AzureSourceOptions): PostureSource {
  const maxPages = options.maxListPages ?? DEFAULT_MAX_LIST_PAGES;
  const clients = new Map<string, ContainerServiceClient>();
  const clientFor = (subscriptionId: string) => {
    let client = clients.get(subscriptionId);
    if (!client) {
      client = new ContainerServiceClient(options.credential, subscriptionId, {
        ...buildArmPipelineOptions(options.transport),
        credentials: { scopes: [options.transport.scope] },
      });
      clients.set(subscriptionId, client);
    }
    return client;
  };

  const listWithResourceGraph = async (subscriptions: DiscoveredSubscription[], maxPages: number, onBatchDone: (listings: SubscriptionListing[]) => void) => {
    // Loaded only when used: most runs list clusters per subscription and never need it.
    const [{ listClustersWithResourceGraph }, { createResourceGraphClient }, { createResourceGraphQuotaPolicy }] = await Promise.all([
      import("./list-clusters-resource-graph"),
      import("./resource-graph-client"),
      import("./resource-graph-quota"),
    ]);
    let gate = options.throttleGate;
    const policies: ArmPolicyConfig[] = [];
    if (!gate) {
      // A source built without the run's gate gets one of its own for the quota holds.
      const own = createThrottleGate({ maxWaitPerRequestMs: DEFAULT_RESOURCE_GRAPH_MAX_WAIT_MS });
      policies.push({ policy: own.policy, position: "perRetry" });
      gate = own;
    }
    policies.push({ policy: createResourceGraphQuotaPolicy(gate), position: "perRetry" });
    const client = createResourceGraphClient(options.credential, options.transport, policies);
    return listClustersWithResourceGraph(subscriptions, {
      client,
      redactor: options.redactor,
      maxPagesPerBatch: maxPages,
      concurrency: options.concurrency,
      batchSize: options.resourceGraph?.batchSize,
      pageSize: options.resourceGraph?.pageSize,
      signal: options.signal,
      onBatchDone,
    });
  };

  return {
    kind: "azure",
    ...(options.readCosts
      ? {
          async readCosts(targets: CostTarget[], capturedAt: Date, signal?: AbortSignal): Promise<CostReading> {
            // Loaded only when used, like Resource Graph.
            const { readAzureCosts } = await import("./costs/read-azure-costs");
            return readAzureCosts(targets, capturedAt, { credential: options.credential, transport: options.transport, redactor: options.redactor, signal: signal ?? options.signal });
          },
        }
      : {}),
    async discoverSubscriptions(): Promise<DiscoveredSubscription[]> {
      if (options.subscriptionIds?.length) {
        return [...new Set(options.subscriptionIds.map((id) => id.toLowerCase()))].map((subscriptionId) => ({ subscriptionId }));
      }
      let subscriptions: DiscoveredSubscription[];
      try {
        subscriptions = await listSubscriptions(options.credential, options.transport, { maxPages, signal: options.signal });
      } catch (error) {
        throw new SourceError(toSourceFault(error, "listing subscriptions", options.redactor));
      }
      if (subscriptions.length === 0) {
        throw new SourceError({
          cause: "not-found",
          message: "listing subscriptions: the credential sees no enabled subscription (give it Reader on the subscriptions to scan, or pass --subscription)",
        });
      }
      return subscriptions;
    },
    async listClusters(subscriptions, listOptions = {}): Promise<SubscriptionListing[]> {
      const inventory = listOptions.inventory ?? chooseInventory(options.inventory ?? "auto", options.resourceGraphThreshold ?? DEFAULT_RESOURCE_GRAPH_THRESHOLD, subscriptions.length);
      const progress: SubscriptionProgress = { subscriptionsDone: 0, subscriptionsTotal: subscriptions.length, clustersFound: 0, errors: 0, inventory };
      options.onSubscriptionProgress?.({ ...progress });
      const count = (listing: SubscriptionListing) => {
        progress.subscriptionsDone += 1;
        if (listing.ok) progress.clustersFound += listing.clusters.length;
        else progress.errors += 1;
      };
      if (inventory === "resource-graph") {
        return listWithResourceGraph(subscriptions, maxPages, (listings) => {
          listings.forEach(count);
          options.onSubscriptionProgress?.({ ...progress });
        });
      }
      const limit = pLimit(Math.max(1, options.concurrency));
      return Promise.all(
        subscriptions.map(({ subscriptionId, displayName }) =>
          limit(async (): Promise<SubscriptionListing> => {
            const listing = await listClusters(subscriptionId, {
              credential: options.credential,
              transport: options.transport,
              redactor: options.redactor,
              maxPages,
              signal: options.signal,
            });
            count(listing);
            options.onSubscriptionProgress?.({ ...progress });
            return { ...listing, displayName };
          }),
        ),
      );
    },
    async readInCluster(cluster: ClusterRef, signal?: AbortSignal): Promise<InClusterRead> {
      if (!options.readInCluster) return { status: "absent" };
      return readInClusterObjects(cluster, {
        credential: options.credential,
        client: clientFor(cluster.subscriptionId),
        redactor: options.redactor,
        timeoutMs: options.kubeTimeoutMs,
        kube: { pageSize: options.kube?.pageSize ?? DEFAULT_KUBE_PAGE_SIZE, maxPages: options.kube?.maxPages ?? DEFAULT_KUBE_MAX_PAGES },
        signal: signal ?? options.signal,
      });
    },
  };
}
