// What the clusters table can be sorted and filtered by: shared by the route's zod schema and the page.

import { CONTROL_IDS } from "@/lib/posture/control-catalogue";
import { POLICY_KINDS, type PolicyKind } from "@/lib/posture/statements";
import { ADVISORY_IDS, type AdvisoryId } from "@/lib/posture/types";

export const CLUSTER_SORT_KEYS = ["name", "engine", "passed", "failed", "allowAny", "owner", "subscription", "production", "lastSeen"] as const;
export type ClusterSortKey = (typeof CLUSTER_SORT_KEYS)[number];

export type SortDirection = "asc" | "desc";

/** The worst clusters first: most failing controls, then by name. */
export const DEFAULT_CLUSTER_SORT: { sort: ClusterSortKey; dir: SortDirection } = { sort: "failed", dir: "desc" };

/** First direction when a column is sorted: counts and dates largest first, text A to Z. */
export const FIRST_SORT_DIRECTION: Record<ClusterSortKey, SortDirection> = {
  name: "asc",
  engine: "asc",
  passed: "desc",
  failed: "desc",
  allowAny: "desc",
  owner: "asc",
  subscription: "asc",
  production: "desc",
  lastSeen: "desc",
};

export const PAGE_SIZES = [10, 25, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 25;

/** `enabled`/`disabled`: any engine or none (docs/design.md §4.1); or one engine by name, `unknown` for values AKS does not document. */
export const ENGINE_FILTERS = ["enabled", "disabled", "cilium", "calico", "azure", "none", "unknown"] as const;
export type EngineFilter = (typeof ENGINE_FILTERS)[number];

export const ENGINE_FILTER_LABELS: Record<EngineFilter, string> = {
  enabled: "Any engine enabled",
  disabled: "No engine enabled",
  cilium: "Cilium",
  calico: "Calico",
  azure: "Azure NPM",
  none: "None",
  unknown: "Unknown value",
};

/** Clusters whose latest snapshot read objects of this kind (docs/design.md §4.3), or `none`: no policy object at all. */
export const POLICY_KIND_FILTERS = [...POLICY_KINDS, "none"] as const;
export type PolicyKindFilter = (typeof POLICY_KIND_FILTERS)[number];

/** The kinds as the filter lists them. */
export const POLICY_KINDS_IN_ORDER: readonly PolicyKind[] = POLICY_KINDS;

/** How the pages name each policy kind: Calico's are told apart from Kubernetes' NetworkPolicy by their API. */
export const POLICY_KIND_LABELS: Record<PolicyKind, string> = {
  NetworkPolicy: "NetworkPolicy (Kubernetes)",
  CiliumNetworkPolicy: "CiliumNetworkPolicy",
  CiliumClusterwideNetworkPolicy: "CiliumClusterwideNetworkPolicy",
  CalicoNetworkPolicy: "NetworkPolicy (Calico)",
  CalicoGlobalNetworkPolicy: "GlobalNetworkPolicy (Calico)",
  AdminNetworkPolicy: "AdminNetworkPolicy",
  BaselineAdminNetworkPolicy: "BaselineAdminNetworkPolicy",
  ClusterNetworkPolicy: "ClusterNetworkPolicy",
};

/** `any`: at least one control fails; `none`: no control fails; or one control that fails. */
export const FAILING_FILTERS = ["any", "none", ...CONTROL_IDS] as const;
export type FailingFilter = (typeof FAILING_FILTERS)[number];

/** Clusters whose latest snapshot raises this advisory (the Overview's advisory cards link here). */
export const ADVISORY_FILTERS = ADVISORY_IDS;
export type AdvisoryFilter = AdvisoryId;

export const DELETED_FILTERS = ["exclude", "include", "only"] as const;
export type DeletedFilter = (typeof DELETED_FILTERS)[number];
