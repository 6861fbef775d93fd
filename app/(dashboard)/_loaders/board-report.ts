import "server-only";
import { toKpiScope, type ScopeParams } from "@/lib/api/params";
import { getDatabase } from "@/lib/db/client";
import { getKpisCached, getRiskRankingCached, getTrendSeriesCached } from "@/lib/data/cached-figures";
import { getFilterOptions } from "@/lib/data/get-filter-options";
import { getBoardReport } from "@/lib/report/get-board-report";

/** The board report's data and the scope in words (subscription name first, id second). */
export async function loadBoardReport(asOf: Date, scope: ScopeParams) {
  const db = await getDatabase();
  // The KPI cache serves the KPIs, the trend and the risk ranking: a board report usually follows a
  // look at the Overview, in the same scope, and is opened again (and printed) as it is discussed.
  const sources = { kpis: getKpisCached, trend: getTrendSeriesCached, risk: getRiskRankingCached };
  const [report, options] = await Promise.all([getBoardReport(db, { asOf, scope: toKpiScope(scope) }, sources), getFilterOptions(db)]);
  const subscription = scope.subscription ? options.subscriptions.find((item) => item.id === scope.subscription) : undefined;
  const parts = [
    scope.subscription ? `subscription ${subscription?.displayName ? `${subscription.displayName} (${scope.subscription})` : scope.subscription}` : null,
    scope.owner ? `owner ${scope.owner}` : null,
  ].filter(Boolean);
  return { report, scopeText: parts.length ? parts.join(" and ") : "All subscriptions and owners" };
}
