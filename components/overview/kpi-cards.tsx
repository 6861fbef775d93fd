"use client";

import { KpiCard, KpiCardSkeleton } from "@/components/kpi/kpi-card";
import { KPIS, type KpiId } from "@/components/kpi/kpi-meta";
import { EmptyState, ErrorState } from "@/components/ui/state-message";
import { useKpiTrendQuery } from "@/hooks/use-kpi-trend-query";
import { useKpisQuery } from "@/hooks/use-kpis-query";
import type { ScopeRequest } from "@/lib/api/query-keys";
import { formatDay, formatHours, formatInteger, formatPercent } from "@/lib/format";
import type { KpiGroup } from "@/lib/kpi/get-kpis";
import { kpiCardsRequests, SPARK_DAYS } from "./kpi-cards-requests";
import { NoDataHelp } from "./no-data-help";


function display(group: KpiGroup, id: KpiId): string {
  if (id === "mttrHours") return formatHours(group.mttrHours);
  if (id === "allowAnyRulesProduction") return formatInteger(group.allowAnyRulesProduction);
  return formatPercent(group[id]);
}

function detail(group: KpiGroup, id: KpiId): React.ReactNode {
  switch (id) {
    case "percentEnabled":
      return `${formatInteger(group.clustersEnabled)} of ${formatInteger(group.clusters)} clusters`;
    case "mttrHours":
      return group.resolvedFindings === 0
        ? `No NP-01 finding resolved in the 30 days · ${formatInteger(group.openFindings)} open`
        : `Median ${formatHours(group.mttrMedianHours)} · n = ${formatInteger(group.resolvedFindings)} resolved in 30 days · ${formatInteger(group.openFindings)} open`;
    case "allowAnyRulesProduction":
      return "Rules admitting any peer on any port, in production clusters";
    case "auditPassRate":
      return `${formatInteger(group.controlsPassed)} of ${formatInteger(group.controlsPassed + group.controlsFailed)} control results passed`;
  }
}

/** The four KPIs at `asOf`, each against CHANGE_DAYS earlier and with its last SPARK_DAYS days (kpi-cards-requests.ts). */
export function KpiCards({ asOf, scope }: { asOf: string; scope: ScopeRequest }) {
  const requests = kpiCardsRequests(asOf, scope);
  const current = useKpisQuery(requests.current);
  const previous = useKpisQuery(requests.previous);
  const trend = useKpiTrendQuery(requests.trend);

  if (current.isPending) {
    return (
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2 xl:grid-cols-4">
        {KPIS.map((kpi) => (
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
    <div className="grid grid-cols-1 gap-4 md:grid-cols-2 xl:grid-cols-4 print:grid-cols-4">
      {KPIS.map((kpi) => (
        <KpiCard
          key={kpi.id}
          meta={kpi}
          display={display(group, kpi.id)}
          current={group[kpi.id]}
          previous={previous.isError ? null : previousGroup ? (previousGroup.clusters === 0 ? null : previousGroup[kpi.id]) : undefined}
          previousText={previousGroup ? display(previousGroup, kpi.id) : ""}
          since={`on ${formatDay(requests.previous.asOf)}`}
          detail={detail(group, kpi.id)}
          trend={trend.isError ? [] : trendValues?.[kpi.id]}
          trendLabel={trendLabel}
        />
      ))}
    </div>
  );
}
