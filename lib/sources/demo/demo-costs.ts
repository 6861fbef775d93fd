// The demo estate's spend (docs/costs.md): what each cluster's nodes, disks and control plane would
// cost in EUR at pay-as-you-go prices, day by day, as Azure Cost Management would report it. Bigger
// production clusters cost more; weekend-stopped dev clusters cost only their disks; one subscription
// has no Cost Management access (its spend is missing, never zero); cost data starts some weeks into
// the history, as it does when a FinOps team connects Bulkhead after rolling it out.

import type { ClusterCost, CostReading, CostTarget } from "@/lib/costs/cluster-cost";
import type { DemoClock } from "./demo-clock";
import type { ClusterPlan, EstatePlan } from "./plan-types";
import { hashUnit } from "./random";
import { renderClusterJson } from "./render-cluster";

/** EUR per hour, Linux pay-as-you-go in West Europe (rounded); Windows nodes pay WINDOWS_FACTOR on top. */
const VM_EUR_PER_HOUR: Record<string, number> = {
  Standard_B4ms: 0.166,
  Standard_D2s_v5: 0.096,
  Standard_D4s_v5: 0.192,
  Standard_D4ds_v5: 0.226,
  Standard_D8s_v5: 0.384,
  Standard_D8as_v5: 0.344,
  Standard_D16s_v5: 0.768,
  Standard_E8s_v5: 0.504,
  Standard_E16s_v5: 1.008,
  Standard_F8s_v2: 0.338,
  Standard_NC6s_v3: 3.06,
  Standard_NC24ads_A100_v4: 3.67,
  Standard_NC4as_T4_v3: 0.526,
};
const DEFAULT_VM_EUR_PER_HOUR = 0.2;
const WINDOWS_FACTOR = 1.45;
/** Standard tier's uptime SLA: EUR 0.10 per cluster hour. */
const STANDARD_TIER_EUR_PER_DAY = 2.4;
/** Disks, load balancer, public IPs and egress: a share of compute. */
const NETWORK_AND_STORAGE_SHARE = 0.14;
/** A stopped cluster still pays for its disks. */
const STOPPED_SHARE = 0.08;
export const DEMO_CURRENCY = "EUR";

/** The first day index with cost data: Cost Management was connected a sixth into the history. */
export function demoCostsFromDay(days: number): number {
  return Math.floor(days / 6);
}

/** The subscription without Cost Management access (Cost Management Reader was never granted); none in a small estate. */
export function demoSubscriptionWithoutCostAccess(plan: Pick<EstatePlan, "subscriptions">): string | undefined {
  return plan.subscriptions.length >= 4 ? plan.subscriptions[plan.subscriptions.length - 1].id.toLowerCase() : undefined;
}

/** One cluster's cost on one day of the demo, in EUR, two decimals. */
export function demoClusterCost(c: ClusterPlan, day: number, seed: number, stopped: boolean): number {
  const rendered = renderClusterJson(c, day, seed, stopped) as { agentPoolProfiles: { count: number; vmSize: string; osType: string }[] };
  let compute = 0;
  for (const pool of rendered.agentPoolProfiles) {
    const hourly = (VM_EUR_PER_HOUR[pool.vmSize] ?? DEFAULT_VM_EUR_PER_HOUR) * (pool.osType === "Windows" ? WINDOWS_FACTOR : 1);
    compute += pool.count * hourly * 24;
  }
  // Usage varies a little day to day (spot evictions, scale-outs within the day, egress).
  const jitter = 0.94 + hashUnit(seed, 211, c.index, day) * 0.12;
  let cost = compute * (1 + NETWORK_AND_STORAGE_SHARE) * jitter + (c.skuTier === "Standard" ? STANDARD_TIER_EUR_PER_DAY : 0);
  if (stopped) cost = compute * STOPPED_SHARE;
  return Math.round(cost * 100) / 100;
}

/**
 * The costs a demo run reads: yesterday's, for every cluster it listed (the demo states each day once,
 * final). Before costs start, nothing; the subscription without access answers 403 as Azure would.
 */
export function readDemoCosts(plan: EstatePlan, clock: DemoClock, dayIndex: number, targets: CostTarget[]): CostReading {
  const costDay = dayIndex - 1;
  const dayText = new Date(clock.dayBaseMs(costDay)).toISOString().slice(0, 10);
  const reading: CostReading = { costs: [], faults: [], fromDay: dayText, toDay: dayText };
  if (costDay < demoCostsFromDay(clock.days)) return reading;
  const denied = demoSubscriptionWithoutCostAccess(plan);
  const subscriptions = new Set(targets.map((target) => target.subscriptionId));
  if (denied && subscriptions.has(denied)) {
    reading.faults.push({
      target: denied,
      fault: {
        cause: "forbidden",
        message: `Cost Management query: HTTP 403 RBACAccessDenied: The client does not have authorization to perform action 'Microsoft.CostManagement/query/action' over scope '/subscriptions/${denied}'.`,
      },
    });
  }
  for (const target of targets) {
    if (target.subscriptionId === denied) continue;
    const c = plan.clusterByKey.get(target.clusterKey);
    if (!c || c.bornDay > costDay) continue;
    const stopped = c.stopsOnWeekends && clock.isWeekend(costDay);
    const cost: ClusterCost = { clusterKey: c.key, day: dayText, cost: demoClusterCost(c, costDay, plan.seed, stopped), currency: DEMO_CURRENCY };
    reading.costs.push(cost);
  }
  return reading;
}
