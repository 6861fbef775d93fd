import { createHash } from "node:crypto";
import type { ControlStatus } from "@/lib/posture";
import type { EvaluatedCluster } from "./read-estate";

/** The stored spelling of a control status (`n/a` is not a valid enum label). */
export type StoredStatus = "pass" | "fail" | "na";

export function toStoredStatus(status: ControlStatus): StoredStatus {
  return status === "n/a" ? "na" : status;
}

export function fromStoredStatus(status: StoredStatus): ControlStatus {
  return status === "na" ? "n/a" : status;
}

export function hashDocument(body: unknown): string {
  return createHash("sha256").update(JSON.stringify(body)).digest("hex");
}

export interface SnapshotRow {
  clusterKey: string;
  clusterDocHash: string;
  clusterDoc: unknown;
  inClusterDocHash: string | null;
  inClusterDoc: unknown;
  statuses: StoredStatus[];
  controlsPassed: number;
  controlsFailed: number;
  cluster: EvaluatedCluster;
}

export function buildSnapshotRow(cluster: EvaluatedCluster): SnapshotRow {
  const statuses = cluster.evaluation.controls.map((control) => toStoredStatus(control.status));
  return {
    clusterKey: cluster.evaluation.facts.key,
    clusterDocHash: hashDocument(cluster.raw),
    clusterDoc: cluster.raw,
    inClusterDocHash: cluster.inCluster ? hashDocument(cluster.inCluster) : null,
    inClusterDoc: cluster.inCluster,
    statuses,
    controlsPassed: statuses.filter((status) => status === "pass").length,
    controlsFailed: statuses.filter((status) => status === "fail").length,
    cluster,
  };
}
