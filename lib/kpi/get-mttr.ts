import "server-only";
import type { Database } from "@/lib/db/client";
import { Prisma } from "@prisma/client";
import { groupKeySql, scopeFilterSql, type KpiGroupBy, type KpiScope } from "./scope";

export interface MttrRow {
  key: string;
  resolvedFindings: number;
  mttrHours: number | null;
  mttrMedianHours: number | null;
  openFindings: number;
}

type RawMttrRow = { key: string; resolved: bigint; mean_hours: number | null; median_hours: number | null; open: bigint };

/**
 * MTTR of NP-01 findings resolved in (from, to] (docs/design.md §5): a finding closed because its
 * cluster was deleted does not count; still-open findings are counted at `to`, waived ones left out.
 */
export async function getMttr(db: Database, params: { from: Date; to: Date; by: KpiGroupBy; scope: KpiScope }): Promise<MttrRow[]> {
  const to = Prisma.sql`${params.to}::timestamptz`;
  const from = Prisma.sql`${params.from}::timestamptz`;
  const key = groupKeySql(params.by, "f");
  const rows = await db.prisma.$queryRaw<RawMttrRow[]>(Prisma.sql`
    WITH resolved AS (
      SELECT ${key} AS key, extract(epoch FROM f.resolved_at - f.opened_at) / 3600.0 AS hours
        FROM findings f
       WHERE f.control_id = 'NP-01' AND f.resolution = 'passed'
         AND f.resolved_at > ${from} AND f.resolved_at <= ${to} AND ${scopeFilterSql(params.scope, "f")}
    ),
    open AS (
      SELECT ${key} AS key, count(*) AS open
        FROM findings f
       WHERE f.control_id = 'NP-01' AND f.opened_at <= ${to} AND (f.resolved_at IS NULL OR f.resolved_at > ${to})
         AND ${scopeFilterSql(params.scope, "f")}
         AND NOT EXISTS (SELECT 1 FROM waivers w WHERE w.finding_id = f.id
                          AND w.created_at <= ${to} AND w.expires_at > ${to} AND (w.revoked_at IS NULL OR w.revoked_at > ${to}))
       GROUP BY 1
    ),
    stats AS (
      SELECT key, count(*) AS resolved, avg(hours)::float8 AS mean_hours,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY hours)::float8 AS median_hours
        FROM resolved GROUP BY key
    )
    SELECT COALESCE(s.key, o.key) AS key, COALESCE(s.resolved, 0) AS resolved, s.mean_hours, s.median_hours, COALESCE(o.open, 0) AS open
      FROM stats s FULL JOIN open o ON o.key = s.key
     ORDER BY 1`);
  return rows.map((row) => ({
    key: row.key,
    resolvedFindings: Number(row.resolved),
    mttrHours: row.mean_hours === null ? null : Number(row.mean_hours),
    mttrMedianHours: row.median_hours === null ? null : Number(row.median_hours),
    openFindings: Number(row.open),
  }));
}
