// `bulkhead analyze`: default-deny coverage and allow-any rules of plain manifests (docs/design.md §6).

import { DEFAULT_POSTURE_CONFIG } from "./config";
import { ENFORCE_ALL, enforcementOf, type Enforcement } from "./decision";
import { judgeCluster, type ClusterJudgement } from "./judge-cluster";
import { sortKubeObjects } from "./kube-objects";
import type { ManifestAnalysis, PostureConfig } from "./types";

export type AnalyzeEngine = "cilium" | "calico" | "azure" | "all";

export interface AnalyzeManifestOptions {
  config?: PostureConfig;
  /** Which engine enforces the objects; "all" (the default) judges every kind as if enforced. */
  engine?: AnalyzeEngine;
}

function enforcementFor(engine: AnalyzeEngine): Enforcement {
  return engine === "all" ? ENFORCE_ALL : enforcementOf(engine);
}

/** The whole judgement of a set of manifests: what the CLI prints beyond the documented JSON. */
export function judgeManifests(objects: unknown[], options: AnalyzeManifestOptions = {}): ClusterJudgement {
  return judgeCluster(sortKubeObjects(objects), {
    config: options.config ?? DEFAULT_POSTURE_CONFIG,
    enforcement: enforcementFor(options.engine ?? "all"),
    podCidrs: [],
    // Manifests do not say whether the nodes run LocalDNS: a DNS allow to either path counts.
    localDns: "unknown",
  });
}

/** The documented `analyze --json` fields of a judgement, in their order. */
export function toManifestAnalysis(judgement: ClusterJudgement): ManifestAnalysis {
  return {
    namespaces: judgement.defaultDeny.map(({ name, defaultDenyIngress, defaultDenyEgress }) => ({ name, defaultDenyIngress, defaultDenyEgress })),
    allowAnyRules: judgement.allowAnyRules.map(({ namespace, policy, direction, index, class: ruleClass, kind, scope, list }) => ({
      namespace,
      policy,
      direction,
      index,
      class: ruleClass,
      kind,
      scope,
      list,
    })),
  };
}

/** The `bulkhead analyze` result: exactly the fields of docs/design.md §6, in its order. */
export function analyzeManifests(objects: unknown[], configOrOptions: PostureConfig | AnalyzeManifestOptions = {}): ManifestAnalysis {
  const options: AnalyzeManifestOptions = "systemNamespaces" in configOrOptions ? { config: configOrOptions } : configOrOptions;
  return toManifestAnalysis(judgeManifests(objects, options));
}

/** The exit-1 condition of `bulkhead analyze`: a namespace without default deny either way, or any allow-any rule. */
export function manifestAnalysisFails(analysis: ManifestAnalysis): boolean {
  return (
    analysis.allowAnyRules.length > 0 ||
    analysis.namespaces.some((namespace) => !namespace.defaultDenyIngress || !namespace.defaultDenyEgress)
  );
}
