import { fromStoredStatus } from "@/lib/db/control-columns";
import { evaluateCluster, type ClusterEvaluation, type PostureConfig } from "@/lib/posture";
import type { ClusterRow } from "./read-cluster-rows";

/**
 * The stored source documents judged by today's rules (docs/design.md §3: raw documents are kept so
 * rules can change); null if they no longer parse. Remediation is written from this evaluation,
 * which carries more than the stored evidence (IMDS rules, facts).
 */
export function judgeAgain(row: ClusterRow, config: PostureConfig): ClusterEvaluation | null {
  if (row.cluster_doc === null || row.cluster_doc === undefined) return null;
  try {
    return evaluateCluster(row.cluster_doc, row.in_cluster_doc ?? null, config);
  } catch {
    return null;
  }
}

/** True when today's rules judge the stored documents differently from the stored snapshot. */
export function rulesChangedSince(row: ClusterRow, evaluation: ClusterEvaluation | null): boolean {
  if (evaluation === null) return false;
  const stored = row.statuses.map(fromStoredStatus);
  return evaluation.controls.some((control, index) => control.status !== stored[index]);
}
