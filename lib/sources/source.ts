import type { InClusterData } from "@/lib/posture";

/** Why part of a run failed; stored on the run and grouped in summaries. */
export type FaultCause =
  | "forbidden"
  | "not-found"
  | "throttled"
  | "server-error"
  | "timeout"
  | "unreachable"
  | "malformed"
  | "unauthenticated"
  | "unknown";

export interface SourceFault {
  cause: FaultCause;
  message: string;
}

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

/**
 * Where cluster data comes from (DESIGN.md §2). The collector calls listSubscriptions once per
 * run, then readInCluster for each cluster it could parse.
 */
export interface PostureSource {
  readonly kind: "files" | "azure" | "demo";
  listSubscriptions(): Promise<SubscriptionListing[]>;
  readInCluster(cluster: ClusterRef, signal?: AbortSignal): Promise<InClusterRead>;
}

/**
 * Thrown by `listSubscriptions` when nothing at all can be listed (no token, no subscription
 * visible); the run records the fault's cause instead of "unknown".
 */
export class SourceError extends Error {
  constructor(readonly fault: SourceFault) {
    super(fault.message);
    this.name = "SourceError";
  }
}
