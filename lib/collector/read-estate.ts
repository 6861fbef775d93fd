import pLimit from "p-limit";
import {
  ClusterInputError,
  evaluateCluster,
  readClusterFacts,
  type ClusterEvaluation,
  type InClusterData,
  type PostureConfig,
} from "@/lib/posture";
import { SourceError, type PostureSource, type SubscriptionListing } from "@/lib/sources/source";
import type { RunFault, RunProgressEvent } from "./progress";

export interface EvaluatedCluster {
  raw: unknown;
  evaluation: ClusterEvaluation;
  inCluster: InClusterData | null;
  /** Set when the in-cluster read failed and the last good objects were re-judged. */
  inClusterCapturedAt: Date | null;
  /** True when `inCluster` came from this run's read (false when carried from an earlier one). */
  inClusterFresh: boolean;
}

export interface SubscriptionOutcome {
  subscriptionId: string;
  displayName?: string;
  listed: boolean;
  clusterCount: number;
  /** False when some listed item could not be identified: deletions cannot be inferred then. */
  complete: boolean;
}

export interface EstateReading {
  subscriptions: SubscriptionOutcome[];
  clusters: EvaluatedCluster[];
  faults: RunFault[];
}

/** The last good in-cluster objects of a cluster, for carrying forward when a read fails. */
export type PreviousInClusterLookup = (clusterKey: string) => Promise<{ data: InClusterData; capturedAt: Date } | null>;

export interface ReadEstateOptions {
  source: PostureSource;
  config: PostureConfig;
  concurrency: number;
  previousInCluster: PreviousInClusterLookup;
  onProgress?: (event: RunProgressEvent) => void;
  signal?: AbortSignal;
}

/**
 * Phase one of a run: list, read and judge every cluster. Nothing is written; every fault is
 * recorded and the rest goes on (DESIGN.md §7).
 */
export async function readEstate(options: ReadEstateOptions): Promise<EstateReading> {
  const { source, config, onProgress } = options;
  const faults: RunFault[] = [];
  const fault = (item: RunFault) => {
    faults.push(item);
    onProgress?.({ type: "fault", ...item });
  };

  let listings: SubscriptionListing[];
  try {
    listings = await source.listSubscriptions();
  } catch (error) {
    fault({ scope: "run", target: source.kind, cause: error instanceof SourceError ? error.fault.cause : "unknown", message: describeError(error) });
    return { subscriptions: [], clusters: [], faults };
  }

  const subscriptions: SubscriptionOutcome[] = [];
  const parsed = new Map<string, { raw: unknown; facts: ReturnType<typeof readClusterFacts> }>();
  for (const listing of listings) {
    const subscriptionId = listing.subscriptionId.toLowerCase();
    if (!listing.ok) {
      fault({ scope: "subscription", target: subscriptionId, ...listing.fault });
      subscriptions.push({ subscriptionId, displayName: listing.displayName, listed: false, clusterCount: 0, complete: false });
      continue;
    }
    let complete = true;
    for (const item of listing.faults ?? []) {
      fault({ scope: "cluster", target: item.target, ...item.fault });
      complete = false;
    }
    listing.clusters.forEach((raw, index) => {
      try {
        const facts = readClusterFacts(raw, config);
        if (facts.subscriptionId.toLowerCase() !== subscriptionId) {
          throw new ClusterInputError("id", `id names subscription ${facts.subscriptionId}, but it was listed under ${subscriptionId}`);
        }
        parsed.set(facts.key, { raw, facts });
      } catch (error) {
        complete = false;
        fault({ scope: "cluster", target: `${subscriptionId}[${index}]`, cause: "malformed", message: describeError(error) });
      }
    });
    subscriptions.push({ subscriptionId, displayName: listing.displayName, listed: true, clusterCount: listing.clusters.length, complete });
  }
  onProgress?.({
    type: "listed",
    subscriptionsDone: subscriptions.length,
    subscriptionsTotal: subscriptions.length,
    clustersTotal: parsed.size,
  });

  const limit = pLimit(Math.max(1, options.concurrency));
  let done = 0;
  const clusters = await Promise.all(
    [...parsed.values()].map(({ raw, facts }) =>
      limit(async (): Promise<EvaluatedCluster> => {
        const read = await source
          .readInCluster({ id: facts.id, name: facts.name, resourceGroup: facts.resourceGroup, subscriptionId: facts.subscriptionId }, options.signal)
          .catch((error: unknown) => ({ status: "failed" as const, fault: { cause: "unknown" as const, message: describeError(error) } }));
        let inCluster: InClusterData | null = null;
        let inClusterCapturedAt: Date | null = null;
        let inClusterFresh = false;
        if (read.status === "read") {
          inCluster = read.data;
          inClusterFresh = true;
        } else if (read.status === "failed") {
          fault({ scope: "in-cluster", target: facts.key, ...read.fault });
          // Keep the previous state rather than counting the cluster as fixed (DESIGN.md §7).
          const previous = await options.previousInCluster(facts.key);
          if (previous) {
            inCluster = previous.data;
            inClusterCapturedAt = previous.capturedAt;
          }
        }
        const evaluation = evaluateCluster(facts, inCluster, config);
        done += 1;
        onProgress?.({ type: "cluster", clustersDone: done, clustersTotal: parsed.size, errors: faults.length });
        return { raw, evaluation, inCluster, inClusterCapturedAt, inClusterFresh };
      }),
    ),
  );
  return { subscriptions, clusters, faults };
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
