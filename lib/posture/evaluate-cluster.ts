// One cluster, one snapshot: facts, controls, classified rules, policy objects and advisories.

import { listAdvisories } from "./advisories";
import { isClusterFacts, readClusterFacts } from "./cluster-facts";
import { DEFAULT_POSTURE_CONFIG } from "./config";
import { evaluateControls } from "./controls";
import { enforcementOf } from "./decision";
import { judgeCluster, type ClusterJudgement } from "./judge-cluster";
import { objectsOfInClusterData, sortKubeObjects } from "./kube-objects";
import { RULES_VERSION } from "./rules-version";
import type { ClusterEvaluation, ClusterFacts, InClusterData, PostureConfig } from "./types";

/** The in-cluster lists judged with the cluster's engine; list items may come without `kind`. */
export function judgeInClusterData(facts: ClusterFacts, inCluster: InClusterData, config: PostureConfig): ClusterJudgement {
  return judgeCluster(sortKubeObjects(objectsOfInClusterData(inCluster)), {
    config,
    enforcement: enforcementOf(facts.engineEnabled ? facts.engine : "none"),
    podCidrs: facts.podCidrs ?? [],
    localDns: facts.localDns ?? false,
  });
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
  const judgement = inCluster ? judgeInClusterData(facts, inCluster, config) : null;
  return {
    rulesVersion: RULES_VERSION,
    facts,
    hasInClusterData: judgement !== null,
    controls: evaluateControls(facts, judgement),
    allowAnyRules: judgement?.allowAnyRules ?? [],
    imdsRules: judgement?.imdsRules ?? [],
    namespaces: judgement?.namespaces ?? [],
    advisories: listAdvisories(facts, judgement),
    policies: judgement?.policies ?? [],
    problems: judgement?.problems ?? [],
    reachability: judgement?.reachability.document ?? null,
  };
}
