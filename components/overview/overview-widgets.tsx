"use client";

// The Overview's widgets, each one its own <Suspense> on the page (app/(dashboard)/page.tsx): the
// four that read GET /api/overview, the header, and each one's placeholder while its data loads.

import Link from "next/link";
import { KpiCardSkeleton } from "@/components/kpi/kpi-card";
import { KPI_CARDS } from "@/components/kpi/kpi-meta";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { useFilterOptionsQuery } from "@/hooks/use-filter-options-query";
import { useOverviewQuery } from "@/hooks/use-overview-query";
import { toSearch } from "@/lib/api/fetch-json";
import type { ScopeRequest } from "@/lib/api/query-keys";
import { formatDateTime } from "@/lib/format";
import { AdvisoriesCard } from "./advisories-card";
import { KPI_GRID } from "./kpi-cards";
import { FreshnessBanner } from "./freshness-banner";
import { PrintButton } from "./print-button";
import { RiskRanking } from "./risk-ranking";
import { UnprotectedClusters } from "./unprotected-clusters";

interface WidgetProps {
  asOf: string;
  scope: ScopeRequest;
}

const noRetry = () => {};

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

/** The executive page's title: where we stand, for which scope, at which time. */
export function OverviewHeader({ asOf, scope, notices }: WidgetProps & { notices: string[] }) {
  return (
    <>
      {/* One landscape page per screenful: the five cards stay side by side. */}
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
        <div className="flex flex-wrap items-center gap-2 print:hidden">
          <Link
            href={`/report${toSearch({ subscription: scope.subscription, owner: scope.owner })}`}
            className="inline-flex h-9 items-center rounded-md border border-slate-300 bg-white px-3 text-sm font-medium text-slate-800 shadow-sm hover:bg-slate-50"
          >
            Board report
          </Link>
          <PrintButton />
        </div>
      </div>
      {notices.map((notice) => (
        <p key={notice} role="status" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950">
          {notice}
        </p>
      ))}
    </>
  );
}

export function OverviewFreshness({ asOf, scope }: WidgetProps) {
  const overview = useOverviewQuery({ asOf, ...scope });
  const runsHref = `/runs${toSearch({ subscription: scope.subscription, owner: scope.owner })}`;
  return <FreshnessBanner lastRun={overview.data?.lastRun} isPending={overview.isPending} error={overview.error} onRetry={() => void overview.refetch()} runsHref={runsHref} />;
}

export function OverviewRiskRanking({ asOf, scope }: WidgetProps) {
  const overview = useOverviewQuery({ asOf, ...scope });
  return <RiskRanking risk={overview.data?.risk} isPending={overview.isPending} error={overview.error} onRetry={() => void overview.refetch()} scope={scope} />;
}

export function OverviewUnprotectedClusters({ asOf, scope }: WidgetProps) {
  const overview = useOverviewQuery({ asOf, ...scope });
  const clustersHref = `/clusters${toSearch({ subscription: scope.subscription, owner: scope.owner, production: "true", engine: "disabled" })}`;
  return (
    <UnprotectedClusters
      data={overview.data?.unprotectedProduction}
      asOf={asOf}
      isPending={overview.isPending}
      error={overview.error}
      onRetry={() => void overview.refetch()}
      clustersHref={clustersHref}
    />
  );
}

export function OverviewAdvisories({ asOf, scope }: WidgetProps) {
  const overview = useOverviewQuery({ asOf, ...scope });
  return (
    <AdvisoriesCard
      advisories={overview.data?.advisories}
      isPending={overview.isPending}
      error={overview.error}
      onRetry={() => void overview.refetch()}
      clustersHref={(advisory) => `/clusters${toSearch({ subscription: scope.subscription, owner: scope.owner, advisory })}`}
    />
  );
}

// Placeholders while a widget's data loads: the widget's own pending look, so nothing jumps.

export function OverviewHeaderSkeleton() {
  return (
    <div>
      <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Network segmentation overview</h1>
      <Skeleton className="mt-2 h-4 w-80" label="Loading the overview" />
    </div>
  );
}

export function OverviewFreshnessSkeleton() {
  return <FreshnessBanner lastRun={undefined} isPending error={null} onRetry={noRetry} runsHref="/runs" />;
}

export function KpiCardsSkeleton() {
  return (
    <div className={KPI_GRID}>
      {KPI_CARDS.map((kpi) => (
        <KpiCardSkeleton key={kpi.id} title={kpi.title} />
      ))}
    </div>
  );
}

export function OverviewRiskRankingSkeleton() {
  return <RiskRanking risk={undefined} isPending error={null} onRetry={noRetry} />;
}

export function OverviewUnprotectedClustersSkeleton() {
  return <UnprotectedClusters data={undefined} asOf={new Date(0).toISOString()} isPending error={null} onRetry={noRetry} clustersHref="/clusters" />;
}

export function OverviewAdvisoriesSkeleton() {
  return <AdvisoriesCard advisories={undefined} isPending error={null} onRetry={noRetry} clustersHref={() => "/clusters"} />;
}

export function OverdueByOwnerSkeleton({ className }: { className?: string }) {
  return (
    <Card className={className}>
      <div className="space-y-3" aria-hidden>
        <Skeleton className="h-6 w-64" label="Loading overdue findings" />
        {Array.from({ length: 4 }, (_, index) => (
          <Skeleton key={index} className="h-10 w-full" label="Loading overdue findings" />
        ))}
      </div>
    </Card>
  );
}
