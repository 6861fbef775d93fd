import type { Metadata } from "next";
import { Suspense } from "react";
import { z } from "zod";
import { OverdueByOwnerCard } from "@/components/findings/overdue-by-owner-card";
import { KpiCards } from "@/components/overview/kpi-cards";
import { kpiCardsRequests } from "@/components/overview/kpi-cards-requests";
import {
  KpiCardsSkeleton,
  OverdueByOwnerSkeleton,
  OverviewAdvisories,
  OverviewAdvisoriesSkeleton,
  OverviewFreshness,
  OverviewFreshnessSkeleton,
  OverviewHeader,
  OverviewHeaderSkeleton,
  OverviewRiskRanking,
  OverviewRiskRankingSkeleton,
  OverviewUnprotectedClusters,
  OverviewUnprotectedClustersSkeleton,
} from "@/components/overview/overview-widgets";
import { firstValue, readPageScope, type PageSearchParams } from "@/lib/api/page-search";
import { requireUser } from "@/lib/auth/current-user";
import { Prefetch } from "./_loaders/prefetch";
import { filterOptionsQuery, kpisQuery, kpiTrendQuery, overdueByOwnerQuery, overviewQuery } from "./_loaders/server-queries";

export const metadata: Metadata = { title: "Overview" };

const asOfParam = z.iso.datetime({ offset: true });
/** Owners listed on the overdue card. */
const OVERDUE_OWNERS = 8;

/**
 * The executive page: where we stand (five KPIs), whether it is getting better (change and trend),
 * the biggest risks and who owns them, all at one time `asOf`. Each widget streams in its own
 * <Suspense>: the slowest query holds up its own widget, never the page.
 */
export default async function OverviewPage({ searchParams }: { searchParams: Promise<PageSearchParams> }) {
  // Checked here, next to the data: a client-side navigation renders the page without the layout.
  await requireUser("posture:read", "/");
  const search = await searchParams;
  const notices: string[] = [];
  const rawAsOf = firstValue(search, "asOf");
  let asOf = new Date();
  if (rawAsOf) {
    if (asOfParam.safeParse(rawAsOf).success) asOf = new Date(rawAsOf);
    else notices.push(`The asOf "${rawAsOf}" in the address is not an ISO 8601 time with a time zone (e.g. 2026-03-01T06:00:00Z); showing now instead.`);
  }
  const at = asOf.toISOString();
  const { scope } = readPageScope(search);
  const request = { subscription: scope.subscription, owner: scope.owner };
  const cards = kpiCardsRequests(at, request);
  const overview = overviewQuery({ asOf: at, ...request });

  return (
    <div className="space-y-6 print:space-y-4">
      <Suspense fallback={<OverviewHeaderSkeleton />}>
        <Prefetch queries={[filterOptionsQuery()]}>
          <OverviewHeader asOf={at} scope={request} notices={notices} />
        </Prefetch>
      </Suspense>
      <Suspense fallback={<OverviewFreshnessSkeleton />}>
        <Prefetch queries={[overview]}>
          <OverviewFreshness asOf={at} scope={request} />
        </Prefetch>
      </Suspense>
      <Suspense fallback={<KpiCardsSkeleton />}>
        <Prefetch queries={[kpisQuery(cards.current), kpisQuery(cards.previous), kpiTrendQuery(cards.trend)]}>
          <KpiCards asOf={at} scope={request} />
        </Prefetch>
      </Suspense>
      <Suspense fallback={<OverviewRiskRankingSkeleton />}>
        <Prefetch queries={[overview]}>
          <OverviewRiskRanking asOf={at} scope={request} />
        </Prefetch>
      </Suspense>
      <Suspense fallback={<OverdueByOwnerSkeleton className="break-inside-avoid" />}>
        <Prefetch queries={[overdueByOwnerQuery({ asOf: at, limit: OVERDUE_OWNERS, ...request })]}>
          <OverdueByOwnerCard scope={request} asOf={at} limit={OVERDUE_OWNERS} className="break-inside-avoid" />
        </Prefetch>
      </Suspense>
      <Suspense fallback={<OverviewUnprotectedClustersSkeleton />}>
        <Prefetch queries={[overview]}>
          <OverviewUnprotectedClusters asOf={at} scope={request} />
        </Prefetch>
      </Suspense>
      <Suspense fallback={<OverviewAdvisoriesSkeleton />}>
        <Prefetch queries={[overview]}>
          <OverviewAdvisories asOf={at} scope={request} />
        </Prefetch>
      </Suspense>
    </div>
  );
}
