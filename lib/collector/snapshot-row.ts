import { toStoredStatus, type StoredStatus } from "@/lib/db/control-columns";
import type { ClusterDocuments } from "./cluster-documents";
import type { EvaluatedCluster } from "./read-estate";

/** One judged cluster as a run writes it: its key, documents, stored statuses and their counts. */
export interface SnapshotRow {
  clusterKey: string;
  documents: ClusterDocuments;
  statuses: StoredStatus[];
  controlsPassed: number;
  controlsFailed: number;
  cluster: EvaluatedCluster;
}

export function buildSnapshotRow(cluster: EvaluatedCluster): SnapshotRow {
  const statuses = cluster.evaluation.controls.map((control) => toStoredStatus(control.status));
  return {
    clusterKey: cluster.evaluation.facts.key,
    documents: cluster.documents,
    statuses,
    controlsPassed: statuses.filter((status) => status === "pass").length,
    controlsFailed: statuses.filter((status) => status === "fail").length,
    cluster,
  };
}
