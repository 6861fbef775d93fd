// The demo estate's plan: every cluster's whole timeline as a few numbers per fact ("from day X
// the engine is calico"), so rendering day d is a lookup, never a replay of days 0..d-1.

import type { ControlId } from "@/lib/posture";
import type { FaultCause } from "@/lib/sources/source";
import type { RegionInfo, TeamProfile } from "./catalog";

/** A day that never comes (not within any period). */
export const NEVER = Number.POSITIVE_INFINITY;
/** Already true before the period began. */
export const ALWAYS = Number.NEGATIVE_INFINITY;

export type EnvKind = "prod" | "staging" | "dev";
export type NetworkPlugin = "azure" | "kubenet" | "none";

export interface NetworkPhase {
  fromDay: number;
  plugin: NetworkPlugin;
  overlay: boolean;
  /** `undefined` leaves the key out of the JSON; `null` prints it as null (both: no engine). */
  policy: string | null | undefined;
  dataplane?: "azure" | "cilium";
}

export interface TagsPhase {
  fromDay: number;
  tags: Record<string, string> | null;
}

export interface VersionPhase {
  fromDay: number;
  version: string;
}

export interface PoolPlan {
  name: string;
  vmSize: string;
  osType: "Linux" | "Windows";
  osSku: "Ubuntu" | "AzureLinux" | "Windows2022";
  mode: "System" | "User";
  autoscale: boolean;
  minCount: number;
  maxCount: number;
  baseCount: number;
  maxPods: number;
}

export type IngressAllow =
  | { kind: "from-namespace"; name: string; namespace: string; app: string; port: number }
  | { kind: "same-namespace"; name: string }
  | { kind: "from-internet"; name: string; ports: number[] }
  | { kind: "scrape"; name: string; port: number };

export type EgressAllow =
  | { kind: "ip-block"; name: string; cidr: string; port: number; app: string }
  | { kind: "internet-https"; name: string; exceptImds: boolean }
  | { kind: "same-namespace"; name: string }
  | { kind: "to-namespace"; name: string; namespace: string; port: number }
  | { kind: "scrape-all"; name: string }
  | { kind: "imds"; name: string };

export interface NamespacePlan {
  name: string;
  /** Day from which it exists: the cluster's birth for initial ones. */
  bornDay: number;
  /** Day from which a default deny for ingress exists (ALWAYS / NEVER allowed). */
  denyIngressDay: number;
  denyEgressDay: number;
  /** `old-label` selects kube-system by `name:` and therefore does not allow DNS (NP-04). */
  dnsStyle: "kube-dns" | "old-label" | "all-namespaces";
  ingressAllows: IngressAllow[];
  egressAllows: EgressAllow[];
  /** An app policy that exists before (and without) any default deny. */
  earlyAllow: IngressAllow | null;
  labels: Record<string, string>;
  /** What the namespace is for: its workloads follow. */
  role: "default" | "platform" | "app";
}

export type AllowAnyShape =
  | "ingress-all"
  | "egress-all"
  | "egress-world"
  | "egress-world-except-imds"
  | "ingress-world"
  | "ingress-all-namespaces"
  | "egress-all-namespaces"
  | "debug-all";

/** A sloppy policy with allow-any rules that exists on days [startDay, endDay). */
export interface AllowAnyIncident {
  namespaceIndex: number;
  shape: AllowAnyShape;
  policyName: string;
  app: string | null;
  startDay: number;
  endDay: number;
}

/** `large`: above 250 nodes on Azure NPM; `odd`: an engine string AKS does not know; `batch`: the setback week. */
export type ClusterRole = "normal" | "large" | "odd" | "batch";

/**
 * How a cluster writes its namespaces' plan once the engine the style needs runs (before that, and
 * for `kubernetes`, as Kubernetes NetworkPolicies): one CiliumClusterwideNetworkPolicy for every
 * workload namespace (default deny, DNS, IMDS denied) once the platform team adopts it, a
 * CiliumNetworkPolicy per namespace, or Calico GlobalNetworkPolicies selecting the namespaces
 * labelled for them (app allows stay Kubernetes NetworkPolicies there).
 */
export type PolicyStyle = "kubernetes" | "cilium-clusterwide" | "cilium-namespaced" | "calico-global";

export interface PolicyStylePlan {
  style: PolicyStyle;
  /** First day the style's engine runs (the style is written from then on); NEVER for `kubernetes`. */
  styleFromDay: number;
  /** `cilium-clusterwide`: the days its cluster-wide baseline starts denying ingress and egress for every workload namespace (NEVER: not adopted). */
  baselineIngressDay: number;
  baselineEgressDay: number;
  /** A cluster-wide IMDS deny (Cilium egressDeny, a Calico tier) from this day; NEVER: none. */
  imdsDenyDay: number;
  /** Calico's CRDs and a GlobalNetworkPolicy left behind by a move from Calico to Cilium: read, not enforced. */
  calicoLeftovers: boolean;
  /** Admin network policies (network-policy-api CRDs) from this day; NEVER: none. No AKS engine enforces them. */
  adminPoliciesDay: number;
}

/** One workload of a namespace: its pods' labels (a pod class), how many, and its releases. */
export interface WorkloadPlan {
  name: string;
  labels: Record<string, string>;
  replicas: number;
  /** The label that carries the release (`version` or `app.kubernetes.io/version`), null when it carries none. */
  versionLabel: string | null;
  /** Releases by day, sorted; the first covers the cluster's whole past. */
  releases: { fromDay: number; version: string }[];
}

export interface ClusterPlan {
  index: number;
  role: ClusterRole;
  team: TeamProfile;
  env: EnvKind;
  location: string;
  subscriptionIndex: number;
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  /** ARM id exactly as the listing prints it; `key` is its lower-case form. */
  id: string;
  key: string;
  /** Creation day; negative for clusters older than the period. */
  bornDay: number;
  /** First day it is no longer listed; NEVER if it survives the period. */
  deleteDay: number;
  /** First day an engine is enabled: ALWAYS if from its first day in the period, NEVER if not in the period. */
  engineDay: number;
  network: NetworkPhase[];
  tags: TagsPhase[];
  versions: VersionPhase[];
  pools: PoolPlan[];
  podLinkLocalNone: boolean;
  /** A reference cluster: default deny in every namespace from its first day, no allow-any rules. */
  exemplary: boolean;
  privateCluster: boolean;
  /** The demo has no in-cluster access: readInCluster answers `absent`. */
  noInClusterAccess: boolean;
  /** Daily chance that the API server cannot be reached. */
  flakiness: number;
  stopsOnWeekends: boolean;
  azurePolicyAddon: boolean;
  appRoutingAddon: boolean;
  skuTier: "Free" | "Standard";
  dnsSuffix: string;
  privateDnsZoneId: string;
  apiServerIp: string;
  serviceCidr: string;
  dnsServiceIp: string;
  podCidr: string;
  namespaces: NamespacePlan[];
  incidents: AllowAnyIncident[];
  policyStyle: PolicyStylePlan;
  /** Workloads by namespace name (system and platform namespaces included). */
  workloads: Map<string, WorkloadPlan[]>;
}

export interface SubscriptionPlan {
  id: string;
  displayName: string;
  production: boolean;
  businessUnit: string;
  /** Indices of the clusters ever in it, in the order the listing prints them. */
  clusterIndices: number[];
}

export interface ListingFailure {
  day: number;
  subscriptionIndex: number;
  cause: FaultCause;
  message: string;
}

/** The demo waives findings of the catalogue's controls. */
export type DemoControlId = ControlId;

export interface PlannedWaiver {
  clusterId: string;
  controlId: DemoControlId;
  createdDayIndex: number;
  expiresDayIndex: number;
  reason: string;
  createdBy: string;
}

export interface EstatePlan {
  seed: number;
  days: number;
  teams: TeamProfile[];
  subscriptions: SubscriptionPlan[];
  clusters: ClusterPlan[];
  clusterByKey: Map<string, ClusterPlan>;
  listingFailures: Map<number, ListingFailure>;
  waivers: PlannedWaiver[];
}

/** Whether this phase enables a policy engine (docs/design.md §4.1). */
export function phaseHasEngine(phase: NetworkPhase): boolean {
  const p = typeof phase.policy === "string" ? phase.policy.toLowerCase() : "";
  return p === "azure" || p === "calico" || p === "cilium" || phase.dataplane === "cilium";
}

/** The last phase that started on or before `day` (phases are sorted, the first covers birth). */
export function phaseAt<T extends { fromDay: number }>(phases: readonly T[], day: number): T {
  let found = phases[0];
  for (let i = 1; i < phases.length; i++) {
    if (phases[i].fromDay <= day) found = phases[i];
    else break;
  }
  return found;
}

/** What the plan is asked for (resolved demo options). */
export interface PlanOptions {
  clusters: number;
  days: number;
  seed: number;
  subscriptions: number;
  owners: number;
}

/** Rare traits are handed out by quota, not coin flips, so every estate has its "few" of each. */
export interface ClusterTraits {
  plugin: NetworkPlugin;
  overlay: boolean;
  /** An engine from the cluster's first day in the period. */
  engineFromStart: boolean;
  /** Older than the period, without an engine, and fixed during the period. */
  backlogFixed: boolean;
  windows: boolean;
  /** A platform-team reference cluster: default deny everywhere from day one, no sloppy rules. */
  exemplary: boolean;
  /** Runs Cilium and prints no networkPolicy key. */
  ciliumWithoutPolicyKey: boolean;
  tagging: "full" | "partial" | "none";
  podLinkLocalNone: boolean;
  noInClusterAccess: boolean;
  oddEngine: string | null;
}

/** A cluster before it is planned: who owns it, where and when it is born, what it is like. */
export interface ClusterSpec {
  team: TeamProfile;
  teamIndex: number;
  env: EnvKind;
  region: RegionInfo;
  bornDay: number;
  role: ClusterRole;
  traits: ClusterTraits;
}
