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
  return evaluationOf(facts, inCluster ? judgeInClusterData(facts, inCluster, config) : null);
}

export type ClusterEvaluator = typeof evaluateCluster;

/**
 * evaluateCluster for many clusters that share in-cluster documents (`bulkhead reevaluate`: the
 * autoscaler changes a cluster's document from day to day, its policies seldom change): each set of
 * in-cluster objects is judged once per configuration and engine settings (engine, pod CIDRs,
 * LocalDNS, the only cluster facts the judgement reads), and the judgement shared by every cluster
 * document it is paired with. Keyed by the identity of `inCluster` (callers pass one parsed object per
 * stored document) and let go with it; the same verdicts as evaluateCluster.
 */
export function createClusterEvaluator(): ClusterEvaluator {
  const judged = new WeakMap<object, { config: PostureConfig; byFacts: Map<string, ClusterJudgement> }>();
  return (cluster, inCluster, config = DEFAULT_POSTURE_CONFIG) => {
    const facts = isClusterFacts(cluster) ? cluster : readClusterFacts(cluster, config);
    if (!inCluster) return evaluationOf(facts, null);
    let entry = judged.get(inCluster);
    if (!entry || entry.config !== config) {
      entry = { config, byFacts: new Map() };
      judged.set(inCluster, entry);
    }
    const key = `${facts.engineEnabled ? facts.engine : "none"}\u0000${(facts.podCidrs ?? []).join(",")}\u0000${String(facts.localDns ?? false)}`;
    let judgement = entry.byFacts.get(key);
    if (!judgement) {
      judgement = judgeInClusterData(facts, inCluster, config);
      entry.byFacts.set(key, judgement);
    }
    return evaluationOf(facts, judgement);
  };
}

function evaluationOf(facts: ClusterFacts, judgement: ClusterJudgement | null): ClusterEvaluation {
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
