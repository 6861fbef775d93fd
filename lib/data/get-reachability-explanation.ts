import "server-only";
import { stringify } from "yaml";
import { Prisma } from "@prisma/client";
import type { Database } from "@/lib/db/client";
import { latestSnapshotJoin } from "@/lib/db/latest-snapshot";
import { AppError } from "@/lib/errors";
import { explainClusterConnection, formatRuleRef, type Admission, type ClosingChange, type ConnectionPath, type InClusterData, type PolicyKind, type PostureConfig } from "@/lib/posture";
import { MAX_INT4 } from "./cluster-detail/read-cluster-rows";

// One cell of the cluster page's reachability matrix, explained on demand (docs/reachability.md):
// which statements admit the traffic on the egress side and on the ingress side, and the smallest
// change that would stop it, each change judged by building the decision again with it.

/** Connecting class pairs listed; the rest are counted. */
export const PATHS_SHOWN = 25;
/** Changes listed besides the smallest one. */
export const CHANGES_SHOWN = 8;

export interface ClassRefView {
  namespace: string;
  /** Null: the namespace's stranger pod (a new deployment). */
  labels: Record<string, string> | null;
  pods: number;
}

export interface AdmissionView {
  /** The allow that admits it, as `namespace/policy list[index]`; null where nothing isolates those pods in that direction. */
  rule: string | null;
  kind: PolicyKind | null;
  reason: Admission["reason"];
  namespace: string;
  ports: string[];
  /** Class pairs it admits. */
  pairs: number;
}

export interface ClosingChangeView {
  kind: ClosingChange["kind"];
  direction: ClosingChange["direction"];
  namespace: string;
  rule: string | null;
  text: string;
  /** Whether this change alone stops every connection of the cell (judged, not guessed). */
  closes: boolean;
  /** For a default deny: the NetworkPolicy to apply, as YAML. */
  manifest: string | null;
}

export interface ReachabilityExplanation {
  clusterId: number;
  /** The snapshot whose documents were judged. */
  snapshotId: string;
  capturedAt: string;
  from: string;
  to: string;
  connected: boolean;
  /** Every port some path connects on. */
  ports: string[];
  pathCount: number;
  paths: { from: ClassRefView; to: ClassRefView; ports: string[] }[];
  egress: AdmissionView[];
  ingress: AdmissionView[];
  smallestChange: ClosingChangeView | null;
  otherChanges: ClosingChangeView[];
}

type SnapshotDocuments = { snapshot_id: bigint; captured_at: Date; has_in_cluster_data: boolean; cluster_doc: unknown; in_cluster_doc: InClusterData | null };

const classRef = (cls: ConnectionPath["from"]): ClassRefView => ({ namespace: cls.namespace, labels: cls.labels === null ? null : { ...cls.labels }, pods: cls.count });

const admissionView = (admission: Admission): AdmissionView => ({
  rule: admission.rule ? formatRuleRef(admission.rule) : null,
  kind: admission.rule?.kind ?? null,
  reason: admission.reason,
  namespace: admission.namespace,
  ports: admission.ports,
  pairs: admission.pairs,
});

const changeView = (change: ClosingChange): ClosingChangeView => ({
  kind: change.kind,
  direction: change.direction,
  namespace: change.namespace,
  rule: change.rule ? formatRuleRef(change.rule) : null,
  text: change.text,
  closes: change.closes,
  manifest: change.manifest === undefined ? null : stringify(change.manifest, { lineWidth: 0 }),
});

/**
 * Why pods of namespace `from` reach pods of namespace `to` in the cluster's latest snapshot. A 404
 * for an unknown cluster, a cluster without in-cluster data, or a namespace that is not one of its
 * workload namespaces.
 */
export async function getReachabilityExplanation(
  db: Database,
  params: { clusterId: number; from: string; to: string },
  config: PostureConfig,
): Promise<ReachabilityExplanation> {
  const { clusterId, from, to } = params;
  if (!Number.isSafeInteger(clusterId) || clusterId < 1 || clusterId > MAX_INT4) throw new AppError("not-found", `cluster ${clusterId} does not exist`);
  const rows = await db.prisma.$queryRaw<SnapshotDocuments[]>`
    SELECT s.id AS snapshot_id, s.captured_at, s.has_in_cluster_data, cd.body AS cluster_doc, icd.body AS in_cluster_doc
      FROM clusters c
      ${Prisma.raw(latestSnapshotJoin("c", "s"))}
      LEFT JOIN raw_documents cd ON cd.hash = s.cluster_doc_hash
      LEFT JOIN raw_documents icd ON icd.hash = s.in_cluster_doc_hash
     WHERE c.id = ${clusterId}`;
  const row = rows[0];
  if (!row) throw new AppError("not-found", `cluster ${clusterId} does not exist`);
  if (!row.has_in_cluster_data || !row.in_cluster_doc || row.cluster_doc === null) {
    throw new AppError("not-found", `cluster ${clusterId} has no in-cluster data: who reaches whom is not known`);
  }
  const explanation = explainClusterConnection(row.cluster_doc, row.in_cluster_doc, { namespace: from }, { namespace: to }, config);
  if (!explanation) throw new AppError("not-found", `"${from}" or "${to}" is not a workload namespace of cluster ${clusterId}`);

  const smallest = explanation.smallestChange;
  const others = explanation.changes.filter((change) => change !== smallest);
  return {
    clusterId,
    snapshotId: row.snapshot_id.toString(),
    capturedAt: row.captured_at.toISOString(),
    from,
    to,
    connected: explanation.connected,
    ports: [...new Set(explanation.paths.flatMap((path) => path.ports))],
    pathCount: explanation.paths.length,
    paths: explanation.paths.slice(0, PATHS_SHOWN).map((path) => ({ from: classRef(path.from), to: classRef(path.to), ports: path.ports })),
    egress: explanation.egress.map(admissionView),
    ingress: explanation.ingress.map(admissionView),
    smallestChange: smallest ? changeView(smallest) : null,
    otherChanges: others.slice(0, CHANGES_SHOWN).map(changeView),
  };
}
