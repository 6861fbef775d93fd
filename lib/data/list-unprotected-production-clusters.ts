import "server-only";
import type { Database } from "@/lib/db/client";
import { Prisma } from "@prisma/client";
import { scopeFilterSql, type KpiScope } from "@/lib/kpi/scope";

/** A production cluster without a network policy engine (NP-01 fails) at a time. */
export interface UnprotectedClusterRow {
  /** `clusters.id`: the cluster detail page is `/clusters/<id>`. */
  id: number;
  name: string;
  subscriptionId: string;
  subscriptionLabel: string;
  owner: string;
  /** "none" or "unknown:<value>" (docs/design.md §4.1). */
  engine: string;
  /** The literal `networkProfile.networkPolicy`, null when absent. */
  rawNetworkPolicy: string | null;
  allowAnyRules: number;
  /** Opening time of the NP-01 finding open at that time (ISO); null if none is recorded. */
  failingSince: string | null;
  /** True when that is the first run on record: the cluster may have lacked an engine for longer. */
  failingSinceFirstRun: boolean;
  /** Expiry of a waiver in force on that finding (ISO), else null. */
  waivedUntil: string | null;
}

/** The longest-failing of them and how many there are in all. */
export interface UnprotectedClusters {
  total: number;
  rows: UnprotectedClusterRow[];
}

/** What the Overview lists; the Clusters page (engine filter) has the rest. */
export const UNPROTECTED_LISTED = 10;

type RawRow = {
  total: bigint;
  id: number;
  name: string;
  subscription_id: string;
  subscription_label: string;
  owner: string;
  engine: string;
  raw_network_policy: string | null;
  allow_any_count: number;
  failing_since: Date | null;
  first_run: Date | null;
  waived_until: Date | null;
};

/**
 * Production clusters in scope at `asOf` whose NP-01 fails, the longest-failing first, at most
 * `limit` of them with the count of all. The engine setting comes from the latest snapshot at or
 * before `asOf`.
 */
export async function listUnprotectedProductionClusters(
  db: Database,
  params: { asOf: Date; scope: KpiScope; limit?: number },
): Promise<UnprotectedClusters> {
  const at = Prisma.sql`${params.asOf}::timestamptz`;
  const rows = await db.prisma.$queryRaw<RawRow[]>(Prisma.sql`
    SELECT count(*) OVER () AS total, c.id, c.name, pi.subscription_id, COALESCE(s.display_name, pi.subscription_id) AS subscription_label, pi.owner,
           snap.engine, snap.raw_network_policy, pi.allow_any_count, f.opened_at AS failing_since, wv.expires_at AS waived_until,
           (SELECT min(r.captured_at) FROM collection_runs r WHERE r.status = 'completed') AS first_run
      FROM posture_intervals pi
      JOIN clusters c ON c.id = pi.cluster_id
      LEFT JOIN subscriptions s ON s.id = pi.subscription_id
      CROSS JOIN LATERAL (
        SELECT sn.engine, sn.raw_network_policy FROM snapshots sn
         WHERE sn.cluster_id = pi.cluster_id AND sn.captured_at <= ${at}
         ORDER BY sn.captured_at DESC LIMIT 1) snap
      LEFT JOIN LATERAL (
        SELECT f.id, f.opened_at FROM findings f
         WHERE f.cluster_id = pi.cluster_id AND f.control_id = 'NP-01' AND f.opened_at <= ${at}
           AND (f.resolved_at IS NULL OR f.resolved_at > ${at})
         ORDER BY f.opened_at DESC LIMIT 1) f ON TRUE
      LEFT JOIN LATERAL (
        SELECT max(w.expires_at) AS expires_at FROM waivers w
         WHERE w.finding_id = f.id AND w.created_at <= ${at} AND w.expires_at > ${at} AND (w.revoked_at IS NULL OR w.revoked_at > ${at})) wv ON TRUE
     WHERE pi.production AND pi.np01 = 'fail'
       AND pi.valid_from <= ${at} AND (pi.valid_to IS NULL OR pi.valid_to > ${at})
       AND ${scopeFilterSql(params.scope, "pi")}
     ORDER BY f.opened_at ASC NULLS LAST, c.name, c.id
     LIMIT ${params.limit ?? UNPROTECTED_LISTED}`);
  const total = rows.length === 0 ? 0 : Number(rows[0].total);
  return { total, rows: rows.map((row) => ({
    id: row.id,
    name: row.name,
    subscriptionId: row.subscription_id,
    subscriptionLabel: row.subscription_label,
    owner: row.owner,
    engine: row.engine,
    rawNetworkPolicy: row.raw_network_policy,
    allowAnyRules: Number(row.allow_any_count),
    failingSince: row.failing_since?.toISOString() ?? null,
    failingSinceFirstRun: row.failing_since !== null && row.first_run !== null && row.failing_since.getTime() <= row.first_run.getTime(),
    waivedUntil: row.waived_until?.toISOString() ?? null,
  })) };
}
