import type { TokenCredential } from "@azure/identity";
import { ContainerServiceClient } from "@azure/arm-containerservice";
import pLimit from "p-limit";
import { DEFAULT_KUBE_MAX_PAGES, DEFAULT_KUBE_PAGE_SIZE, type ListKubeObjectsOptions } from "@/lib/sources/kubernetes/list-kube-objects";
import { SourceError, type ClusterRef, type InClusterRead, type PostureSource, type SubscriptionListing } from "../source";
import { buildArmPipelineOptions, type ArmTransportSettings } from "./arm-client-options";
import { toSourceFault } from "./fault-cause";
import { listClusters } from "./list-clusters";
import { listSubscriptions } from "./list-subscriptions";
import { readInClusterObjects } from "./read-in-cluster";
import type { SecretRedactor } from "./redact-secrets";

/** Listing progress: the collector reports clusters itself once the listing is done. */
export interface SubscriptionProgress {
  subscriptionsDone: number;
  subscriptionsTotal: number;
  clustersFound: number;
  errors: number;
}

export interface AzureSourceOptions {
  credential: TokenCredential;
  redactor: SecretRedactor;
  transport: ArmTransportSettings;
  /** Scan these instead of every subscription the credential sees. */
  subscriptionIds?: string[];
  /** False: clusters are judged on ARM data only (`--no-kube`). */
  readInCluster: boolean;
  kubeTimeoutMs: number;
  /** Subscriptions listed at once. */
  concurrency: number;
  maxListPages?: number;
  kube?: Partial<Pick<ListKubeObjectsOptions, "pageSize" | "maxPages">>;
  onSubscriptionProgress?: (progress: SubscriptionProgress) => void;
  signal?: AbortSignal;
}

export const DEFAULT_MAX_LIST_PAGES = 100;

/**
 * The Azure source (DESIGN.md §2): subscriptions and AKS clusters from ARM, Namespace and
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

  return {
    kind: "azure",
    async listSubscriptions(): Promise<SubscriptionListing[]> {
      let subscriptions: { subscriptionId: string; displayName?: string }[];
      if (options.subscriptionIds?.length) {
        subscriptions = [...new Set(options.subscriptionIds.map((id) => id.toLowerCase()))].map((subscriptionId) => ({ subscriptionId }));
      } else {
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
      }

      const progress: SubscriptionProgress = { subscriptionsDone: 0, subscriptionsTotal: subscriptions.length, clustersFound: 0, errors: 0 };
      options.onSubscriptionProgress?.({ ...progress });
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
            progress.subscriptionsDone += 1;
            if (listing.ok) progress.clustersFound += listing.clusters.length;
            else progress.errors += 1;
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
