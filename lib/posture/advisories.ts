// Informational advisories (end of docs/design.md §4.4): shown to people, never counted in KPIs.

import { usesOwnCni } from "./cluster-facts";
import type { ClusterJudgement } from "./judge-cluster";
import type { Advisory, ClusterFacts } from "./types";
import { plural } from "./wording";

/** Azure NPM is supported up to this many nodes. */
export const NPM_MAX_NODES = 250;

/** The documented move from Azure NPM to Cilium (AKS: "Migrate from Azure NPM to Cilium network policy"). */
export const NPM_MIGRATION_COMMAND = "az aks update --name <cluster> --resource-group <group> --network-dataplane cilium";

function objects(count: number, singular: string, pluralForm: string): string {
  return plural(count, singular, pluralForm);
}

/** `judgement` is null when in-cluster objects were not read. */
export function listAdvisories(facts: ClusterFacts, judgement: Pick<ClusterJudgement, "objectCounts" | "fqdnRules"> | null): Advisory[] {
  const advisories: Advisory[] = [];
  const counts = judgement?.objectCounts ?? null;
  if (facts.engine === "azure" && facts.hasWindowsPool) {
    advisories.push({
      id: "npm-windows",
      severity: "warning",
      message:
        "Azure Network Policy Manager is enforcing policy on a cluster with a Windows node pool, and it is out of support on Windows after 30 Sep 2026; move to Calico.",
    });
  }
  if (facts.engine === "azure") {
    advisories.push({
      id: "npm-retirement",
      severity: "info",
      message: `Azure Network Policy Manager on Linux is supported until 30 Sep 2028: plan the move to Cilium (${NPM_MIGRATION_COMMAND}), which reimages every node pool. AKS documents what changes: ipBlock rules no longer reach pod or node addresses (use pod and namespace selectors), egress to the pod's own node is no longer implicitly allowed, ingress through LoadBalancer and NodePort services (externalTrafficPolicy Cluster) becomes subject to ingress policies, endPort needs Cilium 1.17 or later, and named ports should be replaced by numbers.`,
    });
  }
  if (facts.engine === "azure" && facts.nodeCount > NPM_MAX_NODES) {
    advisories.push({
      id: "npm-large-cluster",
      severity: "warning",
      message: `Azure Network Policy Manager is supported up to ${NPM_MAX_NODES} nodes and this cluster has ${facts.nodeCount}; move to Cilium or Calico.`,
    });
  }
  if (facts.engine === "none" && counts !== null && counts.kubernetes > 0) {
    const held = objects(counts.kubernetes, "NetworkPolicy", "NetworkPolicies");
    advisories.push({
      id: "policies-not-enforced",
      severity: "warning",
      message: usesOwnCni(facts)
        ? `The cluster holds ${held} and AKS enables no engine; with its own CNI they are enforced only if that CNI enforces them.`
        : `The cluster holds ${held} but has no network policy engine, so none of them is enforced.`,
    });
  }
  if (facts.engine !== "cilium" && counts !== null && counts.cilium > 0) {
    advisories.push({
      id: "cilium-policies-not-enforced",
      severity: "warning",
      message: `The cluster holds ${objects(counts.cilium, "Cilium policy object", "Cilium policy objects")} but its engine is ${facts.engine}, not Cilium, so none of them is enforced.`,
    });
  }
  if (facts.engine !== "calico" && counts !== null && counts.calico > 0) {
    advisories.push({
      id: "calico-policies-not-enforced",
      severity: "warning",
      message: `The cluster holds ${objects(counts.calico, "Calico policy object", "Calico policy objects")} but its engine is ${facts.engine}, not Calico, so none of them is enforced.`,
    });
  }
  if (counts !== null && counts.admin > 0) {
    advisories.push({
      id: "admin-policies-not-enforced",
      severity: "info",
      message: `The cluster holds ${objects(counts.admin, "admin network policy", "admin network policies")} (AdminNetworkPolicy, BaselineAdminNetworkPolicy or ClusterNetworkPolicy); none of AKS's engines enforces them today, so they are listed and not judged.`,
    });
  }
  if (facts.engine === "cilium" && judgement !== null && judgement.fqdnRules > 0 && !facts.fqdnFiltering) {
    advisories.push({
      id: "fqdn-without-acns",
      severity: "warning",
      message: `${plural(judgement.fqdnRules, "rule uses", "rules use")} toFQDNs while ACNS FQDN filtering is off (networkProfile.advancedNetworking.security.advancedNetworkPolicies is not FQDN or L7), so those rules do not filter by name as written.`,
    });
  }
  if (facts.networkPlugin?.trim().toLowerCase() === "kubenet") {
    advisories.push({
      id: "kubenet-retirement",
      severity: "info",
      message: "The cluster uses kubenet, which retires on 31 Mar 2028; plan the move to Azure CNI Overlay.",
    });
  }
  return advisories;
}
