import { objectsOfInClusterData, sortKubeObjects, type InClusterData } from "@/lib/posture";

/**
 * The policy kinds the in-cluster objects hold, sorted: what the clusters table filters by. Read
 * from the source document, not the judgement, so it means the same whatever the rules version
 * (the migration filled it the same way for history recorded before it).
 */
export function policyKindsOf(inCluster: InClusterData | null): string[] {
  if (!inCluster) return [];
  return [...new Set(sortKubeObjects(objectsOfInClusterData(inCluster)).policies.map((policy) => policy.kind))].sort();
}
