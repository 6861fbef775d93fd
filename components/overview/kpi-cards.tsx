"use client";

import { KpiCard, KpiCardSkeleton } from "@/components/kpi/kpi-card";
import { KPI_CARDS } from "@/components/kpi/kpi-meta";
import { EmptyState, ErrorState } from "@/components/ui/state-message";
import { useKpiTrendQuery } from "@/hooks/use-kpi-trend-query";
import { useKpisQuery } from "@/hooks/use-kpis-query";
import type { ScopeRequest } from "@/lib/api/query-keys";
import { toSearch } from "@/lib/api/fetch-json";
import { formatDay } from "@/lib/format";
import { kpiCardsRequests, SPARK_DAYS } from "./kpi-cards-requests";
import { NoDataHelp } from "./no-data-help";


/** The cards' grid: one column on phones, the five side by side on a wide screen and on paper. */
export const KPI_GRID = "grid grid-cols-1 gap-4 md:grid-cols-2 lg:grid-cols-3 xl:grid-cols-5 print:grid-cols-5";

/** The five KPIs at `asOf`, each against CHANGE_DAYS earlier and with its last SPARK_DAYS days (kpi-cards-requests.ts). */
export function KpiCards({ asOf, scope }: { asOf: string; scope: ScopeRequest }) {
  const requests = kpiCardsRequests(asOf, scope);
  const current = useKpisQuery(requests.current);
  const previous = useKpisQuery(requests.previous);
  const trend = useKpiTrendQuery(requests.trend);

  if (current.isPending) {
    return (
      <div className={KPI_GRID}>
        {KPI_CARDS.map((kpi) => (
          <KpiCardSkeleton key={kpi.id} title={kpi.title} />
        ))}
      </div>
    );
  }
  if (current.isError) return <ErrorState error={current.error} onRetry={() => void current.refetch()} />;
  const group = current.data.groups[0];
  if (!group || group.clusters === 0) {
    return (
      <EmptyState title={scope.subscription || scope.owner ? "No clusters match these filters at this time" : "No cluster data yet"}>
        {scope.subscription || scope.owner ? <p>Clear the filters, or pick another subscription or owner.</p> : <NoDataHelp />}
      </EmptyState>
    );
  }
  const previousGroup = previous.data?.groups[0];
  const trendValues = trend.data?.groups[0]?.values;
  const trendLabel = trend.isError
    ? "The trend could not be loaded."
    : trend.data
      ? `Last ${SPARK_DAYS} days, ${formatDay(trend.data.fromDay)} – ${formatDay(trend.data.toDay)}`
      : `Last ${SPARK_DAYS} days`;
  return (
    <div className={KPI_GRID}>
      {KPI_CARDS.map((kpi) => (
        <KpiCard
          key={kpi.id}
          meta={kpi}
          display={kpi.display(group)}
          current={group[kpi.id]}
          previous={previous.isError ? null : previousGroup ? (previousGroup.clusters === 0 ? null : previousGroup[kpi.id]) : undefined}
          previousText={previousGroup ? kpi.display(previousGroup) : ""}
          since={`on ${formatDay(requests.previous.asOf)}`}
          detail={kpi.detail(group)}
          trend={trend.isError ? [] : trendValues?.[kpi.id]}
          trendLabel={trendLabel}
          trendHref={`/trends${toSearch({ kpi: kpi.slug, subscription: scope.subscription, owner: scope.owner })}`}
        />
      ))}
    </div>
  );
}
