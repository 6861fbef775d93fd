import "server-only";
import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import { Suspense } from "react";
import { kpiTrendQueryKey } from "@/lib/api/dashboard-requests";
import { firstValue, readPageScope, type PageSearchParams } from "@/lib/api/page-search";
import { toKpiScope } from "@/lib/api/params";
import { requireUser } from "@/lib/auth/current-user";
import { getTrendSeries } from "@/lib/data/get-trend-series";
import { getDatabase } from "@/lib/db/client";
import { TrendsView, TrendsViewSkeleton } from "./trends-view";
import { readTrendView } from "./trend-view-state";

/** The Trends page with the trend the address asks for already loaded (later changes load on the client). */
export function TrendsPage({ search }: { search: PageSearchParams }) {
  return (
    <Suspense fallback={<TrendsViewSkeleton />}>
      <PrefetchedTrends search={search} />
    </Suspense>
  );
}

async function PrefetchedTrends({ search }: { search: PageSearchParams }) {
  // Checked here, next to the data: a client-side navigation renders the page without the layout.
  await requireUser("posture:read", "/trends");
  const today = new Date().toISOString().slice(0, 10);
  const view = readTrendView((name) => firstValue(search, name));
  const { scope, valid } = readPageScope(search);
  const queryClient = new QueryClient();
  if (valid) {
    try {
      const db = await getDatabase();
      await queryClient.prefetchQuery({
        queryKey: kpiTrendQueryKey({ range: view.range, by: view.by, to: today, subscription: scope.subscription, owner: scope.owner }),
        queryFn: () => getTrendSeries(db, { toDay: new Date(`${today}T00:00:00Z`), range: view.range, by: view.by, scope: toKpiScope(scope) }),
      });
    } catch (error) {
      console.error("[trends] prefetch failed", error);
    }
  }
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <Suspense fallback={<TrendsViewSkeleton />}>
        <TrendsView today={today} />
      </Suspense>
    </HydrationBoundary>
  );
}
