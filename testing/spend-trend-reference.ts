// The spend trend and the period spend KPIs as they were computed before the rollup (issue 20): every
// cost of the window joined to the posture interval in force at the end of its day. Kept as the
// reference the rollup-based answers must equal (lib/kpi/spend-rollup.test.ts) and as the benches'
// "before".
import { Prisma } from "@prisma/client";
import type { Database } from "@/lib/db/client";
import { addSpendSums, emptySpendSums, getSpendTrend, spendFigures, spendPeriod, spendRowsSql, type SpendFigures, type SpendSums, type SpendTrendQuery } from "@/lib/kpi/get-spend-kpis";
import { groupKeySql, scopeFilterSql, type KpiGroupBy, type KpiScope } from "@/lib/kpi/scope";

const DAY_MS = 86_400_000;

export const costJoinSpendTrendSql: SpendTrendQuery = ({ fromDay, toDay, by, scope }) =>
  spendRowsSql({ fromDay, toDay, asOf: new Date(Date.parse(`${toDay}T00:00:00Z`) + DAY_MS), by, scope, perDay: true });

/** The spend trend with its per-day rows from every cost, not the rollup. */
export function getSpendTrendFromCosts(db: Database, params: Parameters<typeof getSpendTrend>[1]): ReturnType<typeof getSpendTrend> {
  return getSpendTrend(db, params, costJoinSpendTrendSql);
}

/**
 * The spend KPIs of a period as they were computed before the rollup: one statement over every cost
 * of the period for the sums; the clusters with a cost counted by the plainest statement (every cost
 * of the period beside the interval holding the end of its day), distinct per group whatever their
 * currencies.
 */
export async function getSpendKpisFromCosts(db: Database, params: { asOf: Date; by: KpiGroupBy; scope: KpiScope }): Promise<Map<string, SpendFigures>> {
  const period = spendPeriod(params.asOf);
  const end = Prisma.sql`((cc.day + 1)::timestamp AT TIME ZONE 'UTC')`;
  const [rows, counts] = await Promise.all([
    db.prisma.$queryRaw<{ key: string; currency: string; total: number; at_risk: number; pass_weighted: number; pass_weight: number; cost_days: bigint }[]>(
      spendRowsSql({ ...period, asOf: params.asOf, by: params.by, scope: params.scope, perDay: false }),
    ),
    db.prisma.$queryRaw<{ key: string; clusters: bigint }[]>(Prisma.sql`
      SELECT ${groupKeySql(params.by, "pi")} AS key, count(DISTINCT pi.cluster_id) AS clusters
        FROM cluster_costs cc
        JOIN clusters cl ON cl.key = cc.cluster_key
        JOIN posture_intervals pi ON pi.cluster_id = cl.id AND pi.valid_from <= ${end} AND (pi.valid_to IS NULL OR pi.valid_to > ${end})
       WHERE cc.day BETWEEN ${period.fromDay}::date AND ${period.toDay}::date AND ${scopeFilterSql(params.scope, "pi")}
       GROUP BY 1`),
  ]);
  const sumsByKey = new Map<string, SpendSums>();
  for (const row of rows) {
    let sums = sumsByKey.get(row.key);
    if (!sums) sumsByKey.set(row.key, (sums = emptySpendSums()));
    addSpendSums(sums, { currency: row.currency, total: Number(row.total), atRisk: Number(row.at_risk), passWeighted: Number(row.pass_weighted), passWeight: Number(row.pass_weight), costDays: Number(row.cost_days) });
  }
  const clusters = new Map(counts.map((row) => [row.key, Number(row.clusters)]));
  return new Map([...sumsByKey].map(([key, sums]) => [key, spendFigures(sums, period, clusters.get(key) ?? 0)]));
}
