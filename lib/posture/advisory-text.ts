import type { AdvisoryId } from "./types";

/** How each advisory is named and what to do about it, wherever the dashboard shows one. */
export const ADVISORY_TEXT: Record<AdvisoryId, { title: string; advice: string }> = {
  "npm-windows": { title: "Azure NPM with Windows node pools", advice: "Out of support on Windows since 30 Sep 2026; move to Calico." },
  "npm-retirement": { title: "Azure NPM retirement", advice: "Azure NPM on Linux is supported until 30 Sep 2028; plan the move to Cilium (az aks update --network-dataplane cilium)." },
  "npm-large-cluster": { title: "Azure NPM above 250 nodes", advice: "Beyond what Azure NPM supports; move to Cilium or Calico." },
  "policies-not-enforced": { title: "NetworkPolicies without an engine", advice: "Policies exist but nothing enforces them (engine none)." },
  "cilium-policies-not-enforced": { title: "Cilium policies without Cilium", advice: "CiliumNetworkPolicies exist but the cluster's engine is not Cilium." },
  "calico-policies-not-enforced": { title: "Calico policies without Calico", advice: "Calico policies exist but the cluster's engine is not Calico." },
  "admin-policies-not-enforced": { title: "Admin network policies", advice: "AdminNetworkPolicies are read and listed; no AKS engine enforces them." },
  "fqdn-without-acns": { title: "toFQDNs without ACNS FQDN filtering", advice: "Enable Advanced Container Networking Services FQDN filtering, or the rules do not filter by name." },
  "kubenet-retirement": { title: "kubenet networking", advice: "kubenet retires 31 Mar 2028; plan the move to Azure CNI Overlay." },
};
