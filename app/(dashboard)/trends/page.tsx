import type { Metadata } from "next";
import { Suspense } from "react";
import { TrendsView, TrendsViewSkeleton } from "@/components/trends/trends-view";
import { readTrendView } from "@/components/trends/trend-view-state";
import { firstValue, readPageScope, type PageSearchParams } from "@/lib/api/page-search";
import { requireUser } from "@/lib/auth/current-user";
import { Prefetch } from "../_loaders/prefetch";
import { kpiTrendQuery } from "../_loaders/server-queries";

export const metadata: Metadata = { title: "Trends" };

/** The Trends page with the trend the address asks for already loaded (later changes load on the client). */
export default async function TrendsPage({ searchParams }: { searchParams: Promise<PageSearchParams> }) {
  // Checked here, next to the data: a client-side navigation renders the page without the layout.
  await requireUser("posture:read", "/trends");
  const search = await searchParams;
  const today = new Date().toISOString().slice(0, 10);
  const view = readTrendView((name) => firstValue(search, name));
  const { scope } = readPageScope(search);
  return (
    <Suspense fallback={<TrendsViewSkeleton />}>
      <Prefetch queries={[kpiTrendQuery({ range: view.range, by: view.by, to: today, subscription: scope.subscription, owner: scope.owner })]}>
        <TrendsView today={today} />
      </Prefetch>
    </Suspense>
  );
}
