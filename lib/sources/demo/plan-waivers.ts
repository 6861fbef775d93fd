// The demo's waivers: findings that certainly fail when the waiver is created, with a reason a
// security manager would write.

import { WAIVER_APPROVERS } from "./catalog";
import { lastDayOf } from "./plan-in-cluster";
import type { ClusterPlan, DemoControlId, ListingFailure, PlannedWaiver, PlanOptions } from "./plan-types";
import { compareStrings, Random, STREAM } from "./random";
import { WAIVERS } from "./tuning";

const WAIVER_CONTROLS: readonly DemoControlId[] = ["NP-01", "NP-06", "NP-02", "NP-01", "NP-03", "NP-06", "NP-02", "NP-01"];

const WAIVER_DURATIONS = [30, 60, 90, 90, 180];

interface FailingWindow {
  start: number;
  /** Exclusive. */
  end: number;
  reason: (random: Random) => string;
}

/** Windows in which the cluster certainly fails `control` (given its in-cluster data is read). */
function findFailingWindows(cluster: ClusterPlan, control: DemoControlId, periodDays: number): FailingWindow[] {
  const first = Math.max(0, cluster.bornDay);
  const endOfLife = lastDayOf(cluster, periodDays) + 1;
  const windows: FailingWindow[] = [];
  const ticket = (random: Random, prefix: string): string => `${prefix}-${random.int(1000, 4999)}`;
  if (control === "NP-01") {
    const end = Math.min(cluster.engineDay, endOfLife);
    const phase = cluster.network[0];
    windows.push({
      start: first,
      end,
      reason: (random) =>
        phase.plugin === "none"
          ? `Bring-your-own CNI (${String(phase.policy)}) enforces NetworkPolicy; AKS does not report it as an engine. Reviewed with platform security.`
          : phase.plugin === "kubenet"
            ? `Kubenet cluster is scheduled for migration to Azure CNI Overlay; the engine is enabled in that change (${ticket(random, "CHG")}).`
            : cluster.pools.some((p) => p.osType === "Windows")
              ? `Windows node pool: enabling the engine needs a maintenance window agreed with the app owner (${ticket(random, "CHG")}).`
              : cluster.env === "dev"
                ? "Short-lived development cluster; decommission planned before this waiver expires."
                : `Engine rollout is scheduled with the next node-image upgrade (${ticket(random, "CHG")}).`,
    });
  } else if (control === "NP-06") {
    for (const incident of cluster.incidents) {
      const ns = cluster.namespaces[incident.namespaceIndex].name;
      windows.push({
        start: Math.max(first, incident.startDay),
        end: Math.min(endOfLife, incident.endDay),
        reason: (random) =>
          incident.shape.startsWith("ingress") && ns !== "default"
            ? `${ns}: public entry point; traffic is filtered by Azure Front Door WAF before it reaches the cluster (${ticket(random, "SEC")}).`
            : incident.shape === "debug-all"
              ? `${ns}: temporary debug policy during incident INC-${random.int(10000, 99999)}; removed after the post-mortem.`
              : `${ns}: third-party SaaS with rotating IPs; egress is restricted by Azure Firewall FQDN rules instead (${ticket(random, "SEC")}).`,
      });
    }
  } else {
    for (const ns of cluster.namespaces) {
      const until = control === "NP-02" ? ns.denyIngressDay : ns.denyEgressDay;
      windows.push({
        start: Math.max(first, ns.bornDay),
        end: Math.min(endOfLife, until),
        reason: (random) =>
          control === "NP-02"
            ? `Namespace ${ns.name} hosts a legacy service moving to the shared ingress pattern; default deny follows the move (${ticket(random, "SEC")}).`
            : `Batch jobs in ${ns.name} call many external endpoints; the egress allow-list is being built (${ticket(random, "SEC")}).`,
      });
    }
  }
  const minLength = periodDays >= 8 ? 4 : 2;
  return windows.filter((window) => window.end - window.start >= minLength);
}

/** ~8% of clusters carry a waiver on a finding that fails when the waiver is created. */
export function planWaivers(options: PlanOptions, clusters: ClusterPlan[], failures: Map<number, ListingFailure>): PlannedWaiver[] {
  const periodDays = options.days;
  const count = clusters.length >= WAIVERS.fromEstateSize && periodDays >= 2 ? Math.round(options.clusters * WAIVERS.share) : 0;
  const random = new Random(options.seed, STREAM.waivers);
  const order = random.shuffle(clusters.map((cluster) => cluster.index));
  const taken = new Set<number>();
  const waivers: PlannedWaiver[] = [];
  let cursor = 0;
  for (let slot = 0; waivers.length < count && cursor < order.length; slot++) {
    const control = WAIVER_CONTROLS[slot % WAIVER_CONTROLS.length];
    // Walk the shuffled clusters until one has a window for this control.
    for (let tries = 0; tries < order.length && cursor < order.length; tries++) {
      const cluster = clusters[order[(cursor + tries) % order.length]];
      if (taken.has(cluster.index)) continue;
      const windows = findFailingWindows(cluster, control, periodDays);
      if (!windows.length) continue;
      const window = random.pick(windows);
      let created = window.start + random.int(0, window.end - window.start - 2);
      while (created < window.end - 1 && failures.get(created)?.subscriptionIndex === cluster.subscriptionIndex) created++;
      if (failures.get(created)?.subscriptionIndex === cluster.subscriptionIndex) continue;
      taken.add(cluster.index);
      waivers.push({
        clusterId: cluster.id,
        controlId: control,
        createdDayIndex: created,
        expiresDayIndex: created + random.pick(WAIVER_DURATIONS),
        reason: window.reason(random),
        createdBy: random.pick(WAIVER_APPROVERS),
      });
      break;
    }
    cursor++;
  }
  return waivers.sort((a, b) => a.createdDayIndex - b.createdDayIndex || compareStrings(a.clusterId, b.clusterId));
}
