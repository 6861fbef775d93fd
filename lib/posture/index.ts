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
export { evaluateCluster } from "./evaluate-cluster";
export { analyzeManifests, manifestAnalysisFails } from "./analyze-manifests";
export {
  ALLOW_ANY_CLASS_ADVICE,
  buildBaselineManifests,
  buildRemediation,
  renderYamlDocuments,
  type NamespaceDefaultDeny,
  type NetworkPolicyManifest,
} from "./remediation";
