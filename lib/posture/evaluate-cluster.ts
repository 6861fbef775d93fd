// One cluster, one snapshot: facts, controls, classified rules, policy objects and advisories.

import { listAdvisories } from "./advisories";
import { isClusterFacts, readClusterFacts } from "./cluster-facts";
import { DEFAULT_POSTURE_CONFIG } from "./config";
import { evaluateControls } from "./controls";
import { enforcementOf } from "./decision";
import { judgeCluster, type ClusterJudgement } from "./judge-cluster";
import { reachabilityClasses } from "./reachability";
import { explainConnection, type ConnectionEndpoint, type ConnectionExplanation } from "./reachability-explain";
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

/**
 * Why `from` reaches `to` in a cluster (namespaces, or classes of them) and the smallest change that
 * would stop it (reachability-explain.ts), judged from its stored documents as evaluateCluster judges
 * them. Null when either end is not a workload namespace of the cluster.
 */
export function explainClusterConnection(
  cluster: unknown | ClusterFacts,
  inCluster: InClusterData,
  from: ConnectionEndpoint,
  to: ConnectionEndpoint,
  config: PostureConfig = DEFAULT_POSTURE_CONFIG,
): ConnectionExplanation | null {
  const facts = isClusterFacts(cluster) ? cluster : readClusterFacts(cluster, config);
  const judgement = judgeInClusterData(facts, inCluster, config);
  const workload = judgement.defaultDeny.map((namespace) => namespace.name);
  if (!workload.includes(from.namespace) || !workload.includes(to.namespace)) return null;
  return explainConnection(judgement.model, reachabilityClasses(workload, judgement.classes, judgement.hasPodData), from, to);
}
