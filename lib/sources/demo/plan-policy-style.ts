// How a cluster writes its segmentation (rules v2, docs/design.md §4.3): Kubernetes NetworkPolicies,
// Cilium's cluster-wide or namespaced policies, or Calico's GlobalNetworkPolicies, chosen by the
// engine it ends the period with; plus a cluster-wide IMDS deny, leftovers its engine ignores and
// admin network policies on a few.

import { ALWAYS, NEVER, type ClusterPlan, type NetworkPhase, type PlanOptions, type PolicyStyle } from "./plan-types";
import { Random, STREAM } from "./random";
import { ADMIN_POLICIES_CHANCE, CALICO_LEFTOVER_CHANCE, CALICO_STYLES, CILIUM_STYLES, IMDS_DENY_CHANCE, IMDS_DENY_DELAY } from "./tuning";

type Engine = "cilium" | "calico" | "azure" | "none";

export function engineOfPhase(phase: NetworkPhase): Engine {
  if (phase.dataplane === "cilium") return "cilium";
  const policy = typeof phase.policy === "string" ? phase.policy.toLowerCase() : "";
  return policy === "cilium" || policy === "calico" || policy === "azure" ? policy : "none";
}

/** The first day from which the cluster runs `engine` without interruption to the end, or NEVER. */
function runsFrom(cluster: ClusterPlan, engine: Engine): number {
  const phases = cluster.network;
  if (engineOfPhase(phases[phases.length - 1]) !== engine) return NEVER;
  let from = phases[phases.length - 1].fromDay;
  for (let index = phases.length - 2; index >= 0 && engineOfPhase(phases[index]) === engine; index--) from = phases[index].fromDay;
  return from;
}

export function planPolicyStyle(options: PlanOptions, cluster: ClusterPlan): void {
  const random = new Random(options.seed, STREAM.policyStyle + cluster.index);
  const last = engineOfPhase(cluster.network[cluster.network.length - 1]);
  let style: PolicyStyle = "kubernetes";
  if (last === "cilium") style = cluster.exemplary ? "cilium-clusterwide" : random.weighted(CILIUM_STYLES);
  else if (last === "calico") style = random.weighted(CALICO_STYLES);
  const engineFrom = last === "cilium" || last === "calico" ? runsFrom(cluster, last) : NEVER;
  const styleFromDay = style === "kubernetes" ? NEVER : engineFrom;

  // A platform team that blocks IMDS does so for the whole cluster, some time after the engine is in.
  let imdsDenyDay = NEVER;
  if ((last === "cilium" || last === "calico") && !cluster.podLinkLocalNone && (cluster.exemplary || random.chance(IMDS_DENY_CHANCE))) {
    const start = engineFrom === ALWAYS ? Math.max(0, cluster.bornDay) : Math.max(0, engineFrom);
    const day = cluster.exemplary ? start : start + random.int(IMDS_DENY_DELAY[0], IMDS_DENY_DELAY[1]);
    imdsDenyDay = engineFrom === ALWAYS && random.chance(0.5) ? ALWAYS : day < options.days ? day : NEVER;
  }
  const calicoLeftovers = last === "cilium" && cluster.bornDay < 0 && random.chance(CALICO_LEFTOVER_CHANCE);
  const adminPoliciesDay = random.chance(ADMIN_POLICIES_CHANCE) && options.days >= 2 ? random.int(Math.max(0, cluster.bornDay), options.days - 1) : NEVER;
  // A cluster-wide baseline goes in when the team would have denied its first namespace (or at once,
  // on a reference cluster) and covers every workload namespace from then on, new ones included.
  const adopt = (days: number[]): number => {
    if (style !== "cilium-clusterwide") return NEVER;
    const first = cluster.exemplary ? styleFromDay : Math.min(...days);
    if (first === NEVER) return NEVER;
    return Math.max(first, styleFromDay);
  };
  const baselineIngressDay = adopt(cluster.namespaces.map((ns) => ns.denyIngressDay));
  const baselineEgressDay = adopt(cluster.namespaces.map((ns) => ns.denyEgressDay));
  cluster.policyStyle = { style, styleFromDay, baselineIngressDay, baselineEgressDay, imdsDenyDay, calicoLeftovers, adminPoliciesDay };
}
