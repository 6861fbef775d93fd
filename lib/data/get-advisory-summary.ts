import "server-only";
import type { Database } from "@/lib/db/client";
import { Prisma } from "@prisma/client";
import { scopeFilterSql, type KpiScope } from "@/lib/kpi/scope";
import { ADVISORY_IDS, type AdvisoryId } from "@/lib/posture/types";

export interface AdvisoryCluster {
  id: number;
  name: string;
  owner: string;
  production: boolean;
  /** The evaluator's message for this cluster (it names node counts, policy counts). */
  message: string;
}

export interface AdvisorySummary {
  id: AdvisoryId;
  severity: "warning" | "info";
  /** Every cluster in scope with this advisory. */
  count: number;
  /** The first of them (production first, then by name), at most CLUSTERS_LISTED. */
  clusters: AdvisoryCluster[];
}

/** Enough to act on from the Overview; the Clusters page lists them all (its advisory filter). */
export const CLUSTERS_LISTED = 50;

type RawRow = { advisory_id: string; severity: string; message: string; id: number; name: string; owner: string; production: boolean; total: bigint };

const SEVERITY: Record<AdvisoryId, "warning" | "info"> = {
  "npm-windows": "warning",
  "npm-retirement": "info",
  "npm-large-cluster": "warning",
  "policies-not-enforced": "warning",
  "cilium-policies-not-enforced": "warning",
  "calico-policies-not-enforced": "warning",
  "admin-policies-not-enforced": "info",
  "fqdn-without-acns": "warning",
  "kubenet-retirement": "info",
};

/**
 * Advisories of the clusters in scope at `asOf`, as judged on each cluster's latest snapshot at or
 * before `asOf`. Every advisory is listed, with a zero count when no cluster has it. Counted with one
 * scan of the posture intervals in force (they carry their snapshots' advisory ids); only the listed
 * clusters open their evaluation for its message: at 10,000 clusters one advisory can cover
 * thousands of them.
 */
export async function getAdvisorySummary(db: Database, params: { asOf: Date; scope: KpiScope }): Promise<AdvisorySummary[]> {
  const at = Prisma.sql`${params.asOf}::timestamptz`;
  const rows = await db.prisma.$queryRaw<RawRow[]>(Prisma.sql`
    WITH found AS (
      SELECT a.id AS advisory_id, pi.cluster_id, pi.owner, pi.production
        FROM posture_intervals pi
        CROSS JOIN LATERAL unnest(pi.advisory_ids) AS a(id)
       WHERE pi.valid_from <= ${at} AND (pi.valid_to IS NULL OR pi.valid_to > ${at}) AND cardinality(pi.advisory_ids) > 0
         AND ${scopeFilterSql(params.scope, "pi")}
    ),
    ranked AS (
      SELECT found.*, c.name, count(*) OVER (PARTITION BY found.advisory_id) AS total,
             row_number() OVER (PARTITION BY found.advisory_id ORDER BY found.production DESC, c.name, c.id) AS position
        FROM found JOIN clusters c ON c.id = found.cluster_id
    )
    SELECT r.advisory_id, COALESCE(msg.severity, 'warning') AS severity, COALESCE(msg.message, '') AS message,
           r.cluster_id AS id, r.name, r.owner, r.production, r.total
      FROM ranked r
      LEFT JOIN LATERAL (
        SELECT sn.evaluation_hash FROM snapshots sn
         WHERE sn.cluster_id = r.cluster_id AND sn.captured_at <= ${at}
         ORDER BY sn.captured_at DESC LIMIT 1) snap ON TRUE
      LEFT JOIN evaluations e ON e.hash = snap.evaluation_hash
      LEFT JOIN LATERAL (
        SELECT a.value->>'severity' AS severity, a.value->>'message' AS message
          FROM jsonb_array_elements(CASE WHEN jsonb_typeof(e.advisories) = 'array' THEN e.advisories ELSE '[]'::jsonb END) AS a(value)
         WHERE a.value->>'id' = r.advisory_id LIMIT 1) msg ON TRUE
     WHERE r.position <= ${CLUSTERS_LISTED}
     ORDER BY r.advisory_id, r.position`);
  const byId = new Map<AdvisoryId, AdvisorySummary>(ADVISORY_IDS.map((id) => [id, { id, severity: SEVERITY[id], count: 0, clusters: [] }]));
  for (const row of rows) {
    const summary = byId.get(row.advisory_id as AdvisoryId);
    // An advisory id this build does not know (newer evaluator) is skipped rather than mislabelled.
    if (!summary) continue;
    summary.count = Number(row.total);
    summary.clusters.push({ id: row.id, name: row.name, owner: row.owner, production: row.production, message: row.message });
  }
  return [...byId.values()];
}
