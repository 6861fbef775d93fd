import pLimit from "p-limit";
import {
  ClusterInputError,
  evaluateCluster,
  readClusterFacts,
  type ClusterEvaluation,
  type ClusterFacts,
  type InClusterData,
  type PostureConfig,
} from "@/lib/posture";
import { listEstate, SourceError, type InClusterRead, type PostureSource, type SubscriptionListing } from "@/lib/sources/source";
import type { RunFault, RunProgressEvent } from "./progress";
import { buildClusterDocuments, type ClusterDocuments } from "./cluster-documents";
import { policyKindsOf } from "./policy-kinds";
import { readEstateCosts } from "./read-estate-costs";
import type { ClusterCost } from "@/lib/costs/cluster-cost";

export interface EvaluatedCluster {
  raw: unknown;
  evaluation: ClusterEvaluation;
  inCluster: InClusterData | null;
  /** Set when the in-cluster read failed and the last good objects were re-judged. */
  inClusterCapturedAt: Date | null;
  /** True when `inCluster` came from this run's read (false when carried from an earlier one). */
  inClusterFresh: boolean;
  /** The source documents and the evidence as stored, with their content hashes. */
  documents: ClusterDocuments;
  /** The policy kinds of `inCluster` (policy-kinds.ts), taken where it was judged rather than in the write transaction. */
  policyKinds?: string[];
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
  /** Daily costs the source read (docs/costs.md); absent when it reads none. */
  costs?: ClusterCost[];
}

/** The evaluator a run judges with: this version's (evaluateCluster) unless a caller says otherwise. */
export type Judge = (cluster: unknown | ClusterFacts, inCluster: InClusterData | null, config: PostureConfig) => ClusterEvaluation;

/** The last good in-cluster objects of a cluster, for carrying forward when a read fails. */
export type PreviousInClusterLookup = (clusterKey: string) => Promise<{ data: InClusterData; capturedAt: Date } | null>;

export interface ReadEstateOptions {
  source: PostureSource;
  config: PostureConfig;
  concurrency: number;
  previousInCluster: PreviousInClusterLookup;
  onProgress?: (event: RunProgressEvent) => void;
  signal?: AbortSignal;
  /** Default: evaluateCluster. Tests record history "as an older version judged it" through this. */
  judge?: Judge;
  /** The run's capture time: costs are read for the days before it. */
  capturedAt?: Date;
}

/**
 * Phase one of a run: list, read and judge every cluster. Nothing is written; every fault is
 * recorded and the rest goes on (docs/design.md §7).
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
    listings = await listEstate(source);
  } catch (error) {
    fault({ scope: "run", target: source.kind, cause: error instanceof SourceError ? error.fault.cause : "unknown", message: describeError(error) });
    return { subscriptions: [], clusters: [], faults };
  }

  const subscriptions: SubscriptionOutcome[] = [];
  const parsed = new Map<string, ListedCluster>();
  for (const listing of listings) {
    const { outcome, clusters } = parseSubscriptionListing(listing, config, fault);
    for (const cluster of clusters) parsed.set(cluster.facts.key, cluster);
    subscriptions.push(outcome);
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
        // A cancelled run reads no further cluster.
        options.signal?.throwIfAborted();
        const read = await readClusterObjects(source, facts, options.signal);
        const cluster = await judgeClusterRead({ raw, facts, read, config, previousInCluster: options.previousInCluster, onFault: fault, judge: options.judge });
        done += 1;
        onProgress?.({ type: "cluster", clustersDone: done, clustersTotal: parsed.size, errors: faults.length });
        return cluster;
      }),
    ),
  );
  const costs = options.capturedAt ? await readEstateCosts(source, [...parsed.values()], options.capturedAt, fault, options.signal) : undefined;
  return { subscriptions, clusters, faults, ...(costs ? { costs } : {}) };
}

/** A listed cluster whose JSON could be read: its facts, and the document as the source gave it. */
export interface ListedCluster {
  raw: unknown;
  facts: ClusterFacts;
  /** Position in its subscription's listing. */
  index: number;
}

/**
 * One subscription's listing, parsed: its outcome and the clusters that could be identified (a
 * later item with the same key replaces an earlier one). Faults go to `onFault` as they are found.
 */
export function parseSubscriptionListing(
  listing: SubscriptionListing,
  config: PostureConfig,
  onFault: (fault: RunFault) => void,
): { outcome: SubscriptionOutcome; clusters: ListedCluster[] } {
  const subscriptionId = listing.subscriptionId.toLowerCase();
  if (!listing.ok) {
    onFault({ scope: "subscription", target: subscriptionId, ...listing.fault });
    return { outcome: { subscriptionId, displayName: listing.displayName, listed: false, clusterCount: 0, complete: false }, clusters: [] };
  }
  let complete = true;
  for (const item of listing.faults ?? []) {
    onFault({ scope: "cluster", target: item.target, ...item.fault });
    complete = false;
  }
  const parsed = new Map<string, ListedCluster>();
  listing.clusters.forEach((raw, index) => {
    try {
      const facts = readClusterFacts(raw, config);
      if (facts.subscriptionId.toLowerCase() !== subscriptionId) {
        throw new ClusterInputError("id", `id names subscription ${facts.subscriptionId}, but it was listed under ${subscriptionId}`);
      }
      parsed.set(facts.key, { raw, facts, index });
    } catch (error) {
      complete = false;
      onFault({ scope: "cluster", target: `${subscriptionId}[${index}]`, cause: "malformed", message: describeError(error) });
    }
  });
  return {
    outcome: { subscriptionId, displayName: listing.displayName, listed: true, clusterCount: listing.clusters.length, complete },
    clusters: [...parsed.values()],
  };
}

/** Reads one cluster's objects; a throwing source is a failed read, never a crash. */
export function readClusterObjects(source: Pick<PostureSource, "readInCluster">, facts: ClusterFacts, signal?: AbortSignal): Promise<InClusterRead> {
  return source
    .readInCluster({ id: facts.id, name: facts.name, resourceGroup: facts.resourceGroup, subscriptionId: facts.subscriptionId }, signal)
    .catch((error: unknown) => ({ status: "failed" as const, fault: { cause: "unknown" as const, message: describeError(error) } }));
}

/**
 * Judges one cluster on the outcome of its in-cluster read. A failed read is a fault and the last
 * good objects are judged instead, so the cluster is not counted as fixed (docs/design.md §7).
 */
export async function judgeClusterRead(options: {
  raw: unknown;
  facts: ClusterFacts;
  read: InClusterRead;
  config: PostureConfig;
  previousInCluster: PreviousInClusterLookup;
  onFault: (fault: RunFault) => void;
  judge?: Judge;
}): Promise<EvaluatedCluster> {
  const { read, facts } = options;
  let inCluster: InClusterData | null = null;
  let inClusterCapturedAt: Date | null = null;
  let inClusterFresh = false;
  if (read.status === "read") {
    inCluster = read.data;
    inClusterFresh = true;
  } else if (read.status === "failed") {
    options.onFault({ scope: "in-cluster", target: facts.key, ...read.fault });
    // Keep the previous state rather than counting the cluster as fixed (docs/design.md §7).
    const previous = await options.previousInCluster(facts.key);
    if (previous) {
      inCluster = previous.data;
      inClusterCapturedAt = previous.capturedAt;
    }
  }
  const evaluation = (options.judge ?? evaluateCluster)(facts, inCluster, options.config);
  const documents = buildClusterDocuments(options.raw, inCluster, evaluation);
  return { raw: options.raw, evaluation, inCluster, inClusterCapturedAt, inClusterFresh, documents, policyKinds: policyKindsOf(inCluster) };
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
