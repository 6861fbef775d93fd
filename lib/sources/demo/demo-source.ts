// One day of the demo estate, as a source lists and reads it. Every call renders from the
// immutable plan, so calls are pure and a day's source stays valid after later days have been produced.

import type { ClusterRef, InClusterRead, SourceFault, SubscriptionListing } from "@/lib/sources/source";
import type { DemoClock } from "./demo-clock";
import type { ClusterPlan, EstatePlan } from "./plan-types";
import { hashUnit } from "./random";
import { renderClusterJson } from "./render-cluster";
import { renderInCluster } from "./render-in-cluster";

export function isClusterListed(c: ClusterPlan, day: number): boolean {
  return c.bornDay <= day && day < c.deleteDay;
}

export class DemoDay {
  constructor(
    private readonly plan: EstatePlan,
    private readonly clock: DemoClock,
    readonly dayIndex: number,
  ) {}

  private isStopped(c: ClusterPlan): boolean {
    return c.stopsOnWeekends && this.clock.isWeekend(this.dayIndex);
  }

  /** Every subscription of the estate, listed or not today, without rendering a cluster. */
  async subscriptions(): Promise<{ subscriptionId: string; displayName: string }[]> {
    return this.plan.subscriptions.map((s) => ({ subscriptionId: s.id, displayName: s.displayName }));
  }

  async listAll(): Promise<SubscriptionListing[]> {
    const day = this.dayIndex;
    const failure = this.plan.listingFailures.get(day);
    return this.plan.subscriptions.map((s, i): SubscriptionListing => {
      if (failure && failure.subscriptionIndex === i) {
        return { subscriptionId: s.id, displayName: s.displayName, ok: false, fault: { cause: failure.cause, message: failure.message } };
      }
      const clusters: unknown[] = [];
      for (const index of s.clusterIndices) {
        const c = this.plan.clusters[index];
        if (isClusterListed(c, day)) clusters.push(renderClusterJson(c, day, this.plan.seed, this.isStopped(c)));
      }
      return { subscriptionId: s.id, displayName: s.displayName, ok: true, clusters };
    });
  }

  async readInCluster(cluster: ClusterRef, signal?: AbortSignal): Promise<InClusterRead> {
    signal?.throwIfAborted();
    const day = this.dayIndex;
    const c = this.plan.clusterByKey.get(cluster.id.toLowerCase());
    if (!c || !isClusterListed(c, day)) {
      return { status: "failed", fault: { cause: "not-found", message: `managed cluster '${cluster.name}' was not found in resource group '${cluster.resourceGroup}'` } };
    }
    if (c.noInClusterAccess) return { status: "absent" };
    const fault = this.faultOf(c);
    if (fault) return { status: "failed", fault };
    return { status: "read", data: renderInCluster(c, day, this.clock) };
  }

  /** Private API servers are sometimes out of reach; stopped dev clusters always are. */
  private faultOf(c: ClusterPlan): SourceFault | null {
    const host = c.privateCluster
      ? `${c.name}-dns-${c.dnsSuffix}.${c.privateDnsZoneId}.privatelink.${c.location}.azmk8s.io`
      : `${c.name}-dns-${c.dnsSuffix}.hcp.${c.location}.azmk8s.io`;
    if (this.isStopped(c)) {
      return { cause: "unreachable", message: `Get "https://${host}:443/api/v1/namespaces?limit=500": dial tcp: lookup ${host} on 168.63.129.16:53: no such host (cluster is stopped)` };
    }
    const u = hashUnit(this.plan.seed, 31, c.index, this.dayIndex);
    if (u >= c.flakiness) return null;
    if (c.privateCluster && u < c.flakiness * 0.7) {
      return { cause: "unreachable", message: `Get "https://${host}:443/api/v1/namespaces?limit=500": dial tcp ${c.apiServerIp}:443: connect: no route to host` };
    }
    return {
      cause: "timeout",
      message: `Get "https://${host}:443/apis/networking.k8s.io/v1/networkpolicies?limit=500": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
    };
  }
}
