import { buildRemediation, buildRemediationBundle, CONTROL_IDS, getControl, isControlId, RULES_VERSION, type ClusterEvaluation, type ControlId } from "@/lib/posture";
import type { InClusterState } from "../list-clusters";
import { toAllowAnyRuleView } from "./allow-any-rule-view";
import { rulesChangedSince } from "./judge-again";
import { toPolicyObjectViews } from "./policy-objects-view";
import { toReachabilityView, type ReachabilityView } from "./reachability-view";
import type { ClusterFindingRow, ClusterRow } from "./read-cluster-rows";
import type { ClusterDetail, ClusterFinding, SourceFaultSummary } from "./types";

/** What the cluster page is built from: the rows read, today's judgement of the documents, and the freshness reads. */
export interface ClusterDetailInputs {
  row: ClusterRow;
  latestRun: { id: number; captured_at: Date } | null;
  findings: ClusterFindingRow[];
  /** The stored documents judged by today's rules; null when they no longer parse. */
  evaluation: ClusterEvaluation | null;
  inClusterState: InClusterState;
  seenInLatestRun: boolean;
  inClusterFault: SourceFaultSummary | null;
  failingSince: Date | null;
  listingFault: SourceFaultSummary | null;
  now: Date;
}

/** The cluster page's answer from what was read: no I/O here. */
export function buildClusterDetail(inputs: ClusterDetailInputs): ClusterDetail {
  const { row, latestRun, findings, evaluation, inClusterState, seenInLatestRun, inClusterFault, failingSince, listingFault, now } = inputs;
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
      rulesVersion: row.rules_version,
      currentRulesVersion: RULES_VERSION,
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
    allowAnyRules: row.allow_any_rules.map(toAllowAnyRuleView),
    advisories: row.advisories,
    policies: toPolicyObjectViews(row.policies ?? [], row.engine, row.engine_enabled),
    problems: row.problems ?? [],
    remediation: evaluation ? buildRemediation(evaluation) : [],
    bundle: evaluation ? buildRemediationBundle(evaluation) : null,
    rulesChanged: rulesChangedSince(row, evaluation),
    reachability: reachabilityOf(row, evaluation),
    findings: {
      total: Number(findings[0]?.total ?? 0),
      open: Number(findings[0]?.open ?? 0),
      items: findings.map(toFinding),
    },
  };
}

/** The stored reachability; for a snapshot recorded before it was stored, today's judgement of its documents. */
function reachabilityOf(row: ClusterRow, evaluation: ClusterEvaluation | null): ReachabilityView | null {
  if (!row.has_in_cluster_data) return null;
  if (row.reachability) return toReachabilityView(row.reachability, "stored");
  return evaluation?.reachability ? toReachabilityView(evaluation.reachability, "judged") : null;
}

function toFinding(row: ClusterFindingRow): ClusterFinding {
  const controlId = row.control_id as ControlId;
  return {
    id: row.id,
    controlId,
    controlTitle: isControlId(controlId) ? getControl(controlId).title : controlId,
    openedAt: row.opened_at.toISOString(),
    resolvedAt: row.resolved_at?.toISOString() ?? null,
    resolution: row.resolution,
    assignee: row.assignee,
    dueAt: row.due_at.toISOString(),
    status: row.status,
    slaBreached: row.sla_breached,
    waiver:
      row.waiver_reason !== null && row.waiver_expires_at
        ? { reason: row.waiver_reason, expiresAt: row.waiver_expires_at.toISOString(), createdBy: row.waiver_created_by ?? "" }
        : null,
  };
}
