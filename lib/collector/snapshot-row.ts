import { CONTROL_COLUMNS, toStoredStatus, type StoredStatus } from "@/lib/db/control-columns";
import type { ClusterEvaluation, InClusterData } from "@/lib/posture";
import type { ClusterDocuments } from "./cluster-documents";
import { DERIVED_DOCUMENTS, type DerivedDocuments } from "./derived-documents";
import { policyKindsOf } from "./policy-kinds";
import type { EvaluatedCluster } from "./read-estate";

/** A value of a judged snapshot column, as COPY and jsonb_populate_record take it. */
export type JudgedValue = string | number | boolean | null | string[];

/** What the KPIs sum over a cluster's judgement: its control counts, allow-any rules, and lateral exposure with the pods it is weighted by. */
export const KPI_FIGURE_COLUMNS = ["controls_passed", "controls_failed", "allow_any_count", "lateral_exposure", "workload_pods"] as const;

/**
 * The snapshot columns a judgement writes, in this order: facts read from the cluster document,
 * control statuses and counts, the lateral exposure and its weight, the rules version, the policy
 * kinds, and the hash of each derived document (null where the judgement has none). A run writes them with a new snapshot; `bulkhead reevaluate` overwrites them in place.
 * The other columns (ids, times, source document hashes) say what was read, and never change.
 */
export const JUDGED_SNAPSHOT_COLUMNS: readonly string[] = [
  "subscription_id",
  "owner",
  "production",
  "raw_network_policy",
  "network_plugin",
  "network_plugin_mode",
  "network_dataplane",
  "pod_link_local_access",
  "node_count",
  "engine",
  "engine_enabled",
  "has_in_cluster_data",
  ...CONTROL_COLUMNS,
  ...KPI_FIGURE_COLUMNS,
  "rules_version",
  "policy_kinds",
  "advisory_ids",
  ...DERIVED_DOCUMENTS.map((kind) => kind.snapshotColumn),
];

/**
 * The ids of an evaluation's advisories, sorted and distinct: kept on the snapshot and its posture
 * interval so the Overview counts advisories with one scan of the intervals in force. The same
 * form as the migration that filled them for older history (sorted, so equal sets compare equal).
 */
export function advisoryIdsOf(evaluation: ClusterEvaluation): string[] {
  return [...new Set(evaluation.advisories.map((advisory) => advisory.id))].sort();
}

/** Every judged column of one evaluation of `inCluster`, by name (JUDGED_SNAPSHOT_COLUMNS). */
export function judgedSnapshotColumns(
  evaluation: ClusterEvaluation,
  derived: DerivedDocuments,
  inCluster: InClusterData | null,
  /** policyKindsOf(inCluster), when it was taken already (where the cluster was judged). */
  policyKinds: string[] = policyKindsOf(inCluster),
): Record<string, JudgedValue> {
  const facts = evaluation.facts;
  const statuses = evaluation.controls.map((control) => toStoredStatus(control.status));
  const columns: Record<string, JudgedValue> = {
    subscription_id: facts.subscriptionId.toLowerCase(),
    owner: facts.owner,
    production: facts.production,
    raw_network_policy: facts.rawNetworkPolicy,
    network_plugin: facts.networkPlugin,
    network_plugin_mode: facts.networkPluginMode,
    network_dataplane: facts.networkDataplane,
    pod_link_local_access: facts.podLinkLocalAccess,
    node_count: facts.nodeCount,
    engine: facts.engine,
    engine_enabled: facts.engineEnabled,
    has_in_cluster_data: evaluation.hasInClusterData,
  };
  CONTROL_COLUMNS.forEach((column, index) => {
    columns[column] = statuses[index];
  });
  columns.controls_passed = statuses.filter((status) => status === "pass").length;
  columns.controls_failed = statuses.filter((status) => status === "fail").length;
  columns.allow_any_count = evaluation.allowAnyRules.length;
  // The fifth KPI (docs/design.md §5) is a pod-weighted mean: each cluster's exposure and its pods.
  columns.lateral_exposure = evaluation.reachability?.exposure ?? null;
  columns.workload_pods = evaluation.reachability?.pods ?? null;
  columns.rules_version = evaluation.rulesVersion;
  columns.policy_kinds = policyKinds;
  columns.advisory_ids = advisoryIdsOf(evaluation);
  for (const kind of DERIVED_DOCUMENTS) columns[kind.snapshotColumn] = derived[kind.key]?.hash ?? null;
  return columns;
}

/** One judged cluster as a run writes it: its key, documents, stored statuses and their counts. */
export interface SnapshotRow {
  clusterKey: string;
  documents: ClusterDocuments;
  statuses: StoredStatus[];
  controlsPassed: number;
  controlsFailed: number;
  /** The judged snapshot columns (JUDGED_SNAPSHOT_COLUMNS). */
  columns: Record<string, JudgedValue>;
  cluster: EvaluatedCluster;
}

export function buildSnapshotRow(cluster: EvaluatedCluster): SnapshotRow {
  const columns = judgedSnapshotColumns(cluster.evaluation, cluster.documents.derived, cluster.inCluster, cluster.policyKinds);
  return {
    clusterKey: cluster.evaluation.facts.key,
    documents: cluster.documents,
    statuses: CONTROL_COLUMNS.map((column) => columns[column] as StoredStatus),
    controlsPassed: columns.controls_passed as number,
    controlsFailed: columns.controls_failed as number,
    columns,
    cluster,
  };
}
