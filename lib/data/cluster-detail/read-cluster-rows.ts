import "server-only";
import { Prisma } from "@prisma/client";
import type { Database } from "@/lib/db/client";
import { controlStatusArraySql, type StoredStatus } from "@/lib/db/control-columns";
import { latestSnapshotJoin } from "@/lib/db/latest-snapshot";
import type { Advisory, AllowAnyRule, ControlResult, InClusterData, NamespaceCoverage, PolicyObjectSummary, PolicyProblem, ReachabilityDocument } from "@/lib/posture";
import { findingsBaseSql } from "@/lib/findings/list-findings";
import type { SourceFaultSummary } from "./types";

// The cluster page's reads: the cluster with its latest snapshot, evidence and source documents;
// the latest completed run; its findings; and, when its data is not fresh, why and since when.

/** clusters.id is an int4: anything larger names no cluster. */
export const MAX_INT4 = 2_147_483_647;

/** The page lists at most this many findings (open first, newest first). */
export const FINDINGS_SHOWN = 200;

export type ClusterRow = {
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
  /** Rules version 1 evidence has none (the migration stored `[]`). */
  policies: PolicyObjectSummary[];
  problems: PolicyProblem[];
  rules_version: number;
  /** The stored reachability (docs/design.md §4.5); null without in-cluster data or before it was stored. */
  reachability: ReachabilityDocument | null;
  cluster_doc: unknown;
  in_cluster_doc: InClusterData | null;
};

export type ClusterFindingRow = {
  id: number;
  control_id: string;
  opened_at: Date;
  resolved_at: Date | null;
  resolution: "passed" | "deleted" | null;
  assignee: string | null;
  /** The effective due date (agreed, else the SLA's). */
  due_at: Date;
  /** The same status words as the Findings page. */
  status: "open" | "overdue" | "waived" | "resolved";
  sla_breached: boolean;
  waiver_reason: string | null;
  waiver_expires_at: Date | null;
  waiver_created_by: string | null;
  total: bigint;
  open: bigint;
};

/** The cluster with its latest snapshot, the snapshot's evidence and the stored source documents; null when unknown. */
export async function readClusterRow(db: Database, id: number): Promise<ClusterRow | null> {
  const rows = await db.prisma.$queryRaw<ClusterRow[]>`
      SELECT c.id, c.key, c.arm_id, c.name, c.resource_group, c.subscription_id, sub.display_name AS subscription_name,
             c.location, c.owner, c.production, c.first_seen_at, s.captured_at AS last_seen_at, c.deleted_at,
             s.id AS snapshot_id, s.run_id, s.captured_at, s.engine, s.engine_enabled, s.raw_network_policy, s.network_plugin,
             s.network_plugin_mode, s.network_dataplane, s.pod_link_local_access, s.node_count, s.has_in_cluster_data,
             s.in_cluster_captured_at, ${Prisma.raw(controlStatusArraySql("s"))} AS statuses,
             s.controls_passed, s.controls_failed, s.allow_any_count, s.rules_version, e.controls, e.allow_any_rules, e.namespaces, e.advisories,
             e.policies, e.problems, rd.body AS reachability,
             cd.body AS cluster_doc, icd.body AS in_cluster_doc
        FROM clusters c
        JOIN subscriptions sub ON sub.id = c.subscription_id
        ${Prisma.raw(latestSnapshotJoin("c", "s"))}
        JOIN evaluations e ON e.hash = s.evaluation_hash
        LEFT JOIN reachability_documents rd ON rd.hash = s.reachability_hash
        LEFT JOIN raw_documents cd ON cd.hash = s.cluster_doc_hash
        LEFT JOIN raw_documents icd ON icd.hash = s.in_cluster_doc_hash
       WHERE c.id = ${id}`;
  return rows[0] ?? null;
}

/** The latest completed run of the whole store: what "seen in the latest run" is measured against. */
export async function readLatestCompletedRun(db: Database): Promise<{ id: number; captured_at: Date } | null> {
  const rows = await db.prisma.$queryRaw<{ id: number; captured_at: Date }[]>`
      SELECT id, captured_at FROM collection_runs WHERE status = 'completed' ORDER BY captured_at DESC, id DESC LIMIT 1`;
  return rows[0] ?? null;
}

/** The cluster's findings, open first and newest first, with the waiver in force at `now`. */
export async function readClusterFindings(db: Database, id: number, now: Date): Promise<ClusterFindingRow[]> {
  // The Findings page's own query, so status words and due dates agree with it.
  return db.prisma.$queryRaw<ClusterFindingRow[]>(Prisma.sql`
      WITH base AS (${findingsBaseSql(now)})
      SELECT id, control_id, opened_at, resolved_at, resolution, assignee, due_at, status, sla_breached,
             waiver_reason, waiver_expires_at, waiver_created_by,
             count(*) OVER () AS total, count(*) FILTER (WHERE status <> 'resolved') OVER () AS open
        FROM base
       WHERE cluster_id = ${id}
       ORDER BY (status <> 'resolved') DESC, opened_at DESC, control_id
       LIMIT ${FINDINGS_SHOWN}`);
}

export async function findInClusterFault(db: Database, runId: number, clusterKey: string): Promise<SourceFaultSummary | null> {
  const rows = await db.prisma.$queryRaw<SourceFaultSummary[]>`
    SELECT cause, message FROM run_errors WHERE run_id = ${runId} AND scope = 'in-cluster' AND target = ${clusterKey} ORDER BY id LIMIT 1`;
  return rows[0] ?? null;
}

export async function findListingFault(db: Database, runId: number, subscriptionId: string): Promise<SourceFaultSummary | null> {
  const rows = await db.prisma.$queryRaw<SourceFaultSummary[]>`
    SELECT cause, message FROM run_errors WHERE run_id = ${runId} AND scope = 'subscription' AND target = ${subscriptionId} ORDER BY id LIMIT 1`;
  return rows[0] ?? null;
}

/** The first snapshot after the last one whose in-cluster objects were read in its own run. */
export async function findStretchWithoutFreshRead(db: Database, clusterId: number): Promise<Date | null> {
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
