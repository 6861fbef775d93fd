import type { PostureConfig } from "./types";

/** Namespaces that are not workload namespaces (docs/design.md §4.2). */
export const DEFAULT_SYSTEM_NAMESPACES: readonly string[] = [
  "kube-system",
  "kube-public",
  "kube-node-lease",
  "gatekeeper-system",
  "calico-system",
  "tigera-operator",
  "app-routing-system",
];

export const DEFAULT_POSTURE_CONFIG: PostureConfig = Object.freeze({
  ownerTagKeys: ["owner", "team"],
  envTagKeys: ["environment", "env"],
  prodValues: ["prod", "production"],
  systemNamespaces: [...DEFAULT_SYSTEM_NAMESPACES],
});
