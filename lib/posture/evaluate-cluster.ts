// One cluster, one snapshot: facts, controls, classified rules and advisories.

import { listAdvisories } from "./advisories";
import { isClusterFacts, readClusterFacts } from "./cluster-facts";
import { DEFAULT_POSTURE_CONFIG } from "./config";
import { evaluateControls } from "./controls";
import { collectKubeObjects } from "./kube-objects";
import { summariseNamespaces, type NamespaceSummary } from "./namespaces";
import type { ClusterEvaluation, ClusterFacts, InClusterData, PostureConfig } from "./types";

/** Items of the Namespace and NetworkPolicy lists; list items may come without `kind`. */
export function summariseInClusterData(inCluster: InClusterData, config: PostureConfig): NamespaceSummary {
  const found = collectKubeObjects(Array.isArray(inCluster.namespaces) ? inCluster.namespaces : [], "Namespace");
  collectKubeObjects(Array.isArray(inCluster.policies) ? inCluster.policies : [], "NetworkPolicy", found);
  return summariseNamespaces(found.namespaceNames, found.policies, config);
}

/**
 * Evaluates one cluster. `cluster` is raw cluster JSON or facts from readClusterFacts; raw JSON
 * without a usable `id` throws ClusterInputError. `inCluster` is null when it was not read.
 */
export function evaluateCluster(
  cluster: unknown | ClusterFacts,
  inCluster: InClusterData | null,
  config: PostureConfig = DEFAULT_POSTURE_CONFIG,
): ClusterEvaluation {
  const facts = isClusterFacts(cluster) ? cluster : readClusterFacts(cluster, config);
  const summary = inCluster ? summariseInClusterData(inCluster, config) : null;
  return {
    facts,
    hasInClusterData: summary !== null,
    controls: evaluateControls(facts, summary),
    allowAnyRules: summary?.allowAnyRules ?? [],
    imdsRules: summary?.imdsRules ?? [],
    namespaces: summary?.namespaces ?? [],
    advisories: listAdvisories(facts, summary ? summary.totalPolicies : null),
  };
}
