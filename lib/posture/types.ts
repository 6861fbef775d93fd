// Public types of the posture evaluator (docs/design.md §4).
import type { ControlId } from "./control-catalogue";

// A control's id and definition come from the catalogue: adding a control there adds it here.
export type { ControlDefinition, ControlId, ControlSeverity } from "./control-catalogue";

export type ControlStatus = "pass" | "fail" | "n/a";

export type Direction = "ingress" | "egress";

/** A: peers absent or empty; B: world ipBlock; C: all-namespaces selector. */
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
  nodeCount: number;
  hasWindowsPool: boolean;
  kubernetesVersion: string | null;
  tags: Record<string, string>;
}

/** Namespace and NetworkPolicy objects: the items of the kubectl Lists. */
export interface InClusterData {
  namespaces: unknown[];
  policies: unknown[];
}

export interface RuleRef {
  namespace: string;
  policy: string;
  direction: Direction;
  index: number;
}

export interface AllowAnyRule extends RuleRef {
  class: AllowAnyClass;
  /** The offending rule object, for display as YAML. */
  rule: unknown;
}

/** An egress rule that lets pods reach 169.254.169.254 on TCP 80. */
export interface ImdsRule extends RuleRef {
  direction: "egress";
  rule: unknown;
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
  policies?: { namespace: string; policy: string }[];
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
export const ADVISORY_IDS = ["npm-windows", "npm-large-cluster", "policies-not-enforced", "kubenet-retirement"] as const;
export type AdvisoryId = (typeof ADVISORY_IDS)[number];

export interface Advisory {
  id: AdvisoryId;
  severity: "warning" | "info";
  message: string;
}

export interface ClusterEvaluation {
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

export interface ManifestAllowAnyRule extends RuleRef {
  class: AllowAnyClass;
}

export interface ManifestAnalysis {
  namespaces: ManifestNamespaceResult[];
  allowAnyRules: ManifestAllowAnyRule[];
}
