import type { CostReading, CostTarget } from "@/lib/costs/cluster-cost";
import type { InClusterData } from "@/lib/posture";
import type { SourceFault } from "./source-fault";

export type { FaultCause, SourceFault } from "./source-fault";

/** One subscription's cluster listing: complete (clusters may be empty) or failed. */
export type SubscriptionListing =
  | { subscriptionId: string; displayName?: string; ok: true; clusters: unknown[]; faults?: { target: string; fault: SourceFault }[] }
  | { subscriptionId: string; displayName?: string; ok: false; fault: SourceFault };

/** In-cluster objects of one cluster: read, not offered by the source, or failed. */
export type InClusterRead =
  | { status: "read"; data: InClusterData }
  | { status: "absent" }
  | { status: "failed"; fault: SourceFault };

export interface ClusterRef {
  /** ARM id as the source gave it. */
  id: string;
  name: string;
  resourceGroup: string;
  subscriptionId: string;
}

/** A subscription a run covers, before its clusters are listed. */
export interface DiscoveredSubscription {
  subscriptionId: string;
  displayName?: string;
}

export type SourceKind = "files" | "azure" | "demo";

/**
 * Where cluster data comes from (docs/design.md §2), cut into the three steps of a run so that an
 * in-process run and a distributed one take the same source: discover the subscriptions, list the
 * clusters of some of them, read one cluster's objects. An in-process run lists every discovered
 * subscription at once (listEstate); a distributed run hands each step to a job.
 */
export interface PostureSource {
  readonly kind: SourceKind;
  /** The subscriptions this source covers, without their clusters. Throws SourceError when it can name none. */
  discoverSubscriptions(): Promise<DiscoveredSubscription[]>;
  /**
   * One listing per subscription asked for, in the order asked. `inventory` forces how Azure lists
   * them (a distributed run plans its jobs by it); other sources ignore it.
   */
  listClusters(subscriptions: DiscoveredSubscription[], options?: { inventory?: "arm" | "resource-graph" }): Promise<SubscriptionListing[]>;
  readInCluster(cluster: ClusterRef, signal?: AbortSignal): Promise<InClusterRead>;
  /**
   * Daily costs of the listed clusters (docs/costs.md), for the days before `capturedAt`; a source
   * without costs leaves it out. A subscription whose costs cannot be read is a fault in the reading.
   */
  readCosts?(clusters: CostTarget[], capturedAt: Date, signal?: AbortSignal): Promise<CostReading>;
}

/** Every discovered subscription's listing: what one in-process run reads. */
export async function listEstate(source: Pick<PostureSource, "discoverSubscriptions" | "listClusters">): Promise<SubscriptionListing[]> {
  return source.listClusters(await source.discoverSubscriptions());
}

/**
 * A source whose whole listing comes at once (files, the demo estate, a test's script): the listing
 * of some subscriptions is a cut of it, and so is discovery unless the source names its
 * subscriptions more cheaply. Every call lists afresh: callers get objects of their own.
 */
export function createListedSource(source: {
  kind: SourceKind;
  listAll(): Promise<SubscriptionListing[]>;
  /** The subscriptions, without rendering their clusters; default: those of listAll(). */
  discover?(): Promise<DiscoveredSubscription[]>;
  readInCluster(cluster: ClusterRef, signal?: AbortSignal): Promise<InClusterRead>;
  readCosts?: PostureSource["readCosts"];
}): PostureSource {
  return {
    ...(source.readCosts ? { readCosts: source.readCosts } : {}),
    kind: source.kind,
    async discoverSubscriptions() {
      const found = source.discover ? await source.discover() : await source.listAll();
      // Ids as staging and snapshots keep them: lower-case.
      return found.map(({ subscriptionId, displayName }) => ({ subscriptionId: subscriptionId.toLowerCase(), ...(displayName !== undefined ? { displayName } : {}) }));
    },
    async listClusters(subscriptions) {
      const byId = new Map((await source.listAll()).map((item) => [item.subscriptionId.toLowerCase(), item]));
      return subscriptions.map(
        (subscription): SubscriptionListing =>
          byId.get(subscription.subscriptionId.toLowerCase()) ?? {
            subscriptionId: subscription.subscriptionId,
            displayName: subscription.displayName,
            ok: false,
            fault: { cause: "not-found", message: `the ${source.kind} source has no subscription ${subscription.subscriptionId}` },
          },
      );
    },
    readInCluster: (cluster, signal) => source.readInCluster(cluster, signal),
  };
}

/**
 * Thrown by `discoverSubscriptions` when nothing at all can be listed (no token, no subscription
 * visible); the run records the fault's cause instead of "unknown".
 */
export class SourceError extends Error {
  constructor(readonly fault: SourceFault) {
    super(fault.message);
    this.name = "SourceError";
  }
}

/** A body that parsed but is not what the API documents (ARM, Resource Graph, an API server); always recorded as `malformed`. */
export class MalformedResponseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MalformedResponseError";
  }
}
