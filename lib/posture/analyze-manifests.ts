// `bulkhead analyze`: default-deny coverage and allow-any rules of plain manifests (docs/design.md §6).

import { DEFAULT_POSTURE_CONFIG } from "./config";
import { collectKubeObjects } from "./kube-objects";
import { summariseNamespaces, type NamespaceSummary } from "./namespaces";
import type { ManifestAnalysis, PostureConfig } from "./types";

/** Objects may be Namespaces, NetworkPolicies or `kind: List`; other kinds are ignored. */
export function summariseManifests(objects: unknown[], config: PostureConfig = DEFAULT_POSTURE_CONFIG): NamespaceSummary {
  const { namespaceNames, policies } = collectKubeObjects(objects, null);
  return summariseNamespaces(namespaceNames, policies, config);
}

/** The `bulkhead analyze` result: exactly the fields of docs/design.md §6, in its order. */
export function analyzeManifests(objects: unknown[], config: PostureConfig = DEFAULT_POSTURE_CONFIG): ManifestAnalysis {
  const summary = summariseManifests(objects, config);
  return {
    namespaces: summary.namespaces.map(({ name, defaultDenyIngress, defaultDenyEgress }) => ({ name, defaultDenyIngress, defaultDenyEgress })),
    allowAnyRules: summary.allowAnyRules.map(({ namespace, policy, direction, index, class: ruleClass }) => ({
      namespace,
      policy,
      direction,
      index,
      class: ruleClass,
    })),
  };
}

/** The exit-1 condition of `bulkhead analyze`: a namespace without default deny either way, or any allow-any rule. */
export function manifestAnalysisFails(analysis: ManifestAnalysis): boolean {
  return (
    analysis.allowAnyRules.length > 0 ||
    analysis.namespaces.some((namespace) => !namespace.defaultDenyIngress || !namespace.defaultDenyEgress)
  );
}
