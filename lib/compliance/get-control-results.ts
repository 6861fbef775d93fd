import "server-only";
import { Prisma } from "@prisma/client";
import type { Database } from "@/lib/db/client";
import { controlStatusArraySql, fromStoredStatus, type StoredStatus } from "@/lib/db/control-columns";
import { waiverActiveSql } from "@/lib/kpi/scope";
import { CONTROL_IDS, getControl, type ControlId } from "@/lib/posture/control-catalogue";
import type { ControlEvidence, ControlResult, ControlStatus } from "@/lib/posture/types";
import { complianceScopeSql, type ComplianceScope } from "./compliance-scope";
import { controlOutcome, type ControlOutcome } from "./requirement-outcome";

/** A waiver in force at the as-of time, as the audit trail recorded it. */
export interface WaiverAtTime {
  id: number;
  findingId: number;
  reason: string;
  /** Who waived it (the approver). */
  approvedBy: string;
  approvedAt: string;
  expiresAt: string;
}

/** The finding open for a failing control at the as-of time. */
export interface FindingAtTime {
  id: number;
  openedAt: string;
  slaDueAt: string;
}

/** A control's outcome at the as-of time, without the evaluator's words (the evidence pack reads those page by page). */
export interface ControlOutcomeAtTime {
  id: ControlId;
  name: string;
  status: ControlStatus;
  outcome: ControlOutcome;
  waiver: WaiverAtTime | null;
  finding: FindingAtTime | null;
}

export interface ControlResultAtTime extends ControlOutcomeAtTime {
  /** The evaluator's sentence, as judged for the snapshot in force. */
  reason: string;
  evidence: ControlEvidence;
}

/** What the evaluator said of one control: the part of `evaluations.controls` the results show. */
export type ControlJudgement = Pick<ControlResult, "reason" | "evidence">;
/** Evaluation hash → control id → judgement. */
export type Judgements = ReadonlyMap<string, ReadonlyMap<string, ControlJudgement>>;

/** One cluster as it stood at the as-of time: its snapshot in force, the documents behind it, every control. */
export interface ClusterOutcomesAtTime<Control extends ControlOutcomeAtTime = ControlOutcomeAtTime> {
  clusterId: number;
  /** The ARM resource id, lower-cased (the cluster's key). */
  key: string;
  name: string;
  resourceGroup: string;
  subscriptionId: string;
  owner: string;
  production: boolean;
  engine: string;
  snapshot: {
    id: string;
    runId: number;
    capturedAt: string;
    rulesVersion: number;
    hasInClusterData: boolean;
    /** When the in-cluster objects judged were read, if an earlier run's (a failed read carries them forward). */
    inClusterCapturedAt: string | null;
  };
  /** SHA-256 of the stored documents (raw_documents, evaluations) the results come from. */
  documents: { clusterSha256: string; inClusterSha256: string | null; evaluationSha256: string };
  /** Every control of the catalogue, in catalogue order. */
  controls: Control[];
}

/** A cluster with its results and their evidence. */
export type ClusterResultsAtTime = ClusterOutcomesAtTime<ControlResultAtTime>;

type ClusterRow = {
  cluster_id: number;
  key: string;
  name: string;
  resource_group: string;
  subscription_id: string;
  owner: string;
  production: boolean;
  statuses: StoredStatus[];
  snapshot_id: bigint;
  run_id: number;
  captured_at: Date;
  rules_version: number;
  engine: string;
  has_in_cluster_data: boolean;
  in_cluster_captured_at: Date | null;
  evaluation_hash: string;
  cluster_doc_hash: string;
  in_cluster_doc_hash: string | null;
};

type WaiverRow = { id: number; finding_id: number; cluster_id: number; control_id: string; reason: string; created_by: string; created_at: Date; expires_at: Date };
type FindingRow = { id: number; cluster_id: number; control_id: string; opened_at: Date; sla_due_at: Date };

/**
 * Every cluster in scope at `at` with its control results and their evidence (the Compliance page).
 * Sorted by cluster key.
 */
export async function getControlResults(db: Database, params: { at: Date; scope: ComplianceScope }): Promise<ClusterResultsAtTime[]> {
  const clusters = await getControlOutcomes(db, params);
  const judgements = await readJudgements(db, clusters.map((cluster) => cluster.documents.evaluationSha256));
  return clusters.map((cluster) => withJudgements(cluster, judgements));
}

/**
 * Every cluster in scope at `at` with its control outcomes, waivers and findings, without the
 * evidence. The clusters and their statuses are the posture intervals containing `at` (the KPIs' own
 * definition, docs/design.md §3, §5); the evidence is the evaluation of the latest snapshot at or
 * before `at` (`documents.evaluationSha256`), which the interval stands for. Waivers and findings are
 * those in force at `at`. Sorted by cluster key.
 */
export async function getControlOutcomes(db: Database, params: { at: Date; scope: ComplianceScope }): Promise<ClusterOutcomesAtTime[]> {
  const at = Prisma.sql`${params.at}::timestamptz`;
  const rows = await db.prisma.$queryRaw<ClusterRow[]>(Prisma.sql`
    SELECT pi.cluster_id, c.key, c.name, c.resource_group, pi.subscription_id, pi.owner, pi.production,
           ${Prisma.raw(controlStatusArraySql("pi"))} AS statuses,
           s.id AS snapshot_id, s.run_id, s.captured_at, s.rules_version, s.engine, s.has_in_cluster_data,
           s.in_cluster_captured_at, s.evaluation_hash, s.cluster_doc_hash, s.in_cluster_doc_hash
      FROM posture_intervals pi
      JOIN clusters c ON c.id = pi.cluster_id
      CROSS JOIN LATERAL (
        SELECT s.* FROM snapshots s
         WHERE s.cluster_id = pi.cluster_id AND s.captured_at <= ${at}
         ORDER BY s.captured_at DESC, s.id DESC
         LIMIT 1) s
     WHERE pi.valid_from <= ${at} AND (pi.valid_to IS NULL OR pi.valid_to > ${at})
       AND ${complianceScopeSql(params.scope, "pi")}
     ORDER BY c.key COLLATE "C"`);
  if (rows.length === 0) return [];
  const clusterIds = rows.map((row) => row.cluster_id);
  const [waivers, findings] = await Promise.all([
    db.prisma.$queryRaw<WaiverRow[]>(Prisma.sql`
      SELECT DISTINCT ON (w.cluster_id, w.control_id) w.id, w.finding_id, w.cluster_id, w.control_id, w.reason, w.created_by, w.created_at, w.expires_at
        FROM waivers w
       WHERE w.cluster_id = ANY(${clusterIds}) AND ${waiverActiveSql(at)}
       ORDER BY w.cluster_id, w.control_id, w.created_at DESC, w.id DESC`),
    db.prisma.$queryRaw<FindingRow[]>(Prisma.sql`
      SELECT DISTINCT ON (f.cluster_id, f.control_id) f.id, f.cluster_id, f.control_id, f.opened_at, f.sla_due_at
        FROM findings f
       WHERE f.cluster_id = ANY(${clusterIds}) AND f.opened_at <= ${at}
         AND (f.resolved_at IS NULL OR f.resolved_at > ${at}) AND f.resolution IS DISTINCT FROM 'superseded'
       ORDER BY f.cluster_id, f.control_id, f.opened_at DESC, f.id DESC`),
  ]);
  const pairKey = (clusterId: number, controlId: string) => `${clusterId}\u0000${controlId}`;
  const waiverByPair = new Map(waivers.map((row) => [pairKey(row.cluster_id, row.control_id), row]));
  const findingByPair = new Map(findings.map((row) => [pairKey(row.cluster_id, row.control_id), row]));

  return rows.map((row): ClusterOutcomesAtTime => {
    const controls = CONTROL_IDS.map((id, index): ControlOutcomeAtTime => {
      const status = fromStoredStatus(row.statuses[index]);
      const waiverRow = status === "fail" ? waiverByPair.get(pairKey(row.cluster_id, id)) : undefined;
      const findingRow = status === "fail" ? findingByPair.get(pairKey(row.cluster_id, id)) : undefined;
      return {
        id,
        name: getControl(id).name,
        status,
        outcome: controlOutcome(status, waiverRow !== undefined),
        waiver: waiverRow
          ? { id: waiverRow.id, findingId: waiverRow.finding_id, reason: waiverRow.reason, approvedBy: waiverRow.created_by, approvedAt: waiverRow.created_at.toISOString(), expiresAt: waiverRow.expires_at.toISOString() }
          : null,
        finding: findingRow ? { id: findingRow.id, openedAt: findingRow.opened_at.toISOString(), slaDueAt: findingRow.sla_due_at.toISOString() } : null,
      };
    });
    return {
      clusterId: row.cluster_id,
      key: row.key,
      name: row.name,
      resourceGroup: row.resource_group,
      subscriptionId: row.subscription_id,
      owner: row.owner,
      production: row.production,
      engine: row.engine,
      snapshot: {
        id: row.snapshot_id.toString(),
        runId: row.run_id,
        capturedAt: row.captured_at.toISOString(),
        rulesVersion: row.rules_version,
        hasInClusterData: row.has_in_cluster_data,
        inClusterCapturedAt: row.in_cluster_captured_at?.toISOString() ?? null,
      },
      documents: { clusterSha256: row.cluster_doc_hash, inClusterSha256: row.in_cluster_doc_hash, evaluationSha256: row.evaluation_hash },
      controls,
    };
  });
}

/**
 * The evaluator's reasons and evidence of the given evaluations (hash → control id → judgement).
 * Straight through the pool as text: one JSON.parse per evaluation, without Prisma's row mapping.
 */
export async function readJudgements(db: Database, hashes: readonly string[]): Promise<Judgements> {
  const distinct = [...new Set(hashes)];
  const judgements = new Map<string, Map<string, ControlJudgement>>();
  if (distinct.length === 0) return judgements;
  const { rows } = await db.pool.query<{ hash: string; controls: string }>("SELECT hash, controls::text AS controls FROM evaluations WHERE hash = ANY($1::text[])", [distinct]);
  for (const row of rows) {
    const controls = JSON.parse(row.controls) as ControlResult[];
    judgements.set(row.hash, new Map(controls.map((control) => [control.id, { reason: control.reason, evidence: control.evidence }])));
  }
  return judgements;
}

/** A cluster's outcomes with the evaluator's words; the keys in the order controls.json has always had. */
export function withJudgements(cluster: ClusterOutcomesAtTime, judgements: Judgements): ClusterResultsAtTime {
  const judged = judgements.get(cluster.documents.evaluationSha256);
  return {
    ...cluster,
    controls: cluster.controls.map((control): ControlResultAtTime => {
      const result = judged?.get(control.id);
      return {
        id: control.id,
        name: control.name,
        status: control.status,
        outcome: control.outcome,
        reason: result?.reason ?? "",
        evidence: result?.evidence ?? {},
        waiver: control.waiver,
        finding: control.finding,
      };
    }),
  };
}
