import { Prisma } from "@prisma/client";
import { controlStatusOfSql } from "@/lib/db/control-columns";

/** Which clusters a KPI covers (docs/design.md §5): all, one subscription, one owner, or both filters at once. */
export interface KpiScope {
  subscriptionId?: string;
  owner?: string;
}

/** How KPIs are split into groups; each group's key is the subscription id, the owner, or "all". */
export type KpiGroupBy = "all" | "subscription" | "owner";

export const ALL_SCOPE: KpiScope = {};

/** The group key of a row of a table with `subscription_id` and `owner` columns. */
export function groupKeySql(by: KpiGroupBy, alias: string): Prisma.Sql {
  const table = Prisma.raw(alias);
  if (by === "subscription") return Prisma.sql`${table}.subscription_id`;
  if (by === "owner") return Prisma.sql`${table}.owner`;
  return Prisma.sql`'all'::text`;
}

export function scopeFilterSql(scope: KpiScope, alias: string): Prisma.Sql {
  const table = Prisma.raw(alias);
  const subscription = scope.subscriptionId ? Prisma.sql`${table}.subscription_id = ${scope.subscriptionId.toLowerCase()}` : Prisma.sql`TRUE`;
  const owner = scope.owner ? Prisma.sql`${table}.owner = ${scope.owner}` : Prisma.sql`TRUE`;
  return Prisma.sql`(${subscription} AND ${owner})`;
}

/** True when the waiver row `w` is in force at time `at` (an SQL expression). */
export function waiverActiveSql(at: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`w.created_at <= ${at} AND w.expires_at > ${at} AND (w.revoked_at IS NULL OR w.revoked_at > ${at})`;
}

/** True when interval `alias` fails the control the waiver row `w` names. */
export function waivedControlFailsSql(alias: string): Prisma.Sql {
  return Prisma.raw(`${controlStatusOfSql("w.control_id", alias)} = 'fail'`);
}

export function roundTo1(value: number | null): number | null {
  return value === null || !Number.isFinite(value) ? null : Math.round(value * 10) / 10;
}

export function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : roundTo1((part / whole) * 100);
}

/**
 * The sums behind lateral exposure (docs/design.md §5) over posture intervals `alias`, as
 * `with_exposure`, `exposure_weighted` and `exposure_pods`: clusters with an exposure, Σ exposure ×
 * pods and Σ pods. Summed as numeric (exact), so a trend's running sums equal the point-in-time ones.
 */
export function exposureSumsSql(alias: string): Prisma.Sql {
  const table = Prisma.raw(alias);
  return Prisma.sql`count(*) FILTER (WHERE ${table}.lateral_exposure IS NOT NULL) AS with_exposure,
           COALESCE(sum(${table}.lateral_exposure * ${table}.workload_pods), 0)::float8 AS exposure_weighted,
           COALESCE(sum(${table}.workload_pods) FILTER (WHERE ${table}.lateral_exposure IS NOT NULL), 0) AS exposure_pods`;
}

/** The pod-weighted mean lateral exposure from its sums, one decimal; null when no cluster has one. */
export function exposureOf(weighted: number, pods: number): number | null {
  return pods > 0 ? roundTo1(weighted / pods) : null;
}
