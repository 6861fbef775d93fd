// The posture evaluator's public API (docs/design.md §4): pure functions, no I/O.

export type {
  Advisory,
  AdvisoryId,
  AllowAnyClass,
  AllowAnyRule,
  ClusterEvaluation,
  ClusterFacts,
  ControlDefinition,
  ControlEvidence,
  ControlId,
  ControlResult,
  ControlSeverity,
  ControlStatus,
  Direction,
  ImdsRule,
  InClusterData,
  PolicyKind,
  PolicyNamespaceContribution,
  PolicyObjectSummary,
  PolicyProblem,
  ManifestAllowAnyRule,
  ManifestAnalysis,
  ManifestNamespaceResult,
  NamespaceCoverage,
  PostureConfig,
  RemediationItem,
  RuleRef,
} from "./types";
export { DEFAULT_POSTURE_CONFIG, DEFAULT_SYSTEM_NAMESPACES } from "./config";
export { CONTROL_IDS, CONTROL_SPAN, CONTROLS, getControl, isControlId } from "./control-catalogue";
export { ClusterInputError, UNTAGGED_OWNER, readClusterFacts } from "./cluster-facts";
export { formatRuleRef } from "./controls";
export { createClusterEvaluator, evaluateCluster, type ClusterEvaluator } from "./evaluate-cluster";
export { analyzeManifests, judgeManifests, manifestAnalysisFails, toManifestAnalysis, type AnalyzeEngine } from "./analyze-manifests";
export { RULES_VERSION } from "./rules-version";
export { ENFORCE_ALL, enforcementOf, PolicyModel, type Decision, type Enforcement, type Peer, type PodRef } from "./decision";
export { INSIDE_STRANGER, judgeCluster, KUBE_DNS_POD, type ClusterJudgement, type PodClass } from "./judge-cluster";
export { explainClusterConnection, judgeInClusterData } from "./evaluate-cluster";
export { IN_CLUSTER_LISTS, sortKubeObjects, objectsOfInClusterData } from "./kube-objects";
export { STRANGER_PORT, type PortQuery, type Protocol, type Reading, type Statement, type PolicyReading } from "./statements";
export { CalicoSelectorError, parseCalicoSelector } from "./calico-selector";
export {
  candidatePorts,
  computeReachability,
  labelsKey,
  namespaceShare,
  reachabilityClasses,
  REACHABILITY_VERSION,
  type CandidatePort,
  type Reachability,
  type ReachabilityDocument,
  type ReachabilityDocumentClass,
  type ReachClass,
} from "./reachability";
export { explainConnection, portsBetween, type Admission, type ClosingChange, type ConnectionEndpoint, type ConnectionExplanation, type ConnectionPath } from "./reachability-explain";
export { compareReachability, type ClassIdentity, type Connection, type ConnectionKind, type ReachabilityChanges } from "./reachability-diff";
export {
  ALLOW_ANY_CLASS_ADVICE,
  buildBaselineManifests,
  buildCalicoBaseline,
  buildCiliumBaseline,
  buildRemediation,
  renderYamlDocuments,
  type NamespaceDefaultDeny,
  type NetworkPolicyManifest,
} from "./remediation";
export { buildRemediationBundle, bundleFileName, type RemediationBundle } from "./remediation-bundle";
