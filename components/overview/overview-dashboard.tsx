"use client";

import { useFilterOptionsQuery } from "@/hooks/use-filter-options-query";
import { useOverviewQuery } from "@/hooks/use-overview-query";
import type { ScopeRequest } from "@/lib/api/dashboard-requests";
import { toSearch } from "@/lib/api/fetch-json";
import { formatDateTime } from "@/lib/format";
import { OverdueByOwnerCard } from "@/components/findings/overdue-by-owner-card";
import { AdvisoriesCard } from "./advisories-card";
import { FreshnessBanner } from "./freshness-banner";
import { KpiCards } from "./kpi-cards";
import { PrintButton } from "./print-button";
import { RiskRanking } from "./risk-ranking";
import { UnprotectedClusters } from "./unprotected-clusters";

function ScopeLine({ scope }: { scope: ScopeRequest }) {
  const options = useFilterOptionsQuery();
  const subscription = scope.subscription ? (options.data?.subscriptions.find((s) => s.id === scope.subscription)?.displayName ?? scope.subscription) : null;
  if (!subscription && !scope.owner) return <>All subscriptions and owners</>;
  return (
    <>
      Filtered to {subscription ? <>subscription <strong className="font-semibold text-slate-900">{subscription}</strong></> : null}
      {subscription && scope.owner ? " and " : null}
      {scope.owner ? <>owner <strong className="font-semibold text-slate-900">{scope.owner}</strong></> : null}
    </>
  );
}

/**
 * The executive page: where we stand (four KPIs), whether it is getting better (change and trend),
 * the biggest risks and who owns them, all at one time `asOf`.
 */
export function OverviewDashboard({ asOf, scope, notices = [] }: { asOf: string; scope: ScopeRequest; notices?: string[] }) {
  const overview = useOverviewQuery({ asOf, ...scope });
  const retry = () => void overview.refetch();
  const scopeSearch = toSearch({ subscription: scope.subscription, owner: scope.owner });
  const clustersHref = `/clusters${toSearch({ subscription: scope.subscription, owner: scope.owner, production: "true", engine: "disabled" })}`;
  return (
    <div className="space-y-6 print:space-y-4">
      {/* One landscape page per screenful: the four cards stay side by side. */}
      <style>{"@media print { @page { size: A4 landscape; margin: 10mm; } }"}</style>
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Network segmentation overview</h1>
          <p className="mt-1 text-sm text-slate-600">
            <ScopeLine scope={scope} /> · as of{" "}
            <time dateTime={asOf} data-testid="as-of" className="font-medium text-slate-900">
              {formatDateTime(asOf)}
            </time>
          </p>
        </div>
        <PrintButton />
      </div>
      {notices.map((notice) => (
        <p key={notice} role="status" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950">
          {notice}
        </p>
      ))}
      <FreshnessBanner lastRun={overview.data?.lastRun} isPending={overview.isPending} error={overview.error} onRetry={retry} runsHref={`/runs${scopeSearch}`} />
      <KpiCards asOf={asOf} scope={scope} />
      <RiskRanking risk={overview.data?.risk} isPending={overview.isPending} error={overview.error} onRetry={retry} />
      <OverdueByOwnerCard scope={scope} asOf={asOf} className="break-inside-avoid" />
      <UnprotectedClusters data={overview.data?.unprotectedProduction} asOf={asOf} isPending={overview.isPending} error={overview.error} onRetry={retry} clustersHref={clustersHref} />
      <AdvisoriesCard
        advisories={overview.data?.advisories}
        isPending={overview.isPending}
        error={overview.error}
        onRetry={retry}
        clustersHref={(advisory) => `/clusters${toSearch({ subscription: scope.subscription, owner: scope.owner, advisory })}`}
      />
    </div>
  );
}
