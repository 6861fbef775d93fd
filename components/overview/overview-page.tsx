import "server-only";
import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import { Suspense } from "react";
import { z } from "zod";
import { kpiTrendQueryKey, kpisQueryKey, overviewQueryKey } from "@/lib/api/dashboard-requests";
import { firstValue, readPageScope, type PageSearchParams } from "@/lib/api/page-search";
import { toKpiScope } from "@/lib/api/params";
import { requireUser } from "@/lib/auth/current-user";
import { getOverview } from "@/lib/data/get-overview";
import { getTrendSeries } from "@/lib/data/get-trend-series";
import { getDatabase } from "@/lib/db/client";
import { getKpis } from "@/lib/kpi/get-kpis";
import { OverviewDashboard } from "./overview-dashboard";
import { OverviewSkeleton } from "./overview-skeleton";

const DAY_MS = 86_400_000;
const asOfParam = z.iso.datetime({ offset: true });

/**
 * The Overview: the shell and a skeleton stream at once; the figures follow in the same response,
 * every query of the dashboard run here at one `asOf` and handed to React Query.
 */
export function OverviewPage({ search }: { search: PageSearchParams }) {
  return (
    <Suspense fallback={<OverviewSkeleton />}>
      <PrefetchedOverview search={search} />
    </Suspense>
  );
}

async function PrefetchedOverview({ search }: { search: PageSearchParams }) {
  // Checked here, next to the data: a client-side navigation renders the page without the layout.
  await requireUser("posture:read", "/");
  const notices: string[] = [];
  const rawAsOf = firstValue(search, "asOf");
  let asOf = new Date();
  if (rawAsOf) {
    if (asOfParam.safeParse(rawAsOf).success) asOf = new Date(rawAsOf);
    else notices.push(`The asOf "${rawAsOf}" in the address is not an ISO 8601 time with a time zone (e.g. 2026-03-01T06:00:00Z); showing now instead.`);
  }
  const asOfText = asOf.toISOString();
  const { scope, valid } = readPageScope(search);
  const request = { subscription: scope.subscription, owner: scope.owner };

  const queryClient = new QueryClient();
  if (valid) {
    try {
      const db = await getDatabase();
      const kpiScope = toKpiScope(scope);
      const earlier = new Date(asOf.getTime() - 30 * DAY_MS);
      // A failed prefetch is left out of the hydrated state; that widget then fetches and shows its own error.
      await Promise.all([
        queryClient.prefetchQuery({ queryKey: kpisQueryKey({ asOf: asOfText, ...request }), queryFn: () => getKpis(db, { asOf, scope: kpiScope }) }),
        queryClient.prefetchQuery({ queryKey: kpisQueryKey({ asOf: earlier.toISOString(), ...request }), queryFn: () => getKpis(db, { asOf: earlier, scope: kpiScope }) }),
        queryClient.prefetchQuery({
          queryKey: kpiTrendQueryKey({ range: 90, by: "none", to: asOfText.slice(0, 10), ...request }),
          queryFn: () => getTrendSeries(db, { toDay: asOf, range: 90, by: "none", scope: kpiScope }),
        }),
        queryClient.prefetchQuery({ queryKey: overviewQueryKey({ asOf: asOfText, ...request }), queryFn: () => getOverview(db, { asOf, scope: kpiScope }) }),
      ]);
    } catch (error) {
      console.error("[overview] prefetch failed", error);
    }
  }
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <OverviewDashboard asOf={asOfText} scope={request} notices={notices} />
    </HydrationBoundary>
  );
}
