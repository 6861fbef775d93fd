import type { AdvisoryId } from "./types";

/** How each advisory is named and what to do about it, wherever the dashboard shows one. */
export const ADVISORY_TEXT: Record<AdvisoryId, { title: string; advice: string }> = {
  "npm-windows": { title: "Azure NPM with Windows node pools", advice: "Out of support on Windows since 30 Sep 2026; move to Calico." },
  "npm-large-cluster": { title: "Azure NPM above 250 nodes", advice: "Beyond what Azure NPM supports; move to Cilium or Calico." },
  "policies-not-enforced": { title: "NetworkPolicies without an engine", advice: "Policies exist but nothing enforces them (engine none)." },
  "kubenet-retirement": { title: "kubenet networking", advice: "kubenet retires 31 Mar 2028; plan the move to Azure CNI Overlay." },
};
