// Test support: plays a demo estate through the collector's contract (list, then read every
// listed cluster) and keeps a compact per-day summary, judged from the raw JSON and by the evaluator.

import { evaluateCluster } from "@/lib/posture";
import type { ControlStatus } from "@/lib/posture";
import { listEstate, type InClusterRead, type SubscriptionListing } from "@/lib/sources/source";
import type { DemoEstate, DemoRun } from "@/lib/sources/demo";

export interface RawCluster {
  id: string;
  name: string;
  resourceGroup: string;
  location: string;
  tags: Record<string, string> | null;
  kubernetesVersion: string;
  agentPoolProfiles: { name: string; count: number; osType: string; vmSize: string }[];
  networkProfile: Record<string, unknown> & { networkPlugin: string; networkPolicy?: string | null; networkDataplane?: string; networkPluginMode?: string; podLinkLocalAccess?: string };
}

export interface ClusterDay {
  raw: RawCluster;
  key: string;
  subscriptionId: string;
  owner: string;
  production: boolean;
  /** Engine judged from the raw JSON alone (docs/design.md §4.1), independent of the evaluator. */
  engineEnabled: boolean;
  read: InClusterRead["status"];
  failureCause?: string;
  /** NP-01..NP-07 statuses from the evaluator. */
  controls: Record<string, ControlStatus>;
  allowAnyRules: number;
  /** Workload namespaces with their default-deny state (read days only). */
  namespaces: { name: string; denyIngress: boolean; denyEgress: boolean }[];
  /** "namespace/name" of every NetworkPolicy (read days only). */
  policyNames: string[];
}

export interface DaySummary {
  run: DemoRun;
  listings: SubscriptionListing[];
  failedSubscriptions: string[];
  /** Clusters listed today, by lower-case ARM id. */
  clusters: Map<string, ClusterDay>;
}

const ENGINES = new Set(["azure", "calico", "cilium"]);

export function hasEngineInRawJson(raw: RawCluster): boolean {
  const np = raw.networkProfile ?? {};
  const policy = typeof np.networkPolicy === "string" ? np.networkPolicy.toLowerCase() : "";
  return ENGINES.has(policy) || np.networkDataplane === "cilium";
}

export async function collectDemoHistory(estate: DemoEstate): Promise<DaySummary[]> {
  const days: DaySummary[] = [];
  for (const run of estate.runs()) {
    const listings = await listEstate(run.source);
    const clusters = new Map<string, ClusterDay>();
    const failedSubscriptions: string[] = [];
    for (const listing of listings) {
      if (!listing.ok) {
        failedSubscriptions.push(listing.subscriptionId);
        continue;
      }
      for (const item of listing.clusters) {
        const raw = item as RawCluster;
        const read = await run.source.readInCluster({ id: raw.id, name: raw.name, resourceGroup: raw.resourceGroup, subscriptionId: listing.subscriptionId });
        const evaluation = evaluateCluster(raw, read.status === "read" ? read.data : null);
        const controls: Record<string, ControlStatus> = {};
        for (const c of evaluation.controls) controls[c.id] = c.status;
        const policyNames =
          read.status === "read"
            ? (read.data.policies as { metadata: { namespace: string; name: string } }[]).map((p) => `${p.metadata.namespace}/${p.metadata.name}`)
            : [];
        clusters.set(raw.id.toLowerCase(), {
          raw,
          key: raw.id.toLowerCase(),
          subscriptionId: listing.subscriptionId,
          owner: evaluation.facts.owner,
          production: evaluation.facts.production,
          engineEnabled: hasEngineInRawJson(raw),
          read: read.status,
          failureCause: read.status === "failed" ? read.fault.cause : undefined,
          controls,
          allowAnyRules: evaluation.allowAnyRules.length,
          namespaces: evaluation.namespaces.map((n) => ({ name: n.name, denyIngress: n.defaultDenyIngress, denyEgress: n.defaultDenyEgress })),
          policyNames,
        });
      }
    }
    days.push({ run, listings, failedSubscriptions, clusters });
  }
  return days;
}

/** The clusters counted at each day under carry-forward (docs/design.md §3): a failed subscription keeps yesterday's. */
export function carryForward(days: DaySummary[]): Map<string, ClusterDay>[] {
  const bySubscription = new Map<string, Map<string, ClusterDay>>();
  return days.map((day) => {
    for (const listing of day.listings) {
      if (!listing.ok) continue;
      const mine = new Map<string, ClusterDay>();
      for (const [key, c] of day.clusters) if (c.subscriptionId === listing.subscriptionId) mine.set(key, c);
      bySubscription.set(listing.subscriptionId, mine);
    }
    const all = new Map<string, ClusterDay>();
    for (const mine of bySubscription.values()) for (const [key, c] of mine) all.set(key, c);
    return all;
  });
}
