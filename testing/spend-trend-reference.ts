// The spend trend as it was computed before the rollup (issue 20): every cost of the window joined to
// the posture interval in force at the end of its day. Kept as the reference the rollup-based spend
// trend must equal (lib/kpi/spend-rollup.test.ts) and as the bench's "before".
import type { Database } from "@/lib/db/client";
import { getSpendTrend, spendRowsSql, type SpendTrendQuery } from "@/lib/kpi/get-spend-kpis";

const DAY_MS = 86_400_000;

export const costJoinSpendTrendSql: SpendTrendQuery = ({ fromDay, toDay, by, scope }) =>
  spendRowsSql({ fromDay, toDay, asOf: new Date(Date.parse(`${toDay}T00:00:00Z`) + DAY_MS), by, scope, perDay: true });

/** The spend trend with its per-day rows from every cost, not the rollup. */
export function getSpendTrendFromCosts(db: Database, params: Parameters<typeof getSpendTrend>[1]): ReturnType<typeof getSpendTrend> {
  return getSpendTrend(db, params, costJoinSpendTrendSql);
}
