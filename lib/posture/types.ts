// Public types of the posture evaluator (docs/design.md §4).
import type { ControlId } from "./control-catalogue";
import type { Direction } from "./direction";
import type { ReachabilityDocument } from "./reachability";
import type { PolicyKind, PolicyProblem } from "./statements";

// A control's id and definition come from the catalogue: adding a control there adds it here.
export type { ControlDefinition, ControlId, ControlSeverity } from "./control-catalogue";

export type ControlStatus = "pass" | "fail" | "n/a";

export type { Direction };

/** A: names no peer at all; B: admits the outside stranger; C: admits the inside stranger (docs/design.md §4.2). */
export type AllowAnyClass = "A" | "B" | "C";

export interface PostureConfig {
  ownerTagKeys: string[];
  envTagKeys: string[];
  prodValues: string[];
  systemNamespaces: string[];
}

export interface ClusterFacts {
  /** ARM resource id, lower-cased. */
  key: string;
  id: string;
  name: string;
  subscriptionId: string;
  /** As spelled in the ARM id. */
  resourceGroup: string;
  location: string | null;
  /** "(untagged)" when no owner tag has a value. */
  owner: string;
  production: boolean;
  /** "azure" | "calico" | "cilium" | "none" | "unknown:<value>" */
  engine: string;
  engineEnabled: boolean;
  rawNetworkPolicy: string | null;
  networkPlugin: string | null;
  networkPluginMode: string | null;
  networkDataplane: string | null;
  podLinkLocalAccess: string | null;
  /** networkProfile.podCidr and podCidrs, as written. */
  podCidrs: string[];
  /** Some agent pool runs AKS LocalDNS (localDNSProfile mode Required, or state Enabled). */
  localDns: boolean;
  /** ACNS FQDN filtering: networkProfile.advancedNetworking.security.advancedNetworkPolicies is FQDN or L7. */
  fqdnFiltering: boolean;
  /** The AKS application routing add-on (managed NGINX in app-routing-system) is on. */
  webAppRouting: boolean;
  nodeCount: number;
  hasWindowsPool: boolean;
  kubernetesVersion: string | null;
  tags: Record<string, string>;
}

/**
 * The items of the kubectl lists read from a cluster (docs/design.md §4.3, §4.5). Stored documents
 * of rules version 1 have only `namespaces` and `policies`; a missing list is an empty one.
 */
export interface InClusterData {
  namespaces: unknown[];
  /** networking.k8s.io/v1 NetworkPolicies. */
  policies: unknown[];
  ciliumNetworkPolicies?: unknown[];
  ciliumClusterwideNetworkPolicies?: unknown[];
  /** projectcalico.org/v3 (or crd.projectcalico.org/v1) NetworkPolicies. */
  calicoNetworkPolicies?: unknown[];
  calicoGlobalNetworkPolicies?: unknown[];
  adminNetworkPolicies?: unknown[];
  baselineAdminNetworkPolicies?: unknown[];
  clusterNetworkPolicies?: unknown[];
  /**
   * Pod metadata only (PartialObjectMetadata): namespace and labels. A collected cluster stores its
   * pod classes here, one item per distinct (namespace, labels) with `count`, the pods it stands for
   * (`{metadata: {namespace, labels}, count}`); an item without `count` is one pod.
   */
  pods?: unknown[];
  /**
   * Services reduced to what migration readiness needs (docs/migration.md): `{metadata: {namespace,
   * name}, spec: {type, externalTrafficPolicy}}`. Absent when not read (older history, or no RBAC to list them).
   */
  services?: unknown[];
}

export type { PolicyKind, PolicyProblem };

export interface RuleRef {
  kind: PolicyKind;
  /** Null for a rule of a cluster-scoped object (CiliumClusterwideNetworkPolicy, GlobalNetworkPolicy). */
  namespace: string | null;
  policy: string;
  /** The rule list: "ingress", "egress", "ingressDeny", "specs[1].egress", ... */
  list: string;
  direction: Direction;
  index: number;
}

export interface AllowAnyRule extends RuleRef {
  class: AllowAnyClass;
  scope: "namespace" | "cluster";
  /** The offending rule object, for display as YAML. */
  rule: unknown;
}

/** An egress rule that lets pods of a workload namespace reach 169.254.169.254 on TCP 80 and no deny refuses. */
export interface ImdsRule extends RuleRef {
  direction: "egress";
  /** The workload namespace whose pods it lets through. */
  workloadNamespace: string;
  rule: unknown;
}

/** What one policy object does in one workload namespace. */
export interface PolicyNamespaceContribution {
  namespace: string;
  isolatesIngress: boolean;
  isolatesEgress: boolean;
  allows: number;
  denies: number;
}

/** Every policy object of the cluster, whether its engine enforces it, and what it contributes. */
export interface PolicyObjectSummary {
  kind: PolicyKind;
  namespace: string | null;
  name: string;
  scope: "namespace" | "cluster";
  enforced: boolean;
  /** Host-endpoint or node policy: not about pods. */
  hostOnly: boolean;
  /** Fields that could not be read; they earn no credit. */
  problems: number;
  /** Per workload namespace its subject reaches, sorted by namespace. */
  namespaces: PolicyNamespaceContribution[];
}

export interface NamespaceCoverage {
  name: string;
  defaultDenyIngress: boolean;
  defaultDenyEgress: boolean;
  allowsDns: boolean;
  permitsImds: boolean;
  policyCount: number;
}

export interface ControlEvidence {
  namespaces?: string[];
  rules?: RuleRef[];
  policies?: { kind: PolicyKind; namespace: string | null; policy: string }[];
  value?: string;
}

export interface ControlResult {
  id: ControlId;
  name: string;
  status: ControlStatus;
  /** One sentence a person can act on. */
  reason: string;
  evidence: ControlEvidence;
}

/** Every advisory the evaluator raises (end of docs/design.md §4.4), in display order. */
export const ADVISORY_IDS = [
  "npm-windows",
  "npm-retirement",
  "npm-large-cluster",
  "policies-not-enforced",
  "cilium-policies-not-enforced",
  "calico-policies-not-enforced",
  "admin-policies-not-enforced",
  "fqdn-without-acns",
  "kubenet-retirement",
] as const;
export type AdvisoryId = (typeof ADVISORY_IDS)[number];

export interface Advisory {
  id: AdvisoryId;
  severity: "warning" | "info";
  message: string;
}

export interface ClusterEvaluation {
  /** The rules version that produced this evaluation (docs/design.md §3). */
  rulesVersion: number;
  facts: ClusterFacts;
  hasInClusterData: boolean;
  /** Every control of the catalogue, in catalogue order. */
  controls: ControlResult[];
  /** Sorted by namespace, policy, direction (egress first), index. */
  allowAnyRules: AllowAnyRule[];
  /** Egress rules that permit IMDS, in the same order as allowAnyRules. */
  imdsRules: ImdsRule[];
  /** Workload namespaces only, sorted by name. */
  namespaces: NamespaceCoverage[];
  advisories: Advisory[];
  /** Every policy object read, sorted by kind, namespace and name. */
  policies: PolicyObjectSummary[];
  /** Fields of policy objects that could not be read. */
  problems: PolicyProblem[];
  /** Who reaches whom and the lateral exposure (docs/design.md §4.5); null without in-cluster data. */
  reachability: ReachabilityDocument | null;
}

export interface RemediationItem {
  controlId: ControlId;
  title: string;
  /** "text" is prose to read, for a fix Bulkhead cannot write as a snippet; the others are ready to copy. */
  format: "yaml" | "shell" | "terraform" | "bicep" | "text";
  content: string;
  caveats: string[];
}

export interface ManifestNamespaceResult {
  name: string;
  defaultDenyIngress: boolean;
  defaultDenyEgress: boolean;
}

export interface ManifestAllowAnyRule {
  namespace: string | null;
  policy: string;
  direction: Direction;
  index: number;
  class: AllowAnyClass;
  kind: PolicyKind;
  scope: "namespace" | "cluster";
  list: string;
}

export interface ManifestAnalysis {
  namespaces: ManifestNamespaceResult[];
  allowAnyRules: ManifestAllowAnyRule[];
}
