import "server-only";
import { stringify } from "yaml";
import type { Database } from "@/lib/db/client";
import { CONTROL_IDS } from "@/lib/clusters/list-options";
import { fromStoredStatus, type StoredStatus } from "@/lib/collector/snapshot-row";
import {
  ALLOW_ANY_CLASS_ADVICE,
  buildRemediation,
  evaluateCluster,
  getControl,
  type Advisory,
  type AllowAnyClass,
  type AllowAnyRule,
  type ClusterEvaluation,
  type ControlId,
  type ControlResult,
  type InClusterData,
  type NamespaceCoverage,
  type PostureConfig,
  type RemediationItem,
} from "@/lib/posture";
import type { InClusterState } from "./list-clusters";

/** clusters.id is an int4: anything larger names no cluster. */
const MAX_INT4 = 2_147_483_647;

export interface SourceFaultSummary {
  cause: string;
  message: string;
}

export interface ClusterDetail {
  /** When this answer was put together (durations of open findings run to here). */
  asOf: string;
  cluster: {
    id: number;
    armId: string;
    name: string;
    resourceGroup: string;
    subscriptionId: string;
    subscriptionName: string | null;
    location: string | null;
    owner: string;
    production: boolean;
    firstSeenAt: string;
    lastSeenAt: string;
    deletedAt: string | null;
    engine: string;
    engineEnabled: boolean;
    rawNetworkPolicy: string | null;
    networkPlugin: string | null;
    networkPluginMode: string | null;
    networkDataplane: string | null;
    podLinkLocalAccess: string | null;
    nodeCount: number;
    kubernetesVersion: string | null;
    hasWindowsPool: boolean | null;
    /** Tags as the source sent them (user-supplied text). */
    tags: { key: string; value: string }[];
  };
  snapshot: {
    id: string;
    runId: number;
    capturedAt: string;
    controlsPassed: number;
    controlsFailed: number;
    controlsNa: number;
    allowAnyCount: number;
  };
  /** What the page knows and how old it is (DESIGN.md §7: carried state is shown as such). */
  freshness: {
    latestRunAt: string | null;
    /** False when the latest completed run did not list the cluster (its snapshot is older). */
    seenInLatestRun: boolean;
    /** Why the latest run did not list it, when its subscription's listing failed. */
    listingFault: SourceFaultSummary | null;
    inCluster: {
      state: InClusterState;
      /** When the objects shown were read (the snapshot time when read in that run). */
      capturedAt: string | null;
      /** First run in the current stretch without a fresh read (carried or none). */
      failingSince: string | null;
      /** The in-cluster fault recorded by the snapshot's run, if any. */
      fault: SourceFaultSummary | null;
    };
  };
  controls: (ControlResult & { title: string; description: string })[];
  namespaces: NamespaceCoverage[];
  allowAnyRules: {
    namespace: string | null;
    policy: string;
    direction: "ingress" | "egress";
    index: number;
    class: AllowAnyClass;
    problem: string;
    fix: string;
    /** The offending rule as YAML text, under its direction. */
    yaml: string;
  }[];
  advisories: Advisory[];
  remediation: RemediationItem[];
  /** True when today's rules judge the stored documents differently from the stored snapshot. */
  rulesChanged: boolean;
  findings: {
    total: number;
    open: number;
    items: ClusterFinding[];
  };
}

export interface ClusterFinding {
  id: number;
  controlId: ControlId;
  controlTitle: string;
  openedAt: string;
  resolvedAt: string | null;
  resolution: "passed" | "deleted" | null;
  assignee: string | null;
  dueAt: string | null;
  waiver: { reason: string; expiresAt: string; createdBy: string } | null;
}

type MainRow = {
  id: number;
  key: string;
  arm_id: string;
  name: string;
  resource_group: string;
  subscription_id: string;
  subscription_name: string | null;
  location: string | null;
  owner: string;
  production: boolean;
  first_seen_at: Date;
  last_seen_at: Date;
  deleted_at: Date | null;
  snapshot_id: bigint;
  run_id: number;
  captured_at: Date;
  engine: string;
  engine_enabled: boolean;
  raw_network_policy: string | null;
  network_plugin: string | null;
  network_plugin_mode: string | null;
  network_dataplane: string | null;
  pod_link_local_access: string | null;
  node_count: number;
  has_in_cluster_data: boolean;
  in_cluster_captured_at: Date | null;
  statuses: StoredStatus[];
  controls_passed: number;
  controls_failed: number;
  allow_any_count: number;
  controls: ControlResult[];
  allow_any_rules: AllowAnyRule[];
  namespaces: NamespaceCoverage[];
  advisories: Advisory[];
  cluster_doc: unknown;
  in_cluster_doc: InClusterData | null;
};

type FindingRow = {
  id: number;
  control_id: string;
  opened_at: Date;
  resolved_at: Date | null;
  resolution: "passed" | "deleted" | null;
  assignee: string | null;
  due_at: Date | null;
  waiver_reason: string | null;
  waiver_expires_at: Date | null;
  waiver_created_by: string | null;
  total: bigint;
  open: bigint;
};

export const FINDINGS_SHOWN = 200;

/**
 * Everything the cluster page shows, from the latest snapshot; remediation comes from judging the
 * stored source documents again, so it carries the full evaluation (IMDS rules, facts). Null when
 * no such cluster exists.
 */
export async function getClusterDetail(db: Database, id: number, config: PostureConfig, now: Date = new Date()): Promise<ClusterDetail | null> {
  if (!Number.isSafeInteger(id) || id < 1 || id > MAX_INT4) return null;
  const [rows, latestRuns, findingRows] = await Promise.all([
    db.prisma.$queryRaw<MainRow[]>`
      SELECT c.id, c.key, c.arm_id, c.name, c.resource_group, c.subscription_id, sub.display_name AS subscription_name,
             c.location, c.owner, c.production, c.first_seen_at, c.last_seen_at, c.deleted_at,
             s.id AS snapshot_id, s.run_id, s.captured_at, s.engine, s.engine_enabled, s.raw_network_policy, s.network_plugin,
             s.network_plugin_mode, s.network_dataplane, s.pod_link_local_access, s.node_count, s.has_in_cluster_data,
             s.in_cluster_captured_at, ARRAY[s.np01, s.np02, s.np03, s.np04, s.np05, s.np06, s.np07]::text[] AS statuses,
             s.controls_passed, s.controls_failed, s.allow_any_count, e.controls, e.allow_any_rules, e.namespaces, e.advisories,
             cd.body AS cluster_doc, icd.body AS in_cluster_doc
        FROM clusters c
        JOIN subscriptions sub ON sub.id = c.subscription_id
        JOIN snapshots s ON s.id = c.latest_snapshot_id
        JOIN evaluations e ON e.hash = s.evaluation_hash
        LEFT JOIN raw_documents cd ON cd.hash = s.cluster_doc_hash
        LEFT JOIN raw_documents icd ON icd.hash = s.in_cluster_doc_hash
       WHERE c.id = ${id}`,
    db.prisma.$queryRaw<{ id: number; captured_at: Date }[]>`
      SELECT id, captured_at FROM collection_runs WHERE status = 'completed' ORDER BY captured_at DESC, id DESC LIMIT 1`,
    db.prisma.$queryRaw<FindingRow[]>`
      SELECT f.id, f.control_id, f.opened_at, f.resolved_at, f.resolution::text AS resolution, f.assignee, f.due_at,
             w.reason AS waiver_reason, w.expires_at AS waiver_expires_at, w.created_by AS waiver_created_by,
             count(*) OVER () AS total, count(*) FILTER (WHERE f.resolved_at IS NULL) OVER () AS open
        FROM findings f
        LEFT JOIN LATERAL (
          SELECT reason, expires_at, created_by FROM waivers w
           WHERE w.finding_id = f.id AND w.revoked_at IS NULL AND w.created_at <= ${now} AND w.expires_at > ${now}
           ORDER BY w.created_at DESC LIMIT 1
        ) w ON f.resolved_at IS NULL
       WHERE f.cluster_id = ${id}
       ORDER BY (f.resolved_at IS NULL) DESC, f.opened_at DESC, f.control_id
       LIMIT ${FINDINGS_SHOWN}`,
  ]);
  const row = rows[0];
  if (!row) return null;
  const latestRun = latestRuns[0] ?? null;
  const inClusterState: InClusterState = !row.has_in_cluster_data ? "none" : row.in_cluster_captured_at ? "carried" : "read";
  const seenInLatestRun = latestRun === null || latestRun.id === row.run_id;

  const [inClusterFault, failingSince, listingFault] = await Promise.all([
    inClusterState === "read" ? null : findInClusterFault(db, row.run_id, row.key),
    inClusterState === "read" ? null : findStretchWithoutFreshRead(db, row.id),
    seenInLatestRun || row.deleted_at || !latestRun ? null : findListingFault(db, latestRun.id, row.subscription_id),
  ]);

  const evaluation = reEvaluate(row, config);
  const storedStatuses = row.statuses.map(fromStoredStatus);
  const rulesChanged = evaluation !== null && evaluation.controls.some((control, index) => control.status !== storedStatuses[index]);
  const facts = evaluation?.facts ?? null;

  return {
    asOf: now.toISOString(),
    cluster: {
      id: row.id,
      armId: row.arm_id,
      name: row.name,
      resourceGroup: row.resource_group,
      subscriptionId: row.subscription_id,
      subscriptionName: row.subscription_name,
      location: row.location,
      owner: row.owner,
      production: row.production,
      firstSeenAt: row.first_seen_at.toISOString(),
      lastSeenAt: row.last_seen_at.toISOString(),
      deletedAt: row.deleted_at?.toISOString() ?? null,
      engine: row.engine,
      engineEnabled: row.engine_enabled,
      rawNetworkPolicy: row.raw_network_policy,
      networkPlugin: row.network_plugin,
      networkPluginMode: row.network_plugin_mode,
      networkDataplane: row.network_dataplane,
      podLinkLocalAccess: row.pod_link_local_access,
      nodeCount: row.node_count,
      kubernetesVersion: facts?.kubernetesVersion ?? null,
      hasWindowsPool: facts?.hasWindowsPool ?? null,
      tags: Object.entries(facts?.tags ?? {})
        .map(([key, value]) => ({ key, value }))
        .sort((a, b) => a.key.localeCompare(b.key)),
    },
    snapshot: {
      id: row.snapshot_id.toString(),
      runId: row.run_id,
      capturedAt: row.captured_at.toISOString(),
      controlsPassed: row.controls_passed,
      controlsFailed: row.controls_failed,
      controlsNa: CONTROL_IDS.length - row.controls_passed - row.controls_failed,
      allowAnyCount: row.allow_any_count,
    },
    freshness: {
      latestRunAt: latestRun?.captured_at.toISOString() ?? null,
      seenInLatestRun,
      listingFault,
      inCluster: {
        state: inClusterState,
        capturedAt: inClusterState === "none" ? null : (row.in_cluster_captured_at ?? row.captured_at).toISOString(),
        failingSince: failingSince?.toISOString() ?? null,
        fault: inClusterFault,
      },
    },
    controls: row.controls.map((control) => {
      const definition = getControl(control.id);
      return { ...control, title: definition.title, description: definition.description };
    }),
    namespaces: row.namespaces,
    allowAnyRules: row.allow_any_rules.map((rule) => ({
      namespace: rule.namespace,
      policy: rule.policy,
      direction: rule.direction,
      index: rule.index,
      class: rule.class,
      problem: ALLOW_ANY_CLASS_ADVICE[rule.class]?.problem ?? "",
      fix: ALLOW_ANY_CLASS_ADVICE[rule.class]?.fix ?? "",
      yaml: stringify({ [rule.direction]: [rule.rule ?? {}] }, { lineWidth: 0 }),
    })),
    advisories: row.advisories,
    remediation: evaluation ? buildRemediation(evaluation) : [],
    rulesChanged,
    findings: {
      total: Number(findingRows[0]?.total ?? 0),
      open: Number(findingRows[0]?.open ?? 0),
      items: findingRows.map(toFinding),
    },
  };
}

/** The stored source documents judged by today's rules; null if they no longer parse. */
function reEvaluate(row: MainRow, config: PostureConfig): ClusterEvaluation | null {
  if (row.cluster_doc === null || row.cluster_doc === undefined) return null;
  try {
    return evaluateCluster(row.cluster_doc, row.in_cluster_doc ?? null, config);
  } catch {
    return null;
  }
}

async function findInClusterFault(db: Database, runId: number, clusterKey: string): Promise<SourceFaultSummary | null> {
  const rows = await db.prisma.$queryRaw<SourceFaultSummary[]>`
    SELECT cause, message FROM run_errors WHERE run_id = ${runId} AND scope = 'in-cluster' AND target = ${clusterKey} ORDER BY id LIMIT 1`;
  return rows[0] ?? null;
}

async function findListingFault(db: Database, runId: number, subscriptionId: string): Promise<SourceFaultSummary | null> {
  const rows = await db.prisma.$queryRaw<SourceFaultSummary[]>`
    SELECT cause, message FROM run_errors WHERE run_id = ${runId} AND scope = 'subscription' AND target = ${subscriptionId} ORDER BY id LIMIT 1`;
  return rows[0] ?? null;
}

/** The first snapshot after the last one whose in-cluster objects were read in its own run. */
async function findStretchWithoutFreshRead(db: Database, clusterId: number): Promise<Date | null> {
  const rows = await db.prisma.$queryRaw<{ since: Date | null }[]>`
    SELECT min(s.captured_at) AS since
      FROM snapshots s
     WHERE s.cluster_id = ${clusterId}
       AND s.captured_at > COALESCE(
             (SELECT max(f.captured_at) FROM snapshots f
               WHERE f.cluster_id = ${clusterId} AND f.has_in_cluster_data AND f.in_cluster_captured_at IS NULL),
             '-infinity'::timestamptz)`;
  return rows[0]?.since ?? null;
}

function toFinding(row: FindingRow): ClusterFinding {
  const controlId = row.control_id as ControlId;
  return {
    id: row.id,
    controlId,
    controlTitle: CONTROL_IDS.includes(controlId) ? getControl(controlId).title : controlId,
    openedAt: row.opened_at.toISOString(),
    resolvedAt: row.resolved_at?.toISOString() ?? null,
    resolution: row.resolution,
    assignee: row.assignee,
    dueAt: row.due_at?.toISOString() ?? null,
    waiver:
      row.waiver_reason !== null && row.waiver_expires_at
        ? { reason: row.waiver_reason, expiresAt: row.waiver_expires_at.toISOString(), createdBy: row.waiver_created_by ?? "" }
        : null,
  };
}
