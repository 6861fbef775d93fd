// Informational advisories (end of docs/design.md §4.4): shown to people, never counted in KPIs.

import { usesOwnCni } from "./cluster-facts";
import type { Advisory, ClusterFacts } from "./types";

/** Azure NPM is supported up to this many nodes. */
export const NPM_MAX_NODES = 250;

/** `policyCount` is the number of NetworkPolicy objects in any namespace, or null when they were not read. */
export function listAdvisories(facts: ClusterFacts, policyCount: number | null): Advisory[] {
  const advisories: Advisory[] = [];
  if (facts.engine === "azure" && facts.hasWindowsPool) {
    advisories.push({
      id: "npm-windows",
      severity: "warning",
      message:
        "Azure Network Policy Manager is enforcing policy on a cluster with a Windows node pool, and it is out of support on Windows after 30 Sep 2026; move to Calico.",
    });
  }
  if (facts.engine === "azure" && facts.nodeCount > NPM_MAX_NODES) {
    advisories.push({
      id: "npm-large-cluster",
      severity: "warning",
      message: `Azure Network Policy Manager is supported up to ${NPM_MAX_NODES} nodes and this cluster has ${facts.nodeCount}; move to Cilium or Calico.`,
    });
  }
  if (facts.networkPlugin?.trim().toLowerCase() === "kubenet") {
    advisories.push({
      id: "kubenet-retirement",
      severity: "info",
      message: "The cluster uses kubenet, which retires on 31 Mar 2028; plan the move to Azure CNI Overlay.",
    });
  }
  if (facts.engine === "none" && policyCount !== null && policyCount > 0) {
    advisories.push({
      id: "policies-not-enforced",
      severity: "warning",
      message: usesOwnCni(facts)
        ? `The cluster holds ${policyCount === 1 ? "1 NetworkPolicy" : `${policyCount} NetworkPolicies`} and AKS enables no engine; with its own CNI they are enforced only if that CNI enforces them.`
        : `The cluster holds ${policyCount === 1 ? "1 NetworkPolicy" : `${policyCount} NetworkPolicies`} but has no network policy engine, so none of them is enforced.`,
    });
  }
  return advisories;
}
